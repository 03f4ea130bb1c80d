#!/usr/bin/env bash
# The project's test command (the README's and CI's): builds, then runs the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build
swift test
