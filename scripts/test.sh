#!/usr/bin/env bash
# The project's test command (the README's and CI's): builds, fetches the embedded assets that
# some tests read (idempotent: verified files are kept), then runs the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build
"$(swift build --show-bin-path)/clarifycoder" data fetch
swift test
