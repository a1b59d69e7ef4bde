#!/usr/bin/env bash
# Hit ratio of redis-server and Nuthatch on the same key traces, side by side, with Caffeine
# (W-TinyLFU) and exact LRU replayed in-process as reference points.
#
# For each policy, starts both servers on free loopback ports with the same maxmemory and policy;
# for each trace, empties both (FLUSHALL, CONFIG RESETSTAT) and replays the trace against each as a
# cache client does: GET, then SET with a VALUE_SIZE-byte value on a miss (HitRatioReplay in
# bench/src/main/java/io/nuthatch/bench/hitratio). The hit ratio counts the requests after the first
# WARMUP share of the trace. Caffeine and exact LRU then replay the same trace in-process, bounded
# to the key count redis-server held at the end of its allkeys-lru run, so they compare policies at
# equal capacity; the servers compare at equal maxmemory, where the cheaper key holds more keys.
#
# Traces (KeyTrace.java): zipf-S (Zipf with exponent S over KEYS keys), scan (Zipf 1.0 with bursts
# of sequential scans over SCAN_KEYS other keys, a third of requests), shift (Zipf 1.0 whose hot
# keys move to other keys 4 times over the trace).
#
# Environment:
#   MAXMEMORY=16mb  POLICIES="allkeys-lru allkeys-lfu"  TRACES="zipf-0.8 zipf-1.0 zipf-1.2 scan shift"
#   KEYS=1000000  REQUESTS=2000000  SCAN_KEYS=2000000  VALUE_SIZE=100  WINDOW=32  WARMUP=0.25  SEED=1
#   SIMULATE="exact-lru caffeine"   in-process references ("" for none)
#   NUTHATCH_JAVA_OPTS   JVM options (default: -Xmx512m and the launcher's collector)
#   NUTHATCH_JAR         the server jar (default: server/target/nuthatch-server.jar)
#   BENCH_JAR            the replay (default: bench/target/benchmarks.jar)
#   OUT=file.md          also write the header and table as markdown there
set -euo pipefail

MAXMEMORY=${MAXMEMORY:-16mb}
POLICIES=${POLICIES:-"allkeys-lru allkeys-lfu"}
TRACES=${TRACES:-"zipf-0.8 zipf-1.0 zipf-1.2 scan shift"}
KEYS=${KEYS:-1000000}
REQUESTS=${REQUESTS:-2000000}
SCAN_KEYS=${SCAN_KEYS:-2000000}
VALUE_SIZE=${VALUE_SIZE:-100}
WINDOW=${WINDOW:-32}
WARMUP=${WARMUP:-0.25}
SEED=${SEED:-1}
SIMULATE=${SIMULATE-"exact-lru caffeine"}
NUTHATCH_JAVA_OPTS=${NUTHATCH_JAVA_OPTS:-"-Xmx512m -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError -XX:+PerfDisableSharedMem"}
OUT=${OUT:-}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAR=${NUTHATCH_JAR:-$ROOT/server/target/nuthatch-server.jar}
BENCH_JAR=${BENCH_JAR:-$ROOT/bench/target/benchmarks.jar}

. "$ROOT/bench/lib/servers.sh" hitratio
require_tools redis-server redis-cli java python3
require_jar "$JAR" "$BENCH_JAR"

replay() {
    java -Xmx1g -cp "$BENCH_JAR" io.nuthatch.bench.hitratio.HitRatioReplay --keys "$KEYS" --requests "$REQUESTS" \
        --scan-keys "$SCAN_KEYS" --value-size "$VALUE_SIZE" --window "$WINDOW" --warmup "$WARMUP" --seed "$SEED" "$@"
}

# field NAME LINE: the value of NAME=... in a HitRatioReplay line
field() {
    tr ' ' '\n' <<<"$2" | awk -F= -v f="$1" '$1 == f { print $2 }'
}

percent() {
    awk -v r="$1" 'BEGIN { printf "%.2f", r * 100 }'
}

TABLE=$WORK/table.md
{
    echo "hitratio.sh $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)," \
        "commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'), $(redis-server --version | cut -d' ' -f3)"
    echo
    echo "maxmemory $MAXMEMORY, keys $KEYS, requests $REQUESTS, scan keys $SCAN_KEYS, value $VALUE_SIZE bytes," \
        "window $WINDOW, warm-up $WARMUP, seed $SEED; hit ratio in % of the requests after the warm-up"
    echo
    printf '| trace | policy | redis-server | nuthatch | redis keys | nuthatch keys | redis rps | nuthatch rps |'
    for sim in $SIMULATE; do printf ' %s (redis keys) |' "$sim"; done
    echo
    printf '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |'
    for _ in $SIMULATE; do printf ' ---: |'; done
    echo
} >"$TABLE"
cat "$TABLE"

for policy in $POLICIES; do
    redis_port=$(free_port)
    redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --dir "$WORK" \
        --maxmemory "$MAXMEMORY" --maxmemory-policy "$policy" --daemonize no >"$WORK/redis-$policy.log" 2>&1 &
    redis_pid=$!
    PIDS+=("$redis_pid")
    nuthatch_port=$(free_port)
    # shellcheck disable=SC2086 # the JVM options are a list of words
    java $NUTHATCH_JAVA_OPTS -jar "$JAR" --port "$nuthatch_port" --exporter-port 0 --bind 127.0.0.1 --save '' --dir "$WORK" \
        --maxmemory "$MAXMEMORY" --maxmemory-policy "$policy" >"$WORK/nuthatch-$policy.log" 2>&1 &
    nuthatch_pid=$!
    PIDS+=("$nuthatch_pid")
    await_ready "$redis_port"
    await_ready "$nuthatch_port"
    for trace in $TRACES; do
        for port in "$redis_port" "$nuthatch_port"; do
            redis-cli -p "$port" FLUSHALL >/dev/null
            redis-cli -p "$port" CONFIG RESETSTAT >/dev/null
        done
        redis_line=$(replay --trace "$trace" --port "$redis_port" --name redis-server)
        nuthatch_line=$(replay --trace "$trace" --port "$nuthatch_port" --name nuthatch)
        echo "$redis_line" >>"$WORK/lines"
        echo "$nuthatch_line" >>"$WORK/lines"
        row="| $trace | $policy | $(percent "$(field hit_ratio "$redis_line")") | $(percent "$(field hit_ratio "$nuthatch_line")")"
        row+=" | $(field keys "$redis_line") | $(field keys "$nuthatch_line")"
        row+=" | $(field ops_per_sec "$redis_line") | $(field ops_per_sec "$nuthatch_line") |"
        capacity_file=$WORK/capacity-$trace
        [[ -f $capacity_file ]] || field keys "$redis_line" >"$capacity_file"
        for sim in $SIMULATE; do
            sim_file=$WORK/sim-$sim-$trace
            if [[ ! -f $sim_file ]]; then
                percent "$(field hit_ratio "$(replay --trace "$trace" --simulate "$sim" --capacity "$(cat "$capacity_file")")")" \
                    >"$sim_file"
            fi
            row+=" $(cat "$sim_file") |"
        done
        echo "$row" | tee -a "$TABLE"
    done
    for pid in "$redis_pid" "$nuthatch_pid"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
done

echo
echo "Replay lines:"
cat "$WORK/lines"
if [[ -n $OUT ]]; then
    { cat "$TABLE"; echo; echo '```'; cat "$WORK/lines"; echo '```'; } >"$OUT"
fi
