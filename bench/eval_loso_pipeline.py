"""Whole-pipeline quality on sources the classifier never saw (leave-one-source-out).

The classifier's out-of-source probabilities come from the training run
(`python -m prompt_sentinel.ml.train --out-dir /tmp/m --dump-oof /tmp/oof.jsonl`): each row
is scored by a model trained without that row's source.  Every other layer (normalisation,
heuristics, encoding, PII) runs for real; the policy combines them exactly as in the service.
Any verdict other than allow counts as a detection, as in the external evaluation.

Usage: python bench/eval_loso_pipeline.py /tmp/oof.jsonl [--meta /tmp/m/ngram_lr.json] [--write]

``--meta``: take the classifier's per-mode thresholds from that training run's meta file
(default: the shipped n-gram model's own), to judge a candidate before it replaces the
shipped one.  The shipped cascade (n-gram model + transformer second opinion): the
scores and thresholds of ``training/encoder/ship.py combine``
(``... /tmp/cascade/oof.jsonl --meta /tmp/cascade/thresholds.json``).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import machine, replace_section  # noqa: E402

from prompt_sentinel.detectors.registry import build_detectors  # noqa: E402
from prompt_sentinel.engine.engine import Engine  # noqa: E402
from prompt_sentinel.engine.factory import build_engine  # noqa: E402
from prompt_sentinel.engine.models import (  # noqa: E402
    Category,
    DetectContext,
    DetectorResult,
    Finding,
    Mode,
    Verdict,
)
from prompt_sentinel.engine.policy import Thresholds  # noqa: E402
from prompt_sentinel.evaluation import Counts  # noqa: E402
from prompt_sentinel.settings import load_settings  # noqa: E402

NO_REDACT = "ALL, redact not counted"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("oof")
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--meta", type=Path, help="a candidate model's meta JSON (its thresholds are used)")
    args = ap.parse_args()
    # The shipped model's per-mode thresholds, or a candidate's (then the shipped model is not
    # loaded at all: it may no longer match the feature code being evaluated).
    full = build_engine(load_settings(enable_classifier=args.meta is None, enable_encoder=False))
    if args.meta is not None:
        th = json.loads(args.meta.read_text(encoding="utf-8"))["thresholds"]
        full.policy.source_thresholds["classifier"] = {
            m: Thresholds(flag=th[m.value]["flag"], block=th[m.value]["block"]) for m in Mode
        }
    rules = Engine(build_detectors(load_settings(enable_classifier=False)), full.policy, full.options)
    rows = [json.loads(line) for line in Path(args.oof).read_text(encoding="utf-8").split("\n") if line.strip()]
    out: dict[str, dict[str, Counts]] = {m.value: defaultdict(Counts) for m in Mode}
    heur_only: dict[str, Counts] = defaultdict(Counts)
    for r in rows:
        text, label, source, p = r["text"], int(r["label"]), r["source"], float(r["p"])
        if not text.strip() or len(text) > full.options.max_prompt_length:
            continue
        for mode in Mode:
            a = rules.analyse(text, DetectContext(mode=mode))
            clf = DetectorResult(
                "classifier",
                (Finding(Category.DIRECT_INJECTION, "classifier", p, "classifier", "classifier.oof"),)
                if p >= 0.5
                else (),
            )
            d = full.policy.decide([*a.results, clf], mode)
            out[mode.value][source].add(label, d.verdict is not Verdict.ALLOW)
            out[mode.value]["ALL"].add(label, d.verdict is not Verdict.ALLOW)
            # The same without PII redaction counted: an e-mail address in a benign prompt
            # is redacted by design, which the "any verdict but allow" rule calls a detection.
            out[mode.value][NO_REDACT].add(label, d.verdict not in (Verdict.ALLOW, Verdict.REDACT))
            if mode is Mode.MODERATE:
                heur_only[source].add(label, a.decision.verdict is not Verdict.ALLOW)
                heur_only["ALL"].add(label, a.decision.verdict is not Verdict.ALLOW)
                heur_only[NO_REDACT].add(label, a.decision.verdict not in (Verdict.ALLOW, Verdict.REDACT))

    def fmt(v: object) -> str:
        return "-" if v is None else f"{v:.3f}"

    lines = [
        f"Machine: {machine()}. Rows: {len(rows)}.",
        "",
        "| source | attacks | benign | rules only: recall / FPR | pipeline (moderate): recall / FPR | "
        "bal. acc. | strict: recall / FPR | permissive: recall / FPR |",
        "|---|---:|---:|---|---|---:|---|---|",
    ]
    for source in sorted(out["moderate"], key=lambda s: (s.startswith("ALL"), s)):
        m = out["moderate"][source].metrics()
        h = heur_only[source].metrics()
        s = out["strict"][source].metrics()
        pm = out["permissive"][source].metrics()
        lines.append(
            f"| {source} | {m['tp'] + m['fn']} | {m['fp'] + m['tn']} | {fmt(h['recall'])} / {fmt(h['fpr'])} | "
            f"{fmt(m['recall'])} / {fmt(m['fpr'])} | {fmt(m['balanced_accuracy'])} | "
            f"{fmt(s['recall'])} / {fmt(s['fpr'])} | {fmt(pm['recall'])} / {fmt(pm['fpr'])} |"
        )
    text = "\n".join(lines)
    print(text)
    if args.write:
        replace_section(Path(__file__).resolve().parents[1] / "docs" / "EVALUATION.md", "pipeline-loso", text)


if __name__ == "__main__":
    main()
