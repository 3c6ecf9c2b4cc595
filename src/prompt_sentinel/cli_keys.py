"""``promptsentinel keys``: manage API keys from the command line.

The keys live in the shared store (REDIS_URL / REDIS_CLUSTER, the same one the
servers use), or with ``--file PATH`` in a keys file (the ``api_keys`` secret for
stateless deployments).  Embedded mode keeps keys inside each server process, where
the CLI cannot reach them: use the admin API there.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Create, list, revoke and rotate API keys (shared Redis store or --file).",
)

T = TypeVar("T")
FileOpt = Annotated[Path | None, typer.Option("--file", help="Work on this keys file instead of Redis.")]


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(2)


def _run(file: Path | None, op: Callable[[Any], Awaitable[T]]) -> T:
    """Run ``op(store)`` against the keys file or the configured Redis store."""
    from prompt_sentinel.settings import ConfigError, load_settings
    from prompt_sentinel.store import StoreUnavailable, connect, key_store
    from prompt_sentinel.store.keys_file import FileKeyStore

    async def go() -> T:
        if file is not None:
            return await op(FileKeyStore(file))
        settings = load_settings()
        link = connect(settings)
        if link is None:
            raise _fail(
                "no shared key store: set REDIS_URL or REDIS_CLUSTER (or use --file PATH); "
                "embedded keys live inside each server, manage them with the admin API"
            )
        try:
            return await op(key_store(settings, link))
        finally:
            await link.close()

    try:
        return asyncio.run(go())
    except ConfigError as exc:
        raise _fail(str(exc)) from None
    except StoreUnavailable as exc:
        raise _fail(f"the key store is unavailable ({exc})") from None


def _show_new(new: Any, as_json: bool) -> None:
    r = new.record
    if as_json:
        from prompt_sentinel.store.api_keys import iso

        typer.echo(
            json.dumps(
                {
                    "api_key": new.api_key,
                    "key_id": r.key_id,
                    "name": r.name,
                    "permissions": sorted(r.permissions),
                    "rate_limit": r.rate_limit,
                    "created_at": iso(r.created_at),
                    "expires_at": iso(r.expires_at),
                }
            )
        )
        return
    typer.echo(new.api_key)
    typer.echo(
        f"key_id {r.key_id}  permissions {','.join(sorted(r.permissions))}  (the key is shown only this once)",
        err=True,
    )


@app.command()
def create(
    name: Annotated[str, typer.Option(help="A label for the key's owner.")],
    permission: Annotated[list[str], typer.Option("--permission", "-p", help="detect and/or admin.")] = ["detect"],  # noqa: B006
    rate_limit: Annotated[int | None, typer.Option(min=1, help="Requests per RATE_LIMIT_WINDOW.")] = None,
    expires_in_days: Annotated[int | None, typer.Option(min=1, max=3650)] = None,
    file: FileOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Create a key and print it (once: only its keyed hash is stored)."""
    bad = [p for p in permission if p not in ("detect", "admin")]
    if bad or not name.strip():
        raise _fail("--permission must be detect or admin" if bad else "--name must not be empty")
    expires = time.time() + expires_in_days * 86400 if expires_in_days else None
    new = _run(file, lambda s: s.create(name.strip(), frozenset(permission), rate_limit, expires))
    _show_new(new, as_json)


@app.command("list")
def list_(
    file: FileOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List keys (never the secrets)."""
    records = _run(file, lambda s: s.list())
    rows = [r.public() for r in records]
    if as_json:
        typer.echo(json.dumps({"keys": rows}, indent=2))
        return
    for r in rows:
        typer.echo(
            f"{r['key_id']}\t{r['status']}\t{','.join(r['permissions'])}\t"  # type: ignore[arg-type]
            f"rate_limit={r['rate_limit']}\texpires={r['expires_at']}\t{r['name']}"
        )


@app.command()
def revoke(key_id: Annotated[str, typer.Argument()], file: FileOpt = None) -> None:
    """Revoke a key: every replica rejects it from the next request on."""
    if _run(file, lambda s: s.revoke(key_id)) is None:
        raise _fail(f"no key with id {key_id}")
    typer.echo(f"revoked {key_id}", err=True)


@app.command()
def rotate(
    key_id: Annotated[str, typer.Argument()],
    file: FileOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Replace a key's secret (same id, name and permissions); the old secret stops working."""

    async def op(store: Any) -> Any:
        rec = await store.get(key_id)
        if rec is None or rec.status() == "revoked":
            return rec
        return await store.rotate(key_id)

    new = _run(file, op)
    if new is None:
        raise _fail(f"no key with id {key_id}")
    if not hasattr(new, "api_key"):
        raise _fail("a revoked key cannot be rotated; create a new one")
    _show_new(new, as_json)


@app.command()
def generate() -> None:
    """Print a new random key without storing it (for ADMIN_API_KEY or a keys file)."""
    from prompt_sentinel.store.api_keys import generate_key

    typer.echo(generate_key())
