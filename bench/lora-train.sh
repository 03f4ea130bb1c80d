#!/usr/bin/env bash
# LoRA fine-tuning throughput: `clarifycoder train` (release build) vs PyTorch + PEFT on the same
# GGUF (MODEL: smollm2, qwen2.5-coder-0.5b, qwen2.5-coder-1.5b or a path). Ours keeps the base in
# its quantization (`--base-weights quantized`, layer checkpointing as `--checkpointing` says,
# default auto: on from 300M parameters); PEFT runs the model as transformers reads it from the
# GGUF, dequantized to fp32 — the only way it runs on a CPU. LoRA r=16 alpha=16 dropout 0.05 on
# q,k,v,o, micro-batch 4 × SEQ tokens (prompts cut from the left; only the ~70-token answers are
# supervised), AdamW lr 1e-4, clip 1.0, STEPS steps on a fixed synthetic chat dataset, the same
# thread count, alternating ours/baseline for ROUNDS rounds; medians. Peak RSS from /usr/bin/time.
#
#   MODEL=qwen2.5-coder-0.5b STEPS=3 ROUNDS=2 THREADS=2 bench/lora-train.sh
#   MODEL=qwen2.5-coder-0.5b SEQ=1024 BASELINE=0 bench/lora-train.sh     # our memory at 4 × 1,024
#
# Needs: a venv with torch, transformers, gguf, accelerate and peft (VENV, default .venv; not with
# BASELINE=0), the model in the cache (`clarifycoder data fetch --only NAME`), /usr/bin/time.
# Last stdout line: {"name":"lora-train","model":…,"threads":…,"seq":…,"ours_tokens_per_s":…,
#   "baseline_tokens_per_s":…,"ratio":…,"ours_peak_rss_mb":…,"baseline_peak_rss_mb":…}
# (baseline fields null with BASELINE=0).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/venv.sh
source bench/lib/llamacpp.sh
BASELINE=${BASELINE:-1}
if [ "$BASELINE" = 1 ]; then
    require_venv lora-train "torch==2.13.0+cpu transformers gguf accelerate peft" \
        "import torch, transformers, gguf, accelerate, peft"
fi
STEPS=${STEPS:-3}
ROUNDS=${ROUNDS:-2}
THREADS=${THREADS:-$(nproc)}
SEQ=${SEQ:-512}
CHECKPOINTING=${CHECKPOINTING:-auto}
MODEL_NAME=${MODEL:-smollm2}
MODEL=$(resolve_model "$MODEL_NAME")
OUT=bench/out/lora-train
rm -rf "$OUT"
mkdir -p "$OUT"

swift build -c release --product clarifycoder >&2
BIN=$(swift build -c release --show-bin-path)/clarifycoder
python3 bench/lora_train.py make-data "$OUT/data.jsonl" $((STEPS * 4))

for round in $(seq "$ROUNDS"); do
    echo "round $round/$ROUNDS: ours" >&2
    OPENBLAS_NUM_THREADS=$THREADS /usr/bin/time -f "%M" -o "$OUT/ours.$round.rss" "$BIN" train --model "$MODEL" \
        --data "$OUT/data.jsonl" --steps "$STEPS" --batch-size 4 --max-length "$SEQ" --too-long truncate-prompt \
        --lora-r 16 --lora-alpha 16 --lora-dropout 0.05 --lora-targets q,k,v,o --lr 1e-4 --val-every 0 \
        --checkpoint-every 0 --checkpointing "$CHECKPOINTING" --threads "$THREADS" --out "$OUT/run.$round" >&2
    cp "$OUT/run.$round/summary.json" "$OUT/ours.$round.json"
    [ "$BASELINE" = 1 ] || continue
    echo "round $round/$ROUNDS: baseline" >&2
    OMP_NUM_THREADS=$THREADS /usr/bin/time -f "%M" -o "$OUT/baseline.$round.rss" "$VENV/bin/python" \
        bench/lora_train.py train "$(dirname "$MODEL")" "$(basename "$MODEL")" "$OUT/data.jsonl" "$STEPS" \
        "$THREADS" "$SEQ" 2>/dev/null | tail -n 1 > "$OUT/baseline.$round.json"
done

python3 - "$OUT" "$ROUNDS" "$THREADS" "$MODEL_NAME" "$SEQ" "$BASELINE" <<'PY'
import json, statistics, sys
out, rounds, threads, model, seq = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], int(sys.argv[5])
with_baseline = sys.argv[6] == "1"
load = lambda who: [json.load(open(f"{out}/{who}.{r}.json")) for r in range(1, rounds + 1)]
rss = lambda who: max(int(open(f"{out}/{who}.{r}.rss").read().split()[-1]) for r in range(1, rounds + 1)) / 1024
ours = load("ours")
o = statistics.median(r["tokens_per_s"] for r in ours)
line = {"name": "lora-train", "model": model, "threads": threads, "seq": seq, "ours_tokens_per_s": round(o, 2),
        "baseline_tokens_per_s": None, "ratio": None, "ours_peak_rss_mb": round(rss("ours"), 1),
        "baseline_peak_rss_mb": None}
detail = f"{model}, threads {threads}, 4 x {seq}: per round ours {[round(r['tokens_per_s'], 1) for r in ours]}"
if with_baseline:
    base = load("baseline")
    b = statistics.median(r["tokens_per_s"] for r in base)
    line.update(baseline_tokens_per_s=round(b, 2), ratio=round(o / b, 3), baseline_peak_rss_mb=round(rss("baseline"), 1))
    detail += (f", baseline {[round(r['tokens_per_s'], 1) for r in base]} tokens/s; final loss ours "
               f"{[r['final_loss'] for r in ours]}, baseline {[r['losses'][-1] for r in base]}")
print(detail, file=sys.stderr)
print(json.dumps(line))
PY
