#!/usr/bin/env python3
"""A tiny random Qwen2 model as a Hugging Face folder, for bench/trl-handoff.sh (no hub access).

    make_tiny_qwen2.py --out DIR [--tokenizer Tests/LLMTests/Fixtures/Model/qwen2-tiny] [--seed 0]

The tokenizer and ChatML chat template come from a Hugging Face folder (by default the LLM tests'
qwen2-tiny fixture: byte-level BPE, 3,000 tokens, `<|im_start|>`/`<|im_end|>`); the weights are
random (2 layers, d=64, 4 heads / 2 KV heads, untied output, 4,096 positions), small enough to
fine-tune for a few steps on a CPU. Writes config.json,
model.safetensors (fp32), generation_config.json and the tokenizer files: what
`AutoModelForCausalLM.from_pretrained(DIR)` and ClarifyCoder's engine (`--model DIR`) both read.
"""
import argparse
import os

import torch
from transformers import AutoTokenizer, Qwen2Config, Qwen2ForCausalLM


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    here = os.path.dirname(os.path.abspath(__file__))
    default = os.path.join(here, "..", "Tests", "LLMTests", "Fixtures", "Model", "qwen2-tiny")
    parser.add_argument("--tokenizer", default=default, help="a Hugging Face folder with a ChatML tokenizer")
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    tokenizer = AutoTokenizer.from_pretrained(args.tokenizer)
    if not tokenizer.chat_template or "<|im_start|>" not in tokenizer.chat_template:
        raise SystemExit(f"{args.tokenizer}: no ChatML chat template")

    torch.manual_seed(args.seed)
    config = Qwen2Config(
        vocab_size=len(tokenizer), hidden_size=64, intermediate_size=128, num_hidden_layers=2,
        num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=4096, rope_theta=1e6,
        rms_norm_eps=1e-6, tie_word_embeddings=False, bos_token_id=tokenizer.convert_tokens_to_ids("<|endoftext|>"),
        eos_token_id=tokenizer.convert_tokens_to_ids("<|im_end|>"), torch_dtype="float32")
    model = Qwen2ForCausalLM(config)
    with torch.no_grad():  # the default init gives near-zero logits; a wider spread makes changes visible
        for parameter in model.parameters():
            if parameter.dim() == 2:
                parameter.normal_(0, 0.08)
    model.save_pretrained(args.out, safe_serialization=True)
    tokenizer.save_pretrained(args.out)
    print(f"{args.out}: Qwen2, {sum(p.numel() for p in model.parameters()):,} parameters, vocab {len(tokenizer)}")


if __name__ == "__main__":
    main()
