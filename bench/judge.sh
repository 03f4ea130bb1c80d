#!/usr/bin/env bash
# Local question judge against GPT-3.5's grades (BENCHMARKS.md, "Local question judge"): `clarifycoder
# grade` with each judge variant and model on the calibration file (bench/judge/, the deepseek-llm-7b-chat
# log of HumanEvalComm converted by scripts/humanevalcomm_log_to_grade.py), grades only (--no-answers).
# Usage: bench/judge.sh [ONLY] [MODEL...]   ONLY: questions (default), questions_balanced, all.
# Environment: VARIANTS (default "prompt steps"), DATA (default the calibration file), BIN (a built
# clarifycoder; default the debug build), THREADS (default 2). Runs under nice -n 15.
# Each run's summary is in bench/out/judge/MODEL-VARIANT/summary.md; one JSON line per run on stdout:
# {"name":"judge","model":…,"variant":…,"items":…,"kappa":…,"exact":…,"gqr":…,"reference_gqr":…,
#  "seconds_per_item":…,"load_avg_start":…}.
set -euo pipefail
cd "$(dirname "$0")/.."
ONLY=${1:-questions}
shift || true
MODELS=("${@:-qwen2.5-coder-1.5b}")
VARIANTS=${VARIANTS:-prompt steps}
DATA=${DATA:-bench/judge/deepseek-llm-7b-chat.unfenced.jsonl}
BIN=${BIN:-.build/debug/clarifycoder}
THREADS=${THREADS:-2}
[ -x "$BIN" ] || swift build --product clarifycoder >&2
mkdir -p bench/out/judge
for model in "${MODELS[@]}"; do
    for variant in $VARIANTS; do
        out=bench/out/judge/$model-$variant-$ONLY
        load=$(cut -d' ' -f1 /proc/loadavg)
        nice -n 15 "$BIN" grade --data "$DATA" --evaluator "local:$model:$variant" --only "$ONLY" --no-answers \
            --threads "$THREADS" --out "$out" --json > "$out.json"
        python3 - "$out.json" "$model" "$variant" "$load" "$ONLY" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
sub = next(x for x in s["subsets"] if x["name"] == sys.argv[5])
a = sub.get("agreement") or {}
print(json.dumps({"name": "judge", "model": sys.argv[2], "variant": sys.argv[3], "items": sub["items"],
                  "kappa": a.get("quadratic_kappa"), "exact": a.get("exact"), "gqr": sub["good_question_rate"],
                  "reference_gqr": sub.get("reference_good_question_rate"),
                  "seconds_per_item": s.get("seconds_per_item"), "load_avg_start": float(sys.argv[4])}))
PY
    done
done
