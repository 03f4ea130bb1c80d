#!/usr/bin/env python3
"""Helpers of bench/trl-handoff.sh (PyTorch side).

    trl_handoff.py data OUT_DIR                 # train.jsonl / val.jsonl: chat dialogues, clear and unclear
    trl_handoff.py peft-logits MODEL ADAPTER VAL PROMPTS_OUT LOGITS_OUT
        # renders the first user turn of a few validation dialogues with MODEL's chat template, writes
        # their token ids (for our engine) and PEFT's next-token logits without and with the adapter
    trl_handoff.py compare PEFT_LOGITS OURS_BASE OURS_ADAPTED [OURS_MERGED]
        # prints max |Δ ours − Δ PEFT| (Δ: adapted − base) and the other figures as one JSON object
"""
import json
import random
import sys


def data(out):
    rng = random.Random(0)
    ops = [("plus", "+"), ("minus", "-"), ("times", "*")]

    def dialogue(i):
        word, op = ops[i % 3]
        n = rng.randint(2, 9)
        code = f"```python\ndef f{i}(x):\n    return x {op} {n}\n```"
        clear = {"messages": [
            {"role": "user", "content": f"Write a function f{i}(x) that returns x {word} {n}."},
            {"role": "assistant", "content": "The requirements are clear.\n" + code}]}
        unclear = {"messages": [
            {"role": "user", "content": f"Write a function f{i}(x) that returns x {word} some number."},
            {"role": "assistant", "content": "The requirements are unclear. Which number should it use?"},
            {"role": "user", "content": f"Use {n}."},
            {"role": "assistant", "content": code}]}
        return [clear, unclear]

    with open(f"{out}/train.jsonl", "w") as f:
        for i in range(24):
            for d in dialogue(i):
                f.write(json.dumps(d) + "\n")
    with open(f"{out}/val.jsonl", "w") as f:
        for i in range(24, 28):
            for d in dialogue(i):
                f.write(json.dumps(d) + "\n")


def peft_logits(model_dir, adapter, val, prompts_out, logits_out):
    import torch
    from peft import PeftModel
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    with open(val) as f:
        dialogues = [json.loads(line) for line in f][:4]
    prompts = []
    for d in dialogues:
        text = tokenizer.apply_chat_template(d["messages"][:1], tokenize=False, add_generation_prompt=True)
        prompts.append(tokenizer(text, add_special_tokens=False)["input_ids"])
    base = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32).eval()
    with torch.no_grad():
        before = [base(torch.tensor([p])).logits[0, -1].tolist() for p in prompts]
        adapted = PeftModel.from_pretrained(base, adapter).eval()
        after = [adapted(torch.tensor([p])).logits[0, -1].tolist() for p in prompts]
    json.dump(prompts, open(prompts_out, "w"))
    json.dump({"base": before, "adapted": after}, open(logits_out, "w"))


def compare(peft_file, base_file, adapted_file, merged_file=None):
    peft = json.load(open(peft_file))
    ours_base = json.load(open(base_file))["logits"]
    ours_adapted = json.load(open(adapted_file))["logits"]
    worst = lambda a, b: max(abs(x - y) for ra, rb in zip(a, b) for x, y in zip(ra, rb))
    delta = lambda after, before: [[x - y for x, y in zip(ra, rb)] for ra, rb in zip(after, before)]
    peft_delta, ours_delta = delta(peft["adapted"], peft["base"]), delta(ours_adapted, ours_base)
    result = {
        "max_logit_diff": worst(ours_delta, peft_delta),
        "max_peft_logit_change": max(abs(x) for row in peft_delta for x in row),
        "max_base_logit_diff": worst(ours_base, peft["base"]),
        "max_adapted_logit_diff": worst(ours_adapted, peft["adapted"]),
    }
    if merged_file:
        result["max_merged_logit_diff"] = worst(json.load(open(merged_file))["logits"], peft["adapted"])
    print(json.dumps(result))


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    {"data": data, "peft-logits": peft_logits, "compare": compare}[command](*args)
