#!/usr/bin/env python3
"""Where a tuned model stands on the ask-or-code decision, per category (a diagnostic, not CI).

With `mix.confirmation` every first answer opens "The requirements are clear." or "The requirements
are unclear.", so the decision is the one token after "The requirements are". This script prints,
for the base model + a PEFT adapter (`RUN_DIR/train/adapter`) — or for a full fine-tune: its
exported Hugging Face folder (`clarifycoder export RUN --to hf`) or a checkpoint's
`RUN/checkpoints/step-N/weights.safetensors` over the base — the mean of
P(" unclear") / (P(" clear") + P(" unclear")) at that token, per category, on:
  - `--benchmark FILE`: a HumanEvalComm-format file's modified prompts, plus the first
    `--originals N` HumanEval prompts (category "original");
  - `--mixture FILE`: a chat JSONL of the mixture (e.g. RUN_DIR/mix/validation.jsonl), by the
    examples' metadata category.
A model that has learned the task shows high values on modified prompts and low ones on originals;
greedy decoding asks wherever the value is above 0.5. The originals are spread over HumanEval as the
pipeline's `eval.humaneval_limit` picks them. With originals and modified prompts both present it also
prints how well the value separates them, whatever the threshold: the ROC AUC, and the share of
modified prompts above the highest threshold that keeps at most 10% of the originals above it (the
over-asking target) — what a decision-prior shift could reach at best.

Reference tools only (torch, transformers, peft, gguf: the reference venv, see BENCHMARKS.md):
  .venv/bin/python bench/experiments/probe_decision.py ADAPTER --benchmark RUN/benchmark/humanevalcomm.jsonl
  .venv/bin/python bench/experiments/probe_decision.py ADAPTER --mixture RUN/mix/validation.jsonl
"""
import argparse, gzip, json, os, subprocess, sys
from collections import defaultdict

INSTRUCTION = ("You are an expert software developer who writes high quality code. With below information, please "
               "either generate Python3 code (Respond directly with code only with markdown), or ask clarifying questions:")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("adapter", help="a PEFT adapter folder; for a full fine-tune a Hugging Face model folder "
                                    "or a checkpoint's weights.safetensors")
    ap.add_argument("--benchmark")
    ap.add_argument("--mixture")
    ap.add_argument("--originals", type=int, default=40)
    ap.add_argument("--clarifycoder", default=".build/release/clarifycoder")
    ap.add_argument("--dump", help="write one JSON line per prompt (category, p_unclear) to this file")
    args = ap.parse_args()
    import torch
    torch.set_num_threads(1)
    from peft import PeftModel
    from transformers import AutoModelForCausalLM, AutoTokenizer

    gguf = subprocess.check_output([args.clarifycoder, "data", "path", "model"], text=True).strip()
    folder, name = os.path.split(gguf)
    tok = AutoTokenizer.from_pretrained(folder, gguf_file=name)
    if os.path.isdir(args.adapter) and not os.path.exists(os.path.join(args.adapter, "adapter_config.json")):
        model = AutoModelForCausalLM.from_pretrained(args.adapter, torch_dtype=torch.float32).eval()
    else:
        model = AutoModelForCausalLM.from_pretrained(folder, gguf_file=name, torch_dtype=torch.float32)
        if args.adapter.endswith(".safetensors"):
            from safetensors.torch import load_file
            result = model.load_state_dict(load_file(args.adapter), strict=False)
            if result.unexpected_keys or [k for k in result.missing_keys if k != "lm_head.weight"]:
                sys.exit(f"{args.adapter}: not this model's weights (missing {result.missing_keys[:3]}, "
                         f"unexpected {result.unexpected_keys[:3]})")
            model.eval()
        else:
            model = PeftModel.from_pretrained(model, args.adapter).eval()
    clear, unclear = (tok(w, add_special_tokens=False).input_ids[0] for w in (" clear", " unclear"))

    items = []  # (category, user turn)
    if args.benchmark:
        items += benchmark_items(args.benchmark, args.originals, args.clarifycoder)
    if args.mixture:
        for line in open(args.mixture):
            record = json.loads(line)
            items.append((record["metadata"]["category"], record["messages"][0]["content"]))
    if not items:
        sys.exit("give --benchmark and/or --mixture")

    values = defaultdict(list)
    dump = open(args.dump, "w") if args.dump else None
    with torch.no_grad():
        for category, user in items:
            text = tok.apply_chat_template([{"role": "user", "content": user}], tokenize=False, add_generation_prompt=True)
            ids = tok(text + "The requirements are", return_tensors="pt", add_special_tokens=False).input_ids
            logits = model(ids).logits[0, -1]
            p = torch.stack([logits[clear], logits[unclear]]).softmax(0)[1].item()
            values[category].append(p)
            if dump:
                dump.write(json.dumps({"category": category, "p_unclear": p}) + "\n")
    print("| category | prompts | mean P(unclear) | asks (P > 0.5) |")
    print("|---|---:|---:|---:|")
    for category, v in sorted(values.items()):
        print(f"| {category} | {len(v)} | {sum(v) / len(v):.3f} | {sum(x > 0.5 for x in v)} |")
    summary = separation(values)
    if summary:
        print("\n" + summary)


def benchmark_items(path, originals, clarifycoder):
    """(category, user turn) of a HumanEvalComm-format file's modified prompts, then the first
    `originals` HumanEval prompts spread as the pipeline's `eval.humaneval_limit` picks them."""
    items = []
    for line in open(path):
        record = json.loads(line)
        items += [(k[len("prompt"):], INSTRUCTION + "\n\n" + v) for k, v in record.items()
                  if k.startswith("prompt") and k != "prompt" and v]
    humaneval = subprocess.check_output([clarifycoder, "data", "path", "humaneval"], text=True).strip()
    opener = gzip.open if humaneval.endswith(".gz") else open
    with opener(humaneval, "rt") as f:
        every = [json.loads(l) for l in f]
    # The pipeline's spread: index i * n / count for i < count, so the first and the last part are both in.
    count = min(originals, len(every))
    problems = [every[i * len(every) // count] for i in range(count)]
    return items + [("original", INSTRUCTION + "\n\n" + p["prompt"]) for p in problems]


def separation(values):
    """How well scores (category → values, high = ask) separate modified prompts from the
    "original" ones: the ROC AUC and the share of modified prompts above the highest threshold
    that keeps at most 10% of the originals above it; None without both kinds."""
    clear_values = values.get("original", [])
    modified = [x for c, v in values.items() if c != "original" for x in v]
    if not clear_values or not modified:
        return None
    # AUC: the chance that a modified prompt scores above an original (ties count half).
    auc = sum((m > o) + 0.5 * (m == o) for m in modified for o in clear_values) / (len(modified) * len(clear_values))
    allowed = len(clear_values) // 10
    threshold = sorted(clear_values, reverse=True)[allowed]  # above it: at most 10% of the originals
    reach = sum(m > threshold for m in modified) / len(modified)
    return (f"ROC AUC {auc:.3f}; at a threshold of {threshold:.3f} ({allowed}/{len(clear_values)} originals above it) "
            f"{reach:.1%} of {len(modified)} modified prompts are above it")


if __name__ == "__main__":
    main()
