"""``finetune.py export``: ONNX fp32 and dynamic int8 export, score agreement, latency.

Needs torch (for the export), onnxruntime and tokenizers; run through finetune.py, which
passes the rows.  Nothing is written outside ``--out``.
"""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

import numpy as np
from report import roc_auc


def export_onnx(model, fp32: Path, int8: Path) -> None:
    """ONNX (opset 17, dynamic batch and length) at ``fp32``, dynamic int8 (QInt8) at ``int8``.

    Deterministic: the same weights give the same files (``ship.py`` relies on it).
    """
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

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


def cmd_export(args, rows):
    import onnxruntime as ort
    import torch
    from tokenizers import Tokenizer
    from transformers import AutoModelForSequenceClassification

    src = Path(args.model)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    fp32, int8 = out / "model_fp32.onnx", out / "model_int8.onnx"
    model = AutoModelForSequenceClassification.from_pretrained(src, local_files_only=True).eval()
    export_onnx(model, fp32, int8)
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
        "auc_fp32_sample": roc_auc(y, pf),
        "auc_int8_sample": roc_auc(y, pq),
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
