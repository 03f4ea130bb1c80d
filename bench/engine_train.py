#!/usr/bin/env python3
"""PyTorch CPU baseline for bench/engine-train.sh: the same small GPT as Benchmarks/EngineBench/GPT.swift
(nanoGPT-style: learned positions, pre-LayerNorm, separate q/k/v projections with biases, causal
SDPA, 4x GELU-tanh MLP, lm_head tied to the token embedding), the same batches, AdamW with the
same settings and gradient clipping at 1.0. Prints one JSON line with the same fields as
`engine-bench train`.

torch comes from the CPU wheel: python3 -m venv .venv && .venv/bin/pip install "torch==2.13.0+cpu"
"""
import argparse
import json
import math
import resource
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

V, T, L, H, D = 4096, 128, 4, 4, 256


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(D), nn.LayerNorm(D)
        self.q, self.k, self.v, self.o = (nn.Linear(D, D) for _ in range(4))
        self.fc, self.proj = nn.Linear(D, 4 * D), nn.Linear(4 * D, D)

    def forward(self, x):
        b, t, _ = x.shape
        a = self.ln1(x)
        q, k, v = (f(a).view(b, t, H, D // H).transpose(1, 2) for f in (self.q, self.k, self.v))
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True).transpose(1, 2).reshape(b, t, D)
        x = x + self.o(y)
        return x + self.proj(F.gelu(self.fc(self.ln2(x)), approximate="tanh"))


class GPT(nn.Module):
    def __init__(self):
        super().__init__()
        self.wte, self.wpe = nn.Embedding(V, D), nn.Embedding(T, D)
        self.blocks = nn.ModuleList(Block() for _ in range(L))
        self.ln_f = nn.LayerNorm(D)
        for name, p in self.named_parameters():
            if p.dim() == 2:
                std = 0.02 / math.sqrt(2 * L) if name.endswith(("o.weight", "proj.weight")) else 0.02
                nn.init.normal_(p, 0.0, std)
            elif name.endswith("bias"):
                nn.init.zeros_(p)

    def forward(self, ids, targets):
        x = self.wte(ids) + self.wpe(torch.arange(ids.shape[1]))
        for block in self.blocks:
            x = block(x)
        logits = self.ln_f(x) @ self.wte.weight.T
        return F.cross_entropy(logits.view(-1, V), targets.reshape(-1))


def make_batch(generator, batch):
    start = torch.randint(0, V, (batch, 1), generator=generator)
    seq = [start]
    for _ in range(T):
        seq.append((7 * seq[-1] + 3) % V)
    seq = torch.cat(seq, dim=1)
    return seq[:, :T], seq[:, 1:]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--threads", type=int, default=torch.get_num_threads())
    parser.add_argument("--batch", type=int, default=8)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1337)
    model = GPT()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, betas=(0.9, 0.95), eps=1e-8, weight_decay=0.1)
    generator = torch.Generator().manual_seed(42)
    times, first, last = [], None, None
    for step in range(args.warmup + args.steps):
        ids, targets = make_batch(generator, args.batch)
        start = time.perf_counter()
        loss = model(ids, targets)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        elapsed = time.perf_counter() - start
        first = loss.item() if first is None else first
        last = loss.item()
        if step >= args.warmup:
            times.append(elapsed)
    tokens = args.batch * T
    print(json.dumps({
        "impl": "pytorch", "torch": torch.__version__, "threads": torch.get_num_threads(), "steps": args.steps,
        "tokens_per_s": tokens * args.steps / sum(times),
        "step_ms_median": sorted(times)[len(times) // 2] * 1000,
        "first_loss": first, "last_loss": last,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }, sort_keys=True))


if __name__ == "__main__":
    main()
