# Sourced by the benchmark scripts that start servers of their own: the check that their tools
# and jars are there, a scratch directory ($WORK), the servers' pids ($PIDS, stopped and waited
# for on exit), a free port, waiting for PING, and reading one INFO field.
#
#   . "$ROOT/bench/lib/servers.sh" <script name>

BENCH_SCRIPT=$1
WORK=$(mktemp -d "${TMPDIR:-/tmp}/nuthatch-$BENCH_SCRIPT.XXXXXX")
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$WORK"
}
trap cleanup EXIT

# require_tools TOOL...: exits with a message naming the first one not on PATH.
require_tools() {
    local tool
    for tool in "$@"; do
        command -v "$tool" >/dev/null || { echo "$BENCH_SCRIPT.sh: $tool not found" >&2; exit 1; }
    done
}

# require_jar JAR...: exits with a message naming the first one not built.
require_jar() {
    local jar
    for jar in "$@"; do
        [[ -f $jar ]] || { echo "$BENCH_SCRIPT.sh: $jar missing (mvn -q -DskipTests package)" >&2; exit 1; }
    done
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

await_ready() {
    for _ in $(seq 600); do
        redis-cli -p "$1" PING >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    echo "$BENCH_SCRIPT.sh: the server on port $1 did not start" >&2
    exit 1
}

# info_field PORT SECTION FIELD: the field's value in INFO SECTION of the server on PORT.
info_field() {
    redis-cli -p "$1" INFO "$2" | tr -d '\r' | awk -F: -v f="$3" '$1 == f { print $2 }'
}
