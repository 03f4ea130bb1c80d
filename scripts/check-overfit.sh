#!/usr/bin/env bash
# Can LoRA over the quantized base learn a small set by heart? 16 short dialogues (a made-up fact
# per question, so the base cannot know the answers), LoRA r=16 on every projection over the
# frozen quantized base, STEPS steps of 4 (lr LR, SCHEDULE decay); then greedy decoding with the adapter, unmerged, on the
# quantized base must give back every answer. The issue's bar: final loss < 0.1 and all 16 answers.
#
#   MODEL=qwen2.5-coder-0.5b scripts/check-overfit.sh
#
# Last stdout line: {"name":"overfit","model":…,"steps":…,"final_loss":…,"reproduced":…,"of":16,
#   "wall_s":…,"ok":…}
set -euo pipefail
cd "$(dirname "$0")/.."
MODEL=${MODEL:-qwen2.5-coder-0.5b}
STEPS=${STEPS:-100}
LR=${LR:-1e-3}
SCHEDULE=${SCHEDULE:-cosine}
OUT=${OUT:-bench/out/overfit}
rm -rf "$OUT"
mkdir -p "$OUT"
swift build --product clarifycoder >&2
BIN=$(swift build --show-bin-path)/clarifycoder

python3 - "$OUT/data.jsonl" <<'PY'
import json, sys
animals = ["otter", "heron", "lynx", "gecko", "bison", "koala", "marten", "ibis",
           "tapir", "dingo", "okapi", "quokka", "serval", "puffin", "caracal", "wombat"]
codes = ["violet-42", "amber-17", "cobalt-93", "ivory-08", "scarlet-61", "jade-25", "onyx-70", "coral-34",
         "saffron-56", "teal-89", "umber-12", "azure-47", "ochre-03", "plum-78", "slate-21", "mint-65"]
with open(sys.argv[1], "w") as f:
    for animal, code in zip(animals, codes):
        f.write(json.dumps({"messages": [{"role": "user", "content": f"What is the vault code of the {animal}?"},
                                         {"role": "assistant", "content": f"The {animal}'s vault code is {code}."}]}) + "\n")
PY

start=$(date +%s)
"$BIN" train --model "$MODEL" --data "$OUT/data.jsonl" --steps "$STEPS" --batch-size 4 --max-length 128 \
    --lora-r 16 --lora-alpha 32 --lora-dropout 0 --lora-targets q,k,v,o,gate,up,down --lr "$LR" --schedule "$SCHEDULE" \
    --val-every 0 --checkpoint-every 0 --out "$OUT/run" >&2
wall=$(( $(date +%s) - start ))

reproduced=0
while IFS= read -r line; do
    question=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["messages"][0]["content"])' "$line")
    answer=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["messages"][1]["content"])' "$line")
    got=$("$BIN" generate --chat --model "$MODEL" --adapter "$OUT/run/adapter" --max-tokens 24 --prompt "$question" 2>/dev/null || true)
    if [ "$(printf %s "$got" | tr -d '\n')" = "$answer" ]; then
        reproduced=$((reproduced + 1))
    else
        echo "differs: $question → '$got' (expected '$answer')" >&2
    fi
done < "$OUT/data.jsonl"

python3 - "$OUT/run/summary.json" "$MODEL" "$STEPS" "$reproduced" "$wall" <<'PY'
import json, sys
summary = json.load(open(sys.argv[1]))
loss, reproduced = summary["final_loss"], int(sys.argv[4])
print(json.dumps({"name": "overfit", "model": sys.argv[2], "steps": int(sys.argv[3]), "final_loss": round(loss, 4),
                  "reproduced": reproduced, "of": 16, "wall_s": int(sys.argv[5]),
                  "ok": loss < 0.1 and reproduced == 16}))
PY
