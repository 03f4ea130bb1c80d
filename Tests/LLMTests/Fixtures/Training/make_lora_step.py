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
- qwen2-lora-step/ and qwen2_lora_step.safetensors: the same for a random Qwen2 (q/k/v biases,
  frozen as PEFT's bias="none" leaves them, untied output layer, rope theta 1e6).
- qwen2_lora_step_q8.safetensors: the same step on that Qwen2 with every projection, the
  embedding and the output layer replaced by their Q8_0 round trip (gguf-py's quantize, which
  the Swift `Quantize.encode` reproduces bit for bit): what LoRA over a quantized base must give.
"""

import os

import torch
import torch.nn.functional as F
from peft import LoraConfig, get_peft_model
from safetensors.torch import save_file
from transformers import LlamaConfig, LlamaForCausalLM, Qwen2Config, Qwen2ForCausalLM

HERE = os.path.dirname(os.path.abspath(__file__))
torch.manual_seed(0)
torch.set_num_threads(1)

def lora_step(base, vocab, name, quantize=None):
    """One PEFT LoRA step on `base`, saved as `name`.safetensors (see the module docstring)."""
    if quantize:
        with torch.no_grad():
            for module_name, param in base.named_parameters():
                if param.dim() == 2:
                    param.copy_(quantize(param))
    targets = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
    model = get_peft_model(base, LoraConfig(r=4, lora_alpha=8, lora_dropout=0.0, target_modules=targets, bias="none"))
    model.train()

    out = {}
    lora_params = {}
    for module_name, module in model.named_modules():
        if hasattr(module, "lora_A") and "default" in module.lora_A:
            path = module_name.removeprefix("base_model.model.")
            with torch.no_grad():
                module.lora_B["default"].weight.normal_(0, 0.1)
            lora_params[path] = (module.lora_A["default"].weight, module.lora_B["default"].weight)
            out[f"init.{path}.lora_A"] = module.lora_A["default"].weight.detach().clone()
            out[f"init.{path}.lora_B"] = module.lora_B["default"].weight.detach().clone()

    ids = torch.randint(0, vocab, (2, 12))
    labels = ids.clone()
    labels[0, :4] = -100      # a prompt
    labels[1, :6] = -100
    labels[1, 10:] = -100     # padding at the end of row 1
    target_ids = torch.full_like(ids, -100)
    target_ids[:, :-1] = labels[:, 1:]

    logits = model(input_ids=ids).logits
    loss = F.cross_entropy(logits.reshape(-1, vocab), target_ids.reshape(-1), ignore_index=-100)
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
    save_file({k: v.contiguous() for k, v in out.items()}, os.path.join(HERE, name + ".safetensors"))
    print(f"{name}: loss {loss.item():.6f}, {len(lora_params)} adapted modules")


def q8_0_round_trip(weight):
    import numpy as np
    from gguf import GGMLQuantizationType, quants
    data = weight.detach().numpy().astype(np.float32)
    return torch.from_numpy(quants.dequantize(quants.quantize(data, GGMLQuantizationType.Q8_0),
                                              GGMLQuantizationType.Q8_0).reshape(data.shape))


config = LlamaConfig(
    vocab_size=128, hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=4,
    num_key_value_heads=2, head_dim=8, max_position_embeddings=64, rms_norm_eps=1e-5, rope_theta=10000.0,
    tie_word_embeddings=True, initializer_range=0.2, bos_token_id=1, eos_token_id=2)
base = LlamaForCausalLM(config).float().eval()
base.save_pretrained(os.path.join(HERE, "lora-step"), safe_serialization=True)
lora_step(base, 128, "lora_step")

torch.manual_seed(1)
qwen_config = Qwen2Config(
    vocab_size=128, hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=4,
    num_key_value_heads=2, max_position_embeddings=64, rms_norm_eps=1e-6, rope_theta=1000000.0,
    tie_word_embeddings=False, initializer_range=0.2, bos_token_id=1, eos_token_id=2)
qwen = Qwen2ForCausalLM(qwen_config).float().eval()
with torch.no_grad():  # transformers initialises biases and norms to 0 and 1; make them count
    for param_name, param in qwen.named_parameters():
        if param_name.endswith(".bias") or "norm" in param_name:
            param.add_(torch.randn_like(param) * 0.1)
qwen.save_pretrained(os.path.join(HERE, "qwen2-lora-step"), safe_serialization=True)
state = {k: v.clone() for k, v in qwen.state_dict().items()}
torch.manual_seed(2)
lora_step(qwen, 128, "qwen2_lora_step")
qwen = Qwen2ForCausalLM(qwen_config).float().eval()
qwen.load_state_dict(state)
torch.manual_seed(2)
lora_step(qwen, 128, "qwen2_lora_step_q8", quantize=q8_0_round_trip)
