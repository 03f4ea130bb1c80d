#!/usr/bin/env python3
"""Is the ask-or-code decision in the *base* model's features? (a diagnostic, not CI)

Reads a mixture's train and validation chat JSONL (RUN/mix/train.jsonl, RUN/mix/validation.jsonl),
takes the frozen base SmolLM2's hidden states (layers 10, 20, 30) at the decision position — after
"The requirements are" — and fits an L2-regularised logistic regression (clear vs rewritten) on the
training prompts; prints held-out accuracy overall and per category, and how well the probe's score
separates rewritten from clear prompts whatever the threshold (ROC AUC, and the share caught at ≤ 10%
over-asking; see bench/experiments/probe_decision.py). With `--benchmark FILE` (a HumanEvalComm-format file)
it scores that file's modified prompts and the pipeline's HumanEval originals too: what a decision
trained to convergence on these features could reach on the benchmark. High held-out accuracy with a
tuned model that still cannot tell the prompts apart means the trainer, not the model's capacity,
is what falls short. Reference tools only (torch, transformers, gguf).
  .venv/bin/python bench/experiments/linear_probe_decision.py RUN/mix/train.jsonl RUN/mix/validation.jsonl [--benchmark RUN/benchmark/humanevalcomm.jsonl]
"""
import argparse, json, os, subprocess
from collections import defaultdict

import numpy as np
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

from probe_decision import benchmark_items, separation

ap = argparse.ArgumentParser()
ap.add_argument("train")
ap.add_argument("validation")
ap.add_argument("--benchmark")
ap.add_argument("--originals", type=int, default=40)
ap.add_argument("--clarifycoder", default=os.environ.get("CLARIFYCODER", ".build/release/clarifycoder"))
args = ap.parse_args()

gg, name = os.path.split(subprocess.check_output([args.clarifycoder, "data", "path", "model"], text=True).strip())
tok = AutoTokenizer.from_pretrained(gg, gguf_file=name)
model = AutoModelForCausalLM.from_pretrained(gg, gguf_file=name, torch_dtype=torch.float32).eval()
torch.set_num_threads(1)


def feats(items):
    """Features, labels (rewritten?) and categories of (category, user turn) items."""
    X, y, g = [], [], []
    for cat, user in items:
        text = tok.apply_chat_template([{"role": "user", "content": user}], tokenize=False, add_generation_prompt=True)
        ids = tok(text + "The requirements are", return_tensors="pt", add_special_tokens=False).input_ids
        with torch.no_grad():
            hs = model(ids, output_hidden_states=True).hidden_states
        X.append(torch.cat([hs[k][0, -1] for k in (10, 20, 30)]).numpy()); y.append(cat != "original"); g.append(cat)
    return np.array(X), np.array(y), g


def mixture(path):
    return [(r["metadata"]["category"], r["messages"][0]["content"]) for r in map(json.loads, open(path))]


Xtr, ytr, _ = feats(mixture(args.train))
held = {"held-out": feats(mixture(args.validation))}
if args.benchmark:
    held["benchmark"] = feats(benchmark_items(args.benchmark, args.originals, args.clarifycoder))
mu, sd = Xtr.mean(0), Xtr.std(0) + 1e-6
A = torch.tensor((Xtr - mu) / sd, dtype=torch.float32)
t = torch.tensor(ytr, dtype=torch.float32)
pos = t.mean().item()
for wd in (1e-1, 1e-2, 1e-3):
    w = torch.zeros(A.shape[1], requires_grad=True); b = torch.zeros(1, requires_grad=True)
    opt = torch.optim.LBFGS([w, b], max_iter=500)
    weights = torch.where(t > 0, 0.5 / pos, 0.5 / (1 - pos))
    def closure():
        opt.zero_grad()
        loss = (torch.nn.functional.binary_cross_entropy_with_logits(A @ w + b, t, weight=weights) + wd * (w * w).sum())
        loss.backward(); return loss
    opt.step(closure)
    with torch.no_grad():
        ptr = ((A @ w + b) > 0).numpy()
    print(f"l2={wd} train acc {np.mean(ptr == ytr):.3f}", flush=True)
    for label, (X, y, g) in held.items():
        with torch.no_grad():
            score = torch.sigmoid(torch.tensor((X - mu) / sd, dtype=torch.float32) @ w + b).numpy()
        p = score > 0.5
        per = {c: round(float(np.mean([p[i] == y[i] for i, x in enumerate(g) if x == c])), 2) for c in sorted(set(g))}
        values = defaultdict(list)
        for c, s in zip(g, score):
            values[c].append(float(s))
        print(f"  {label}: acc {np.mean(p == y):.3f}", per, flush=True)
        print(f"  {label}: " + separation(values), flush=True)
