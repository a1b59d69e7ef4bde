#!/usr/bin/env bash
# Restart time of Nuthatch and redis-server side by side, for the same data.
#
# For each dataset, each server is started on an empty directory, filled (bench/restart/fill.py
# through redis-cli --pipe), then stopped, and restarted ROUNDS times on what it wrote. A restart
# is timed from the exec of the server to: the port accepting connections, the first +PONG (PING
# gets -LOADING while the data loads) and INFO's loading:0 (bench/restart/await.py), with the CPU
# seconds the server had used by the PONG (the figure to compare when other processes share the
# machine). The table shows the median of the rounds, DBSIZE before the stop (a restart that
# loads another count is reported on stderr) and the size on disk of what was loaded. Nuthatch's
# figures include the JVM's start.
#
# Datasets (DATASETS, default all three):
#   strings  1M string keys of 100 bytes, half with a 1 h TTL; stopped with SHUTDOWN SAVE
#   mixed    1M keys, a quarter each strings, hashes, lists, sorted sets of 8 elements (listpack-
#            sized), a tenth with a TTL; stopped with SHUTDOWN SAVE
#   tail     strings with appendonly yes: BGREWRITEAOF after the fill (a snapshot, or Redis's
#            RDB-preamble base), then 100k writes (SET, SET EX, INCR, HSET) that stay in the log,
#            then SHUTDOWN NOSAVE: the restart loads the snapshot and replays the tail
#
# Environment:
#   KEYS=1000000  TAIL=100000  ROUNDS=3  DATASETS="strings mixed tail"
#   POLICY=noeviction    maxmemory-policy of both servers: under an LRU or LFU one each key's
#                        idle time or counter is saved and loaded too (Redis's IDLE/FREQ records,
#                        Nuthatch's snapshot format 3), which is what that costs
#   SERVERS="redis-server nuthatch"   which servers to measure
#   NUTHATCH_JAVA_OPTS   JVM options (default: the launcher's flags, -Xmx3g)
#   NUTHATCH_RESTART_OPTS  JVM options added to the restarts only (e.g. a JFR recording)
#   NUTHATCH_JAR         the server jar (default: server/target/nuthatch-server.jar)
#   KEEP=1               keep the scratch directory (its path is printed)
set -euo pipefail

KEYS=${KEYS:-1000000}
TAIL=${TAIL:-100000}
ROUNDS=${ROUNDS:-3}
DATASETS=${DATASETS:-"strings mixed tail"}
POLICY=${POLICY:-noeviction}
SERVERS=${SERVERS:-"redis-server nuthatch"}
NUTHATCH_JAVA_OPTS=${NUTHATCH_JAVA_OPTS:-"-Xmx3g -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError -XX:+PerfDisableSharedMem"}
NUTHATCH_RESTART_OPTS=${NUTHATCH_RESTART_OPTS:-}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAR=${NUTHATCH_JAR:-$ROOT/server/target/nuthatch-server.jar}

. "$ROOT/bench/lib/servers.sh" restart
require_tools redis-server redis-cli java python3
require_jar "$JAR"
if [[ -n ${KEEP:-} ]]; then
    trap 'for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done; echo "kept $WORK"' EXIT
fi

# start_server NAME DIR PORT APPENDONLY [JVM options for Nuthatch]: starts in the background, sets $SERVER_PID.
start_server() {
    local name=$1 dir=$2 port=$3 appendonly=$4 extra=${5:-}
    if [[ $name == redis-server ]]; then
        redis-server --port "$port" --bind 127.0.0.1 --dir "$dir" --save '' --appendonly "$appendonly" \
            --maxmemory-policy "$POLICY" --daemonize no >>"$dir/../$name.log" 2>&1 &
    else
        # shellcheck disable=SC2086 # the JVM options are lists of words
        java $NUTHATCH_JAVA_OPTS $extra -jar "$JAR" --port "$port" --exporter-port 0 --bind 127.0.0.1 --dir "$dir" \
            --save '' --appendonly "$appendonly" --maxmemory-policy "$POLICY" >>"$dir/../$name.log" 2>&1 &
    fi
    SERVER_PID=$!
    PIDS+=("$SERVER_PID")
}

