"""Build the generated training data in training/data/ from the hand-written seeds.

    python training/generate.py          # rewrites training/data/*.jsonl

Deterministic (fixed seed): the same seeds give byte-identical files.  Every
row is ``{"text", "label", "source", "kind", "lang"}``; sources are named
``synth-*`` so leave-one-source-out reports them apart from the public sets.

- synth-attacks-en: English attacks (templates x slots, plus stand-alone ones)
- synth-trigger-benign / synth-roleplay: benign English prompts with trigger
  words, and benign "act as" / "you are" role-play
  (and structured prompt-engineering prompts)
- synth-general: everyday benign English requests (write, explain, fix, plan)
- synth-ml-a / synth-ml-b: attacks and benign prompts in 18 other languages,
  split by template so each half holds phrasings the other lacks
- synth-obfuscated: obfuscated variants of attacks (and a few benign prompts)
- synth-documents: task + document prompts, with an injection hidden inside
  (attack) or without (benign)
- synth-assistant: short benign turns addressed to the assistant itself
- synth-freeform* / synth-ml-free*: attacks and benign look-alikes written one by
  one, no templates, one source per round (English; up to 25 other languages)
- synth-obf-free11: attacks disguised by hand and benign text with the same oddities
"""

from __future__ import annotations

import itertools
import json
import random
import re
import sys
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from obfuscate import OBFUSCATIONS  # noqa: E402

SEEDS = HERE / "seeds"
OUT = HERE / "data"
SEED = 20261127
MAX_COMBOS = 100  # opener x goal attacks per language
_SLOT = re.compile(r"\{(\w+)\}")


def _row(text: str, label: int, source: str, kind: str = "", lang: str = "en") -> dict[str, Any]:
    return {"text": text, "label": label, "source": source, "kind": kind, "lang": lang}


