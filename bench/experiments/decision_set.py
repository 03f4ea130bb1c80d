#!/usr/bin/env python3
"""Turns a training mixture into the ask-or-code decision alone (a diagnostic, not CI).

Every example of `clarifycoder mix` (with `mix.confirmation`) opens its first answer with "The
requirements are clear." or "The requirements are unclear."; this keeps each example's first user
turn and that sentence only, with the metadata (category, problem_id), so `clarifycoder train
--decision-weight 1 --decision-skip-prefix --group-by problem_id` fits the decision and nothing else —
the `runs/dq` experiments of BENCHMARKS.md ("The decision trained alone").
  python bench/experiments/decision_set.py RUN/mix/train.jsonl OUT/train.jsonl
  python bench/experiments/decision_set.py RUN/mix/validation.jsonl OUT/validation.jsonl
"""
import argparse, json, sys

CLEAR, UNCLEAR = "The requirements are clear.", "The requirements are unclear."

ap = argparse.ArgumentParser()
ap.add_argument("mixture")
ap.add_argument("out")
args = ap.parse_args()

counts = {CLEAR: 0, UNCLEAR: 0}
with open(args.mixture) as source, open(args.out, "w") as out:
    for number, line in enumerate(source, 1):
        record = json.loads(line)
        messages = record.get("messages") or []
        user = next((m["content"] for m in messages if m.get("role") == "user"), None)
        answer = next((m["content"] for m in messages if m.get("role") == "assistant"), None)
        if user is None or answer is None:
            sys.exit(f"{args.mixture}:{number}: no user turn or no assistant answer")
        sentence = next((s for s in (UNCLEAR, CLEAR) if answer.startswith(s)), None)
        if sentence is None:
            sys.exit(f"{args.mixture}:{number}: the first answer opens with neither {CLEAR!r} nor {UNCLEAR!r} "
                     "(mix with confirmation on)")
        counts[sentence] += 1
        out.write(json.dumps({"messages": [{"role": "user", "content": user},
                                           {"role": "assistant", "content": sentence}],
                              "metadata": record.get("metadata", {})}) + "\n")
print(f"{args.out}: {counts[CLEAR]} clear, {counts[UNCLEAR]} unclear")
