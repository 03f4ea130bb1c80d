"""Writes the GGUF golden fixtures for LLMTests with the reference `gguf` package (gguf-py).

Run from the repository root:  .venv/bin/python Tests/LLMTests/Fixtures/GGUF/make_fixtures.py
Needs: pip install gguf numpy

Outputs (all small):
  quants.gguf          one tensor per supported type, plus every metadata value type and a nested array
  quants.expected.json gguf-py's dequantization of each tensor (the reference our Swift code must match)
  qk_permute.json      a random HF-layout q/k matrix and the same matrix after llama.cpp's converter permute
  smollm2_slices.json  first values of a few dequantized tensors of the embedded SmolLM2 GGUF (if present)

gguf-py can quantize F16/BF16/Q4_0/Q4_1/Q5_0/Q5_1/Q8_0 but not the K-quants; for Q4_K/Q5_K/Q6_K the
blocks are random bytes with sane fp16 scales, laid out as in ggml-common.h, and gguf-py's
dequantize is the reference.
"""
import json
import os
import sys

import numpy as np
import gguf
from gguf import GGMLQuantizationType as T
from gguf.quants import quantize, dequantize

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20260426)


def random_kquant_blocks(qtype, n_blocks):
    """Random block bytes with the fp16 scale fields set to small finite values."""
    _, type_size = gguf.GGML_QUANT_SIZES[qtype]
    raw = rng.integers(0, 256, size=(n_blocks, type_size), dtype=np.uint8)
    def f16_bytes(values):
        return np.asarray(values, dtype=np.float16).view(np.uint8).reshape(n_blocks, 2)
    if qtype in (T.Q4_K, T.Q5_K):  # d, dmin at bytes 0..3
        raw[:, 0:2] = f16_bytes(rng.uniform(0.001, 0.02, n_blocks))
        raw[:, 2:4] = f16_bytes(rng.uniform(0.001, 0.02, n_blocks))
    elif qtype == T.Q6_K:  # d is the last 2 bytes
        raw[:, -2:] = f16_bytes(rng.uniform(0.001, 0.02, n_blocks))
    return raw


