"""Training data: JSONL rows, per-source weights, sparse feature matrices.

Training only (needs scipy, which comes with the ``train`` extra); the
service never imports this module.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from prompt_sentinel.ml.features import FeatureConfig, canonical, featurize_windows

__all__ = [
    "Doc",
    "Row",
    "WindowMatrix",
    "load_rows",
    "source_weights",
    "window_matrix",
]

# Attack categories that count as "jailbreak" for the kind head; the rest
# of the attacks are instruction injections (direct or indirect).
JAILBREAK_SOURCES = frozenset({"jackhhao"})


@dataclass(frozen=True, slots=True)
class Row:
    """One labelled prompt as read from JSONL."""

    text: str
    label: int
    source: str
    kind: str = ""  # "jailbreak" | "injection" | "" (unknown)
    lang: str = ""


@dataclass(frozen=True, slots=True)
class Doc:
    """A row and how many windows of it are in the training matrix."""

    row: Row
    n_windows: int


@dataclass(slots=True)
class WindowMatrix:
    """All windows of all documents: ``X[offsets[d]:offsets[d + 1]]`` belong to doc ``d``."""

    X: Any  # scipy.sparse.csr_matrix, float32
    offsets: np.ndarray  # int64, len(docs) + 1


def load_rows(paths: Iterable[Path]) -> list[Row]:
    """Read JSONL files (``text``, ``label``, ``source``; optional ``kind``, ``lang``).

    Files are read in the order given and the first copy of a duplicate text wins, so the
    caller decides which source keeps a text found in two (train.py: the public files
    first, then the generated ones).  Not re-sorted here: sorting paths as strings made
    the winner depend on how the directories were spelt (relative or absolute).
    """
    rows: list[Row] = []
    seen: set[str] = set()
    for path in paths:
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if not line.strip():
                    continue
                obj = json.loads(line)
                text = str(obj["text"])
                key = " ".join(text.casefold().split())
                if not key or key in seen:
                    continue
                seen.add(key)
                label = int(obj["label"])
                source = str(obj["source"])
                kind = str(obj.get("kind", ""))
                if label == 1 and not kind:
                    kind = "jailbreak" if source in JAILBREAK_SOURCES else "injection"
                rows.append(Row(text, label, source, kind, str(obj.get("lang", ""))))
    return rows


def window_matrix(
    rows: Sequence[Row],
    cfg: FeatureConfig,
    max_windows: int = 16,
    views: Callable[[str], list[str]] | None = None,
) -> tuple[list[Doc], WindowMatrix]:
    """Featurise every row's windows (exactly as at run time) into one CSR matrix.

    ``views(text)`` gives the canonical texts scored for a row (the service scores the
    raw text, its normalised form and decoded payloads, and keeps the best window);
    by default only ``canonical(text)``.  Each view's windows become windows of the
    row.  Very long views keep at most ``max_windows`` windows, evenly spaced, so a
    140,000-character prompt does not outweigh a hundred short ones.
    """
    from scipy import sparse

    docs: list[Doc] = []
    rr: list[np.ndarray] = []
    cc: list[np.ndarray] = []
    vv: list[np.ndarray] = []
    base = 0
    offsets = [0]
    for row in rows:
        n_row = 0
        for ctext in views(row.text) if views is not None else [canonical(row.text)]:
            f = featurize_windows(ctext, cfg)
            win, idx, val = f.window, f.indices, f.values
            n = f.n_windows
            if n > max_windows:
                pick = np.unique(np.linspace(0, n - 1, max_windows).round().astype(np.int64))
                remap = np.full(n, -1, dtype=np.int64)
                remap[pick] = np.arange(len(pick))
                keep = remap[win] >= 0
                win, idx, val = remap[win[keep]], idx[keep], val[keep]
                n = len(pick)
            rr.append(win + base + n_row)
            cc.append(idx)
            vv.append(val)
            n_row += n
        base += n_row
        offsets.append(base)
        docs.append(Doc(row, n_row))
    X = sparse.csr_matrix(
        (np.concatenate(vv), (np.concatenate(rr), np.concatenate(cc))),
        shape=(base, 1 << cfg.n_bits),
        dtype=np.float32,
    )
    return docs, WindowMatrix(X, np.asarray(offsets, dtype=np.int64))


def source_weights(rows: Sequence[Row], cap: int = 1500) -> np.ndarray:
    """Per-row weights: a (source, label) group larger than ``cap`` counts as ``cap``.

    Keeps 6,000 short CLINC queries or 950 near-identical spikee documents
    from drowning the smaller, more varied sources.
    """
    sizes = Counter((r.source, r.label) for r in rows)
    return np.array([min(1.0, cap / sizes[(r.source, r.label)]) for r in rows], dtype=np.float64)
