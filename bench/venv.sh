# Sourced by the bench/*.sh scripts that compare against a Python reference. One convention:
# VENV names the reference virtual environment (default .venv at the repository root) and the
# scripts run "$VENV/bin/python". BENCHMARKS.md lists what each script needs.
#
#   require_venv SCRIPT "PIP PACKAGES" "PYTHON IMPORTS"
#
# checks that "$VENV/bin/python" imports what the script needs; if not, says what is missing and
# the command that makes the venv, then exits 2 (before anything is built or measured).
VENV=${VENV:-.venv}

venv_has() {  # venv_has "import a, b": true when the venv's Python can import them
    [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c "$1" >/dev/null 2>&1
}

venv_advice() {  # venv_advice SCRIPT "PIP PACKAGES"
    local why="no Python at $VENV/bin/python"
    [ -x "$VENV/bin/python" ] && why="$VENV/bin/python lacks some of them"
    echo "$1: needs a Python venv with: $2 (VENV=$VENV; $why)." >&2
    echo "  make it:  python3 -m venv $VENV && $VENV/bin/pip install $2" >&2
    echo "  or use another:  VENV=/path/to/venv bench/$1.sh" >&2
}

require_venv() {  # require_venv SCRIPT "PIP PACKAGES" "PYTHON IMPORTS"
    venv_has "$3" && return 0
    venv_advice "$1" "$2"
    exit 2
}
