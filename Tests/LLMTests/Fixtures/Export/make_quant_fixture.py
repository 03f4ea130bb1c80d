"""Golden Q8_0 and F16 encodings from gguf-py (Tests/LLMTests/Export/QuantizeTests.swift).

Run from the repository root with a venv holding numpy and gguf:
    .venv/bin/python Tests/LLMTests/Fixtures/Export/make_quant_fixture.py

Writes quant_q8_0.json next to this script: 8 blocks of 32 values (random normals at several
scales, an all-zero block, a block whose values land on .5 ties after scaling, a block with one
large outlier) and their encodings by `gguf.quants.quantize` (Q8_0, which mirrors ggml's
`quantize_row_q8_0_ref`) and numpy's `astype(float16)`, as hex.
"""

import json
import os

import numpy as np
from gguf import GGMLQuantizationType
from gguf.quants import quantize

HERE = os.path.dirname(os.path.abspath(__file__))

rng = np.random.default_rng(42)
blocks = [
    rng.normal(0, 1, 32), rng.normal(0, 0.01, 32), rng.normal(0, 100, 32), np.zeros(32),
    np.array([127.0] + [(k + 0.5) * (-1) ** k for k in range(31)]),
    np.concatenate([[1000.0], rng.normal(0, 1, 31)]), rng.uniform(-1, 1, 32), -np.abs(rng.normal(0, 3, 32)),
]
values = np.concatenate(blocks).astype(np.float32)
q8 = quantize(values.reshape(8, 32), GGMLQuantizationType.Q8_0)
f16 = values.astype(np.float16)
with open(os.path.join(HERE, "quant_q8_0.json"), "w") as f:
    json.dump({"values": [float(v) for v in values], "q8_0": bytes(q8.tobytes()).hex(),
               "f16": bytes(f16.tobytes()).hex()}, f)
