"""Golden references for the transformer and greedy generation (Tests/LLMTests/Model).

Run from the repository root with a venv holding torch (CPU), transformers, gguf and accelerate:
    python3 -m venv .venv && .venv/bin/pip install torch==2.13.0+cpu transformers gguf accelerate
    .venv/bin/python Tests/LLMTests/Fixtures/Model/make_fixtures.py

Writes, next to this script:
- smollm2_logits.json: SmolLM2-135M-Instruct (the cached Q4_1 GGUF, which transformers
  dequantizes to fp32) on fixed prompts — per position the top-10 ids and logits and the logits
  of 256 fixed ids (every 192nd), not the whole 49,152-wide rows.
- smollm2_greedy.json: 5 chat prompts, 64 greedy tokens each (argmax at every step, not stopping
  at end-of-turn), from a plain KV-cache loop over the same model.
- qwen2-tiny/: a Qwen2 model with random weights (random q/k/v biases and norm weights, untied
  lm_head), saved by transformers as safetensors + config.json, with the Qwen2-style test
  tokenizer; qwen2_tiny.json holds its logits slices and 24 greedy tokens.
- llama-tiny/ and llama_tiny.json: the same for a random Llama with Llama 3.1 rope scaling
  (`rope_type: llama3`, chosen so every frequency band is affected), 4:1 grouped-query
  attention and tied embeddings, with the Llama-3-style test tokenizer.
"""

import json
import os
import shutil
import sys

import torch
from transformers import (AutoModelForCausalLM, AutoTokenizer, LlamaConfig, LlamaForCausalLM, Qwen2Config,
                          Qwen2ForCausalLM)

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.dirname(HERE)
HOME = os.environ.get("CLARIFYCODER_HOME", os.path.expanduser("~/.cache/clarifycoder"))
GGUF_DIR = os.path.join(HOME, "assets", "smollm2")
GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"

torch.set_num_threads(2)

LOGIT_PROMPTS = [
    "def fibonacci(n):\n    \"\"\"Return the n-th Fibonacci number.\"\"\"\n",
    "<|im_start|>user\nWrite a function that reverses a string.<|im_end|>\n<|im_start|>assistant\n",
    "The quick brown fox jumps over the lazy dog. Ünïcödé → 🙂",
]
GREEDY_PROMPTS = [
    "Write a Python function that checks whether a number is prime.",
    "What is the capital of France?",
    "Explain recursion in one sentence.",
    "def add(a, b):",
    "Sort the list [3, 1, 2] and print it in Python.",
]


def rounded(values):
    return [round(float(v), 6) for v in values]


def logit_slices(logits, sample_ids):
    rows = []
    for row in logits:
        top = torch.topk(row, 10)
        rows.append({
            "top_ids": [int(i) for i in top.indices],
            "top_logits": rounded(top.values),
            "sample_logits": rounded(row[sample_ids]),
        })
    return rows


@torch.no_grad()
def greedy(model, ids, steps):
    out = model(torch.tensor([ids]), use_cache=True)
    past, generated = out.past_key_values, []
    token = int(out.logits[0, -1].argmax())
    for _ in range(steps):
        generated.append(token)
        out = model(torch.tensor([[token]]), past_key_values=past, use_cache=True)
        past = out.past_key_values
        token = int(out.logits[0, -1].argmax())
    return generated


@torch.no_grad()
def smollm2(parts):
    tokenizer = AutoTokenizer.from_pretrained(GGUF_DIR, gguf_file=GGUF_NAME)
    model = AutoModelForCausalLM.from_pretrained(GGUF_DIR, gguf_file=GGUF_NAME, dtype=torch.float32).eval()
    if "logits" in parts:
        smollm2_logits(tokenizer, model)
    if "greedy" in parts:
        smollm2_greedy(tokenizer, model)


def smollm2_logits(tokenizer, model):
    sample_ids = list(range(0, model.config.vocab_size, 192))
    cases = []
    for text in LOGIT_PROMPTS:
        ids = tokenizer(text, add_special_tokens=False)["input_ids"]
        logits = model(torch.tensor([ids])).logits[0]
        cases.append({"text": text, "ids": ids, "positions": logit_slices(logits, sample_ids)})
    with open(os.path.join(HERE, "smollm2_logits.json"), "w") as f:
        json.dump({"sample_ids": sample_ids, "cases": cases}, f)


def smollm2_greedy(tokenizer, model):
    runs = []
    for text in GREEDY_PROMPTS:
        prompt = tokenizer.apply_chat_template(
            [{"role": "user", "content": text}], add_generation_prompt=True, tokenize=False)
        ids = tokenizer(prompt, add_special_tokens=False)["input_ids"]
        runs.append({"user": text, "prompt": prompt, "ids": ids, "greedy": greedy(model, ids, 64)})
        print(f"greedy run {len(runs)}/{len(GREEDY_PROMPTS)} done", file=sys.stderr, flush=True)
    with open(os.path.join(HERE, "smollm2_greedy.json"), "w") as f:
        json.dump({"runs": runs}, f)


