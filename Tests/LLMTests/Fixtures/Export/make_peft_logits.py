"""Golden references for LoRA adapters: PyTorch + transformers + peft (Tests/LLMTests/Export).

Run from the repository root with a venv holding torch (CPU), transformers and peft:
    .venv/bin/python Tests/LLMTests/Fixtures/Export/make_peft_logits.py

Writes, next to this script:
- peft-base/: a random Llama (2 layers, d=32, 4 heads / 2 KV heads, tied embeddings, no rope
  scaling) saved by transformers as safetensors + config.json, with the Llama-3-style test
  tokenizer of ../Model/llama-tiny.
- peft-adapter/: a peft LoRA adapter on every projection (q,k,v,o,gate,up,down), r=4, alpha=8,
  saved by `PeftModel.save_pretrained`; lora_B is drawn at random (peft starts it at zero, which
  would make the adapter a no-op and the test vacuous).
- peft-adapter-rslora/: r=4, alpha=8 with use_rslora (scale alpha/sqrt(r)) on q and v only.
- peft_logits.json: the token ids of a fixed text and, for the base and each adapter (peft's
  unmerged forward), every position's top-10 logits and the logits of every 7th id.
"""

import json
import os
import shutil

import torch
from peft import LoraConfig, PeftModel, get_peft_model
from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

HERE = os.path.dirname(os.path.abspath(__file__))
TOKENIZER = os.path.join(os.path.dirname(HERE), "Model", "llama-tiny")
TEXT = "def add(a, b):\n    return a + b  # 42"

torch.manual_seed(1234)
torch.set_num_threads(2)


def rounded(values):
    return [round(float(v), 6) for v in values]


def slices(logits, sample_ids):
    rows = []
    for row in logits:
        top = torch.topk(row, 10)
        rows.append({"top_ids": [int(i) for i in top.indices], "top_logits": rounded(top.values),
                     "sample_logits": rounded(row[sample_ids])})
    return rows


def save_base(path):
    config = LlamaConfig(vocab_size=3000, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=128,
                         rms_norm_eps=1e-5, rope_theta=10000.0, tie_word_embeddings=True, bos_token_id=0,
                         eos_token_id=2, initializer_range=0.2)
    model = LlamaForCausalLM(config).eval()
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "norm" in name:
                p.copy_(1 + 0.1 * torch.randn_like(p))
    shutil.rmtree(path, ignore_errors=True)
    model.save_pretrained(path, safe_serialization=True)
    for name in ("tokenizer.json", "tokenizer_config.json"):
        shutil.copy(os.path.join(TOKENIZER, name), os.path.join(path, name))
    return model


def save_adapter(base_path, path, targets, use_rslora):
    base = LlamaForCausalLM.from_pretrained(base_path).eval()
    config = LoraConfig(r=4, lora_alpha=8, lora_dropout=0.05, target_modules=targets, use_rslora=use_rslora,
                        task_type="CAUSAL_LM")
    model = get_peft_model(base, config)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "lora_B" in name:
                p.copy_(0.2 * torch.randn_like(p))
    shutil.rmtree(path, ignore_errors=True)
    model.save_pretrained(path)
    # A portable fixture: the base named relative to the adapter, no generated model card.
    config_path = os.path.join(path, "adapter_config.json")
    with open(config_path) as f:
        saved = json.load(f)
    saved["base_model_name_or_path"] = "../peft-base"
    with open(config_path, "w") as f:
        json.dump(saved, f, indent=2, sort_keys=True)
    os.remove(os.path.join(path, "README.md"))
    # Reload from disk, as a user would, so the reference is what the folder holds.
    return PeftModel.from_pretrained(LlamaForCausalLM.from_pretrained(base_path), path).eval()


@torch.no_grad()
def main():
    base_path = os.path.join(HERE, "peft-base")
    base = save_base(base_path)
    tokenizer = PreTrainedTokenizerFast(tokenizer_file=os.path.join(base_path, "tokenizer.json"))
    ids = tokenizer(TEXT, add_special_tokens=False)["input_ids"]
    sample_ids = list(range(0, 3000, 7))
    out = {"text": TEXT, "ids": ids, "sample_ids": sample_ids}
    out["base"] = slices(base(torch.tensor([ids])).logits[0], sample_ids)
    all_targets = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
    for key, folder, targets, rslora in [("adapter", "peft-adapter", all_targets, False),
                                         ("adapter_rslora", "peft-adapter-rslora", ["q_proj", "v_proj"], True)]:
        model = save_adapter(base_path, os.path.join(HERE, folder), targets, rslora)
        out[key] = slices(model(torch.tensor([ids])).logits[0], sample_ids)
    with open(os.path.join(HERE, "peft_logits.json"), "w") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main()
