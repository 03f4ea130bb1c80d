"""A random LoRA adapter for SmolLM2-135M in PEFT's folder format, for bench/decode-adapter.sh.

    python bench/make_random_adapter.py OUT_DIR [RANK] [TARGETS]

RANK defaults to 16 and TARGETS to q,k,v,o (the paper's setting). A and B are both random
(a trained adapter's B is not zero), so the update is computed, not skipped.
"""

import json
import os
import sys

import numpy as np
from safetensors.numpy import save_file

out = sys.argv[1]
rank = int(sys.argv[2]) if len(sys.argv) > 2 else 16
targets = (sys.argv[3] if len(sys.argv) > 3 else "q,k,v,o").split(",")
hidden, kv, ff, layers = 576, 192, 1536, 30
shapes = {"q": (hidden, hidden), "k": (kv, hidden), "v": (kv, hidden), "o": (hidden, hidden),
          "gate": (ff, hidden), "up": (ff, hidden), "down": (hidden, ff)}
rng = np.random.default_rng(0)
tensors = {}
for layer in range(layers):
    for t in targets:
        section = "self_attn" if t in ("q", "k", "v", "o") else "mlp"
        prefix = f"base_model.model.model.layers.{layer}.{section}.{t}_proj"
        out_features, in_features = shapes[t]
        tensors[prefix + ".lora_A.weight"] = (rng.standard_normal((rank, in_features)) * 0.02).astype(np.float32)
        tensors[prefix + ".lora_B.weight"] = (rng.standard_normal((out_features, rank)) * 0.02).astype(np.float32)
os.makedirs(out, exist_ok=True)
save_file(tensors, os.path.join(out, "adapter_model.safetensors"), metadata={"format": "pt"})
with open(os.path.join(out, "adapter_config.json"), "w") as f:
    json.dump({"peft_type": "LORA", "task_type": "CAUSAL_LM", "r": rank, "lora_alpha": rank, "lora_dropout": 0.0,
               "target_modules": [t + "_proj" for t in targets], "bias": "none",
               "base_model_name_or_path": "HuggingFaceTB/SmolLM2-135M-Instruct"}, f, indent=2)