@torch.no_grad()
def qwen2_tiny():
    folder = os.path.join(HERE, "qwen2-tiny")
    shutil.rmtree(folder, ignore_errors=True)
    torch.manual_seed(0)
    config = Qwen2Config(
        vocab_size=3000, hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=4,
        num_key_value_heads=2, max_position_embeddings=128, rope_theta=1000000.0, rms_norm_eps=1e-6,
        tie_word_embeddings=False, initializer_range=0.2, bos_token_id=None, eos_token_id=2)
    model = Qwen2ForCausalLM(config).eval()
    for name, parameter in model.named_parameters():
        if name.endswith("bias"):
            parameter.normal_(0, 0.2)
        elif "norm" in name:
            parameter.copy_(1 + 0.2 * torch.randn_like(parameter))
    model.save_pretrained(folder, safe_serialization=True)
    tokenizer_dir = os.path.join(FIXTURES, "Tokenizer")
    shutil.copy(os.path.join(tokenizer_dir, "qwen2.tokenizer.json"), os.path.join(folder, "tokenizer.json"))
    for name in ("tokenizer_config.json", "chat_template.jinja"):
        shutil.copy(os.path.join(tokenizer_dir, "qwen2-folder", name), os.path.join(folder, name))
    for name in os.listdir(folder):
        if name == "generation_config.json":
            os.remove(os.path.join(folder, name))

    reloaded = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32).eval()
    tokenizer = AutoTokenizer.from_pretrained(folder)
    text = "def square(x):\n    return x * x  # ünïcode"
    ids = tokenizer(text, add_special_tokens=False)["input_ids"]
    logits = reloaded(torch.tensor([ids])).logits[0]
    sample_ids = list(range(0, config.vocab_size, 30))
    with open(os.path.join(HERE, "qwen2_tiny.json"), "w") as f:
        json.dump({
            "text": text, "ids": ids, "sample_ids": sample_ids, "positions": logit_slices(logits, sample_ids),
            "greedy": greedy(reloaded, ids, 24),
        }, f)


@torch.no_grad()
def llama_tiny():
    folder = os.path.join(HERE, "llama-tiny")
    shutil.rmtree(folder, ignore_errors=True)
    torch.manual_seed(1)
    config = LlamaConfig(
        vocab_size=3000, hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=4,
        num_key_value_heads=1, max_position_embeddings=128, rms_norm_eps=1e-5, tie_word_embeddings=True,
        initializer_range=0.2, bos_token_id=0, eos_token_id=2,
        rope_parameters={"rope_type": "llama3", "rope_theta": 500000.0, "factor": 8.0, "low_freq_factor": 1.0,
                         "high_freq_factor": 4.0, "original_max_position_embeddings": 16})
    model = LlamaForCausalLM(config).eval()
    for name, parameter in model.named_parameters():
        if "norm" in name:
            parameter.copy_(1 + 0.2 * torch.randn_like(parameter))
    model.save_pretrained(folder, safe_serialization=True)
    tokenizer_dir = os.path.join(FIXTURES, "Tokenizer")
    shutil.copy(os.path.join(tokenizer_dir, "llama3.tokenizer.json"), os.path.join(folder, "tokenizer.json"))
    shutil.copy(os.path.join(tokenizer_dir, "legacy-folder", "tokenizer_config.json"),
                os.path.join(folder, "tokenizer_config.json"))
    if os.path.exists(os.path.join(folder, "generation_config.json")):
        os.remove(os.path.join(folder, "generation_config.json"))

    reloaded = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32).eval()
    tokenizer = AutoTokenizer.from_pretrained(folder)
    text = "for i in range(10):\n    print(i ** 2)  # squares, then more text to reach forty positions or so"
    ids = tokenizer(text, add_special_tokens=False)["input_ids"]
    logits = reloaded(torch.tensor([ids])).logits[0]
    sample_ids = list(range(0, config.vocab_size, 30))
    with open(os.path.join(HERE, "llama_tiny.json"), "w") as f:
        json.dump({
            "text": text, "ids": ids, "sample_ids": sample_ids, "positions": logit_slices(logits, sample_ids),
            "greedy": greedy(reloaded, ids, 24),
        }, f)


if __name__ == "__main__":
    # Parts to (re)make; all by default: qwen2 llama logits greedy
    parts = set(sys.argv[1:]) or {"qwen2", "llama", "logits", "greedy"}
    if "qwen2" in parts:
        qwen2_tiny()
    if "llama" in parts:
        llama_tiny()
    if parts & {"logits", "greedy"}:
        smollm2(parts)
