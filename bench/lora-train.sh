#!/usr/bin/env bash
# LoRA fine-tuning throughput: `clarifycoder train` (release build) vs PyTorch + PEFT on
# SmolLM2-135M-Instruct (the cached Q4_1 GGUF, dequantized to fp32 by both), LoRA r=16 alpha=16
# dropout 0.05 on q,k,v,o, sequence 512 (prompts cut from the left), micro-batch 4, AdamW lr 1e-4,
# clip 1.0, STEPS steps on a fixed synthetic chat dataset, the same thread count, alternating
# ours/baseline for ROUNDS rounds; medians. Peak RSS of each process from /usr/bin/time.
#
#   STEPS=3 ROUNDS=2 THREADS=2 bench/lora-train.sh
#
# Needs: a venv with torch, transformers, gguf, accelerate and peft (VENV, default .venv), the
# SmolLM2 GGUF in the cache (`clarifycoder data fetch`), /usr/bin/time (Debian `time`).
# Last stdout line: {"name":"lora-train","ours_tokens_per_s":…,"baseline_tokens_per_s":…,"ratio":…,
#   "ours_peak_rss_mb":…,"baseline_peak_rss_mb":…}
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/venv.sh
require_venv lora-train "torch==2.13.0+cpu transformers gguf accelerate peft" \
    "import torch, transformers, gguf, accelerate, peft"
STEPS=${STEPS:-3}
ROUNDS=${ROUNDS:-2}
THREADS=${THREADS:-$(nproc)}
HOME_DIR=${CLARIFYCODER_HOME:-$HOME/.cache/clarifycoder}
MODEL="$HOME_DIR/assets/smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
[ -f "$MODEL" ] || { echo "missing $MODEL: run \`clarifycoder data fetch\` first" >&2; exit 1; }
OUT=bench/out/lora-train
rm -rf "$OUT"
mkdir -p "$OUT"

swift build -c release --product clarifycoder >&2
BIN=$(swift build -c release --show-bin-path)/clarifycoder
"$VENV/bin/python" bench/lora_train.py make-data "$OUT/data.jsonl" $((STEPS * 4))

for round in $(seq "$ROUNDS"); do
    echo "round $round/$ROUNDS: ours" >&2
    OPENBLAS_NUM_THREADS=$THREADS /usr/bin/time -f "%M" -o "$OUT/ours.$round.rss" "$BIN" train --model "$MODEL" \
        --data "$OUT/data.jsonl" --steps "$STEPS" --batch-size 4 --max-length 512 --too-long truncate-prompt \
        --lora-r 16 --lora-alpha 16 --lora-dropout 0.05 --lora-targets q,k,v,o --lr 1e-4 --val-every 0 \
        --checkpoint-every 0 --threads "$THREADS" --out "$OUT/run.$round" >&2
    cp "$OUT/run.$round/summary.json" "$OUT/ours.$round.json"
    echo "round $round/$ROUNDS: baseline" >&2
    OMP_NUM_THREADS=$THREADS /usr/bin/time -f "%M" -o "$OUT/baseline.$round.rss" "$VENV/bin/python" \
        bench/lora_train.py train "$(dirname "$MODEL")" "$(basename "$MODEL")" "$OUT/data.jsonl" "$STEPS" \
        "$THREADS" 2>/dev/null | tail -n 1 > "$OUT/baseline.$round.json"
done

python3 - "$OUT" "$ROUNDS" "$THREADS" <<'PY'
import json, statistics, sys
out, rounds, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
load = lambda who: [json.load(open(f"{out}/{who}.{r}.json")) for r in range(1, rounds + 1)]
rss = lambda who: max(int(open(f"{out}/{who}.{r}.rss").read().split()[-1]) for r in range(1, rounds + 1)) / 1024
ours, base = load("ours"), load("baseline")
o = statistics.median(r["tokens_per_s"] for r in ours)
b = statistics.median(r["tokens_per_s"] for r in base)
print(f"threads {threads}: per round ours {[round(r['tokens_per_s'], 1) for r in ours]}, "
      f"baseline {[round(r['tokens_per_s'], 1) for r in base]} tokens/s; final loss ours "
      f"{[r['final_loss'] for r in ours]}, baseline {[r['losses'][-1] for r in base]}", file=sys.stderr)
print(json.dumps({"name": "lora-train", "ours_tokens_per_s": round(o, 2), "baseline_tokens_per_s": round(b, 2),
                  "ratio": round(o / b, 3), "ours_peak_rss_mb": round(rss("ours"), 1),
                  "baseline_peak_rss_mb": round(rss("baseline"), 1)}))
PY
