#!/usr/bin/env bash
# Decoding speed of our engine against llama.cpp on the same GGUF file and thread count (issue 21):
# prompt 128 tokens, 128 new tokens, greedy; batch 1 (prefill and decode tokens/s) and BATCH
# sequences decoding together (total generated tokens/s). Rounds alternate ours / llama.cpp; medians.
#   ours:      decode-bench (release build), weights kept in their GGUF quantization
#   llama.cpp: llama-bench -p 128 -n 128, llama-batched-bench -npp 128 -ntg 128 -npl BATCH,
#              built from the llama-cpp-python==0.3.36 sdist (bench/lib/llamacpp.sh; once, cached)
# Usage: MODEL=qwen2.5-coder-0.5b|qwen2.5-coder-1.5b|smollm2|PATH THREADS=2 ROUNDS=3 BATCH=16 bench/decode.sh
# Needs: the model in the cache (`clarifycoder data fetch --only NAME`), pip, cmake (installed by pip
# when missing) and a C++ compiler for the first llama.cpp build. PYTORCH=1 adds the older side-by-side
# with PyTorch + transformers (second-to-last line; needs VENV, see BENCHMARKS.md).
# Last stdout line: {"name":"decode","model":…,"threads":…,"ours_tokens_per_s":…,"llamacpp_tokens_per_s":…,
#   "ratio":…,"ours_prefill_tokens_per_s":…,"llamacpp_prefill_tokens_per_s":…,"prefill_ratio":…,
#   "ours_batched_tokens_per_s":…,"llamacpp_batched_tokens_per_s":…,"batched_ratio":…,"ours_peak_rss_mb":…}
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib/llamacpp.sh
MODEL=${MODEL:-qwen2.5-coder-0.5b}
THREADS=${THREADS:-2}
if [ "${PYTORCH:-0}" = 1 ]; then
    source bench/venv.sh
    require_venv decode "torch==2.13.0+cpu transformers gguf accelerate" "import torch, transformers, gguf, accelerate"
fi
ROUNDS=${ROUNDS:-3}
BATCH=${BATCH:-16}
PROMPT=128
NEW=128
GGUF=$(resolve_model "$MODEL")
OUT=bench/out/decode
mkdir -p "$OUT"
rm -f "$OUT"/*.json "$OUT"/*.txt

swift build -c release --product decode-bench >&2
BIN=$(swift build -c release --show-bin-path)/decode-bench
llama_cpp_build llama-bench llama-batched-bench

for round in $(seq "$ROUNDS"); do
    echo "round $round/$ROUNDS: ours" >&2
    OPENBLAS_NUM_THREADS=$THREADS "$BIN" "$GGUF" --threads "$THREADS" --batch "$BATCH" \
        --prompt-tokens "$PROMPT" --new-tokens "$NEW" > "$OUT/ours.$round.json"
    echo "round $round/$ROUNDS: llama.cpp" >&2
    "$LLAMA_BIN/llama-bench" -m "$GGUF" -t "$THREADS" -p "$PROMPT" -n "$NEW" -r 1 -o json \
        > "$OUT/llamacpp.$round.json" 2>/dev/null
    "$LLAMA_BIN/llama-batched-bench" -m "$GGUF" -t "$THREADS" -c $((BATCH * (PROMPT + NEW) + 64)) -b 2048 \
        -ub 512 -npp "$PROMPT" -ntg "$NEW" -npl "$BATCH" > "$OUT/llamacpp-batched.$round.txt" 2>/dev/null
done

if [ "${PYTORCH:-0}" = 1 ]; then
    OMP_NUM_THREADS=$THREADS "$VENV/bin/python" bench/decode_baseline.py "$(dirname "$GGUF")" \
        "$(basename "$GGUF")" "$THREADS" "$PROMPT" "$NEW" 1 2>/dev/null > "$OUT/pytorch.json"
fi

python3 - "$OUT" "$ROUNDS" "$THREADS" "$MODEL" "$BATCH" <<'PY'
import json, os, re, statistics, sys
out, rounds, threads, model, batch = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], int(sys.argv[5])
runs = range(1, rounds + 1)
ours = [json.load(open(f"{out}/ours.{r}.json")) for r in runs]
def llama_bench(r):
    tests = json.load(open(f"{out}/llamacpp.{r}.json"))
    prefill = next(t["avg_ts"] for t in tests if t["n_prompt"] > 0 and t["n_gen"] == 0)
    decode = next(t["avg_ts"] for t in tests if t["n_gen"] > 0 and t["n_prompt"] == 0)
    return prefill, decode
def batched(r):
    # The table row: |  PP |  TG |  B | N_KV | T_PP s | S_PP t/s | T_TG s | S_TG t/s | T s | S t/s |
    for line in open(f"{out}/llamacpp-batched.{r}.txt"):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 8 and cells[2] == str(batch) and re.fullmatch(r"[\d.]+", cells[7]):
            return float(cells[7])
    raise SystemExit(f"no {batch}-sequence row in {out}/llamacpp-batched.{r}.txt")
llama = [llama_bench(r) for r in runs]
med = statistics.median
o_dec, o_pre = med(r["decode_tokens_per_s"] for r in ours), med(r["prefill_tokens_per_s"] for r in ours)
o_bat = med(r["batched_decode_tokens_per_s"] for r in ours)
l_pre, l_dec = med(p for p, _ in llama), med(d for _, d in llama)
l_bat = med(batched(r) for r in runs)
load = os.getloadavg()[0]
print(f"{model}, {threads} threads, load {load:.2f}: decode ours {o_dec:.1f} vs llama.cpp {l_dec:.1f}; prefill "
      f"{o_pre:.1f} vs {l_pre:.1f}; {batch} sequences {o_bat:.1f} vs {l_bat:.1f} tokens/s", file=sys.stderr)
if os.path.exists(f"{out}/pytorch.json"):
    torch = json.load(open(f"{out}/pytorch.json"))
    print(json.dumps({"name": "decode_pytorch", "model": model, "threads": threads,
                      "ours_tokens_per_s": round(o_dec, 2), "baseline_tokens_per_s": round(torch["decode_tokens_per_s"], 2),
                      "ratio": round(o_dec / torch["decode_tokens_per_s"], 3)}))
print(json.dumps({
    "name": "decode", "model": model, "threads": threads,
    "ours_tokens_per_s": round(o_dec, 2), "llamacpp_tokens_per_s": round(l_dec, 2), "ratio": round(o_dec / l_dec, 3),
    "ours_prefill_tokens_per_s": round(o_pre, 2), "llamacpp_prefill_tokens_per_s": round(l_pre, 2),
    "prefill_ratio": round(o_pre / l_pre, 3),
    "ours_batched_tokens_per_s": round(o_bat, 2), "llamacpp_batched_tokens_per_s": round(l_bat, 2),
    "batched_ratio": round(o_bat / l_bat, 3),
    "ours_peak_rss_mb": round(max(r["peak_rss_mb"] for r in ours), 1),
    "load_average": round(load, 2),
}))
PY
