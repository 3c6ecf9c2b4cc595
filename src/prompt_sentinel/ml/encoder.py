"""The shipped transformer second opinion at run time: fine-tuned MiniLM-L6, ONNX int8.

Artefact (``src/prompt_sentinel/models/``):

- ``encoder.onnx``: all-MiniLM-L6-v2 fine-tuned as a two-way classifier, dynamic int8;
- ``encoder_tokenizer.json``: its BERT (uncased WordPiece) tokenizer;
- ``encoder.json``: meta: sha256 of both files, ``max_tokens``, special token ids, and the
  per-mode thresholds of the *combined* score the classifier detector reports.

Runs on onnxruntime and tokenizers (no torch); one intra-op thread per call, so a request
costs one core.  A text longer than ``max_tokens`` is read as its first and last halves.
:meth:`EncoderModel.score` says whether the encoder read the text whole (short enough, and
in its English vocabulary); where it did not, :func:`combine` lets it raise the n-gram
model's probability but not lower it (the n-gram model reads every window, any script).

Errors: :class:`EncoderError` (missing file, hash mismatch, onnxruntime or tokenizers
missing).  Training and export: ``training/encoder/``.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from prompt_sentinel.ml.model import MODELS_DIR, sha256_file

__all__ = ["EncoderError", "EncoderModel", "combine", "load_default_encoder", "reads_whole"]

ENCODER_META = "encoder.json"
# A text over 2 x 8 x max_tokens characters is tokenised as its first and last 8 x max_tokens
# characters only: far more than the max_tokens / 2 word pieces kept from each end.
_SLICE_CHARS_PER_TOKEN = 8


class EncoderError(RuntimeError):
    """The encoder artefact is missing or corrupt, or its runtime is not installed."""


class EncoderModel:
    """A loaded ONNX encoder.  Immutable after load: ``score`` is thread-safe."""

    def __init__(self, meta: dict[str, Any], session: Any, tokenizer: Any) -> None:
        self.meta = meta
        self.name: str = meta["name"]
        self.max_tokens = int(meta["max_tokens"])
        self.max_foreign = float(meta["max_foreign"])
        self.thresholds: dict[str, dict[str, float]] = meta["thresholds"]
        self.report_threshold = float(meta["report_threshold"])
        self._cls = int(meta["cls_id"])
        self._sep = int(meta["sep_id"])
        self._session = session
        self._tokenizer = tokenizer

    @classmethod
    def load(cls, directory: Path | None = None) -> EncoderModel:
        """Load and verify the artefact in ``directory`` (default: the package's models)."""
        directory = directory or MODELS_DIR
        meta_path = directory / ENCODER_META
        if not meta_path.is_file():
            raise EncoderError(f"encoder meta {ENCODER_META} not found in {directory}")
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        paths = {key: directory / meta["files"][key]["name"] for key in ("model", "tokenizer")}
        for key, path in paths.items():
            if not path.is_file():
                raise EncoderError(f"encoder {key} file {path.name} not found in {directory}")
            if sha256_file(path) != meta["files"][key]["sha256"]:
                raise EncoderError(f"encoder {key} file {path.name}: sha256 does not match {ENCODER_META}")
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer
        except ImportError as exc:  # a broken install; the detector falls back to the n-gram model
            raise EncoderError(f"encoder runtime not installed: {exc.name}") from exc
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        session = ort.InferenceSession(str(paths["model"]), options, providers=["CPUExecutionProvider"])
        tokenizer = Tokenizer.from_file(str(paths["tokenizer"]))
        tokenizer.no_truncation()
        tokenizer.no_padding()
        return cls(meta, session, tokenizer)

    def encode(self, text: str) -> tuple[np.ndarray, bool]:
        """``[CLS] ids [SEP]`` of shape (1, n), and whether the encoder reads the text whole
        (:func:`reads_whole`); a long text keeps its first and last halves."""
        span = _SLICE_CHARS_PER_TOKEN * self.max_tokens
        sliced = len(text) > 2 * span
        if sliced:  # only its head and tail are read: tokenise just those
            text = f"{text[:span]} {text[-span:]}"
        try:
            enc = self._tokenizer.encode(text, add_special_tokens=False)
        except TypeError:  # lone surrogates: tokenizers takes valid Unicode only
            enc = self._tokenizer.encode(text.encode("utf-8", "replace").decode("utf-8"), add_special_tokens=False)
        ids = enc.ids
        whole = not sliced and reads_whole(enc.tokens, self.max_tokens, self.max_foreign)
        body = self.max_tokens - 2
        if len(ids) > body:
            head = body // 2
            ids = ids[:head] + ids[len(ids) - (body - head) :]
        return np.array([[self._cls, *ids, self._sep]], dtype=np.int64), whole

    def surely_partial(self, text: str) -> bool:
        """True when ``text`` is too long to read whole, decided without tokenising it: over
        the characters :meth:`encode` slices at, or more words than tokens fit (a word is at
        least one token unless it is made only of characters the tokenizer drops)."""
        return len(text) > 2 * _SLICE_CHARS_PER_TOKEN * self.max_tokens or (
            len(text) > self.max_tokens and len(text.split()) > self.max_tokens - 2
        )

    def score(self, text: str) -> tuple[float, bool]:
        """(probability that ``text`` is an attack, whether the encoder read it whole)."""
        ids, whole = self.encode(text)
        logits = self._session.run(None, {"input_ids": ids, "attention_mask": np.ones_like(ids)})[0][0]
        d = float(logits[1] - logits[0])
        return (1.0 / (1.0 + math.exp(-d)) if d >= 0 else math.exp(d) / (1.0 + math.exp(d))), whole


def reads_whole(tokens: list[str], max_tokens: int, max_foreign: float) -> bool:
    """Whether the encoder sees all of a text in its own vocabulary: it fits in
    ``max_tokens`` and at most ``max_foreign`` of its word pieces are ``[UNK]`` or
    continuations (``##``).  English stays under 0.08 (90th percentile 0.06-0.12 by
    source); other languages, split into word fragments, mostly do not."""
    if len(tokens) > max_tokens - 2:
        return False
    odd = sum(1 for t in tokens if t.startswith("##") or t == "[UNK]")
    return odd <= max_foreign * max(len(tokens), 1)


def combine(p_ngram: float, p_encoder: float, whole: bool) -> float:
    """The classifier's reported probability: the mean of both models where the encoder
    read the text whole, else the larger of the mean and the n-gram probability (the
    encoder may raise the score of a long or non-English text but not lower it)."""
    mean = (p_ngram + p_encoder) / 2.0
    return mean if whole else max(p_ngram, mean)


@lru_cache(maxsize=1)
def load_default_encoder() -> EncoderModel:
    """The package's encoder, loaded once per process (engines share the read-only session)."""
    return EncoderModel.load()
