"""Deterministic training pipeline for the shipped n-gram classifier.

Run ``python -m prompt_sentinel.ml.train`` (or ``make train``).  It reads the
labelled JSONL in ``data_dir`` (default ``../shared/datasets``) plus the
generated data in ``training/data``, cross-validates (leave-one-source-out and
random folds), calibrates on the out-of-source scores, picks per-mode
thresholds, fits the final model on everything and writes
``<out_dir>/ngram_lr.npz``, ``ngram_lr.json`` and ``MODEL_CARD.md``.

Needs the ``train`` extra (scikit-learn).  Same inputs, same artefact bytes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from prompt_sentinel.engine.segment import WORDS_FILE, use_words
from prompt_sentinel.ml.card import write_model_card
from prompt_sentinel.ml.concepts import lexicon_digest
from prompt_sentinel.ml.dataset import load_rows, source_weights, window_matrix
from prompt_sentinel.ml.evaluate import (
    SourceMetrics,
    choose_thresholds,
    fit_platt,
    loso_scores,
    metrics_by_source,
    random_split_scores,
)
from prompt_sentinel.ml.features import FeatureConfig, feature_fingerprint
from prompt_sentinel.ml.linear import fit_kind_head, fit_linear
from prompt_sentinel.ml.model import DEFAULT_MODEL, MODELS_DIR, sha256_file
from prompt_sentinel.ml.vocab import build_words, write_words

__all__ = ["main"]

REPO_ROOT = Path(__file__).resolve().parents[3]
DEFAULT_DATA_DIR = REPO_ROOT.parent / "shared" / "datasets"
DEFAULT_EXTRA_DIR = REPO_ROOT / "training" / "data"
SEED = 0
ALPHA = 2e-6
# Benign sources whose false positives are "over-defense": trigger words, role-play.
OVERDEFENSE = frozenset({"notinject", "awesome-chatgpt-prompts", "jackhhao", "synth-trigger-benign", "synth-roleplay"})
# Mode -> action -> (mean benign FPR, cap on each over-defense source), measured
# on out-of-source scores.  Any non-allow verdict is a false positive for the
# user, so "flag" carries most of the budget in each mode.
FPR_TARGETS = {
    "strict": {"flag": (0.04, 0.12), "block": (0.02, 0.06)},
    # 1.25%, not 2%: the rule layers add ~0.5 points of their own, and the pipeline's
    # pooled benign FPR must stay under 2% (docs/EVALUATION.md, section 3).
    "moderate": {"flag": (0.0125, 0.08), "block": (0.01, 0.04)},
    "permissive": {"flag": (0.01, 0.04), "block": (0.005, 0.02)},
}


def _table(rows: list[SourceMetrics]) -> str:
    head = ["source", "n", "attacks", "benign", "precision", "recall", "FPR", "bal. acc."]
    out = io.StringIO()
    out.write("| " + " | ".join(head) + " |\n")
    out.write("|" + "---|" * len(head) + "\n")
    for r in rows:
        out.write("| " + " | ".join(r.as_row()) + " |\n")
    return out.getvalue()


def _sigmoid(x: np.ndarray, a: float, b: float) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-(a * x + b)))


def main(
    data_dir: str | Path = DEFAULT_DATA_DIR,
    out_dir: str | Path | None = MODELS_DIR,
    extra_dirs: Sequence[str | Path] = (DEFAULT_EXTRA_DIR,),
    cv: bool = True,
    seed: int = SEED,
    alpha: float = ALPHA,
    cfg: FeatureConfig | None = None,
    name: str = DEFAULT_MODEL,
    date: str | None = None,
    log: Any = print,
    dump_oof: str | Path | None = None,
) -> dict[str, Any]:
    """Train, cross-validate and write the artefact; returns the meta dict."""
    t0 = time.perf_counter()
    cfg = cfg or FeatureConfig()
    out = Path(out_dir) if out_dir is not None else MODELS_DIR
    out.mkdir(parents=True, exist_ok=True)
    paths = sorted(Path(data_dir).glob("*.jsonl"))
    for extra in extra_dirs:
        paths += sorted(Path(extra).glob("*.jsonl"))
    if not paths:
        raise SystemExit(f"no *.jsonl under {data_dir}")
    rows = load_rows(paths)
    # The word list first: the engine's normalised view (a view the classifier is trained
    # on) uses it to put word boundaries back into letter-spaced text.
    words = build_words(r.text for r in rows)
    words_path = out / WORDS_FILE.name
    write_words(words_path, words)
    use_words(words_path)
    log(f"{len(words)} words -> {words_path}")
    weights = source_weights(rows)
    y = np.array([r.label for r in rows])
    log(f"{len(rows)} rows from {len(paths)} files; featurising")
    docs, wm = window_matrix(rows, cfg, views=_service_views)
    log(f"{wm.X.shape[0]} windows, {wm.X.nnz} non-zeros ({time.perf_counter() - t0:.0f}s)")

    meta_cv: dict[str, Any] = {}
    report = ""
    a, b = 1.0, 0.0
    thresholds = {m: {"flag": 0.5, "block": 0.5} for m in FPR_TARGETS}
    if cv:
        oof = loso_scores(wm, docs, weights, alpha=alpha, seed=seed, log=log)
        a, b = fit_platt(oof, y, weights)
        probs = _sigmoid(oof, a, b)
        thresholds = choose_thresholds(probs, docs, FPR_TARGETS, OVERDEFENSE)
        log(f"calibration a={a:.3f} b={b:.3f}; thresholds {thresholds}")
        if dump_oof:
            _dump(Path(dump_oof), rows, probs)
        rnd = _sigmoid(random_split_scores(wm, docs, weights, seed=seed, alpha=alpha), a, b)
        tm = thresholds["moderate"]["flag"]
        loso_rows = metrics_by_source(docs, probs, tm)
        rnd_rows = metrics_by_source(docs, rnd, tm)
        report = (
            f"Threshold: the moderate mode's flag threshold ({tm}); in the default mode any "
            "verdict other than allow counts as a detection.\n\n"
            f"### Leave-one-source-out\n\n{_table(loso_rows)}\n"
            f"### Random 5-fold split, same threshold (for contrast)\n\n{_table(rnd_rows)}\n"
        )
        meta_cv = {
            "loso": {r.source: r.as_row()[1:] for r in loso_rows},
            "random_split": {r.source: r.as_row()[1:] for r in rnd_rows},
        }

    all_ids = np.arange(len(docs))
    final = fit_linear(wm, docs, all_ids, weights, alpha=alpha, seed=seed)
    kind = fit_kind_head(wm, docs, all_ids, final, seed=seed)
    npz_path = out / f"{name}.npz"
    idf = np.zeros(0, dtype=np.float32)
    with npz_path.open("wb") as fh:
        np.savez_compressed(fh, weights=final.w, kind_weights=kind.w, idf=idf)
    report_t = min(v["flag"] for v in thresholds.values())
    meta: dict[str, Any] = {
        "name": name,
        "version": 1,
        "created": date or dt.date.today().isoformat(),
        "features": cfg.to_dict(),
        "feature_fingerprint": feature_fingerprint(cfg),
        "intercept": final.b,
        "kind_intercept": kind.b,
        "calibration": {"method": "platt-on-loso-out-of-source-scores", "a": a, "b": b},
        "thresholds": thresholds,
        "threshold_targets": {m: {k: list(v) for k, v in a.items()} for m, a in FPR_TARGETS.items()},
        "report_threshold": round(min(report_t, 0.5), 4),
        "sha256": sha256_file(npz_path),
        "words_sha256": sha256_file(words_path),
        **({"lexicon_sha256": lexicon_digest()} if cfg.concepts else {}),
        "size_bytes": npz_path.stat().st_size,
        "training": {
            "rows": len(rows),
            "attacks": int(y.sum()),
            "benign": int((y == 0).sum()),
            "by_source": _counts(rows),
            "files": [p.name for p in paths],
            "alpha": alpha,
            "seed": seed,
        },
        "cv": meta_cv,
    }
    (out / f"{name}.json").write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n")
    write_model_card(out / "MODEL_CARD.md", meta, report)
    log(f"wrote {npz_path} ({meta['size_bytes']} bytes) in {time.perf_counter() - t0:.0f}s")
    return meta


def _service_views(text: str) -> list[str]:
    """The canonical views the service's classifier scores for ``text`` (raw, normalised, payloads)."""
    from prompt_sentinel.detectors.classifier import views_of
    from prompt_sentinel.engine.prepare import prepare

    return views_of(prepare(text))


