#!/usr/bin/env bash
# HTTP backend benchmark (BENCHMARKS.md, "HTTP backends"): the OpenAI-compatible client against an
# in-process fake server on 127.0.0.1 with 200 ms latency — 1,000 requests at 64 in flight,
# ratio = achieved / ideal rate (ideal = 64 / 0.2 s = 320 req/s), median of 3 runs (--repeats); then the
# same load with injected 429s, 500s, hangs past the deadline, truncated JSON, garbage and
# connection resets: every item must complete or be reported failed, none lost or duplicated.
# Each repeat first measures the ceiling on the same server and load: bare async-http-client calls with
# none of our layers; raw_ratio is its achieved / ideal, ratio_of_raw ours / raw (our layers' share).
# Extra flags pass through: --requests N --concurrency N --latency-ms N --repeats N.
# Last stdout line: {"name":"http","ratio":…,"raw_ratio":…,"ratio_of_raw":…,"lost":0,"duplicated":0,
# "failed":…,"load_avg_start":…,…}.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product clarifycoder-http-bench >&2
exec "$(swift build -c release --show-bin-path)/clarifycoder-http-bench" "$@"
