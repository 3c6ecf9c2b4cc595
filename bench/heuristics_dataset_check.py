"""Sanity check of the heuristic detector on the development datasets (not test data).

For each file in the datasets folder: the fraction of label-0 rows where any
heuristic finding reaches confidence >= 0.5 (false flags) and >= 0.7 (false
blocks in the default mode), and the same fractions for label-1 rows (recall).

    python bench/heuristics_dataset_check.py [DATASET_DIR] [--show N] [--rules]

``--show N`` prints up to N flagged benign rows per file (truncated) so a
pattern can be fixed; ``--rules`` prints how often each rule fired on benign
and on attack rows.  Prompt text is printed only with ``--show``.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from prompt_sentinel.detectors.heuristics import HeuristicDetector
from prompt_sentinel.engine.models import DetectContext
from prompt_sentinel.engine.prepare import prepare

FLAG = 0.5
BLOCK = 0.7
DEFAULT_DIR = Path(__file__).resolve().parents[2] / "shared" / "datasets"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("directory", nargs="?", type=Path, default=DEFAULT_DIR)
    ap.add_argument("--show", type=int, default=0, help="print N flagged benign rows per file")
    ap.add_argument("--show-missed", type=int, default=0, help="print N missed attacks per file")
    ap.add_argument("--rules", action="store_true", help="per-rule counts on benign / attack rows")
    args = ap.parse_args()

    det = HeuristicDetector()
    ctx = DetectContext()
    rule_benign: Counter[str] = Counter()
    rule_attack: Counter[str] = Counter()
    totals = {0: [0, 0, 0], 1: [0, 0, 0]}  # label -> [rows, >= FLAG, >= BLOCK]

    print(f"{'file':32} {'label':>5} {'rows':>6} {'>=0.5':>8} {'>=0.7':>8}")
    for path in sorted(args.directory.glob("*.jsonl")):
        per = {0: [0, 0, 0], 1: [0, 0, 0]}
        shown = missed = 0
        with path.open(encoding="utf-8") as fh:  # not splitlines(): rows hold U+2028
            rows = [json.loads(line) for line in fh if line.strip()]
        for row in rows:
            label = int(row["label"])
            result = det.detect(prepare(row["text"]), ctx)
            top = max((f.confidence for f in result.findings), default=0.0)
            per[label][0] += 1
            per[label][1] += top >= FLAG
            per[label][2] += top >= BLOCK
            fired = {f.rule_id for f in result.findings if f.confidence >= FLAG}
            (rule_benign if label == 0 else rule_attack).update(fired)
            if label == 0 and top >= FLAG and shown < args.show:
                shown += 1
                for f in result.findings:
                    if f.confidence >= FLAG:
                        a, b = f.span or (0, 0)
                        where = row["text"][max(0, a - 40) : b + 40] if f.span else "(no raw span)"
                        print(f"  FP {f.confidence:.2f} {f.rule_id} :: {where!r}")
            if label == 1 and top < FLAG and missed < args.show_missed:
                missed += 1
                print(f"  FN {top:.2f} :: {row['text'][:240]!r}")
        for label in (0, 1):
            rows, flag, block = per[label]
            if rows:
                totals[label] = [a + b for a, b in zip(totals[label], per[label], strict=True)]
                print(f"{path.name:32} {label:>5} {rows:>6} {flag / rows:>8.2%} {block / rows:>8.2%}")
    for label in (0, 1):
        rows, flag, block = totals[label]
        if rows:
            print(f"{'ALL':32} {label:>5} {rows:>6} {flag / rows:>8.2%} {block / rows:>8.2%}")
    if args.rules:
        print("\nrule                                     benign  attack")
        for rule in sorted(set(rule_benign) | set(rule_attack)):
            print(f"{rule:40} {rule_benign[rule]:>6} {rule_attack[rule]:>7}")


if __name__ == "__main__":
    main()
