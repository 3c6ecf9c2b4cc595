"""The shipped engine on the hand-written hold-out set (bench/data/holdout.yaml).

Every row is scored in the default (moderate) mode, as the external evaluation does:
any verdict other than ``allow`` is a detection.  Each attack is scored again in every
obfuscation of training/obfuscate.py (one seeded variant each), so the obfuscated
recall is compared with the clear recall *on the same attacks*.  The set was never
used for training, thresholds or patterns (see its header).

Usage: python bench/eval_holdout.py [--model-dir DIR] [--write]
``--model-dir``: a candidate n-gram model's directory (a training run's --out-dir) instead
of the shipped one, scored without the transformer second opinion.  With --write the
tables replace the 'holdout' section of docs/EVALUATION.md.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "training"))

from common import machine, replace_section  # noqa: E402
from obfuscate import OBFUSCATIONS  # noqa: E402

from prompt_sentinel.engine.factory import build_engine  # noqa: E402
from prompt_sentinel.engine.models import DetectContext, Mode, Verdict  # noqa: E402
from prompt_sentinel.settings import load_settings  # noqa: E402

DATA = ROOT / "bench" / "data" / "holdout.yaml"
DOC = ROOT / "docs" / "EVALUATION.md"
SEED = 20261127


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model-dir", type=Path)
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()
    if args.model_dir is not None:
        import prompt_sentinel.ml.model as model_module

        model_module.MODELS_DIR = args.model_dir
    # A candidate is an n-gram model with its own thresholds: judged alone, since the shipped
    # encoder's thresholds (models/encoder.json) were chosen with the shipped n-gram model.
    engine = build_engine(load_settings(enable_encoder=args.model_dir is None))
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))

    def detected(text: str) -> bool:
        return engine.analyse(text, DetectContext(mode=Mode.MODERATE)).decision.verdict is not Verdict.ALLOW

    rng = random.Random(SEED)
    clear: dict[str, list[bool]] = {}
    obf: dict[str, list[bool]] = defaultdict(list)
    obf_clear: dict[str, list[bool]] = defaultdict(list)  # clear result of the same attacks
    for lang, rows in data["attacks"].items():
        clear[lang] = [detected(t) for t in rows]
        for text, hit in zip(rows, clear[lang], strict=True):
            for name in sorted(OBFUSCATIONS):
                variant = OBFUSCATIONS[name](text, rng)
                if variant == text:
                    continue  # e.g. leetspeak of a CJK sentence: nothing to obfuscate
                obf[name].append(detected(variant))
                obf_clear[name].append(hit)
    benign = {lang: [detected(t) for t in rows] for lang, rows in data["benign"].items()}
    roleplay = [detected(t) for t in data["roleplay"]]

    def rate(xs: list[bool]) -> str:
        return f"{sum(xs) / len(xs):.2f}" if xs else "-"

    all_att = [x for v in clear.values() for x in v]
    all_ben = [x for v in benign.values() for x in v]
    en_att, en_ben = clear.get("en", []), benign.get("en", [])
    ne_att = [x for k, v in clear.items() if k != "en" for x in v]
    ne_ben = [x for k, v in benign.items() if k != "en" for x in v]
    all_obf = [x for v in obf.values() for x in v]
    all_obf_clear = [x for v in obf_clear.values() for x in v]
    ratio = (sum(all_obf) / len(all_obf)) / max(sum(all_obf_clear) / len(all_obf_clear), 1e-9)
    lines = [
        f"Machine: {machine()}. Model: {'candidate ' + str(args.model_dir) if args.model_dir else 'shipped'}. "
        f"Rows: {len(all_att)} attacks in {len(clear)} languages, {len(all_ben)} benign look-alikes, "
        f"{len(roleplay)} benign role-play prompts; {len(all_obf)} obfuscated attack variants.",
        "",
        "| slice | rows | detected |",
        "|---|---:|---:|",
        f"| attacks, all languages (recall) | {len(all_att)} | {rate(all_att)} |",
        f"| attacks, English | {len(en_att)} | {rate(en_att)} |",
        f"| attacks, other languages | {len(ne_att)} | {rate(ne_att)} |",
        f"| benign look-alikes, all (FPR) | {len(all_ben)} | {rate(all_ben)} |",
        f"| benign look-alikes, English | {len(en_ben)} | {rate(en_ben)} |",
        f"| benign look-alikes, other languages | {len(ne_ben)} | {rate(ne_ben)} |",
        f"| benign role-play (FPR) | {len(roleplay)} | {rate(roleplay)} |",
        f"| obfuscated attacks (recall) | {len(all_obf)} | {rate(all_obf)} |",
        f"| the same attacks, clear | {len(all_obf_clear)} | {rate(all_obf_clear)} |",
        "",
        f"Obfuscated recall / clear recall on the same attacks: {ratio:.0%} (target: at least 90%).",
        "",
        "| language | attacks | recall | benign | FPR |",
        "|---|---:|---:|---:|---:|",
    ]
    for lang in clear:
        b = benign.get(lang, [])
        lines.append(f"| {lang} | {len(clear[lang])} | {rate(clear[lang])} | {len(b)} | {rate(b)} |")
    lines += ["", "| obfuscation | variants | recall | clear recall, same attacks |", "|---|---:|---:|---:|"]
    for name in sorted(obf):
        lines.append(f"| {name} | {len(obf[name])} | {rate(obf[name])} | {rate(obf_clear[name])} |")
    text = "\n".join(lines)
    print(text)
    if args.write:
        replace_section(DOC, "holdout", text)
        print(f"\nwritten to {DOC}")


if __name__ == "__main__":
    main()
