#!/usr/bin/env bash
# The scale-out hand-off, end to end on a CPU: `clarifycoder train --backend trl --emit` writes the
# TRL job for a tiny random Qwen2 (bench/make_tiny_qwen2.py: a Hugging Face folder, no hub access),
# `launch.sh cpu` runs it for a few optimizer steps with `accelerate launch`, and our engine loads
# the PEFT adapter it wrote. Checks that the adapter changes our engine's next-token logits as it
# changes PEFT's own (PeftModel.from_pretrained), and that `clarifycoder export --to hf` merges it
# into the same model. Before training, `datasets` loads the job's dataset folder through its card and
# `accelerate` reads each of its configs (single_gpu, multi_gpu, fsdp, deepspeed_zero3, cpu).
# Needs: a venv with torch (CPU), transformers, trl, peft, accelerate, datasets (VENV, default .venv).
# Last two stdout lines: {"max_peft_logit_change":…,"max_base_logit_diff":…,"max_adapted_logit_diff":…,
#   "max_merged_logit_diff":…,"train_seconds":…}, then
#   {"name":"trl-handoff","ok":true|false,"steps":…,"max_logit_diff":…,"emit_dir":…}
# (max_logit_diff: the largest |Δ ours − Δ PEFT| over the vocabulary and the prompts, Δ = with − without the adapter).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/venv.sh
require_venv trl-handoff "torch transformers trl peft accelerate datasets" \
    "import torch, transformers, trl, peft, accelerate, datasets"
STEPS=${STEPS:-4}
TOLERANCE=${TOLERANCE:-1e-3}
OUT=bench/out/trl-handoff
rm -rf "$OUT"
mkdir -p "$OUT"
PY="$VENV/bin/python"

swift build --product clarifycoder >&2
swift build --product decode-bench >&2
BIN=$(swift build --show-bin-path)

"$PY" bench/make_tiny_qwen2.py --out "$OUT/tiny-qwen2" >&2
MODEL=$(cd "$OUT/tiny-qwen2" && pwd)
"$PY" bench/trl_handoff.py data "$OUT"

# The hand-off itself: our flags, TRL's run.
"$BIN/clarifycoder" train --backend trl --emit "$OUT/job" --model "$MODEL" --hf-model "$MODEL" \
    --data "$OUT/train.jsonl" --val "$OUT/val.jsonl" --steps "$STEPS" --batch-size 2 --grad-accum 2 \
    --lr 1e-2 --warmup 1 --lora-r 8 --lora-alpha 16 --max-length 256 --val-every 2 --seed 0 >&2
# The job's files as their own tools read them: the dataset card's splits, every accelerate config.
"$PY" - "$OUT/job" >&2 <<'PY'
import glob, json, sys
from accelerate.commands.config.config_args import load_config_from_file
from datasets import load_dataset
job = sys.argv[1]
data = load_dataset(f"{job}/dataset")
plan = json.load(open(f"{job}/job.json"))["data"]
assert data["train"].num_rows == plan["stages"][0]["examples"], "dataset card and job.json disagree"
for path in sorted(glob.glob(f"{job}/accelerate/*.yaml")):
    print(path.rsplit("/", 1)[1], load_config_from_file(path).distributed_type)
PY
start=$(date +%s)
PATH="$VENV/bin:$PATH" bash "$OUT/job/launch.sh" cpu >&2
train_seconds=$(( $(date +%s) - start ))
ADAPTER="$OUT/job/output/adapter"

"$PY" bench/trl_handoff.py peft-logits "$MODEL" "$ADAPTER" "$OUT/val.jsonl" "$OUT/prompts.json" "$OUT/peft.json"
"$BIN/decode-bench" "$MODEL" --logits-for "$OUT/prompts.json" > "$OUT/ours-base.json"
"$BIN/decode-bench" "$MODEL" --adapter "$ADAPTER" --logits-for "$OUT/prompts.json" > "$OUT/ours-adapted.json"
"$BIN/clarifycoder" export "$ADAPTER" --to hf --out "$OUT/merged" >&2
"$BIN/decode-bench" "$OUT/merged" --logits-for "$OUT/prompts.json" > "$OUT/ours-merged.json"
"$PY" bench/trl_handoff.py compare "$OUT/peft.json" "$OUT/ours-base.json" "$OUT/ours-adapted.json" \
    "$OUT/ours-merged.json" > "$OUT/compare.json"

python3 - "$OUT" "$TOLERANCE" "$train_seconds" <<'PY'
import json, sys
out, tolerance, seconds = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
c = json.load(open(f"{out}/compare.json"))
steps = json.load(open(f"{out}/job/output/summary.json"))["steps"]
# The adapter must move the logits (else the check is empty), and ours must move them as PEFT's do.
ok = (c["max_peft_logit_change"] > 100 * tolerance and c["max_logit_diff"] <= tolerance
      and c["max_merged_logit_diff"] <= tolerance)
print(json.dumps({"max_peft_logit_change": c["max_peft_logit_change"], "max_base_logit_diff": c["max_base_logit_diff"],
                  "max_adapted_logit_diff": c["max_adapted_logit_diff"],
                  "max_merged_logit_diff": c["max_merged_logit_diff"], "train_seconds": seconds}))
print(json.dumps({"name": "trl-handoff", "ok": ok, "steps": steps, "max_logit_diff": float(f"{c['max_logit_diff']:.3g}"),
                  "emit_dir": f"{out}/job"}, separators=(",", ":")))
PY
