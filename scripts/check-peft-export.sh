#!/usr/bin/env bash
# Does a LoRA run on a quantized base leave the engines the field uses able to run it?
#   1. `export --to peft`: the adapter loads in peft on the transformers model read from the same
#      GGUF (fp32), and peft's logits match ours (the quantized base, fp32 activations, adapter
#      unmerged) at every position of a chat prompt, within TOLERANCE of the largest logit.
#   2. `export --to gguf --type q8_0` (merged): llama.cpp and our engine decode the same greedy tokens.
#
#   MODEL=qwen2.5-coder-0.5b scripts/check-peft-export.sh            # trains a short run first
#   RUN=runs/x/train scripts/check-peft-export.sh                    # or checks a run you have
#
# Needs: a venv with torch, transformers, gguf, accelerate and peft (VENV, default .venv), the model
# in the cache (`clarifycoder data fetch --only NAME`), llama.cpp's libraries (bench/lib/llamacpp.sh
# builds them), g++. Last stdout line:
#   {"name":"peft-export","model":…,"positions":…,"max_logit_diff":…,"relative":…,"peft_ok":…,
#    "greedy_tokens":…,"greedy_same":…,"ok":…}
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/venv.sh
source bench/lib/llamacpp.sh
require_venv check-peft-export "torch==2.13.0+cpu transformers gguf accelerate peft" \
    "import torch, transformers, gguf, accelerate, peft"
MODEL_NAME=${MODEL:-qwen2.5-coder-0.5b}
MODEL=$(resolve_model "$MODEL_NAME")
TOLERANCE=${TOLERANCE:-0.01}
GREEDY=${GREEDY:-32}
OUT=${OUT:-bench/out/peft-export}
mkdir -p "$OUT"
llama_cpp_build llama-simple >&2

swift build --product clarifycoder >&2
swift build --product llm-bench >&2
BIN=$(swift build --show-bin-path)

if [ -z "${RUN:-}" ]; then
    RUN="$OUT/run"
    rm -rf "$RUN"
    python3 bench/lora_train.py make-data "$OUT/data.jsonl" 8
    # A short run with a high learning rate, so the adapter moves the logits well beyond rounding.
    "$BIN/clarifycoder" train --model "$MODEL" --data "$OUT/data.jsonl" --steps 2 --batch-size 2 --max-length 160 \
        --too-long truncate-prompt --lora-r 8 --lora-targets q,k,v,o,gate,up,down --lr 5e-3 --val-every 0 \
        --checkpoint-every 0 --out "$RUN" >&2
fi
rm -rf "$OUT/peft" "$OUT/merged.gguf"
"$BIN/clarifycoder" export "$RUN" --to peft --out "$OUT/peft" >&2
"$BIN/clarifycoder" export "$RUN" --to gguf --type q8_0 --out "$OUT/merged.gguf" >&2

"$VENV/bin/python" - "$MODEL" "$OUT" <<'PY' >&2
import json, os, sys
import torch
from peft import PeftModel
from transformers import AutoModelForCausalLM, AutoTokenizer
gguf, out = sys.argv[1], sys.argv[2]
directory, name = os.path.dirname(gguf), os.path.basename(gguf)
tok = AutoTokenizer.from_pretrained(directory, gguf_file=name)
text = tok.apply_chat_template([{"role": "user", "content": "Write a Python function that returns the n-th Fibonacci number."}],
                               add_generation_prompt=True, tokenize=False)
ids = tok(text, add_special_tokens=False)["input_ids"]
base = AutoModelForCausalLM.from_pretrained(directory, gguf_file=name, dtype=torch.float32)
model = PeftModel.from_pretrained(base, out + "/peft").eval()
with torch.no_grad():
    logits = model(input_ids=torch.tensor([ids])).logits[0]
    plain = model.get_base_model()
    with model.disable_adapter():
        base_logits = plain(input_ids=torch.tensor([ids])).logits[0]
sample = list(range(0, logits.shape[1], 997))
json.dump(ids, open(out + "/ids.json", "w"))
json.dump(sample, open(out + "/sample.json", "w"))
json.dump({"peft": [[float(row[i]) for i in sample] for row in logits],
           "peft_top": [[int(i) for i in torch.topk(row, 10).indices] for row in logits],
           "adapter_shift": float((logits - base_logits).abs().max())}, open(out + "/peft.json", "w"))
print(f"peft: {len(ids)} positions, the adapter moves logits by up to {float((logits - base_logits).abs().max()):.3f}")
PY

"$BIN/llm-bench" logits --model "$MODEL" --adapter "$OUT/peft" --ids "$OUT/ids.json" --sample-ids "$OUT/sample.json" \
    > "$OUT/ours.json"
"$BIN/llm-bench" logits --model "$OUT/merged.gguf" --precision native --ids "$OUT/ids.json" --greedy "$GREEDY" \
    > "$OUT/ours-greedy.json"
LIB=$(dirname "$(dirname "$LLAMA_BIN")")
g++ -O2 -std=c++17 -I"$LIB/include" -I"$LIB/ggml/include" scripts/fixtures/llama_greedy.cpp -L"$LLAMA_BIN" -lllama \
    -lggml -lggml-base -Wl,-rpath,"$LLAMA_BIN" -o "$OUT/llama_greedy"
python3 -c 'import json,sys; print(" ".join(map(str, json.load(open(sys.argv[1])))))' "$OUT/ids.json" \
    | "$OUT/llama_greedy" "$OUT/merged.gguf" "$GREEDY" > "$OUT/llamacpp-greedy.txt"

python3 - "$OUT" "$MODEL_NAME" "$TOLERANCE" <<'PY'
import json, sys
out, model, tolerance = sys.argv[1], sys.argv[2], float(sys.argv[3])
peft = json.load(open(out + "/peft.json"))
ours = json.load(open(out + "/ours.json"))
worst, scale = 0.0, 0.0
for mine, theirs in zip(ours, peft["peft"]):
    worst = max(worst, max(abs(a - b) for a, b in zip(mine["sample"], theirs)))
    scale = max(scale, max(abs(v) for v in theirs))
top_agree = sum(m["top_ids"][0] == t[0] for m, t in zip(ours, peft["peft_top"]))
ours_greedy = json.load(open(out + "/ours-greedy.json"))
steps = [s.split() for s in open(out + "/llamacpp-greedy.txt").read().split(";") if s.strip()]
theirs_greedy = [int(s[0]) for s in steps]
same = ours_greedy == theirs_greedy
first = next((i for i, (a, b) in enumerate(zip(ours_greedy, theirs_greedy)) if a != b), None)
relative = worst / max(scale, 1e-9)
print(f"{model}: {len(ours)} positions, max |ours - peft| {worst:.5f} ({relative:.2e} of the largest logit, "
      f"the adapter itself moves logits by up to {peft['adapter_shift']:.3f}); argmax agrees at {top_agree}/{len(ours)}; "
      f"merged Q8_0 greedy: ours {ours_greedy[:12]}…, llama.cpp {theirs_greedy[:12]}… "
      f"{'identical' if same else f'first difference at step {first}'}", file=sys.stderr)
ok = relative <= tolerance and same
print(json.dumps({"name": "peft-export", "model": model, "positions": len(ours), "max_logit_diff": round(worst, 6),
                  "relative": round(relative, 8), "peft_ok": relative <= tolerance, "greedy_tokens": len(ours_greedy),
                  "greedy_same": same, "ok": ok}))
PY
