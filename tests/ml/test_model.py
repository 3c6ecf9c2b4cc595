"""The shipped artefact: loads, hash matches meta and model card, refuses tampering."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from prompt_sentinel.ml.model import (
    DEFAULT_MODEL,
    MODELS_DIR,
    ClassifierModel,
    ModelError,
    sha256_file,
)

NPZ = MODELS_DIR / f"{DEFAULT_MODEL}.npz"
META = MODELS_DIR / f"{DEFAULT_MODEL}.json"
CARD = MODELS_DIR / "MODEL_CARD.md"


def test_artefact_loads() -> None:
    model = ClassifierModel.load()
    assert model.name == DEFAULT_MODEL
    assert 0.0 < model.report_threshold < 1.0


def test_sha256_matches_meta_and_model_card() -> None:
    digest = sha256_file(NPZ)
    assert json.loads(META.read_text())["sha256"] == digest
    card_hashes = re.findall(r"\b[0-9a-f]{64}\b", CARD.read_text())
    assert digest in card_hashes


def test_word_list_is_the_one_the_model_was_trained_with() -> None:
    """The normalised view (a view the model is trained on) splits spaced letters with it."""
    digest = sha256_file(MODELS_DIR / "words.txt")
    assert json.loads(META.read_text())["words_sha256"] == digest
    assert digest in re.findall(r"\b[0-9a-f]{64}\b", CARD.read_text())


def test_size_within_budget() -> None:
    total = sum(p.stat().st_size for p in MODELS_DIR.iterdir() if p.is_file())
    assert total <= 40 * 1024 * 1024


def test_thresholds_are_ordered_per_mode() -> None:
    t = ClassifierModel.load().thresholds
    assert set(t) == {"strict", "moderate", "permissive"}
    for mode in t.values():
        assert 0.0 < mode["flag"] <= mode["block"] < 1.0
    # stricter modes block earlier
    assert t["strict"]["block"] <= t["moderate"]["block"] <= t["permissive"]["block"]


def _copy(tmp_path: Path) -> Path:
    for suffix in (".npz", ".json"):
        shutil.copy(MODELS_DIR / f"{DEFAULT_MODEL}{suffix}", tmp_path / f"{DEFAULT_MODEL}{suffix}")
    return tmp_path


def test_tampered_weights_are_refused(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    npz = d / f"{DEFAULT_MODEL}.npz"
    data = bytearray(npz.read_bytes())
    data[len(data) // 2] ^= 0xFF
    npz.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="sha256"):
        ClassifierModel.load(directory=d)


def test_feature_drift_is_refused(tmp_path: Path) -> None:
    d = _copy(tmp_path)
    meta_path = d / f"{DEFAULT_MODEL}.json"
    meta = json.loads(meta_path.read_text())
    meta["feature_fingerprint"] = "00000000"
    meta_path.write_text(json.dumps(meta))
    with pytest.raises(ModelError, match="retrain"):
        ClassifierModel.load(directory=d)


def test_missing_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="not found"):
        ClassifierModel.load(directory=tmp_path)
