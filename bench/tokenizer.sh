#!/usr/bin/env bash
# Tokenizer throughput: ClarifyCoder's BPE tokenizer vs Hugging Face `tokenizers` (Rust, one thread)
# on the same text with SmolLM2's vocabulary, alternating runs; checks that the ids are identical.
# Needs: a venv with `tokenizers gguf numpy` (VENV, default .venv) and the SmolLM2 GGUF in the cache.
# Last stdout line: {"name":"tokenizer","ours_mb_per_s":…,"baseline_mb_per_s":…,"ratio":…,"identical":…}
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/venv.sh
require_venv tokenizer "tokenizers gguf numpy" "import tokenizers, gguf, numpy"
ROUNDS=${ROUNDS:-3}
HOME_DIR=${CLARIFYCODER_HOME:-$HOME/.cache/clarifycoder}
MODEL="$HOME_DIR/assets/smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
[ -f "$MODEL" ] || { echo "missing $MODEL: run \`clarifycoder data fetch\` first" >&2; exit 1; }
OUT=bench/out/tokenizer
mkdir -p "$OUT"

swift build -c release --product llm-bench >&2
BIN=$(swift build -c release --show-bin-path)/llm-bench

# The same vocabulary for the baseline: the GGUF tokenizer exported to tokenizer.json by the fixture script.
"$VENV/bin/python" - "$OUT/smollm2.tokenizer.json" <<'PY'
import importlib.util, sys
spec = importlib.util.spec_from_file_location("fixtures", "Tests/LLMTests/Fixtures/Tokenizer/make_fixtures.py")
module = importlib.util.module_from_spec(spec); spec.loader.exec_module(module)
module.smollm2_tokenizer().save(sys.argv[1])
PY

# ~4 MB of text in documents of about 1 KB (prompt-sized, as evaluation and training encode them):
# Python sources (code is what we tokenize most) and the varied fixture corpus.
"$VENV/bin/python" - "$OUT/text.json" <<'PY'
import glob, json, sys
files = sorted(glob.glob("/usr/lib/python3*/*.py"))
corpus = json.load(open("Tests/LLMTests/Fixtures/Tokenizer/corpus.json"))
documents, size, current = [], 0, ""
for path in files:
    for line in open(path, encoding="utf-8", errors="ignore", newline="").read().splitlines(keepends=True) + corpus:
        current += line
        if len(current) >= 1000:
            documents.append(current)
            size += len(current.encode())
            current = ""
    if size > 4_000_000:
        break
json.dump(documents, open(sys.argv[1], "w"))
PY

ours=(); base=()
for _ in $(seq "$ROUNDS"); do
    ours+=("$("$BIN" tokenizer --gguf "$MODEL" --text "$OUT/text.json" --repeat 3 --ids-out "$OUT/ours.ids")")
    base+=("$("$VENV/bin/python" bench/tokenizer_baseline.py "$OUT/smollm2.tokenizer.json" "$OUT/text.json" 3 "$OUT/base.ids")")
done
printf '%s\n' "${ours[@]}" | sed 's/^/ours: /' >&2
printf '%s\n' "${base[@]}" | sed 's/^/baseline: /' >&2
identical=false
cmp -s "$OUT/ours.ids" "$OUT/base.ids" && identical=true
python3 - "$identical" "${ours[@]}" -- "${base[@]}" <<'PY'
import json, statistics, sys
identical, rest = sys.argv[1], sys.argv[2:]
split = rest.index("--")
ours = [json.loads(x) for x in rest[:split]]
base = [json.loads(x) for x in rest[split + 1:]]
o = statistics.median(r["mb_per_s"] for r in ours)
b = statistics.median(r["mb_per_s"] for r in base)
print(json.dumps({"name": "tokenizer", "ours_mb_per_s": round(o, 2), "baseline_mb_per_s": round(b, 2),
                  "ratio": round(o / b, 3), "bytes": ours[0]["bytes"], "tokens": ours[0]["tokens"],
                  "identical": identical == "true"}))
PY