def _dump(path: Path, rows: Sequence[Any], probs: np.ndarray) -> None:
    """Write out-of-source probabilities next to each row, for error analysis."""
    with path.open("w", encoding="utf-8") as fh:
        for r, p in zip(rows, probs, strict=True):
            rec = {"p": round(float(p), 5), "label": r.label, "source": r.source, "text": r.text}
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")


def _counts(rows: Sequence[Any]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for r in rows:
        c = out.setdefault(r.source, [0, 0])
        c[r.label] += 1
    return dict(sorted(out.items()))


def cli(argv: Sequence[str] | None = None) -> None:
    """``python -m prompt_sentinel.ml.train [--data-dir D] [--out-dir O] [--no-cv]``."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data-dir", default=str(DEFAULT_DATA_DIR))
    p.add_argument("--out-dir", default=str(MODELS_DIR))
    p.add_argument("--extra-dir", action="append", default=None)
    p.add_argument("--no-cv", action="store_true", help="skip cross-validation (fast)")
    p.add_argument("--date", default=None, help="date written into the meta (YYYY-MM-DD)")
    p.add_argument("--dump-oof", default=None, help="write out-of-source scores (JSONL) here")
    p.add_argument("--no-concepts", action="store_true", help="ablation: without the concept lexicon features")
    p.add_argument("--concept-boost", type=int, default=3, help="weight of concept features (ablations)")
    args = p.parse_args(argv)
    extra = args.extra_dir if args.extra_dir is not None else [str(DEFAULT_EXTRA_DIR)]
    main(
        args.data_dir,
        args.out_dir,
        extra,
        cv=not args.no_cv,
        date=args.date,
        dump_oof=args.dump_oof,
        cfg=FeatureConfig(concepts=not args.no_concepts, concept_boost=args.concept_boost),
    )


if __name__ == "__main__":
    cli()
