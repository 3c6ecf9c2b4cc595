"""The hand-written seed files behind the free-written training rows (training/seeds/).

Checks what a broken or forgotten seed edit would silently do to the model: a file that
is never read, a row with a wrong label or kind, a duplicate that counts twice, or
training/data/ left stale after a seed changed.
"""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "training" / "seeds"


def _generate():
    spec = importlib.util.spec_from_file_location("training_generate", ROOT / "training" / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


gen = _generate()


def test_every_free_written_seed_file_is_read() -> None:
    named = {name for name, _ in gen.FREEFORM}
    on_disk = {p.name for p in SEEDS.glob("*freeform*.yaml")}
    assert on_disk == named, f"seed files not in FREEFORM: {on_disk - named}; missing: {named - on_disk}"


@pytest.mark.parametrize(("name", "source"), gen.FREEFORM)
def test_seed_rows_are_well_formed(name: str, source: str) -> None:
    data = yaml.safe_load((SEEDS / name).read_text(encoding="utf-8"))
    assert set(data) == {"attacks", "benign"}
    assert data["attacks"] and data["benign"]
    multilingual = name.startswith("lang_")
    mixed = name.startswith("obf_")  # English rows without `lang`, the others with it
    for row in data["attacks"] + data["benign"]:
        assert isinstance(row["text"], str) and row["text"].strip(), row
        assert isinstance(row.get("family"), str), row
        if multilingual or (mixed and "lang" in row):
            assert re.fullmatch(r"[a-z]{2}", row["lang"]) and row["lang"] != "en", row
        else:
            assert "lang" not in row, row
    assert all(row["kind"] in ("injection", "jailbreak") for row in data["attacks"])
    assert all("kind" not in row for row in data["benign"])


def test_no_text_repeats_in_a_file_or_under_both_labels() -> None:
    """Repeats across files with the same label are harmless (the generator keeps the first);
    a repeat inside one file is a slip, and one text under both labels poisons training."""
    label_of: dict[str, tuple[int, str]] = {}
    for name, _ in gen.FREEFORM:
        data = yaml.safe_load((SEEDS / name).read_text(encoding="utf-8"))
        in_file: set[str] = set()
        for label, rows in ((1, data["attacks"]), (0, data["benign"])):
            for row in rows:
                key = " ".join(row["text"].casefold().split())
                assert key not in in_file, f"{name}: repeated text {row['text'][:60]!r}"
                in_file.add(key)
                other = label_of.setdefault(key, (label, name))
                assert other[0] == label, f"{name} and {other[1]} label {row['text'][:60]!r} differently"


def test_committed_training_rows_match_the_seeds() -> None:
    """training/data/synth_freeform.jsonl is what generate.py writes from the seeds now."""
    expected = gen.unique_rows(gen.assistant_and_freeform())
    path = ROOT / "training" / "data" / "synth_freeform.jsonl"
    committed = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    assert committed == expected, "training/data is stale: run python training/generate.py (make train does)"
    sources = {r["source"] for r in committed}
    assert sources == {"synth-assistant"} | {s for _, s in gen.FREEFORM}
    assert {r["label"] for r in committed if r["source"] == "synth-assistant"} == {0}
