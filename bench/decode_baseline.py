"""Baseline for bench/decode.sh: PyTorch + transformers decoding the same GGUF (dequantized to
fp32 by transformers), greedy with the KV cache, the same arithmetic prompt as DecodeBench.
Prints one JSON line like the Swift driver."""
import json
import resource
import sys
import time

import torch
from transformers import AutoModelForCausalLM

folder, name, threads, prompt_tokens, new_tokens, batch = sys.argv[1:7]
threads, prompt_tokens, new_tokens, batch = int(threads), int(prompt_tokens), int(new_tokens), int(batch)
torch.set_num_threads(threads)
model = AutoModelForCausalLM.from_pretrained(folder, gguf_file=name, dtype=torch.float32).eval()
prompt = [(i * 7919) % 40000 + 100 for i in range(prompt_tokens)]


@torch.no_grad()
def greedy(rows):
    start = time.perf_counter()
    out = model(torch.tensor([prompt] * rows), use_cache=True)
    prefill = time.perf_counter() - start
    past, tokens = out.past_key_values, []
    start = time.perf_counter()
    for step in range(new_tokens):
        nxt = out.logits[:, -1].argmax(-1)
        tokens.append(int(nxt[0]))
        if step == new_tokens - 1:
            break
        out = model(nxt[:, None], past_key_values=past, use_cache=True)
        past = out.past_key_values
    return prefill, time.perf_counter() - start, tokens


single = greedy(1)
batched = greedy(batch)
print(json.dumps({
    "prefill_tokens_per_s": prompt_tokens / single[0],
    "decode_tokens_per_s": (new_tokens - 1) / single[1],
    "batched_decode_tokens_per_s": batch * (new_tokens - 1) / batched[1],
    "batch": batch,
    "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "tokens": single[2],
}, sort_keys=True))
