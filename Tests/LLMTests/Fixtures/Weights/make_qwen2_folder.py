"""Writes a tiny Qwen2-style Hugging Face model folder (no PyTorch needed): config.json from
transformers' Qwen2Config, model.safetensors from safetensors.numpy in the names and shapes
transformers' Qwen2ForCausalLM uses (q/k/v biases, tied embedding), some tensors in F16.

Run from the repository root:  .venv/bin/python Tests/LLMTests/Fixtures/Weights/make_qwen2_folder.py
Needs: pip install numpy safetensors transformers

  tiny-qwen2/config.json, tiny-qwen2/model.safetensors
  tiny-qwen2.expected.json   shapes, dtypes and the first 8 values (as fp32) of every tensor, read back
                             with safetensors.numpy
The tests add Tokenizer/qwen2.tokenizer.json and Tokenizer/qwen2-folder/* to make a full folder.
"""
import json
import os

import numpy as np
from safetensors.numpy import load_file, save_file
from transformers import Qwen2Config

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "tiny-qwen2")
rng = np.random.default_rng(20261127)

config = Qwen2Config(vocab_size=3000, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                     num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=256,
                     rope_theta=1000000.0, rms_norm_eps=1e-6, tie_word_embeddings=True,
                     bos_token_id=None, eos_token_id=2)
os.makedirs(OUT, exist_ok=True)
config.save_pretrained(OUT)

head_dim = 32 // 4
shapes = {"model.embed_tokens.weight": (3000, 32), "model.norm.weight": (32,)}
for layer in range(2):
    p = f"model.layers.{layer}."
    shapes.update({
        p + "input_layernorm.weight": (32,), p + "post_attention_layernorm.weight": (32,),
        p + "self_attn.q_proj.weight": (4 * head_dim, 32), p + "self_attn.q_proj.bias": (4 * head_dim,),
        p + "self_attn.k_proj.weight": (2 * head_dim, 32), p + "self_attn.k_proj.bias": (2 * head_dim,),
        p + "self_attn.v_proj.weight": (2 * head_dim, 32), p + "self_attn.v_proj.bias": (2 * head_dim,),
        p + "self_attn.o_proj.weight": (32, 4 * head_dim),
        p + "mlp.gate_proj.weight": (64, 32), p + "mlp.up_proj.weight": (64, 32), p + "mlp.down_proj.weight": (32, 64),
    })
tensors = {}
for name, shape in shapes.items():
    values = rng.normal(0, 0.02, size=shape).astype(np.float32)
    # Half of the projections in F16, as checkpoints mixing dtypes exist.
    tensors[name] = values.astype(np.float16) if name.endswith("proj.weight") and "layers.1." in name else values
save_file(tensors, os.path.join(OUT, "model.safetensors"), metadata={"format": "pt"})

read = load_file(os.path.join(OUT, "model.safetensors"))
expected = {name: {"shape": list(t.shape), "dtype": str(t.dtype), "head": [float(v) for v in
                                                                           t.astype(np.float32).reshape(-1)[:8]]}
            for name, t in read.items()}
with open(os.path.join(HERE, "tiny-qwen2.expected.json"), "w") as f:
    json.dump(expected, f, indent=0)
