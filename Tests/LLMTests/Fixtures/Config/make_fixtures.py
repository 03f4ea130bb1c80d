"""Writes config.json fixtures with `transformers`' own config classes (what save_pretrained writes).

Run from the repository root:  .venv/bin/python Tests/LLMTests/Fixtures/Config/make_fixtures.py
Needs: pip install transformers

  smollm2.config.json   LlamaConfig with SmolLM2-135M's hyper-parameters (tied embeddings, GQA 9/3)
  llama3.config.json    LlamaConfig with Llama 3.1's llama3 rope scaling and a list of eos ids
  qwen2.config.json     Qwen2Config of a small Qwen2.5-style model
  llama3_legacy.config.json  the same in the transformers 4 layout (`rope_theta` + `rope_scaling`, as on the Hub)
  llama3.inv_freq.json  the llama3-scaled inverse RoPE frequencies, by transformers' formula
                        (`_compute_llama3_parameters`, re-stated in numpy: it needs torch otherwise)
"""
import json
import os

from transformers import LlamaConfig, Qwen2Config
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))

smollm2 = LlamaConfig(vocab_size=49152, hidden_size=576, intermediate_size=1536, num_hidden_layers=30,
                      num_attention_heads=9, num_key_value_heads=3, max_position_embeddings=8192,
                      rms_norm_eps=1e-5, rope_theta=100000.0, tie_word_embeddings=True,
                      bos_token_id=1, eos_token_id=2)
llama3 = LlamaConfig(vocab_size=128256, hidden_size=256, intermediate_size=512, num_hidden_layers=2,
                     num_attention_heads=8, num_key_value_heads=2, max_position_embeddings=131072,
                     rms_norm_eps=1e-5, rope_theta=500000.0, bos_token_id=128000,
                     eos_token_id=[128001, 128008, 128009],
                     rope_scaling={"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0,
                                   "high_freq_factor": 4.0, "original_max_position_embeddings": 8192})
qwen2 = Qwen2Config(vocab_size=1000, hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                    num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=4096,
                    rms_norm_eps=1e-6, rope_theta=1000000.0, tie_word_embeddings=True,
                    bos_token_id=None, eos_token_id=151645)

for name, config in [("smollm2", smollm2), ("llama3", llama3), ("qwen2", qwen2)]:
    with open(os.path.join(HERE, f"{name}.config.json"), "w") as f:
        f.write(config.to_json_string())

legacy = llama3.to_dict()
params = legacy.pop("rope_parameters")
legacy["rope_theta"] = params.pop("rope_theta")
legacy["rope_scaling"] = params
with open(os.path.join(HERE, "llama3_legacy.config.json"), "w") as f:
    json.dump(legacy, f, indent=2)

# transformers.modeling_rope_utils._compute_llama3_parameters, in float32 like torch
dim, base = 32, np.float32(500000.0)
inv_freq = (np.float32(1.0) / (base ** (np.arange(0, dim, 2).astype(np.float32) / np.float32(dim)))).astype(np.float32)
factor, low, high, old_ctx = 8.0, 1.0, 4.0, 8192
low_wavelen, high_wavelen = old_ctx / low, old_ctx / high
wavelen = 2 * np.pi / inv_freq
scaled = np.where(wavelen > low_wavelen, inv_freq / factor, inv_freq)
smooth = (old_ctx / wavelen - low) / (high - low)
smoothed = (1 - smooth) * scaled / factor + smooth * scaled
is_medium = ~(wavelen < high_wavelen) * ~(wavelen > low_wavelen)
result = np.where(is_medium, smoothed, scaled).astype(np.float32)
with open(os.path.join(HERE, "llama3.inv_freq.json"), "w") as f:
    json.dump([float(x) for x in result], f)
