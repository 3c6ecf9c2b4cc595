"""Bulk screening of files: JSONL, CSV or plain text in, JSONL out, order kept.

Streams (constant memory): rows are read lazily and handed to a process pool in
bounded chunks; ``imap`` keeps input order.  Each worker builds its own engine once.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterator
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from prompt_sentinel.engine.engine import Engine, PromptTooLong
from prompt_sentinel.engine.models import Mode

_engine: Engine | None = None
_mode: Mode | None = None


def detect_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    if suffix in (".csv", ".tsv"):
        return "csv"
    return "text"


def read_rows(path: Path, fmt: str | None = None) -> Iterator[dict[str, Any]]:
    """Yield one dict per input line, with the prompt under 'text' or 'prompt'."""
    fmt = fmt or detect_format(path)
    with path.open("r", encoding="utf-8", errors="surrogateescape", newline="") as fh:
        if fmt == "jsonl":
            for lineno, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError:
                    yield {"_error": f"line {lineno}: not valid JSON"}
                    continue
                yield row if isinstance(row, dict) else {"_error": f"line {lineno}: not a JSON object"}
        elif fmt == "csv":
            dialect = "excel-tab" if path.suffix.lower() == ".tsv" else "excel"
            yield from csv.DictReader(fh, dialect=dialect)
        else:
            for line in fh:
                line = line.rstrip("\n").rstrip("\r")
                if line.strip():
                    yield {"text": line}


def _text_of(row: dict[str, Any]) -> str | None:
    for key in ("text", "prompt"):
        value = row.get(key)
        if isinstance(value, str):
            return value
    return None


_init_error: str | None = None


class ScanError(RuntimeError):
    """A worker could not build its engine; the scan stops instead of respawning forever."""


def _init_worker(mode: str | None) -> None:
    global _engine, _mode, _init_error
    from prompt_sentinel.engine.factory import build_engine
    from prompt_sentinel.settings import get_settings

    _mode = Mode(mode) if mode else None
    try:
        _engine = build_engine(get_settings())
    except Exception as exc:  # reported by the first row this worker gets
        _init_error = f"{type(exc).__name__}: {exc}"


def screen_row(row: dict[str, Any]) -> dict[str, Any]:
    if _engine is None:
        raise ScanError(f"worker could not start: {_init_error}")
    out = dict(row)
    if "_error" in row:
        return out
    text = _text_of(row)
    if text is None or not text.strip():
        out["_error"] = "no 'text' or 'prompt' field"
        return out
    try:
        res = _engine.detect(text, mode=_mode)
    except PromptTooLong as exc:
        out["_error"] = str(exc)
        return out
    out["verdict"] = res.verdict.value
    out["confidence"] = res.confidence
    out["categories"] = [c.value for c in res.categories]
    out["pii"] = [{"type": p.pii_type, "start": p.start, "end": p.end} for p in res.pii_detected]
    return out


def scan_file(
    src: Path,
    dst: Path,
    mode: str | None = None,
    workers: int | None = None,
    fmt: str | None = None,
    progress: Any = None,
) -> int:
    """Screen ``src`` into ``dst``; returns the number of rows written."""
    workers = workers or os.cpu_count() or 1
    rows = read_rows(src, fmt)
    n = 0
    with dst.open("w", encoding="utf-8", errors="surrogateescape") as out:
        if workers == 1:
            _init_worker(mode)
            results: Iterator[dict[str, Any]] = map(screen_row, rows)
            for res in results:
                out.write(json.dumps(res, ensure_ascii=False) + "\n")
                n += 1
                if progress:
                    progress(1)
            return n
        ctx = get_context("spawn")
        with ctx.Pool(workers, initializer=_init_worker, initargs=(mode,)) as pool:
            for res in pool.imap(screen_row, rows, chunksize=64):
                out.write(json.dumps(res, ensure_ascii=False) + "\n")
                n += 1
                if progress:
                    progress(1)
    return n
