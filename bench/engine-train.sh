#!/usr/bin/env bash
# Tensor-engine training throughput: ClarifyCoder's engine vs PyTorch CPU on the same small GPT
# (4 layers, d=256, 4 heads, vocab 4096, T=128, B=8, AdamW, clip 1.0), alternating runs in one
# invocation with the same thread count. Also measures OpenBLAS sgemm peak and the engine's
# model-FLOPs utilisation against it.
#
#   bench/engine-train.sh                 # defaults: STEPS=20 WARMUP=3 ROUNDS=3 THREADS=$(nproc)
#   STEPS=10 ROUNDS=2 bench/engine-train.sh
#
# PyTorch comes from the venv named by VENV (default .venv; see bench/venv.sh): python3 -m venv .venv
# && .venv/bin/pip install "torch==2.13.0+cpu". Without torch the script says so and still reports ours.
# Human-readable lines go to stderr; stdout's last line is the JSON summary (medians over rounds).
set -euo pipefail
cd "$(dirname "$0")/.."
STEPS=${STEPS:-20}
WARMUP=${WARMUP:-3}
ROUNDS=${ROUNDS:-3}
THREADS=${THREADS:-$(nproc)}
source bench/venv.sh

HAVE_TORCH=1
if ! venv_has "import torch"; then
    HAVE_TORCH=0
    venv_advice engine-train "torch==2.13.0+cpu"
    echo "engine-train: reporting ours only" >&2
fi

swift build -c release --product engine-bench >&2
BIN="$(swift build -c release --show-bin-path)/engine-bench"

OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
"$BIN" sgemm --size 2048 --threads "$THREADS" | tail -n 1 > "$OUT/sgemm.json"
echo "sgemm: $(cat "$OUT/sgemm.json")" >&2
for round in $(seq 1 "$ROUNDS"); do
    "$BIN" train --steps "$STEPS" --warmup "$WARMUP" --threads "$THREADS" | tail -n 1 >> "$OUT/ours.jsonl"
    echo "round $round ours:     $(tail -n 1 "$OUT/ours.jsonl")" >&2
    if [ "$HAVE_TORCH" = 1 ]; then
        "$VENV/bin/python" bench/engine_train.py --steps "$STEPS" --warmup "$WARMUP" --threads "$THREADS" | tail -n 1 >> "$OUT/torch.jsonl"
        echo "round $round pytorch:  $(tail -n 1 "$OUT/torch.jsonl")" >&2
    fi
done

python3 - "$OUT" <<'PY'
import json, statistics, sys
from pathlib import Path
out = Path(sys.argv[1])
read = lambda name: [json.loads(l) for l in (out / name).read_text().splitlines() if l.strip()] if (out / name).exists() else []
ours, torch, sgemm = read("ours.jsonl"), read("torch.jsonl"), read("sgemm.json")[0]
median = lambda rows, key: statistics.median(r[key] for r in rows) if rows else None
ours_tps, torch_tps = median(ours, "tokens_per_s"), median(torch, "tokens_per_s")
step_s = median(ours, "step_ms_median") / 1000
mfu = ours[0]["model_gflop_per_step"] / step_s / sgemm["gflops"]
print(json.dumps({"name": "engine-train-detail", "sgemm_gflops": round(sgemm["gflops"], 1),
                  "tensor_matmul_gflops": round(sgemm["tensor_matmul_gflops"], 1),
                  "threads": sgemm["threads"], "ours_mfu_vs_sgemm_peak": round(mfu, 3),
                  "ours_model_gflops": round(ours[0]["model_gflop_per_step"] / step_s, 1),
                  "ours_last_loss": median(ours, "last_loss"), "baseline_last_loss": median(torch, "last_loss")}))
r = lambda v, d=1: None if v is None else round(v, d)
print(json.dumps({"name": "engine-train", "ours_tokens_per_s": r(ours_tps), "baseline_tokens_per_s": r(torch_tps),
                  "ratio": r(ours_tps / torch_tps, 3) if torch_tps else None,
                  "ours_peak_rss_mb": r(median(ours, "peak_rss_mb")), "baseline_peak_rss_mb": r(median(torch, "peak_rss_mb"))}))
PY