def write_quants():
    path = os.path.join(HERE, "quants.gguf")
    w = gguf.GGUFWriter(path, arch="llama")
    w.add_custom_alignment(64)
    w.add_uint8("test.u8", 200)
    w.add_int8("test.i8", -100)
    w.add_uint16("test.u16", 60000)
    w.add_int16("test.i16", -30000)
    w.add_uint32("test.u32", 4_000_000_000)
    w.add_int32("test.i32", -2_000_000_000)
    w.add_float32("test.f32", 0.15625)
    w.add_bool("test.bool", True)
    w.add_string("test.string", "héllo ✓ 🙂")
    w.add_uint64("test.u64", 18_000_000_000_000_000_000)
    w.add_int64("test.i64", -9_000_000_000_000_000_000)
    w.add_float64("test.f64", 2.718281828459045)
    w.add_array("test.array.i32", [1, -2, 3])
    w.add_array("test.array.string", ["a", "", "ü"])
    w.add_array("test.array.nested", [[1, 2], [3], [4, 5, 6]])

    expected = {}
    rows = 2
    for qtype in [T.F32, T.F16, T.BF16, T.Q8_0, T.Q4_0, T.Q4_1, T.Q5_0, T.Q5_1, T.Q4_K, T.Q5_K, T.Q6_K]:
        block, _ = gguf.GGML_QUANT_SIZES[qtype]
        cols = max(block, 64)
        name = f"t.{qtype.name.lower()}"
        if qtype in (T.Q4_K, T.Q5_K, T.Q6_K):
            raw = random_kquant_blocks(qtype, rows * cols // block).reshape(rows, -1)
        else:
            data = rng.normal(0, 1, size=(rows, cols)).astype(np.float32)
            raw = quantize(data, qtype)
        if qtype in (T.F32, T.F16):
            w.add_tensor(name, raw)
        else:
            w.add_tensor(name, raw, raw_dtype=qtype)
        values = dequantize(raw, qtype).astype(np.float32).reshape(-1)
        expected[name] = {"type": qtype.name, "shape": [cols, rows], "values": [float(v) for v in values]}
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    with open(os.path.join(HERE, "quants.expected.json"), "w") as f:
        json.dump(expected, f)


def llama_cpp_permute(weights, n_head, n_head_kv):
    """The converter's permute (convert_hf_to_gguf.py, LlamaModel.permute), re-stated here."""
    if n_head_kv is not None and n_head != n_head_kv:
        n_head = n_head_kv
    return (weights.reshape(n_head, 2, weights.shape[0] // n_head // 2, *weights.shape[1:])
            .swapaxes(1, 2).reshape(weights.shape))


def write_permute():
    n_head, n_kv, head_dim, d_model = 4, 2, 8, 6
    q = rng.normal(size=(n_head * head_dim, d_model)).astype(np.float32)
    k = rng.normal(size=(n_kv * head_dim, d_model)).astype(np.float32)
    out = {
        "heads": n_head, "kvHeads": n_kv, "headDim": head_dim, "columns": d_model,
        "hfQ": q.reshape(-1).tolist(), "ggufQ": llama_cpp_permute(q, n_head, n_head).reshape(-1).tolist(),
        "hfK": k.reshape(-1).tolist(), "ggufK": llama_cpp_permute(k, n_head, n_kv).reshape(-1).tolist(),
    }
    with open(os.path.join(HERE, "qk_permute.json"), "w") as f:
        json.dump(out, f)


def write_smollm2_slices():
    home = os.environ.get("CLARIFYCODER_HOME", os.path.expanduser("~/.cache/clarifycoder"))
    path = os.path.join(home, "assets/smollm2/SmolLM2-135M-Instruct.Q4_1.gguf")
    if not os.path.exists(path):
        print("skipping smollm2 slices: run `clarifycoder data fetch` first", file=sys.stderr)
        return
    r = gguf.GGUFReader(path)
    out = {}
    for name in ["token_embd.weight", "blk.0.attn_norm.weight", "blk.0.attn_q.weight", "blk.29.ffn_down.weight",
                 "output_norm.weight"]:
        t = next(t for t in r.tensors if t.name == name)
        values = dequantize(np.asarray(t.data), t.tensor_type).astype(np.float32).reshape(-1)
        # first 80 values and 48 from the middle of the tensor (spanning several blocks)
        mid = len(values) // 2 + 7
        out[name] = {"type": t.tensor_type.name, "shape": [int(x) for x in t.shape], "count": int(len(values)),
                     "head": [float(v) for v in values[:80]], "midOffset": mid,
                     "mid": [float(v) for v in values[mid:mid + 48]]}
    with open(os.path.join(HERE, "smollm2_slices.json"), "w") as f:
        json.dump(out, f)

    # Hugging Face row order of the real q/k weights, as transformers' GGUF loader restores it
    # (LlamaTensorProcessor._reverse_permute_weights, numpy only): rows from several heads and both
    # halves of each head, first 16 columns.
    from transformers.modeling_gguf_pytorch_utils import LlamaTensorProcessor
    processor = LlamaTensorProcessor(config={"num_attention_heads": 9, "num_key_value_heads": 3})
    hf = {}
    for name in ["blk.0.attn_q.weight", "blk.0.attn_k.weight"]:
        t = next(t for t in r.tensors if t.name == name)
        rows, cols = int(t.shape[1]), int(t.shape[0])
        weights = dequantize(np.asarray(t.data), t.tensor_type).astype(np.float32).reshape(rows, cols)
        restored = processor.process(weights, name).weights
        picked = [0, 1, 31, 32, 33, 63, 64, 100, rows - 1]
        hf[name] = {"rows": picked, "columns": 16, "values": [[float(v) for v in restored[i, :16]] for i in picked]}
    with open(os.path.join(HERE, "smollm2_hf_layout.json"), "w") as f:
        json.dump(hf, f)


write_quants()
write_permute()
write_smollm2_slices()
