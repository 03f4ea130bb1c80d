"""Writes a tiny llama GGUF checkpoint and the Hugging Face tensors it stands for, with gguf-py and
transformers' GGUF loader as the references.

Run from the repository root:  .venv/bin/python Tests/LLMTests/Fixtures/Weights/make_fixtures.py
Needs: pip install gguf numpy transformers

  tiny_llama.gguf          a 1-layer llama (hidden 32, 4 heads, 2 KV heads, head_dim 8, untied output)
                           with q/k rows permuted as llama.cpp's converter stores them, in Q8_0, Q4_1,
                           F16 and F32 tensors
  tiny_llama.expected.json every tensor under its Hugging Face name: PyTorch shape and fp32 values,
                           dequantized by gguf-py and un-permuted by transformers' LlamaTensorProcessor
  llama31.gguf             Llama 3.1 metadata (as Config/llama3.config.json) and the `rope_freqs` tensor
                           llama.cpp's converter writes for llama3 rope scaling
  llama31_bad_rope_freqs.gguf  the same with a malformed rope_freqs tensor
"""
import json
import os

import gguf
import numpy as np
from gguf import GGMLQuantizationType as T
from gguf.quants import dequantize, quantize
from transformers.modeling_gguf_pytorch_utils import LlamaTensorProcessor

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20261127)
VOCAB, HIDDEN, FFN, HEADS, KV_HEADS, HEAD_DIM = 16, 32, 64, 4, 2, 8


def converter_permute(w, heads):
    """llama.cpp's convert_hf_to_gguf.py LlamaModel.permute, re-stated: HF half-rotation rows to interleaved."""
    return w.reshape(heads, 2, w.shape[0] // heads // 2, *w.shape[1:]).swapaxes(1, 2).reshape(w.shape)


def main():
    path = os.path.join(HERE, "tiny_llama.gguf")
    w = gguf.GGUFWriter(path, arch="llama")
    w.add_block_count(1)
    w.add_context_length(64)
    w.add_embedding_length(HIDDEN)
    w.add_feed_forward_length(FFN)
    w.add_head_count(HEADS)
    w.add_head_count_kv(KV_HEADS)
    w.add_rope_freq_base(50000.0)
    w.add_layer_norm_rms_eps(1e-6)
    w.add_vocab_size(VOCAB)

    # (GGUF name, HF name, HF shape, stored type, heads if permuted)
    layout = [
        ("token_embd.weight", "model.embed_tokens.weight", (VOCAB, HIDDEN), T.Q8_0, None),
        ("blk.0.attn_norm.weight", "model.layers.0.input_layernorm.weight", (HIDDEN,), T.F32, None),
        ("blk.0.attn_q.weight", "model.layers.0.self_attn.q_proj.weight", (HEADS * HEAD_DIM, HIDDEN), T.Q4_1, HEADS),
        ("blk.0.attn_k.weight", "model.layers.0.self_attn.k_proj.weight", (KV_HEADS * HEAD_DIM, HIDDEN), T.F16,
         KV_HEADS),
        ("blk.0.attn_v.weight", "model.layers.0.self_attn.v_proj.weight", (KV_HEADS * HEAD_DIM, HIDDEN), T.F32, None),
        ("blk.0.attn_output.weight", "model.layers.0.self_attn.o_proj.weight", (HIDDEN, HEADS * HEAD_DIM), T.Q8_0,
         None),
        ("blk.0.ffn_norm.weight", "model.layers.0.post_attention_layernorm.weight", (HIDDEN,), T.F32, None),
        ("blk.0.ffn_gate.weight", "model.layers.0.mlp.gate_proj.weight", (FFN, HIDDEN), T.Q4_1, None),
        ("blk.0.ffn_up.weight", "model.layers.0.mlp.up_proj.weight", (FFN, HIDDEN), T.F16, None),
        ("blk.0.ffn_down.weight", "model.layers.0.mlp.down_proj.weight", (HIDDEN, FFN), T.Q8_0, None),
        ("output_norm.weight", "model.norm.weight", (HIDDEN,), T.F32, None),
        ("output.weight", "lm_head.weight", (VOCAB, HIDDEN), T.F32, None),
    ]
    processor = LlamaTensorProcessor(config={"num_attention_heads": HEADS, "num_key_value_heads": KV_HEADS})
    expected = {}
    for gguf_name, hf_name, shape, qtype, heads in layout:
        hf = rng.normal(0, 0.5, size=shape).astype(np.float32)
        stored = converter_permute(hf, heads) if heads else hf
        if qtype in (T.F32, T.F16):
            raw = stored.astype(np.float16) if qtype == T.F16 else stored
            w.add_tensor(gguf_name, raw)
        else:
            raw = quantize(stored, qtype)
            w.add_tensor(gguf_name, raw, raw_dtype=qtype)
        values = dequantize(raw, qtype).astype(np.float32).reshape(shape)
        # The reference for the un-permute: what transformers does when it loads a llama GGUF.
        values = processor.process(values, gguf_name).weights
        expected[hf_name] = {"shape": list(shape), "values": [float(v) for v in np.asarray(values).reshape(-1)]}
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    with open(os.path.join(HERE, "tiny_llama.expected.json"), "w") as f:
        json.dump(expected, f)


main()


def converter_rope_factors(rope_theta, head_dim, factor, low, high, original):
    """convert_hf_to_gguf.py's Llama 3.1 `rope_freqs` (LlamaModel.generate_extra_tensors), re-stated."""
    import math
    freqs = 1.0 / (rope_theta ** (np.arange(0, head_dim, 2, dtype=np.float32) / head_dim))
    low_wavelen, high_wavelen = original / low, original / high
    out = []
    for freq in freqs:
        wavelen = 2 * math.pi / freq
        if wavelen < high_wavelen:
            out.append(1)
        elif wavelen > low_wavelen:
            out.append(factor)
        else:
            smooth = (original / wavelen - low) / (high - low)
            out.append(1 / ((1 - smooth) / factor + smooth))
    return np.asarray(out, dtype=np.float32)


def write_llama31(name, factors):
    """Metadata of Config/llama3.config.json (Llama 3.1 shape, scaled down) plus a rope_freqs tensor."""
    w = gguf.GGUFWriter(os.path.join(HERE, name), arch="llama")
    w.add_block_count(2)
    w.add_context_length(131072)
    w.add_embedding_length(256)
    w.add_feed_forward_length(512)
    w.add_head_count(8)
    w.add_head_count_kv(2)
    w.add_key_length(32)
    w.add_value_length(32)
    w.add_rope_freq_base(500000.0)
    w.add_layer_norm_rms_eps(1e-5)
    w.add_vocab_size(128256)
    w.add_tensor("rope_freqs.weight", factors)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


# llama31.gguf: its scaled frequencies must equal transformers' (Config/llama3.inv_freq.json).
write_llama31("llama31.gguf", converter_rope_factors(500000.0, 32, 8.0, 1.0, 4.0, 8192))
write_llama31("llama31_bad_rope_freqs.gguf", np.asarray([1.0, 2.0, 0.0], dtype=np.float32))
