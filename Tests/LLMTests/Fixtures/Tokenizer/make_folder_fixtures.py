"""Writes Hugging Face tokenizer-folder fixtures with transformers' own `save_pretrained`.

Run from the repository root:  .venv/bin/python Tests/LLMTests/Fixtures/Tokenizer/make_folder_fixtures.py
Needs: pip install transformers tokenizers jinja2 (after make_fixtures.py and Chat/make_fixtures.py)

  qwen2-folder/      tokenizer_config.json + chat_template.jinja as transformers 5 saves them for the
                     Qwen2-style fixture tokenizer (tokenizer.json itself is qwen2.tokenizer.json, not duplicated)
  legacy-folder/     the transformers 4 layout: chat_template, bos/eos as AddedToken objects, add_bos_token
"""
import json
import os
import shutil
import tempfile

from transformers import PreTrainedTokenizerFast

HERE = os.path.dirname(os.path.abspath(__file__))
templates = json.load(open(os.path.join(HERE, "../Chat/templates.json")))

tok = PreTrainedTokenizerFast(tokenizer_file=os.path.join(HERE, "qwen2.tokenizer.json"), eos_token="<|im_end|>",
                              pad_token="<|endoftext|>")
tok.chat_template = templates["qwen2"]
with tempfile.TemporaryDirectory() as tmp:
    tok.save_pretrained(tmp)
    out = os.path.join(HERE, "qwen2-folder")
    os.makedirs(out, exist_ok=True)
    for name in os.listdir(tmp):
        if name != "tokenizer.json":
            shutil.copy(os.path.join(tmp, name), out)

legacy = {
    "add_bos_token": True,
    "add_eos_token": False,
    "bos_token": {"__type": "AddedToken", "content": "<|endoftext|>", "lstrip": False, "normalized": False,
                  "rstrip": False, "single_word": False},
    "eos_token": {"__type": "AddedToken", "content": "<|im_end|>", "lstrip": False, "normalized": False,
                  "rstrip": False, "single_word": False},
    "chat_template": templates["llama3"],
    "model_max_length": 1000000000000000019884624838656,
    "tokenizer_class": "PreTrainedTokenizerFast",
}
os.makedirs(os.path.join(HERE, "legacy-folder"), exist_ok=True)
with open(os.path.join(HERE, "legacy-folder/tokenizer_config.json"), "w") as f:
    json.dump(legacy, f, indent=2)