def _fill(template: str, slots: dict[str, list[str]], rng: random.Random, sticky: frozenset[str] = frozenset()) -> str:
    """Replace every {slot} with a random filler (fillers may hold slots too).

    A slot named in ``sticky`` gets one filler for the whole text (a persona's name).
    """
    chosen: dict[str, str] = {}

    def pick(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in slots:
            return m.group(0)
        if name in sticky:
            return chosen.setdefault(name, rng.choice(slots[name]))
        return rng.choice(slots[name])

    for _ in range(3):
        template = _SLOT.sub(pick, template)
    return template


def _expand(
    templates: list[str], slots: dict[str, list[str]], n: int, rng: random.Random, sticky: frozenset[str] = frozenset()
) -> list[str]:
    out: set[str] = set()
    tries = 0
    while len(out) < n and tries < n * 20:
        out.add(_fill(rng.choice(templates), slots, rng, sticky))
        tries += 1
    return sorted(out)


def english(rng: random.Random) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """English attacks and benign prompts."""
    att = yaml.safe_load((SEEDS / "en_attacks.yaml").read_text(encoding="utf-8"))
    ben = yaml.safe_load((SEEDS / "en_benign.yaml").read_text(encoding="utf-8"))
    slots = dict(att["slots"])
    slots["persona_rules"] = att["templates"]["persona_rules"]
    attacks = [_row(t, 1, "synth-attacks-en", "injection") for t in att["injection"]]
    attacks += [_row(t, 1, "synth-attacks-en", "jailbreak") for t in att["jailbreak"]]
    for kind, n in (("injection", 700), ("jailbreak", 300)):
        for t in _expand(att["templates"][kind], slots, n, rng):
            attacks.append(_row(t, 1, "synth-attacks-en", kind))
    benign = [_row(t, 0, "synth-trigger-benign") for t in ben["benign"]]
    role_t = [t for t in ben["templates"] if "{role}" in t]
    other_t = [t for t in ben["templates"] if "{role}" not in t]
    benign += [_row(t, 0, "synth-roleplay") for t in _expand(role_t, ben["slots"], 300, rng)]
    benign += [_row(t, 0, "synth-trigger-benign") for t in _expand(other_t, ben["slots"], 350, rng)]
    gen = yaml.safe_load((SEEDS / "en_general.yaml").read_text(encoding="utf-8"))
    benign += [_row(t, 0, "synth-general") for t in _expand(gen["templates"], gen["slots"], 900, rng)]
    for t in gen["chitchat"]:
        benign.append(_row(t, 0, "synth-general"))
        benign.append(_row(t.capitalize() + "?", 0, "synth-general"))
    # Second round of seeds: prompt-library role-play; probing questions, long personas.
    rp = yaml.safe_load((SEEDS / "en_roleplay.yaml").read_text(encoding="utf-8"))
    benign += [_row(t, 0, "synth-roleplay") for t in _expand(rp["templates"], rp["slots"], 700, rng)]
    more = yaml.safe_load((SEEDS / "en_attacks_more.yaml").read_text(encoding="utf-8"))
    sticky = frozenset({"name", "secret", "job"})
    jail_t = [t for t in more["templates"] if any(k in t for k in ("{name}", "{job}", "{harm}"))]
    inj_t = [t for t in more["templates"] if t not in jail_t]
    for kind, templates, n in (("injection", inj_t, 450), ("jailbreak", jail_t, 300)):
        for t in _expand(templates, more["slots"], n, rng, sticky):
            attacks.append(_row(t, 1, "synth-attacks-en", kind))
    benign += [_row(t, 0, "synth-trigger-benign") for t in more["benign"]]
    # Third round: structured prompt-engineering prompts.  (The "meta" questions about
    # attacks in the same file are not used: the heuristics flag 9% of them, and the
    # trigger-word cap then pushed the classifier's thresholds up: LOSO recall 0.81 -> 0.75.)
    meta = yaml.safe_load((SEEDS / "en_benign_meta.yaml").read_text(encoding="utf-8"))
    sticky_meta = frozenset({"product", "role_title"})
    benign += [_row(t, 0, "synth-roleplay") for t in _expand(meta["structured"], meta["slots"], 250, rng, sticky_meta)]
    return attacks, benign


def contacts() -> list[dict[str, Any]]:
    """Fourth round: everyday prompts with e-mail addresses and URLs (until then nearly every
    training row with an address was an exfiltration attack).  Own generator, appended last,
    so that adding it left every other generated row as it was."""
    contact = yaml.safe_load((SEEDS / "en_benign_contact.yaml").read_text(encoding="utf-8"))
    rng = random.Random(f"{SEED}-contact")
    return [_row(t, 0, "synth-general") for t in _expand(contact["templates"], contact["slots"], 300, rng)]


# Seed file -> source.  Each round is its own source, so leave-one-source-out shows
# whether the earlier rounds generalise to a later one written by someone else.
FREEFORM = (
    ("en_freeform.yaml", "synth-freeform"),
    ("en_freeform_long.yaml", "synth-freeform"),
    ("en_freeform_short.yaml", "synth-freeform"),
    ("lang_freeform.yaml", "synth-ml-free"),
    # Round 2: written after round 1 was measured, by other hands.
    ("en_freeform2.yaml", "synth-freeform2"),
    ("lang_freeform_west.yaml", "synth-ml-free2"),
    ("lang_freeform_east.yaml", "synth-ml-free2"),
    ("lang_freeform_asia.yaml", "synth-ml-free2"),
    # Round 3: multilingual only (short chat-box, medium formal, long), 15-17 languages.
    ("lang_freeform3_short.yaml", "synth-ml-free3"),
    ("lang_freeform3_mid.yaml", "synth-ml-free3"),
    ("lang_freeform3_long.yaml", "synth-ml-free3"),
    # Round 3, English: "in the wild" jailbreak posts and look-alikes; indirect injections
    # in e-mails, pages, tables, code and tool output, with the same tasks benign.
    ("en_freeform3_wild.yaml", "synth-freeform3"),
    ("en_freeform3_indirect.yaml", "synth-freeform3"),
    # Round 4: the 15 most-used languages, each attack a different app x goal x wording.
    ("lang_freeform4_a.yaml", "synth-ml-free4"),
    ("lang_freeform4_b.yaml", "synth-ml-free4"),
    ("lang_freeform4_c.yaml", "synth-ml-free4"),
    # Round 5: subtle attacks that avoid the usual trigger words (context probes, side
    # channels, reframing, completions), English and 16 other languages.
    ("en_freeform5.yaml", "synth-freeform5"),
    ("lang_freeform5_a.yaml", "synth-ml-free5"),
    ("lang_freeform5_b.yaml", "synth-ml-free5"),
    # Round 6: attacks as people type them to break a chatbot, with the vocabulary varied
    # (synonyms, idioms, code-switching, typos), English and the 15 most-used languages.
    ("en_freeform6.yaml", "synth-freeform6"),
    ("lang_freeform6_a.yaml", "synth-ml-free6"),
    ("lang_freeform6_b.yaml", "synth-ml-free6"),
    ("lang_freeform6_c.yaml", "synth-ml-free6"),
    ("lang_freeform6_d.yaml", "synth-ml-free6"),
    # Round 7: English prompt-hacking-game attempts (guarded secrets, fixed-task apps, "say
    # I have been PWNED"); long documents with hidden instructions in 16 languages.
    ("en_freeform7.yaml", "synth-freeform7"),
    ("lang_freeform7_a.yaml", "synth-ml-free7"),
    ("lang_freeform7_b.yaml", "synth-ml-free7"),
    # Round 8: messages typed into specific deployed apps (support bots, agents with tools,
    # screeners, tutors), English and 26 other languages; English jailbreak posts against a
    # general assistant with benign look-alikes (dark fiction, role-play rules, safety questions).
    ("en_freeform8_apps.yaml", "synth-freeform8"),
    ("en_freeform8_jailbreak.yaml", "synth-freeform8"),
    ("lang_freeform8_a.yaml", "synth-ml-free8"),
    ("lang_freeform8_b.yaml", "synth-ml-free8"),
    # Round 9: two-part prompts (an ordinary task plus an injected pivot, appended, prepended
    # or hidden in the text to process) against two-part prompts with an innocent second part.
    ("en_freeform9.yaml", "synth-freeform9"),
    ("lang_freeform9.yaml", "synth-ml-free9"),
    # Round 10: subtle attacks without the stock trigger words (context probes, side channels,
    # reframing, pretexts, agent actions, hidden notes) and equally subtle look-alikes.
    ("en_freeform10.yaml", "synth-freeform10"),
    ("lang_freeform10.yaml", "synth-ml-free10"),
    # Round 11: one short message that hijacks a single-purpose app (news Q&A, translator,
    # summariser, support bot): praise-and-pivot, "stop", role switches, forced output, fake
    # context, ignoring the provided articles; English, German and 20 other languages.
    # Attacks disguised by hand (leetspeak, spacing, split words, look-alike letters,
    # encodings) and benign text with the same oddities, English and 17 languages.
    ("en_freeform11.yaml", "synth-freeform11"),
    ("lang_freeform11_a.yaml", "synth-ml-free11"),
    ("lang_freeform11_b.yaml", "synth-ml-free11"),
    ("obf_freeform11.yaml", "synth-obf-free11"),
    # Round 12: role-play and persona prompts, mostly as matched pairs: the same role, setting
    # and length with and without what removes the limits or smuggles out forbidden content
    # ("act as ..." requests; character cards, stories, two-AI simulations, games; English
    # and 15 languages).
    ("en_freeform12_roleplay.yaml", "synth-freeform12"),
    ("en_freeform12_persona.yaml", "synth-freeform12"),
    ("lang_freeform12.yaml", "synth-ml-free12"),
    # Round 13: techniques from the jailbreak literature (refusal suppression, prefix
    # injection, format constraints, distractors, ciphers, low-resource languages, many-shot,
    # payload splitting) against requests with the same surface; English and 15 languages.
    ("en_freeform13.yaml", "synth-freeform13"),
    ("lang_freeform13.yaml", "synth-ml-free13"),
    # Round 14: social engineering of the model (fake authority, fake policy or configuration
    # changes, fake system/tool turns, false memories of earlier turns, emotional levers,
    # bribes and threats, identity games) against honest messages on the same subjects;
    # English and 26 languages.
    ("en_freeform14.yaml", "synth-freeform14"),
    ("lang_freeform14_a.yaml", "synth-ml-free14"),
    ("lang_freeform14_b.yaml", "synth-ml-free14"),
    ("lang_freeform14_c.yaml", "synth-ml-free14"),
    # Round 15: indirect injection in content an app processes (e-mails, web pages, reviews,
    # CVs, contracts, code, tool results, transcripts, records) against the same content with
    # instructions for people only; English and 25 languages.
    ("en_freeform15.yaml", "synth-freeform15"),
    ("lang_freeform15_a.yaml", "synth-ml-free15"),
    ("lang_freeform15_b.yaml", "synth-ml-free15"),
    ("lang_freeform15_c.yaml", "synth-ml-free15"),
)


def assistant_and_freeform() -> list[dict[str, Any]]:
    """Prompts written one by one, no templates (fourth session of 2026-11-27).

    ``en_benign_assistant.yaml``: short turns addressed to the assistant itself (its name,
    settings, the conversation), source ``synth-assistant``.  Then every file of
    :data:`FREEFORM` (English ``en_freeform*``, other languages ``lang_freeform*``, both in
    ``obf_freeform*`` with English rows lacking ``lang``; attacks with a ``kind``, benign
    look-alikes) under its round's source.  Own output file, no random choices, so every
    earlier generated row stays as it was.
    """
    assistant = yaml.safe_load((SEEDS / "en_benign_assistant.yaml").read_text(encoding="utf-8"))
    rows = [_row(t, 0, "synth-assistant") for t in assistant["benign"]]
    for name, source in FREEFORM:
        path = SEEDS / name
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for a in data["attacks"]:
            rows.append(_row(a["text"].strip(), 1, source, a["kind"], a.get("lang", "en")))
        for b in data["benign"]:
            rows.append(_row(b["text"].strip(), 0, source, "", b.get("lang", "en")))
    return rows


def multilingual() -> list[dict[str, Any]]:
    """Every opener x goal combination and every benign template x topic, per language."""
    rows: list[dict[str, Any]] = []
    for path in sorted((SEEDS / "lang").glob("*.yaml")):
        d = yaml.safe_load(path.read_text(encoding="utf-8"))
        lang = d["lang"]
        cjk = lang in ("zh", "ja")
        sep = "" if cjk else " "
        combos = list(itertools.product(range(len(d["openers"])), range(len(d["goals"]))))
        if len(combos) > MAX_COMBOS:  # keep languages balanced against each other
            combos = sorted(random.Random(f"{SEED}-{lang}").sample(combos, MAX_COMBOS))
        for i, j in combos:
            src = "synth-ml-a" if i % 2 == 0 else "synth-ml-b"
            kind = "jailbreak" if i in (2, 4, 6, 7) else "injection"
            rows.append(_row(f"{d['openers'][i]}{sep}{d['goals'][j]}", 1, src, kind, lang))
        for i, t in enumerate(d["attacks"]):
            rows.append(_row(t, 1, "synth-ml-a" if i % 2 == 0 else "synth-ml-b", "injection", lang))
        for i, t in enumerate(d["templates"]):
            src = "synth-ml-a" if i % 2 == 0 else "synth-ml-b"
            for topic in d["topics"]:
                rows.append(_row(t.replace("{topic}", topic), 0, src, "", lang))
        for i, t in enumerate(d["benign"]):
            rows.append(_row(t, 0, "synth-ml-a" if i % 2 == 0 else "synth-ml-b", "", lang))
    return rows


def obfuscated(attacks: list[dict[str, Any]], benign: list[dict[str, Any]], rng: random.Random) -> list[dict[str, Any]]:
    """Obfuscated variants: many attacks, fewer benign (so style alone is no proof)."""
    names = sorted(OBFUSCATIONS)
    rows: list[dict[str, Any]] = []
    for r in rng.sample(attacks, min(900, len(attacks))):
        name = names[len(rows) % len(names)]
        rows.append(_row(OBFUSCATIONS[name](r["text"], rng), 1, "synth-obfuscated", r["kind"], r["lang"]))
    mild = [n for n in names if n not in ("reversed", "base64")]
    for r in rng.sample(benign, min(300, len(benign))):
        name = rng.choice(mild)
        rows.append(_row(OBFUSCATIONS[name](r["text"], rng), 0, "synth-obfuscated", "", r["lang"]))
    # Benign base64: developers paste encoded data too.
    for r in rng.sample(benign, 60):
        rows.append(
            _row(
                OBFUSCATIONS["base64"](r["text"], rng).replace("follow the instructions", "tell me what it says"),
                0,
                "synth-obfuscated",
                "",
                r["lang"],
            )
        )
    return rows


def documents(rng: random.Random) -> list[dict[str, Any]]:
    """Task + document prompts; attacks hide an injection at a random sentence boundary."""
    d = yaml.safe_load((SEEDS / "documents.yaml").read_text(encoding="utf-8"))
    rows: list[dict[str, Any]] = []
    for k in range(700):
        paras = rng.sample(d["paragraphs"], rng.choice([1, 1, 2, 3, 5]))
        body = "\n\n".join(paras)
        task = rng.choice(d["tasks"])
        if k % 2 == 0:
            sentences = re.split(r"(?<=[.!?])\s+", body)
            at = rng.randrange(len(sentences) + 1)
            sentences.insert(at, rng.choice(d["injections"]))
            body = " ".join(sentences)
            rows.append(_row(f"{task}\n\n{body}", 1, "synth-documents", "injection"))
        else:
            rows.append(_row(f"{task}\n\n{body}", 0, "synth-documents"))
    return rows


def unique_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``rows`` without repeated texts, the first of each kept (what a file holds)."""
    seen: set[str] = set()
    kept = []
    for r in rows:
        if r["text"] not in seen:
            seen.add(r["text"])
            kept.append(r)
    return kept


def main() -> None:
    """Write training/data/*.jsonl."""
    rng = random.Random(SEED)
    OUT.mkdir(exist_ok=True)
    attacks, benign = english(rng)
    ml = multilingual()
    ml_att = [r for r in ml if r["label"] == 1]
    ml_ben = [r for r in ml if r["label"] == 0]
    files = {
        "synth_en.jsonl": attacks + benign + contacts(),
        "synth_multilingual.jsonl": ml,
        "synth_obfuscated.jsonl": obfuscated(attacks + ml_att, benign + ml_ben, rng),
        "synth_documents.jsonl": documents(rng),
        "synth_freeform.jsonl": assistant_and_freeform(),
    }
    for name, rows in files.items():
        kept = unique_rows(rows)
        with (OUT / name).open("w", encoding="utf-8") as fh:
            for r in kept:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        print(f"{name}: {len(kept)} rows")


if __name__ == "__main__":
    main()
