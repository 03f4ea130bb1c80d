#!/usr/bin/env python3
"""Is the ask-or-code decision in the *base* model's features? (a diagnostic, not CI)

Reads a mixture's train and validation chat JSONL (RUN/mix/train.jsonl, RUN/mix/validation.jsonl),
takes the frozen base SmolLM2's hidden states (layers 10, 20, 30) at the decision position — after
"The requirements are" — and fits an L2-regularised logistic regression (clear vs rewritten) on the
training prompts; prints held-out accuracy overall and per category. High held-out accuracy with a
tuned model that still cannot tell the prompts apart means the trainer, not the model's capacity,
is what falls short. Reference tools only (torch, transformers, gguf).
  python scripts/linear_probe_decision.py RUN/mix/train.jsonl RUN/mix/validation.jsonl
"""
import json, sys, torch, numpy as np
from transformers import AutoModelForCausalLM, AutoTokenizer
import os, subprocess
gg, name = os.path.split(subprocess.check_output([os.environ.get("CLARIFYCODER", ".build/release/clarifycoder"), "data", "path", "model"], text=True).strip())
tok = AutoTokenizer.from_pretrained(gg, gguf_file=name)
model = AutoModelForCausalLM.from_pretrained(gg, gguf_file=name, torch_dtype=torch.float32).eval()
torch.set_num_threads(1)
def feats(path):
    X, y, g = [], [], []
    for l in open(path):
        r = json.loads(l); m = r["messages"]; cat = r["metadata"]["category"]
        text = tok.apply_chat_template([m[0]], tokenize=False, add_generation_prompt=True) + "The requirements are"
        ids = tok(text, return_tensors="pt", add_special_tokens=False).input_ids
        with torch.no_grad():
            hs = model(ids, output_hidden_states=True).hidden_states
        X.append(torch.cat([hs[k][0, -1] for k in (10, 20, 30)]).numpy()); y.append(cat != "original"); g.append(cat)
    return np.array(X), np.array(y), g
Xtr, ytr, _ = feats(sys.argv[1]); Xva, yva, gva = feats(sys.argv[2])
mu, sd = Xtr.mean(0), Xtr.std(0) + 1e-6
A = torch.tensor((Xtr - mu) / sd, dtype=torch.float32); B = torch.tensor((Xva - mu) / sd, dtype=torch.float32)
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
        ptr = ((A @ w + b) > 0).numpy(); p = ((B @ w + b) > 0).numpy()
    per = {c: round(float(np.mean(p[[i for i, x in enumerate(gva) if x == c]] == yva[[i for i, x in enumerate(gva) if x == c]])), 2) for c in sorted(set(gva))}
    print(f"l2={wd} train acc {np.mean(ptr == ytr):.3f} held-out acc {np.mean(p == yva):.3f}", per, flush=True)
