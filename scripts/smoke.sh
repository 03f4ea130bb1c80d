#!/usr/bin/env bash
# CI's end-to-end smoke test (issue 8): `clarifycoder pipeline --quick` — fetch, synthesize, the
# offline benchmark, mix, LoRA training, base and tuned evaluation, report — on the real embedded
# model, then the same command again, which must reuse every stage. A smoke test, not a result:
# the quick configuration trains 16 steps. Uses the debug build (Tensor and LLM are optimized
# even there, see Package.swift), so it costs no second, release build.
# Usage: scripts/smoke.sh [RUN_DIR]   (default: a fresh temporary folder, removed afterwards)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --product clarifycoder
BIN="$(swift build --show-bin-path)/clarifycoder"
if [ $# -ge 1 ]; then RUN=$1; else
    RUN=$(mktemp -d)/quick
    trap 'rm -rf "$(dirname "$RUN")"' EXIT
fi
start=$(date +%s)
"$BIN" pipeline --quick --out "$RUN"
echo "pipeline --quick: $(( $(date +%s) - start )) s" >&2
python3 - "$RUN" <<'PY'
import json, sys
run = sys.argv[1]
ledger = json.load(open(f"{run}/pipeline.json"))
stages = ledger["stages"]
missing = [s for s in ledger["order"] if stages.get(s, {}).get("status") != "done"]
assert not missing, f"stages not done: {missing}"
summary = json.load(open(f"{run}/report/summary.json"))
models = [m["headline"] for m in summary["models"]]
assert len(models) == 2, "the report must compare the base and the tuned model"
for name in ("report.html", "report.md", "report.json", "summary.md"):
    open(f"{run}/report/{name}").close()
print("smoke: all stages done; report written;", json.dumps({k: round(v["seconds"], 1) for k, v in stages.items()}), file=sys.stderr)
PY
# A second run with the same settings must reuse every finished stage.
again=$("$BIN" pipeline --quick --out "$RUN" 2>&1)
reused=$(grep -c ": reused" <<<"$again" || true)
if [ "$reused" -ne 8 ]; then
    echo "smoke: the second run reused $reused of 8 stages:" >&2
    echo "$again" >&2
    exit 1
fi
echo "smoke: second run reused all 8 stages" >&2
