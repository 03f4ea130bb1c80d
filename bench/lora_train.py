"""Baseline of bench/lora-train.sh: LoRA fine-tuning of a GGUF model (SmolLM2-135M-Instruct,
Qwen2.5-Coder-0.5B/1.5B-Instruct) with PyTorch + PEFT.

    lora_train.py make-data OUT.jsonl N        a fixed synthetic chat dataset (seeded), every
                                               example longer than 1,024 tokens, so that with
                                               left truncation of the prompt each is exactly SEQ
    lora_train.py train GGUF_DIR GGUF_NAME DATA STEPS THREADS [SEQ]
                                               STEPS optimizer steps, micro-batch 4, sequence SEQ
                                               (default 512),
                                               LoRA r=16 alpha=16 dropout 0.05 on q,k,v,o, AdamW
                                               lr 1e-4, clip 1.0, loss on the answer only

The model is the cached GGUF, which transformers dequantizes to fp32 (what ours trains on).
Tokenization is the trainer's: the prompt rendered with the chat template up to the generation
header, the answer through <|im_end|> supervised, the prompt cut from the left to fit 512.
Prints one JSON line: tokens/s over the steps (real tokens, first step included), peak RSS, losses.
"""

import json
import random
import resource
import sys
import time

WORDS = ("def return value list index count total result item key data parse check merge split "
         "sort filter number string input output loop range while if else for in not and or None "
         "True False class self append extend dict set tuple len sum max min print yield").split()


def make_data(path, n):
    rng = random.Random(1234)
    with open(path, "w") as f:
        for i in range(n):
            prompt = " ".join(rng.choice(WORDS) for _ in range(1800))
            answer = "```python\n" + "\n".join(
                "    " + " ".join(rng.choice(WORDS) for _ in range(8)) for _ in range(6)) + "\n```"
            f.write(json.dumps({"messages": [
                {"role": "user", "content": f"Task {i}: {prompt}"},
                {"role": "assistant", "content": answer}]}) + "\n")


def train(gguf_dir, gguf_name, data, steps, threads, seq=512):
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM, AutoTokenizer

    torch.set_num_threads(threads)
    torch.manual_seed(0)
    tok = AutoTokenizer.from_pretrained(gguf_dir, gguf_file=gguf_name)
    model = AutoModelForCausalLM.from_pretrained(gguf_dir, gguf_file=gguf_name, dtype=torch.float32)
    model = get_peft_model(model, LoraConfig(
        r=16, lora_alpha=16, lora_dropout=0.05, target_modules=["q_proj", "k_proj", "v_proj", "o_proj"],
        bias="none", task_type="CAUSAL_LM"))
    model.train()
    examples = []
    for line in open(data):
        messages = json.loads(line)["messages"]
        prompt = tok.apply_chat_template(messages[:1], add_generation_prompt=True, tokenize=False)
        p = tok(prompt, add_special_tokens=False)["input_ids"]
        a = tok(messages[1]["content"] + "<|im_end|>", add_special_tokens=False)["input_ids"]
        ids = (p + a)[-seq:]
        labels = ([-100] * len(p) + a)[-seq:]
        examples.append((ids, labels))
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-4, weight_decay=0.0)
    losses, tokens = [], 0
    start = time.perf_counter()
    for step in range(steps):
        batch = [examples[(step * 4 + j) % len(examples)] for j in range(4)]
        ids = torch.tensor([b[0] for b in batch])
        labels = torch.tensor([b[1] for b in batch])
        loss = model(input_ids=ids, labels=labels).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_([p for p in model.parameters() if p.requires_grad], 1.0)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        losses.append(round(loss.item(), 4))
        tokens += ids.numel()
    seconds = time.perf_counter() - start
    print(json.dumps({"tokens_per_s": tokens / seconds, "seconds": seconds, "tokens": tokens, "losses": losses,
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


if __name__ == "__main__":
    if sys.argv[1] == "make-data":
        make_data(sys.argv[2], int(sys.argv[3]))
    else:
        train(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), int(sys.argv[6]),
              int(sys.argv[7]) if len(sys.argv) > 7 else 512)
