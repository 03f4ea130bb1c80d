#!/usr/bin/env bash
# HTTP backend benchmark (DESIGN.md "HTTP backends"): the OpenAI-compatible client against an
# in-process fake server on 127.0.0.1 with 200 ms latency — 1,000 requests at 64 in flight,
# ratio = achieved / ideal rate (ideal = 64 / 0.2 s = 320 req/s), median of 3 runs; then the
# same load with injected 429s, 500s, hangs past the deadline, truncated JSON, garbage and
# connection resets: every item must complete or be reported failed, none lost or duplicated.
# Extra flags pass through: --requests N --concurrency N --latency-ms N --repeats N.
# Last stdout line: {"name":"http","ratio":…,"lost":0,"duplicated":0,"failed":…,"requests":…}.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product clarifycoder-http-bench >&2
exec "$(swift build -c release --show-bin-path)/clarifycoder-http-bench" "$@"
