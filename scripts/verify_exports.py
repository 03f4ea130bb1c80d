"""Checks `clarifycoder export` outputs with the Python ecosystem (not part of the Swift suite).

    .venv/bin/python scripts/verify_exports.py BASE_GGUF EXPORT_DIR [PROMPT]

BASE_GGUF is the base the adapter was trained on (the cached SmolLM2 Q4_1 GGUF); EXPORT_DIR is
what `clarifycoder export ADAPTER --to …` wrote under ADAPTER/export: peft/, model-f32.gguf,
model-q8_0.gguf (any subset), hf/. Needs torch, transformers, peft, gguf, accelerate.

1. gguf-py's GGUFReader opens each exported GGUF: tensor count and types, and the tokenizer and
   chat template equal to the base's.
2. The reference: transformers loads BASE_GGUF (dequantized to fp32) and peft applies peft/ —
   peft's own unmerged forward.
3. transformers loads each exported GGUF (merged; its loader undoes llama.cpp's q/k permutation)
   and hf/ (AutoModelForCausalLM + AutoTokenizer): logits compared with the reference.
"""

import os
import sys

import numpy as np
import torch
from gguf import GGUFReader
from peft import PeftModel
from transformers import AutoModelForCausalLM, AutoTokenizer

torch.set_num_threads(2)
base_gguf, export = sys.argv[1], sys.argv[2]
prompt = sys.argv[3] if len(sys.argv) > 3 else "def fibonacci(n):\n    \"\"\"Return the n-th Fibonacci number.\"\"\"\n"


def field(reader, key):
    f = reader.fields.get(key)
    return None if f is None else f.contents()


def relative(a, b):
    return float((a - b).abs().max() / b.abs().max())


base_reader = GGUFReader(base_gguf)
ggufs = [n for n in ("model-f32.gguf", "model-f16.gguf", "model-q8_0.gguf") if os.path.exists(os.path.join(export, n))]
for name in ggufs:
    reader = GGUFReader(os.path.join(export, name))
    types = sorted({t.tensor_type.name for t in reader.tensors})
    same = all(field(reader, k) == field(base_reader, k) for k in
               ("tokenizer.ggml.tokens", "tokenizer.ggml.merges", "tokenizer.ggml.token_type", "tokenizer.chat_template",
                "tokenizer.ggml.pre", "tokenizer.ggml.eos_token_id"))
    print(f"gguf-py {name}: {len(reader.tensors)} tensors, types {types}, file_type "
          f"{field(reader, 'general.file_type')}, tokenizer and chat template identical to base: {same}")

folder, file = os.path.dirname(base_gguf), os.path.basename(base_gguf)
tokenizer = AutoTokenizer.from_pretrained(folder, gguf_file=file)
ids = tokenizer(prompt, return_tensors="pt").input_ids
with torch.no_grad():
    base = AutoModelForCausalLM.from_pretrained(folder, gguf_file=file, dtype=torch.float32).eval()
    base_logits = base(ids).logits[0]
    reference = PeftModel.from_pretrained(base, os.path.join(export, "peft")).eval()
    expected = reference(ids).logits[0]
    print(f"peft loaded {os.path.join(export, 'peft')}: adapter moves the logits by "
          f"{relative(expected, base_logits):.3f} (relative to the largest)")
    for name in ggufs:
        model = AutoModelForCausalLM.from_pretrained(export, gguf_file=name, dtype=torch.float32).eval()
        got = model(ids).logits[0]
        agree = float((got.argmax(-1) == expected.argmax(-1)).float().mean())
        print(f"transformers {name} vs peft: max relative difference {relative(got, expected):.2e}, "
              f"argmax agreement {agree:.3f}")
    hf = os.path.join(export, "hf")
    if os.path.isdir(hf):
        model = AutoModelForCausalLM.from_pretrained(hf, dtype=torch.float32).eval()
        hf_tokenizer = AutoTokenizer.from_pretrained(hf)
        same_ids = hf_tokenizer(prompt, return_tensors="pt").input_ids.tolist() == ids.tolist()
        got = model(ids).logits[0]
        template = hf_tokenizer.apply_chat_template([{"role": "user", "content": "hi"}], tokenize=False,
                                                    add_generation_prompt=True)
        reference_template = tokenizer.apply_chat_template([{"role": "user", "content": "hi"}], tokenize=False,
                                                           add_generation_prompt=True)
        print(f"transformers hf/ vs peft: max relative difference {relative(got, expected):.2e}; tokenizer ids "
              f"identical: {same_ids}; chat template renders identically: {template == reference_template}")
