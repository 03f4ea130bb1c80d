"""Writes the safetensors golden fixtures with the reference `safetensors` package (Rust core).

Run from the repository root:  .venv/bin/python Tests/LLMTests/Fixtures/SafeTensors/make_fixtures.py
Needs: pip install safetensors numpy

  small.safetensors      F32, F16 and BF16 tensors plus __metadata__, serialized by safetensors itself
  small.expected.json    the values of each tensor as fp32 (BF16 decoded as the top half of an fp32)
"""
import json
import os

import numpy as np
from safetensors import serialize, TensorSpec

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(7)


def to_bf16_bits(x):
    """Round-to-nearest-even fp32 -> bf16, as torch does."""
    bits = x.astype(np.float32).view(np.uint32).astype(np.uint64)
    rounded = (bits + 0x7FFF + ((bits >> 16) & 1)) >> 16
    return rounded.astype(np.uint16)


f32 = rng.normal(size=(2, 3)).astype(np.float32)
f16 = rng.normal(size=(4,)).astype(np.float16)
bf16_bits = to_bf16_bits(rng.normal(size=(3, 2)))
scalar = np.array(3.5, dtype=np.float32)

tensors = {
    "model.embed.weight": {"dtype": "float32", "shape": [2, 3], "data": f32.tobytes()},
    "model.norm.weight": {"dtype": "float16", "shape": [4], "data": f16.tobytes()},
    "lm_head.weight": {"dtype": "bfloat16", "shape": [3, 2], "data": bf16_bits.tobytes()},
    "scale": {"dtype": "float32", "shape": [], "data": scalar.tobytes()},
}
arrays = {"model.embed.weight": f32, "model.norm.weight": f16, "lm_head.weight": bf16_bits, "scale": scalar}
specs = {name: TensorSpec(dtype=t["dtype"], shape=t["shape"], data_ptr=arrays[name].ctypes.data, data_len=len(t["data"])) for name, t in tensors.items()}
blob = serialize(specs, metadata={"format": "pt", "note": "fixture"})
with open(os.path.join(HERE, "small.safetensors"), "wb") as f:
    f.write(blob)

expected = {
    "model.embed.weight": {"dtype": "F32", "shape": [2, 3], "values": f32.reshape(-1).tolist()},
    "model.norm.weight": {"dtype": "F16", "shape": [4], "values": f16.astype(np.float32).tolist()},
    "lm_head.weight": {"dtype": "BF16", "shape": [3, 2],
                       "values": (bf16_bits.astype(np.uint32) << 16).view(np.float32).reshape(-1).tolist()},
    "scale": {"dtype": "F32", "shape": [], "values": [3.5]},
}
with open(os.path.join(HERE, "small.expected.json"), "w") as f:
    json.dump(expected, f, indent=1)
