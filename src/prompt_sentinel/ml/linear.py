"""Fitting the windowed linear model (training only: scikit-learn, scipy).

Every window of every document is featurised once into one CSR matrix;
folds select rows of it.  A document's score is the maximum over its
windows, as at run time.  Long attack documents are handled as a
multiple-instance problem: round one uses all their windows (down-weighted),
round two keeps only the window the round-one model finds most suspicious,
so benign text around an injection is not learnt as "attack".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from prompt_sentinel.ml.dataset import Doc, WindowMatrix

__all__ = ["LinearFit", "fit_kind_head", "fit_linear", "score_docs"]


@dataclass(frozen=True, slots=True)
class LinearFit:
    """Weights over hashed buckets and an intercept."""

    w: np.ndarray
    b: float


def score_docs(wm: WindowMatrix, fit: LinearFit, doc_ids: np.ndarray) -> np.ndarray:
    """Max-over-windows decision value of each document in ``doc_ids``."""
    per_window = np.asarray(wm.X @ fit.w, dtype=np.float64)
    per_doc = np.maximum.reduceat(per_window, wm.offsets[:-1])
    return per_doc[doc_ids] + fit.b


def _top_windows(wm: WindowMatrix, w: np.ndarray, doc_ids: np.ndarray) -> dict[int, int]:
    """Index (within its document) of each document's highest-scoring window."""
    per_window = np.asarray(wm.X @ w, dtype=np.float64)
    return {int(d): int(np.argmax(per_window[wm.offsets[d] : wm.offsets[d + 1]])) for d in doc_ids}


def _lr(X, y: np.ndarray, sw: np.ndarray, alpha: float, seed: int) -> LinearFit:  # type: ignore[no-untyped-def]
    """L2-regularised logistic regression by averaged SGD (seeded, ~1 s per fit).

    liblinear gives the same quality here but takes ~20 s a fit, too slow for
    leave-one-source-out on two cores.
    """
    from sklearn.linear_model import SGDClassifier

    clf = SGDClassifier(
        loss="log_loss",
        alpha=alpha,
        max_iter=12,
        tol=None,
        average=True,
        random_state=seed,
    )
    clf.fit(X, y, sample_weight=sw)
    return LinearFit(clf.coef_.ravel().astype(np.float32), float(clf.intercept_[0]))


def _balance(y: np.ndarray, sw: np.ndarray) -> np.ndarray:
    """Rescale weights so both classes carry the same total weight."""
    sw = sw.copy()
    for cls in (0, 1):
        m = y == cls
        total = sw[m].sum()
        if total > 0:
            sw[m] *= 0.5 / total
    return sw * len(sw)


def fit_linear(
    wm: WindowMatrix,
    docs: Sequence[Doc],
    doc_ids: np.ndarray,
    doc_weights: np.ndarray,
    alpha: float = 2e-6,
    seed: int = 0,
    mil: bool = True,
) -> LinearFit:
    """Fit on the windows of ``doc_ids`` (two multiple-instance rounds when ``mil``)."""
    from scipy import sparse

    def assemble(top: dict[int, int] | None) -> tuple[object, np.ndarray, np.ndarray]:
        rows: list[np.ndarray] = []
        ys: list[np.ndarray] = []
        ws: list[np.ndarray] = []
        for d in doc_ids:
            lo, hi = int(wm.offsets[d]), int(wm.offsets[d + 1])
            n = hi - lo
            label = docs[d].row.label
            wd = float(doc_weights[d])
            if label == 1 and top is not None and n > 1:
                rows.append(np.array([lo + top[int(d)]]))
                ys.append(np.ones(1))
                ws.append(np.array([wd]))
                continue
            rows.append(np.arange(lo, hi))
            ys.append(np.full(n, label, dtype=np.float64))
            # Benign windows of a long document: each is truly benign, so they
            # share the document's weight with a sqrt to keep long docs in play.
            per = wd / np.sqrt(n) if label == 0 else wd / n
            ws.append(np.full(n, per))
        idx = np.concatenate(rows)
        X = wm.X[idx]
        return sparse.csr_matrix(X), np.concatenate(ys), np.concatenate(ws)

    X, y, sw = assemble(None)
    fit = _lr(X, y, _balance(y, sw), alpha, seed)
    if not mil:
        return fit
    multi = np.array(
        [d for d in doc_ids if docs[d].row.label == 1 and wm.offsets[d + 1] - wm.offsets[d] > 1],
        dtype=np.int64,
    )
    if len(multi) == 0:
        return fit
    top = _top_windows(wm, fit.w, multi)
    X, y, sw = assemble(top)
    return _lr(X, y, _balance(y, sw), alpha, seed)


def fit_kind_head(
    wm: WindowMatrix,
    docs: Sequence[Doc],
    doc_ids: np.ndarray,
    main: LinearFit,
    alpha: float = 1e-5,
    seed: int = 0,
) -> LinearFit:
    """Jailbreak (1) vs injection (0) head on each attack document's top window."""
    attacks = np.array(
        [d for d in doc_ids if docs[d].row.label == 1 and docs[d].row.kind in ("jailbreak", "injection")],
        dtype=np.int64,
    )
    top = _top_windows(wm, main.w, attacks)
    rows = [int(wm.offsets[d]) + top[int(d)] for d in attacks]
    ys = [1.0 if docs[d].row.kind == "jailbreak" else 0.0 for d in attacks]
    y = np.asarray(ys)
    X = wm.X[np.asarray(rows)]
    return _lr(X, y, _balance(y, np.ones(len(y))), alpha, seed)
