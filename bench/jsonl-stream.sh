#!/usr/bin/env bash
# Streaming JSONL read: `clarifycoder data inspect` (release build) over a generated 1 GB chat
# JSONL file vs. Python's `json.loads` line loop on the same file. Reports MB/s and peak RSS
# (/usr/bin/time -v) for both, medians of RUNS runs (ours and Python's alternate, so a change in
# machine load hits both), plus our peak RSS on a file 10x smaller to show memory stays flat, and
# the 1-minute load average before and after (the machine is shared; a high load means noisy
# numbers). The generated files live in /tmp and are deleted at exit.
# Last stdout line: one JSON object {"name":"jsonl-stream",...,"ratio":ours_mb_s/python_mb_s}.
#
# Needs: python3 (PYTHON=... to use another), /usr/bin/time (Debian package `time`).
#
# BUILD=swiftc: instead of the release build of the whole CLI (long on a shared 2-core machine),
# compile only what `data inspect --format chat` runs — Sources/ClarifyCore/{IO,Datasets,Domain}
# and a driver calling DatasetSummary.inspect — with the release flags (swiftc -O -wmo).
#
# Note the work differs in our disfavour: ours validates UTF-8, decodes every line into typed
# `Dialogue` values (JSONLineDecoder) and accumulates the summary; Python only parses to dicts.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MB="${SIZE_MB:-1024}"
RUNS="${RUNS:-3}"
# The baseline needs only the standard library: the system python3, or "$VENV/bin/python" when VENV
# names a venv (the convention of bench/venv.sh).
PYTHON=python3
if [ -n "${VENV:-}" ]; then
    [ -x "$VENV/bin/python" ] || { echo "jsonl-stream: no Python at $VENV/bin/python (python3 -m venv $VENV)" >&2; exit 2; }
    PYTHON="$VENV/bin/python"
fi
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time: apt-get install time" >&2; exit 2; }
load_before=$(cut -d' ' -f1 /proc/loadavg)
work="$(mktemp -d /tmp/clarifycoder-jsonl-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT

if [ "${BUILD:-release}" = swiftc ]; then
    cat > "$work/main.swift" <<'SWIFT'
import Foundation
// `clarifycoder data inspect FILE --format chat --json`, reduced to the library call it makes.
do {
    let summary = try DatasetSummary.inspect(path: CommandLine.arguments[3], format: .chat)
    print("{\"records\": \(summary.records)}")
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(1)
}
SWIFT
    nice swiftc -O -wmo -I Sources/CZlibInflate -lz -module-name ClarifyCoreBench -o "$work/inspect" \
        "$work/main.swift" Sources/ClarifyCore/IO/*.swift Sources/ClarifyCore/Datasets/*.swift \
        Sources/ClarifyCore/Domain/*.swift >&2
    bin="$work/inspect"
else
    nice swift build -c release --product clarifycoder >&2
    bin="$(swift build -c release --show-bin-path)/clarifycoder"
fi

# A realistic chat record (~1 KB): system, user problem, assistant question, user answer, code.
"$PYTHON" - "$work/big.jsonl" "$SIZE_MB" <<'PY'
import json, sys
path, size_mb = sys.argv[1], int(sys.argv[2])
target = size_mb * 1024 * 1024
with open(path, "w", encoding="utf-8") as out:
    written, i = 0, 0
    while written < target:
        record = {"messages": [
            {"role": "system", "content": "You are a careful programmer. Ask when the request is unclear."},
            {"role": "user", "content": f"Problem {i}: write a function that returns the k largest values of a list "
                                        f"of integers, sorted. Handle duplicates and k larger than the list. é中🙂"},
            {"role": "assistant", "content": "Should the result be sorted in ascending or descending order, and "
                                             "should duplicates count separately?"},
            {"role": "user", "content": "Descending; duplicates count separately."},
            {"role": "assistant", "content": f"```python\ndef top_k_{i}(xs, k):\n    return sorted(xs, reverse=True)[:k]\n```"},
        ], "metadata": {"id": f"bench/{i}", "category": "1a"}}
        line = json.dumps(record, ensure_ascii=False) + "\n"
        out.write(line)
        written += len(line.encode("utf-8"))
        i += 1
PY
lines=$(wc -l < "$work/big.jsonl")
head -n $((lines / 10)) "$work/big.jsonl" > "$work/small.jsonl"

# measure CMD... → prints "seconds peak_kb"; the command's stdout is kept in $work/stdout
measure() {
    local log="$work/time.log"
    /usr/bin/time -v "$@" > "$work/stdout" 2> "$log"
    local wall rss
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log")
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
    "$PYTHON" -c "import sys; p=sys.argv[1].split(':'); s=sum(float(x)*60**i for i,x in enumerate(reversed(p))); print(s, sys.argv[2])" "$wall" "$rss"
}

pyloop='import json, sys
n = 0
with open(sys.argv[1], "rb") as f:
    for line in f:
        if line.strip():
            json.loads(line)
            n += 1
print(n)'

ours=(); theirs=()
for _ in $(seq "$RUNS"); do
    ours+=("$(measure "$bin" data inspect "$work/big.jsonl" --format chat --json)")
    records=$("$PYTHON" -c "import json,sys; print(json.load(open(sys.argv[1]))['records'])" "$work/stdout")
    theirs+=("$(measure "$PYTHON" -c "$pyloop" "$work/big.jsonl")")
    if [ "$(cat "$work/stdout")" != "$records" ]; then echo "record counts differ" >&2; exit 1; fi
done
small="$(measure "$bin" data inspect "$work/small.jsonl" --format chat --json)"
bytes=$(stat -c %s "$work/big.jsonl")
small_bytes=$(stat -c %s "$work/small.jsonl")

load_after=$(cut -d' ' -f1 /proc/loadavg)

"$PYTHON" - "$bytes" "$small_bytes" "$records" "$small" "${ours[*]}" "${theirs[*]}" "$load_before" "$load_after" <<'PY'
import json, statistics, sys
size, small_size, records = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
load = [float(sys.argv[7]), float(sys.argv[8])]
def runs(text):
    values = text.split()
    return [(float(values[i]), int(values[i + 1])) for i in range(0, len(values), 2)]
small = runs(sys.argv[4])[0]
ours, theirs = runs(sys.argv[5]), runs(sys.argv[6])
mb = size / 1e6
ours_s = statistics.median(s for s, _ in ours)
theirs_s = statistics.median(s for s, _ in theirs)
result = {
    "name": "jsonl-stream",
    "file_mb": round(mb, 1),
    "records": records,
    "runs": len(ours),
    "ours_mb_s": round(mb / ours_s, 1),
    "ours_peak_rss_mb": round(statistics.median(r for _, r in ours) / 1024, 1),
    "ours_peak_rss_mb_at_tenth_size": round(small[1] / 1024, 1),
    "python_mb_s": round(mb / theirs_s, 1),
    "python_peak_rss_mb": round(statistics.median(r for _, r in theirs) / 1024, 1),
    "ratio": round(theirs_s / ours_s, 3),
    "load_avg_1m_before_after": load,
}
print(f"ours: {result['ours_mb_s']} MB/s, peak RSS {result['ours_peak_rss_mb']} MB "
      f"({result['ours_peak_rss_mb_at_tenth_size']} MB on a file 10x smaller); "
      f"python json loop: {result['python_mb_s']} MB/s, peak RSS {result['python_peak_rss_mb']} MB; "
      f"ratio {result['ratio']}x; load average {load[0]} -> {load[1]}", file=sys.stderr)
print(json.dumps(result))
PY
