# Sourced by the serve scripts: starts `clarifycoder serve` in the background on a free loopback
# port and waits until it answers.
#
#   start_server LOG ARGS...   sets SERVER_PID and BASE_URL (http://127.0.0.1:PORT); the server is
#                              stopped when the calling script exits.
start_server() {
    local log=$1
    shift
    "$CLARIFYCODER" serve --port 0 "$@" 2>"$log" &
    SERVER_PID=$!
    trap 'kill "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null' EXIT
    local port=""
    for _ in $(seq 600); do
        port=$(sed -n 's|.*on http://[^ ]*:\([0-9][0-9]*\) .*|\1|p' "$log" | head -n 1)
        [ -n "$port" ] && break
        kill -0 "$SERVER_PID" 2>/dev/null || { cat "$log" >&2; echo "the server exited" >&2; return 1; }
        sleep 0.2
    done
    [ -n "$port" ] || { cat "$log" >&2; echo "the server did not start in 120 s" >&2; return 1; }
    BASE_URL="http://127.0.0.1:$port"
}
