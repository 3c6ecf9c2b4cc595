"""The ``promptsentinel`` command: serve | detect | scan | eval | train."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from prompt_sentinel.cli_keys import app as keys_app
from prompt_sentinel.settings import ConfigError, Settings, load_settings

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="PromptSentinel: screen LLM prompts for injection, jailbreaks and PII.",
)
app.add_typer(keys_app, name="keys")


def _settings(**overrides: object) -> Settings:
    try:
        return load_settings(**overrides)
    except ConfigError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None


def _mode(value: str | None) -> str | None:
    if value is None:
        return None
    if value.lower() not in ("strict", "moderate", "permissive"):
        typer.echo("error: --mode must be strict, moderate or permissive", err=True)
        raise typer.Exit(2)
    return value.lower()


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (PORT, default 8080).")] = None,
    workers: Annotated[int | None, typer.Option(help="Worker processes (WORKERS).")] = None,
) -> None:
    """Run the HTTP service."""
    import os

    from prompt_sentinel.server import run

    # Workers re-read settings from the environment: pass CLI overrides through it.
    for name, value in (("HOST", host), ("PORT", port), ("WORKERS", workers)):
        if value is not None:
            os.environ[name] = str(value)
    settings = _settings()
    try:
        run(settings)
    except ConfigError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None


@app.command()
def detect(
    text: Annotated[str, typer.Argument(help="The prompt, or - to read it from stdin.")],
    mode: Annotated[str | None, typer.Option(help="strict | moderate | permissive")] = None,
) -> None:
    """Screen one prompt and print the same JSON as the API."""
    from prompt_sentinel.engine.engine import PromptTooLong
    from prompt_sentinel.engine.factory import build_engine
    from prompt_sentinel.engine.models import Mode

    if text == "-":
        text = sys.stdin.read()
    if not text.strip():
        typer.echo("error: the prompt is empty", err=True)
        raise typer.Exit(2)
    engine = build_engine(_settings())
    m = _mode(mode)
    try:
        res = engine.detect(text, mode=Mode(m) if m else None)
    except PromptTooLong as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(json.dumps(res.model_dump(mode="json"), ensure_ascii=False, indent=2))


@app.command()
def scan(
    input: Annotated[Path, typer.Option("--input", "-i", exists=True, dir_okay=False, help="JSONL, CSV or text.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write JSONL results.")],
    mode: Annotated[str | None, typer.Option(help="strict | moderate | permissive")] = None,
    workers: Annotated[int | None, typer.Option(help="Processes (default: all cores).")] = None,
    format: Annotated[str | None, typer.Option(help="jsonl | csv | text (default: by suffix).")] = None,
) -> None:
    """Screen every line of a file; one JSON line out per line in, in order."""
    from prompt_sentinel.scan import ScanError, scan_file

    _settings()  # fail fast on bad config before starting workers
    m = _mode(mode)
    if format is not None and format not in ("jsonl", "csv", "text"):
        typer.echo("error: --format must be jsonl, csv or text", err=True)
        raise typer.Exit(2)
    try:
        if sys.stderr.isatty():
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            with Progress(
                SpinnerColumn(), TextColumn("{task.completed} rows"), TimeElapsedColumn(), transient=True
            ) as progress:
                task = progress.add_task("scan")
                n = scan_file(input, output, m, workers, format, lambda k: progress.advance(task, k))
        else:
            n = scan_file(input, output, m, workers, format)
    except ScanError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"{n} rows written to {output}", err=True)


@app.command("eval")
def eval_(
    files: Annotated[list[Path], typer.Argument(exists=True, dir_okay=False, help="Labelled JSONL files.")],
    mode: Annotated[str | None, typer.Option(help="strict | moderate | permissive")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Precision, recall, F1, FPR and balanced accuracy on labelled JSONL (label 1 = attack)."""
    from prompt_sentinel.engine.factory import build_engine
    from prompt_sentinel.engine.models import Mode
    from prompt_sentinel.evaluation import evaluate

    engine = build_engine(_settings())
    m = _mode(mode)
    report = evaluate(engine, files, Mode(m) if m else None)
    if as_json:
        typer.echo(json.dumps(report, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"PromptSentinel evaluation (mode={report['mode']})")
    for col in ("source", "n", "attacks", "benign", "precision", "recall", "F1", "FPR", "bal. acc."):
        table.add_column(col, justify="right" if col != "source" else "left")

    def row(name: str, r: dict[str, object]) -> None:
        def f(v: object) -> str:
            return "-" if v is None else (f"{v:.3f}" if isinstance(v, float) else str(v))

        tp, fn, fp, tn = (int(r[k]) for k in ("tp", "fn", "fp", "tn"))  # type: ignore[call-overload]
        table.add_row(
            name,
            str(r["n"]),
            str(tp + fn),
            str(fp + tn),
            f(r["precision"]),
            f(r["recall"]),
            f(r["f1"]),
            f(r["fpr"]),
            f(r["balanced_accuracy"]),
        )

    for name, r in report["by_source"].items():  # type: ignore[union-attr]
        row(name, r)
    row("ALL", report["overall"])  # type: ignore[arg-type]
    Console(width=None if sys.stdout.isatty() else 140).print(table)
    lat = report["latency_ms"]
    typer.echo(f"latency per prompt: p50 {lat['p50']} ms, p99 {lat['p99']} ms; skipped {report['skipped']}")  # type: ignore[index]


@app.command()
def train(
    data_dir: Annotated[Path, typer.Option(help="Labelled JSONL directory.")] = Path("../shared/datasets"),
    out_dir: Annotated[Path | None, typer.Option(help="Where to write the model (default: the package).")] = None,
) -> None:
    """Retrain the shipped classifier (needs the 'train' extra: scikit-learn)."""
    try:
        from prompt_sentinel.ml import train as training
    except ImportError as exc:
        typer.echo(f"error: training needs the 'train' extra ({exc.name} missing)", err=True)
        raise typer.Exit(2) from None
    training.main(str(data_dir), str(out_dir) if out_dir else None)


if __name__ == "__main__":
    app()
