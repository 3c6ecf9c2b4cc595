"""Cross-lingual concept features: a hand-written lexicon shared by every language.

Most labelled data is English, and character n-grams learned on English say
nothing about "игнорируй предыдущие указания" or "前の指示を無視して". The
lexicon (``ml/lexicon/<lang>.yaml``, written by hand) maps the words and
phrases of each language to a fixed set of concept ids (``concepts.yaml``:
IGNORE, PREVIOUS, INSTRUCTIONS, SYSTEM_PROMPT, REVEAL ...). Each window of a
text gets one feature per concept present and one per unordered pair of
concepts present, so the weight learned for IGNORE+INSTRUCTIONS from English
data also fires on Polish or Hindi text, in any word order.

Matching (one hyperscan literal pass over the canonical text, linear time):

- an entry matches at the start of a word and may continue with any letters
  ("ignor" matches "ignoriere"); ``=entry`` must be a whole word ("=ai" is not
  in "aim"), and so must Latin, Greek or Cyrillic entries of three letters or
  fewer; ``~entry`` matches anywhere inside a word (German compounds,
  Arabic prefixes);
- entries of languages written without spaces (zh, ja, th) match anywhere, but for
  the Latin words in their files ("llm", "api key"), which follow the rules above;
- a Latin, Greek or Cyrillic entry ends its word where a letter of another script
  starts ("LLM" in "用LLM写" or "LLM을" is a whole word).

The lexicon is part of the model: :func:`lexicon_digest` goes into the model
meta and the feature fingerprint, so editing it needs a retrain.
"""

from __future__ import annotations

import hashlib
import threading
import unicodedata
from pathlib import Path

import numpy as np
import yaml

from prompt_sentinel.ml.hashing import bucket, salt

__all__ = ["ConceptMatcher", "concept_keys", "lexicon_digest", "matcher"]

LEXICON_DIR = Path(__file__).parent / "lexicon"
_NO_SPACES = frozenset({"zh", "ja", "th"})
_CONCEPT_SALT = salt(101)
_START, _WORD, _ANY = 0, 1, 2
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: ~10x faster on ~30 files


def _parse(raw: str, lang: str) -> tuple[str, int]:
    if raw.startswith("~"):
        return raw[1:], _ANY
    if raw.startswith("="):
        return raw[1:], _WORD
    if lang in _NO_SPACES and not raw.isascii():
        return raw, _ANY  # Latin words in these files ("llm", "api key") follow the rules below
    if len(raw) <= 3 and all(ord(c) < 0x0530 for c in raw):
        return raw, _WORD  # a Latin, Greek or Cyrillic stem this short starts too many words
    return raw, _START


def _load(directory: Path) -> tuple[list[str], dict[str, list[tuple[int, int]]], str]:
    """Concept ids, literal -> [(concept, mode)], and a digest of the files."""
    digest = hashlib.sha256()
    concepts_path = directory / "concepts.yaml"
    digest.update(concepts_path.read_bytes())
    ids = list(yaml.load(concepts_path.read_text(encoding="utf-8"), Loader=_Loader))  # noqa: S506 (safe loader)
    index = {c: i for i, c in enumerate(ids)}
    literals: dict[str, list[tuple[int, int]]] = {}
    for path in sorted(directory.glob("*.yaml")):
        if path.name == "concepts.yaml":
            continue
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader) or {}  # noqa: S506 (safe loader)
        for concept, entries in data.items():
            if concept not in index:
                raise ValueError(f"{path.name}: unknown concept {concept!r}")
            for raw in entries or ():
                text, mode = _parse(str(raw), path.stem)
                text = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
                if not text:
                    continue
                pair = (index[concept], mode)
                slot = literals.setdefault(text, [])
                if pair not in slot:
                    slot.append(pair)
    return ids, literals, digest.hexdigest()


