"""Cross-validation for the classifier: leave-one-source-out and random splits.

Training only.  Leave-one-source-out (LOSO) trains without a source and
scores it: the proxy for prompts from sources the model never saw, which is
what a deployment meets.  Random stratified folds are reported for contrast
(they flatter: near-duplicates of a test row sit in the training folds).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from prompt_sentinel.ml.dataset import Doc, WindowMatrix
from prompt_sentinel.ml.linear import LinearFit, fit_linear, score_docs

__all__ = [
    "SourceMetrics",
    "choose_thresholds",
    "fit_platt",
    "loso_scores",
    "metrics_by_source",
    "random_split_scores",
]


@dataclass(frozen=True, slots=True)
class SourceMetrics:
    """Confusion counts and rates for one source at one threshold."""

    source: str
    n: int
    attacks: int
    benign: int
    tp: int
    fp: int
    precision: float | None
    recall: float | None
    fpr: float | None
    balanced_accuracy: float | None

    def as_row(self) -> list[str]:
        """Markdown table cells."""

        def f(x: float | None) -> str:
            return "-" if x is None else f"{x:.3f}"

        return [
            self.source,
            str(self.n),
            str(self.attacks),
            str(self.benign),
            f(self.precision),
            f(self.recall),
            f(self.fpr),
            f(self.balanced_accuracy),
        ]


def source_metrics(name: str, y: np.ndarray, pred: np.ndarray) -> SourceMetrics:
    """Precision, recall, FPR and balanced accuracy; None where undefined."""
    pos, neg = int((y == 1).sum()), int((y == 0).sum())
    tp = int(((pred == 1) & (y == 1)).sum())
    fp = int(((pred == 1) & (y == 0)).sum())
    recall = tp / pos if pos else None
    fpr = fp / neg if neg else None
    precision = tp / (tp + fp) if (tp + fp) and pos else None
    bal = (recall + 1 - fpr) / 2 if recall is not None and fpr is not None else None
    return SourceMetrics(name, len(y), pos, neg, tp, fp, precision, recall, fpr, bal)


def metrics_by_source(docs: Sequence[Doc], probs: np.ndarray, threshold: float) -> list[SourceMetrics]:
    """Per-source metrics plus an ``ALL`` row (every row counted once)."""
    y = np.array([d.row.label for d in docs])
    src = np.array([d.row.source for d in docs])
    pred = (probs >= threshold).astype(int)
    out = [source_metrics(s, y[src == s], pred[src == s]) for s in sorted(set(src.tolist()))]
    out.append(source_metrics("ALL", y, pred))
    return out


def loso_scores(
    wm: WindowMatrix,
    docs: Sequence[Doc],
    weights: np.ndarray,
    fit: Callable[..., LinearFit] = fit_linear,
    log: Callable[[str], None] = print,
    **kw: object,
) -> np.ndarray:
    """Out-of-source decision values: each row scored by a model that never saw its source."""
    src = np.array([d.row.source for d in docs])
    out = np.zeros(len(docs))
    for s in sorted(set(src.tolist())):
        test = np.flatnonzero(src == s)
        train = np.flatnonzero(src != s)
        model = fit(wm, docs, train, weights, **kw)
        out[test] = score_docs(wm, model, test)
        log(f"  loso: held out {s} ({len(test)} rows)")
    return out


def random_split_scores(
    wm: WindowMatrix,
    docs: Sequence[Doc],
    weights: np.ndarray,
    folds: int = 5,
    seed: int = 0,
    fit: Callable[..., LinearFit] = fit_linear,
    **kw: object,
) -> np.ndarray:
    """Out-of-fold decision values from stratified random folds (for contrast)."""
    from sklearn.model_selection import StratifiedKFold

    y = np.array([d.row.label for d in docs])
    strat = np.array([f"{d.row.source}:{d.row.label}" for d in docs])
    out = np.zeros(len(docs))
    skf = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for train, test in skf.split(np.zeros(len(y)), strat):
        model = fit(wm, docs, train, weights, **kw)
        out[test] = score_docs(wm, model, test)
    return out


def fit_platt(raw: np.ndarray, y: np.ndarray, sw: np.ndarray) -> tuple[float, float]:
    """Platt scaling ``p = sigmoid(a * raw + b)`` fitted on out-of-fold values."""
    from sklearn.linear_model import LogisticRegression

    lr = LogisticRegression(C=1e4, solver="lbfgs")
    lr.fit(raw.reshape(-1, 1), y, sample_weight=sw)
    return float(lr.coef_[0, 0]), float(lr.intercept_[0])


def _fpr_at(p: np.ndarray, t: float) -> float:
    return float((p >= t).mean()) if len(p) else 0.0


def choose_thresholds(
    probs: np.ndarray,
    docs: Sequence[Doc],
    targets: dict[str, dict[str, tuple[float, float]]],
    overdefense: frozenset[str],
) -> dict[str, dict[str, float]]:
    """Per mode and action, the lowest threshold whose benign FPR meets the target.

    ``targets`` maps mode -> action ("flag"/"block") -> (mean FPR, over-defense
    cap).  The mean is taken over benign sources (each source counts once, so
    6,000 CLINC queries do not hide a bad role-play source); every
    over-defense source (trigger words, role-play) must also stay under the cap.
    """
    y = np.array([d.row.label for d in docs])
    src = np.array([d.row.source for d in docs])
    benign_sources = sorted({s for s, lab in zip(src, y, strict=True) if lab == 0})
    per_source = {s: probs[(src == s) & (y == 0)] for s in benign_sources}
    grid = np.unique(np.round(np.concatenate([probs, np.linspace(0.01, 0.99, 99)]), 4))

    def ok(t: float, mean_target: float, cap: float) -> bool:
        rates = {s: _fpr_at(p, t) for s, p in per_source.items()}
        if np.mean(list(rates.values())) > mean_target:
            return False
        return all(rates[s] <= cap for s in rates if s in overdefense)

    out: dict[str, dict[str, float]] = {}
    for mode, actions in targets.items():
        pair = {}
        for action, (mean_target, cap) in actions.items():
            t = next((float(g) for g in grid if ok(float(g), mean_target, cap)), 0.99)
            pair[action] = round(max(t, 0.05), 4)
        pair["flag"] = min(pair["flag"], pair["block"])
        out[mode] = pair
    return out


def logit(p: float) -> float:
    """Inverse sigmoid (clipped)."""
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))
