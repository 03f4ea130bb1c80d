#!/usr/bin/env python3
"""Writes a synthesis run's prompts as two chat JSONL files split by problem, for
bench/experiments/linear_probe_decision.py (a diagnostic, not CI, and never training data).

Each problem gives its original prompt (category "original") and each rewrite (its category), under
the pipeline's instruction; problems whose position in the file is `fold` modulo `folds` go to the
validation file. Run on HumanEval (`clarifycoder synthesize --problems "$(clarifycoder data path
humaneval)" …`) it asks whether the frozen model's features separate clear from rewritten prompts
*within* HumanEval's distribution — against the bank → HumanEval transfer the pipeline relies on.
With `--decision` each prompt gets its answer, "The requirements are clear." (originals) or "… unclear."
(rewrites), so that `clarifycoder train` can fit the decision on them (a diagnostic: how far training
goes within HumanEval's distribution, against the frozen features' linear read-out).
  python bench/experiments/split_probe_set.py SYNTH_DIR/examples.jsonl TRAIN.jsonl VALIDATION.jsonl [--folds 5 --fold 0] [--decision]
"""
import argparse, json

from probe_decision import INSTRUCTION

ap = argparse.ArgumentParser()
ap.add_argument("examples")
ap.add_argument("train")
ap.add_argument("validation")
ap.add_argument("--folds", type=int, default=5)
ap.add_argument("--fold", type=int, default=0)
ap.add_argument("--decision", action="store_true", help="add the decision sentence as the assistant's answer")
args = ap.parse_args()

records = [json.loads(line) for line in open(args.examples)]
problems = list(dict.fromkeys(r["problem_id"] for r in records))
held = {p for i, p in enumerate(problems) if i % args.folds == args.fold}
seen = set()
with open(args.train, "w") as train, open(args.validation, "w") as validation:
    for r in records:
        out = validation if r["problem_id"] in held else train
        items = [(r["category"], r["prompt"])]
        if r["problem_id"] not in seen:
            seen.add(r["problem_id"])
            items.insert(0, ("original", r["original_prompt"]))
        for category, prompt in items:
            messages = [{"role": "user", "content": INSTRUCTION + "\n\n" + prompt}]
            if args.decision:
                word = "clear" if category == "original" else "unclear"
                messages.append({"role": "assistant", "content": f"The requirements are {word}."})
            out.write(json.dumps({"messages": messages,
                                  "metadata": {"category": category, "problem_id": r["problem_id"]}}) + "\n")
print(f"{len(problems) - len(held)} problems to {args.train}, {len(held)} to {args.validation}")
