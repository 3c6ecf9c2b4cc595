"""``finetune.py report``: held-out metrics of the fine-tuned model against the n-gram LR.

Reads the folds' score files under ``--out`` and the n-gram model's out-of-source scores
(``--ngram-oof``), and prints the tables of RESULTS.md.  numpy only.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np


def roc_auc(y, p):
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


def cmd_report(args, rows):
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
            auc = roc_auc(yt, pt)
            summary[src][name] = {"t": t, "recall": rec, "fpr": fpr, "auc": auc}
            fmt = lambda v: "–" if v != v else f"{v:.3f}"  # noqa: E731
            lines.append(f"| {src} | {len(ti)} ({na}/{nb}) | {name} | {t:.3f} | {fmt(rec)} | {fmt(fpr)} | {fmt(auc)} |")
    print("\n".join(lines))
    Path(args.out, "report.json").write_text(json.dumps(summary, indent=1))