class ConceptMatcher:
    """Finds lexicon entries in a canonical (casefolded) text."""

    def __init__(self, directory: Path = LEXICON_DIR) -> None:
        import hyperscan

        self.concepts, literals, self.digest = _load(directory)
        self._texts = sorted(literals)
        self._entries = [literals[t] for t in self._texts]
        self._lengths = [len(t) for t in self._texts]
        self._hs = hyperscan
        self._db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        self._db.compile(
            expressions=[t.encode("utf-8") for t in self._texts],
            ids=list(range(len(self._texts))),
            elements=len(self._texts),
            flags=hyperscan.HS_FLAG_SOM_LEFTMOST,
            literal=True,
        )
        self._local = threading.local()  # a Scratch must not be shared between threads
        n = len(self.concepts)
        a, b = np.meshgrid(np.arange(n, dtype=np.uint64), np.arange(n, dtype=np.uint64), indexing="ij")
        self._pair_hash = (a * np.uint64(1_000_003) + b + np.uint64(1)) * _CONCEPT_SALT
        self._upper = np.triu(np.ones((n, n), dtype=bool))
        self._bucket_tables: dict[int, np.ndarray] = {}

    def matches(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(concept ids, character start offsets) of every entry found in ``text``."""
        text = text.replace("\u2019", "'")  # typographic apostrophe, same length
        # Turkish capital İ casefolds to i + combining dot; the entries spell a plain i
        # (offsets move by a character per removal: only window membership uses them).
        text = text.replace("i\u0307", "i")
        data = text.encode("utf-8", errors="surrogatepass")
        hits: list[tuple[int, int, int]] = []
        scratch = getattr(self._local, "scratch", None)
        if scratch is None:
            scratch = self._local.scratch = self._hs.Scratch(self._db)
        self._db.scan(data, match_event_handler=_on_match, context=hits, scratch=scratch)
        if not hits:
            return np.empty(0, np.int64), np.empty(0, np.int64)
        if len(data) == len(text):
            to_char = None
        else:
            arr = np.frombuffer(data, dtype=np.uint8)
            to_char = np.cumsum((arr & 0xC0) != 0x80) - 1
        concepts: list[int] = []
        starts: list[int] = []
        for lit, b_start, _b_end in hits:
            start = b_start if to_char is None else int(to_char[b_start])
            end = start + self._lengths[lit]
            before = start > 0 and _joins(text[start], text[start - 1])
            after = _letter_follows(text, end)
            for concept, mode in self._entries[lit]:
                if mode == _ANY or (not before and (mode == _START or not after)):
                    concepts.append(concept)
                    starts.append(start)
        return np.asarray(concepts, np.int64), np.asarray(starts, np.int64)

    def keys(self, text: str, starts: np.ndarray, span: int, n_bits: int) -> np.ndarray:
        """``window << n_bits | bucket`` keys: each concept and each concept pair per window.

        A match belongs to window ``k`` when it starts inside
        ``[starts[k], starts[k] + span)``.
        """
        concepts, offsets = self.matches(text)
        if concepts.size == 0:
            return np.empty(0, np.int64)
        # Which concepts each window holds.  Windows are sorted, so the ones holding a match
        # form a run [first, stop): a few overlapping windows per match, linear in length.
        stop = np.searchsorted(starts, offsets, side="right")
        first = np.searchsorted(starts + span, offsets, side="right")
        runs = np.maximum(stop - first, 0)
        m_idx = np.repeat(np.arange(offsets.size), runs)
        w_idx = np.repeat(first, runs) + (np.arange(m_idx.size) - np.repeat(np.cumsum(runs) - runs, runs))
        present = np.zeros((len(starts), len(self.concepts)), dtype=bool)
        present[w_idx, concepts[m_idx]] = True
        # Every pair a <= b of concepts present in one window, the diagonal being the concept itself.
        flat = np.flatnonzero(present[:, :, None] & present[:, None, :] & self._upper)
        w, pair = np.divmod(flat, self._upper.size)
        return (w << np.int64(n_bits)) | self._buckets(n_bits)[pair]

    def _buckets(self, n_bits: int) -> np.ndarray:
        table = self._bucket_tables.get(n_bits)
        if table is None:
            table = bucket(self._pair_hash.ravel(), n_bits)  # indexed by a * n + b
            self._bucket_tables[n_bits] = table
        return table


def _in_word(ch: str) -> bool:
    """Letters, digits and combining marks (Indic vowel signs, virama, Arabic harakat)."""
    return ch.isalnum() or unicodedata.category(ch).startswith("M")


def _script(ch: str) -> int:
    """Coarse script class: 1 Latin, 2 Greek, 3 Cyrillic, 0 anything else."""
    cp = ord(ch)
    if cp < 0x0250 or 0x1E00 <= cp <= 0x1EFF:
        return 1
    if 0x0370 <= cp <= 0x03FF:
        return 2
    if 0x0400 <= cp <= 0x052F:
        return 3
    return 0


def _joins(edge: str, neighbour: str) -> bool:
    """``neighbour`` continues the word that ``edge`` (an entry's first or last letter) is in.

    A Latin, Greek or Cyrillic letter next to a letter of another script is at a word
    boundary: "LLM" is a word of its own in "用LLM写" and in "LLM을".
    """
    if not _in_word(neighbour):
        return False
    script = _script(edge)
    return script == 0 or not neighbour.isalpha() or _script(neighbour) == script


def _letter_follows(text: str, end: int) -> bool:
    """A letter or digit of the same word follows ``end``, past any combining marks.

    Marks alone end a word here: Hindi inflects with vowel signs ("=निर्देश" is
    a whole word in "निर्देशों"), while "=सब" is not one in "सबूत".
    """
    n = len(text)
    last = text[end - 1]
    while end < n and unicodedata.category(text[end]).startswith("M"):
        end += 1
    return end < n and text[end].isalnum() and _joins(last, text[end])


def _on_match(pattern_id: int, start: int, end: int, _flags: int, hits: object) -> None:
    hits.append((pattern_id, start, end))  # type: ignore[attr-defined]


_LOCK = threading.Lock()
_MATCHER: ConceptMatcher | None = None


def matcher() -> ConceptMatcher:
    """The package lexicon's matcher, built once (hyperscan compile) per process."""
    global _MATCHER
    if _MATCHER is None:
        with _LOCK:
            if _MATCHER is None:
                _MATCHER = ConceptMatcher()
    return _MATCHER


def lexicon_digest() -> str:
    """SHA-256 of the lexicon files (model meta)."""
    return matcher().digest


def concept_keys(text: str, starts: np.ndarray, span: int, n_bits: int) -> np.ndarray:
    """Concept feature keys of ``text``'s windows (see :meth:`ConceptMatcher.keys`)."""
    return matcher().keys(text, starts, span, n_bits)
