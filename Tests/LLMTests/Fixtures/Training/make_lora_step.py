"""Golden reference for one LoRA training step (Tests/LLMTests/Training/LoRAStepTests.swift).

Run from the repository root with a venv holding torch (CPU), transformers and peft:
    .venv/bin/python Tests/LLMTests/Fixtures/Training/make_lora_step.py

Writes, next to this script:
- lora-step/: a random Llama (2 layers, hidden 32, 4 query heads over 2 kv heads, tied
  embeddings, vocabulary 128) saved by transformers as config.json + model.safetensors.
- lora_step.safetensors: PEFT LoRA (r=4, alpha=8, no dropout) on all seven projections of that
  model; a batch of 2 rows × 12 tokens with next-token targets (-100 where ignored);
    input.ids, input.targets            (2, 12) as f32 (small integers, exact)
    loss                                (1,)   mean cross-entropy over the kept targets
    init.<module>.lora_A / .lora_B      A and B before the step (B random, not PEFT's zero, so
                                        that A's gradient is not trivially zero)
    grad.<module>.lora_A / .lora_B      their gradients
    after.<module>.lora_A / .lora_B     after one torch.optim.AdamW step (lr 1e-3, wd 0.01)
  <module> is the transformers module path, e.g. model.layers.0.self_attn.q_proj.
"""

import os

import torch
import torch.nn.functional as F
from peft import LoraConfig, get_peft_model
from safetensors.torch import save_file
from transformers import LlamaConfig, LlamaForCausalLM

HERE = os.path.dirname(os.path.abspath(__file__))
torch.manual_seed(0)
torch.set_num_threads(1)

config = LlamaConfig(
    vocab_size=128, hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=4,
    num_key_value_heads=2, head_dim=8, max_position_embeddings=64, rms_norm_eps=1e-5, rope_theta=10000.0,
    tie_word_embeddings=True, initializer_range=0.2, bos_token_id=1, eos_token_id=2)
base = LlamaForCausalLM(config).float().eval()
base.save_pretrained(os.path.join(HERE, "lora-step"), safe_serialization=True)

targets = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
model = get_peft_model(base, LoraConfig(r=4, lora_alpha=8, lora_dropout=0.0, target_modules=targets, bias="none"))
model.train()

out = {}
lora_params = {}
for name, module in model.named_modules():
    if hasattr(module, "lora_A") and "default" in module.lora_A:
        path = name.removeprefix("base_model.model.")
        with torch.no_grad():
            module.lora_B["default"].weight.normal_(0, 0.1)
        lora_params[path] = (module.lora_A["default"].weight, module.lora_B["default"].weight)
        out[f"init.{path}.lora_A"] = module.lora_A["default"].weight.detach().clone()
        out[f"init.{path}.lora_B"] = module.lora_B["default"].weight.detach().clone()

ids = torch.randint(0, 128, (2, 12))
labels = ids.clone()
labels[0, :4] = -100      # a prompt
labels[1, :6] = -100
labels[1, 10:] = -100     # padding at the end of row 1
target_ids = torch.full_like(ids, -100)
target_ids[:, :-1] = labels[:, 1:]

logits = model(input_ids=ids).logits
loss = F.cross_entropy(logits.reshape(-1, 128), target_ids.reshape(-1), ignore_index=-100)
loss.backward()
for path, (a, b) in lora_params.items():
    out[f"grad.{path}.lora_A"] = a.grad.detach().clone()
    out[f"grad.{path}.lora_B"] = b.grad.detach().clone()

trainable = [p for p in model.parameters() if p.requires_grad]
assert len(trainable) == 2 * len(lora_params)
optimizer = torch.optim.AdamW(trainable, lr=1e-3, weight_decay=0.01)
optimizer.step()
for path, (a, b) in lora_params.items():
    out[f"after.{path}.lora_A"] = a.detach().clone()
    out[f"after.{path}.lora_B"] = b.detach().clone()

out["input.ids"] = ids.float()
out["input.targets"] = target_ids.float()
out["loss"] = loss.detach().reshape(1)
save_file({k: v.contiguous() for k, v in out.items()}, os.path.join(HERE, "lora_step.safetensors"))
print(f"loss {loss.item():.6f}, {len(lora_params)} adapted modules")
