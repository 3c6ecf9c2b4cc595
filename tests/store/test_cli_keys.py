"""`promptsentinel keys ...` in process (the Redis path runs as a real process in tests/e2e)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from prompt_sentinel.cli import app
from prompt_sentinel.store.api_keys import KeyHasher, is_well_formed
from prompt_sentinel.store.keys_file import load_keys_file

runner = CliRunner()


def keys(*args: str) -> tuple[int, str, str]:
    res = runner.invoke(app, ["keys", *args])
    return res.exit_code, res.stdout, res.stderr


def test_file_lifecycle(tmp_path: Path) -> None:
    path = tmp_path / "api_keys.yaml"
    code, out, err = keys("create", "--name", "ci", "-p", "detect", "-p", "admin", "--file", str(path))
    assert code == 0 and is_well_formed(out.strip()) and "shown only this once" in err
    key = out.strip()
    code, out, _ = keys("list", "--file", str(path), "--json")
    (row,) = json.loads(out)["keys"]
    assert code == 0 and key not in out and row["permissions"] == ["admin", "detect"]
    code, out, _ = keys("rotate", row["key_id"], "--file", str(path), "--json")
    assert code == 0 and json.loads(out)["key_id"] == row["key_id"] and json.loads(out)["api_key"] != key
    assert keys("revoke", row["key_id"], "--file", str(path))[0] == 0
    code, _, err = keys("rotate", row["key_id"], "--file", str(path))
    assert code == 2 and "revoked" in err
    (entry,) = load_keys_file(path, KeyHasher(b"x" * 32))
    assert entry.record.status() == "revoked"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("create", "--name", "x"), "REDIS_URL"),  # embedded keys live in the server: say so
        (
            ("create", "--name", "x", "-p", "root", "--file", "unused"),
            "--permission",
        ),  # bad permission
        (("revoke", "key_nope", "--file", "{tmp}/k.yaml"), "no key with id"),  # unknown id
    ],
)
def test_errors_exit_2(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    code, _, err = keys(*(a.replace("{tmp}", str(tmp_path)) for a in args))
    assert code == 2 and message in err


def test_generate_prints_a_fresh_key() -> None:
    a, b = keys("generate")[1].strip(), keys("generate")[1].strip()
    assert is_well_formed(a) and is_well_formed(b) and a != b