stop_server() {
    local port=$1 how=$2
    redis-cli -p "$port" SHUTDOWN "$how" >/dev/null 2>&1 || true
    wait "$SERVER_PID" 2>/dev/null || true
}

await_idle() {
    local port=$1
    for _ in $(seq 1200); do
        [[ $(info_field "$port" persistence aof_rewrite_in_progress) == 0 \
            && $(info_field "$port" persistence rdb_bgsave_in_progress) == 0 ]] && return 0
        sleep 0.1
    done
    echo "restart.sh: the rewrite on port $port did not end" >&2
    exit 1
}

on_disk() {
    du -sb "$1" | cut -f1
}

median() {
    sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# measure DATASET NAME: fills, stops, restarts ROUNDS times; appends a table row.
measure() {
    local dataset=$1 name=$2
    local dir="$WORK/$dataset-$name"
    mkdir -p "$dir"
    local appendonly=no
    [[ $dataset == tail ]] && appendonly=yes
    local port
    port=$(free_port)
    start_server "$name" "$dir" "$port" "$appendonly"
    await_ready "$port"
    local fill=$dataset
    [[ $dataset == tail ]] && fill=strings
    python3 "$ROOT/bench/restart/fill.py" "$fill" "$KEYS" | redis-cli -p "$port" --pipe >/dev/null
    if [[ $dataset == tail ]]; then
        redis-cli -p "$port" BGREWRITEAOF >/dev/null
        sleep 0.5
        await_idle "$port"
        python3 "$ROOT/bench/restart/fill.py" tail "$TAIL" | redis-cli -p "$port" --pipe >/dev/null
    fi
    local keys
    keys=$(redis-cli -p "$port" DBSIZE)
    if [[ $dataset == tail ]]; then
        stop_server "$port" NOSAVE
    else
        stop_server "$port" SAVE
    fi
    local size
    size=$(on_disk "$dir")
    local round times=()
    for round in $(seq "$ROUNDS"); do
        sync
        port=$(free_port)
        start_server "$name" "$dir" "$port" "$appendonly" "$NUTHATCH_RESTART_OPTS"
        local figures
        figures=$(python3 "$ROOT/bench/restart/await.py" "$port" "$SERVER_PID")
        local after
        after=$(redis-cli -p "$port" DBSIZE)
        [[ $after == "$keys" ]] || echo "restart.sh: $name $dataset: DBSIZE $after after the restart, $keys before" >&2
        times+=("$figures")
        stop_server "$port" NOSAVE
    done
    local connect pong loaded cpu
    connect=$(printf '%s\n' "${times[@]}" | cut -d' ' -f1 | median)
    pong=$(printf '%s\n' "${times[@]}" | cut -d' ' -f2 | median)
    loaded=$(printf '%s\n' "${times[@]}" | cut -d' ' -f3 | median)
    cpu=$(printf '%s\n' "${times[@]}" | cut -d' ' -f4 | median)
    printf '| %-7s | %-12s | %8s | %8s | %9s | %8s | %9s | %11s | %s |\n' "$dataset" "$name" "$connect" "$pong" \
        "$loaded" "$cpu" "$keys" "$size" "$(printf '%s / ' "${times[@]}" | sed 's| / $||')"
}

echo "# restart.sh $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)," \
    "commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
echo "# KEYS=$KEYS TAIL=$TAIL ROUNDS=$ROUNDS POLICY=$POLICY, Nuthatch JVM: $NUTHATCH_JAVA_OPTS $NUTHATCH_RESTART_OPTS"
echo "# seconds from exec to: port open, first PONG, loading:0; CPU seconds the server had used at the first PONG"
echo "# (median of the rounds; each round: open pong loaded cpu). On a busy machine compare the CPU column."
echo
echo "| dataset | server       |     port |     PONG | loading:0 |  CPU s |      keys | bytes on disk | rounds |"
echo "| ------- | ------------ | -------: | -------: | --------: | -----: | --------: | ----------: | ------ |"
for dataset in $DATASETS; do
    for name in $SERVERS; do
        measure "$dataset" "$name"
    done
done
