#!/usr/bin/env bash
# Greedy decoding of SmolLM2-135M-Instruct (prompt 128 tokens, 128 new tokens) in ClarifyCoder
# (release build, Q4_1 weights with the fused kernels) and in PyTorch + transformers (the same
# GGUF dequantized to fp32), the same thread count, alternating rounds; medians. Also batched
# decode throughput (BATCH sequences) and whether the greedy tokens are identical.
# Needs: a venv with `torch transformers gguf accelerate` (VENV, default .venv) and the SmolLM2
# GGUF in the cache (`clarifycoder data fetch`).
# Last stdout line: {"name":"decode","ours_tokens_per_s":…,"baseline_tokens_per_s":…,"ratio":…,
#   "ours_prefill_tokens_per_s":…,"baseline_prefill_tokens_per_s":…,"ours_peak_rss_mb":…}
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/venv.sh
require_venv decode "torch==2.13.0+cpu transformers gguf accelerate" "import torch, transformers, gguf, accelerate"
ROUNDS=${ROUNDS:-3}
THREADS=${THREADS:-1}
BATCH=${BATCH:-8}
PRECISION=${PRECISION:-native}
HOME_DIR=${CLARIFYCODER_HOME:-$HOME/.cache/clarifycoder}
MODEL="$HOME_DIR/assets/smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
[ -f "$MODEL" ] || { echo "missing $MODEL: run \`clarifycoder data fetch\` first" >&2; exit 1; }
OUT=bench/out/decode
mkdir -p "$OUT"
rm -f "$OUT"/*.json

swift build -c release --product decode-bench >&2
BIN=$(swift build -c release --show-bin-path)/decode-bench

for round in $(seq "$ROUNDS"); do
    echo "round $round/$ROUNDS: ours" >&2
    OPENBLAS_NUM_THREADS=$THREADS "$BIN" "$MODEL" --threads "$THREADS" --batch "$BATCH" \
        --precision "$PRECISION" > "$OUT/ours.$round.json"
    echo "round $round/$ROUNDS: baseline" >&2
    OMP_NUM_THREADS=$THREADS "$VENV/bin/python" bench/decode_baseline.py "$(dirname "$MODEL")" \
        "$(basename "$MODEL")" "$THREADS" 128 128 "$BATCH" 2>/dev/null > "$OUT/baseline.$round.json"
done

"$VENV/bin/python" - "$OUT" "$ROUNDS" "$THREADS" <<'PY'
import json, statistics, sys
out, rounds, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
load = lambda who: [json.load(open(f"{out}/{who}.{r}.json")) for r in range(1, rounds + 1)]
ours, base = load("ours"), load("baseline")
med = lambda runs, key: statistics.median(r[key] for r in runs)
same = sum(a == b for a, b in zip(ours[0]["tokens"], base[0]["tokens"]))
print(f"threads {threads}, batch {ours[0]['batch']}: batched decode ours "
      f"{med(ours, 'batched_decode_tokens_per_s'):.1f} vs baseline {med(base, 'batched_decode_tokens_per_s'):.1f} tokens/s; "
      f"greedy tokens identical {same}/{len(base[0]['tokens'])}", file=sys.stderr)
summary = {
    "name": "decode",
    "ours_tokens_per_s": round(med(ours, "decode_tokens_per_s"), 2),
    "baseline_tokens_per_s": round(med(base, "decode_tokens_per_s"), 2),
    "ratio": round(med(ours, "decode_tokens_per_s") / med(base, "decode_tokens_per_s"), 3),
    "ours_prefill_tokens_per_s": round(med(ours, "prefill_tokens_per_s"), 2),
    "baseline_prefill_tokens_per_s": round(med(base, "prefill_tokens_per_s"), 2),
    "ours_peak_rss_mb": round(max(r["peak_rss_mb"] for r in ours), 1),
}
print(json.dumps({
    "name": "decode_batched", "batch": ours[0]["batch"],
    "ours_tokens_per_s": round(med(ours, "batched_decode_tokens_per_s"), 2),
    "baseline_tokens_per_s": round(med(base, "batched_decode_tokens_per_s"), 2),
    "greedy_tokens_identical": same, "greedy_tokens": len(base[0]["tokens"]),
}))
print(json.dumps(summary))
PY
