#!/usr/bin/env bash
# SET throughput at maxmemory, where every write evicts, in redis-server and in Nuthatch side by side.
#
# Starts both servers on free loopback ports with the same maxmemory and policy, fills each past
# maxmemory (so that evictions have begun), then runs the same redis-benchmark SET load against
# each: random keys from a space far larger than what fits, 100-byte values, pipelined. Prints the
# requests per second of each, the server's CPU time per request (user + system of all its threads,
# from /proc/PID/stat around the measured run: the figure to compare on a busy machine, where
# requests per second follow the other processes), evicted_keys, used_memory against maxmemory,
# and the ratio (the issue's target: Nuthatch >= 0.8x redis-server at -P 16).
#
# Environment:
#   MAXMEMORY=64mb  POLICY=allkeys-lru  REQUESTS=1000000  PIPELINE=16  CLIENTS=50
#   NUTHATCH_JAVA_OPTS   JVM options (default: the launcher's flags, -Xmx512m)
#   NUTHATCH_JAR         the server jar (default: server/target/nuthatch-server.jar)
set -euo pipefail

MAXMEMORY=${MAXMEMORY:-64mb}
POLICY=${POLICY:-allkeys-lru}
REQUESTS=${REQUESTS:-1000000}
PIPELINE=${PIPELINE:-16}
CLIENTS=${CLIENTS:-50}
NUTHATCH_JAVA_OPTS=${NUTHATCH_JAVA_OPTS:-"-Xmx512m -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError -XX:+PerfDisableSharedMem"}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAR=${NUTHATCH_JAR:-$ROOT/server/target/nuthatch-server.jar}

. "$ROOT/bench/lib/servers.sh" eviction
require_tools redis-server redis-cli redis-benchmark java python3
require_jar "$JAR"

cpu_ticks() {
    awk '{ print $14 + $15 }' "/proc/$1/stat"
}

run() {
    local name=$1 port=$2 pid=$3
    await_ready "$port"
    # Past maxmemory first: about twice what fits, so that the measured load evicts on every write.
    redis-benchmark -p "$port" -t set -d 100 -r 100000000 -n $((REQUESTS / 2)) -P "$PIPELINE" -c "$CLIENTS" -q \
        >/dev/null
    local evicted_before
    evicted_before=$(info_field "$port" stats evicted_keys)
    local rps ticks_before ticks_after
    ticks_before=$(cpu_ticks "$pid")
    rps=$(redis-benchmark -p "$port" -t set -d 100 -r 100000000 -n "$REQUESTS" -P "$PIPELINE" -c "$CLIENTS" --csv \
        | tail -1 | cut -d, -f2 | tr -d '"')
    ticks_after=$(cpu_ticks "$pid")
    local cpu_us
    cpu_us=$(awk -v t=$((ticks_after - ticks_before)) -v hz="$(getconf CLK_TCK)" -v n="$REQUESTS" \
        'BEGIN { printf "%.2f", t * 1000000 / hz / n }')
    local evicted
    evicted=$(( $(info_field "$port" stats evicted_keys) - evicted_before ))
    printf '%-10s %12s rps   %6s us CPU/request   evicted during the run %10s   used_memory %12s of maxmemory %s\n' \
        "$name" "$rps" "$cpu_us" "$evicted" "$(info_field "$port" memory used_memory)" "$(info_field "$port" memory maxmemory)"
    echo "$rps" > "$WORK/$name.rps"
    echo "$cpu_us" > "$WORK/$name.cpu"
}

REDIS_PORT=$(free_port)
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$WORK" --maxmemory "$MAXMEMORY" \
    --maxmemory-policy "$POLICY" --daemonize no >"$WORK/redis.log" 2>&1 &
PIDS+=($!)
run redis-server "$REDIS_PORT" "$!"

NUTHATCH_PORT=$(free_port)
# shellcheck disable=SC2086 # the JVM options are a list of words
java $NUTHATCH_JAVA_OPTS -jar "$JAR" --port "$NUTHATCH_PORT" --exporter-port 0 --bind 127.0.0.1 --save '' --dir "$WORK" --maxmemory "$MAXMEMORY" \
    --maxmemory-policy "$POLICY" >"$WORK/nuthatch.log" 2>&1 &
PIDS+=($!)
run nuthatch "$NUTHATCH_PORT" "$!"

awk -v r="$(cat "$WORK/redis-server.rps")" -v n="$(cat "$WORK/nuthatch.rps")" \
    'BEGIN { printf "nuthatch / redis-server: %.2fx (SET -P %s at maxmemory %s, %s)\n", n / r, "'"$PIPELINE"'", "'"$MAXMEMORY"'", "'"$POLICY"'" }'
awk -v r="$(cat "$WORK/redis-server.cpu")" -v n="$(cat "$WORK/nuthatch.cpu")" \
    'BEGIN { if (r > 0) printf "CPU per request, nuthatch / redis-server: %.2fx\n", n / r }'
