#!/usr/bin/env bash
# How many keys redis-server and Nuthatch hold in the same container, and whether it survives.
#
# Our users' profile: a 512Mi memory limit, maxmemory 384mb, allkeys-lru, appendonly yes with
# everysec and the default automatic rewrites, lazyfree. Each server runs alone in a memory cgroup
# of LIMIT (no swap), started as the image starts it (Nuthatch through bin/nuthatch-server, which
# sizes the heap from the limit it is told: NUTHATCH_MEMORY_LIMIT, since the cgroup here is not the
# process's own root), and is filled with SETs of VALUE-byte values to random keys from a space far
# larger than what fits, so that it evicts for most of the run. While the second half of the fill
# runs, BGSAVE and BGREWRITEAOF are asked for (the moments a server needs the most memory: a fork's
# copied pages for redis-server, the snapshot's RocksDB buffers for Nuthatch). Then, for each:
#   keys        DBSIZE at the end: what the cache holds, the figure that decides its hit ratio;
#   used_memory its own account, against maxmemory;
#   peak        the cgroup's peak charge (anonymous memory and the page cache of its files) and the
#               process's peak resident memory (VmHWM);
#   OOM kills   the cgroup's count; a server the kernel killed reads "killed".
#
# Needs a writable memory cgroup (v1 or v2) and root. Environment:
#   LIMIT=512m  MAXMEMORY=384mb  POLICY=allkeys-lru  VALUE=100  REQUESTS=6000000  PIPELINE=16
#   SECOND_VALUE=VALUE   the value size of the second half: another size makes what eviction frees
#                        unfit for the new keys (Nuthatch then cannot reuse it; see RecycledEntries)
#   VALUE=100-300        (a range) every value a random length in it, each half sent by
#                        bench/lib/varied_sets.py through redis-cli --pipe instead of redis-benchmark
#   PERSISTENCE=yes      "no": save "" and appendonly no, no BGSAVE or BGREWRITEAOF (keys held alone)
#   SERVERS="redis-server nuthatch"   which to run (one alone to try a setting)
#   NUTHATCH_JAVA_OPTS   more JVM options, given to the launcher as JAVA_OPTS (default: none)
#   NUTHATCH_JAR         the server jar (default: server/target/nuthatch-server.jar)
#   OUT=file.md          also write the table there
set -euo pipefail

LIMIT=${LIMIT:-512m}
MAXMEMORY=${MAXMEMORY:-384mb}
POLICY=${POLICY:-allkeys-lru}
VALUE=${VALUE:-100}
SECOND_VALUE=${SECOND_VALUE:-$VALUE}
REQUESTS=${REQUESTS:-6000000}
PIPELINE=${PIPELINE:-16}
PERSISTENCE=${PERSISTENCE:-yes}
SERVERS=${SERVERS:-"redis-server nuthatch"}
NUTHATCH_JAVA_OPTS=${NUTHATCH_JAVA_OPTS:-}
OUT=${OUT:-}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAR=${NUTHATCH_JAR:-$ROOT/server/target/nuthatch-server.jar}

. "$ROOT/bench/lib/servers.sh" container
require_tools redis-server redis-cli redis-benchmark java python3
require_jar "$JAR"

limit_bytes=$(python3 -c '
import sys
v = sys.argv[1].lower()
units = {"k": 1 << 10, "m": 1 << 20, "g": 1 << 30}
print(int(v[:-1]) * units[v[-1]] if v[-1] in units else int(v))' "${LIMIT%i}")

# The memory cgroup to make children in: v2's unified hierarchy when it offers the memory
# controller, else v1's memory hierarchy at this process's own cgroup.
if [[ -f /sys/fs/cgroup/cgroup.controllers ]] && grep -qw memory /sys/fs/cgroup/cgroup.controllers; then
    CGROUP_VERSION=2
    CGROUP_PARENT=/sys/fs/cgroup$(awk -F: '$1 == "0" { print $3 }' /proc/self/cgroup)
    grep -qw memory "$CGROUP_PARENT/cgroup.subtree_control" 2>/dev/null \
        || echo +memory > "$CGROUP_PARENT/cgroup.subtree_control"
elif [[ -d /sys/fs/cgroup/memory ]]; then
    CGROUP_VERSION=1
    CGROUP_PARENT=/sys/fs/cgroup/memory$(awk -F: '$2 == "memory" { print $3 }' /proc/self/cgroup)
else
    echo "container.sh: no memory cgroup to use" >&2
    exit 1
fi
CGROUPS=()
remove_cgroups() {
    cleanup
    for group in "${CGROUPS[@]}"; do
        rmdir "$group" 2>/dev/null || true
    done
}
trap remove_cgroups EXIT

make_cgroup() {
    local group=$CGROUP_PARENT/nuthatch-container-$$-$1
    mkdir "$group"
    CGROUPS+=("$group")
    if [[ $CGROUP_VERSION == 2 ]]; then
        echo "$limit_bytes" > "$group/memory.max"
        echo 0 > "$group/memory.swap.max" 2>/dev/null || true
    else
        echo "$limit_bytes" > "$group/memory.limit_in_bytes"
        [[ -f $group/memory.memsw.limit_in_bytes ]] && echo "$limit_bytes" > "$group/memory.memsw.limit_in_bytes"
    fi
    echo "$group"
}

cgroup_peak() {
    if [[ $CGROUP_VERSION == 2 ]]; then cat "$1/memory.peak" 2>/dev/null || echo 0
    else cat "$1/memory.max_usage_in_bytes"; fi
}

cgroup_oom_kills() {
    if [[ $CGROUP_VERSION == 2 ]]; then awk '$1 == "oom_kill" { print $2 }' "$1/memory.events"
    else awk '$1 == "oom_kill" { print $2 }' "$1/memory.oom_control"; fi
}

await_persistence() {
    for _ in $(seq 1200); do
        local busy
        busy=$({ redis-cli -p "$1" INFO persistence 2>/dev/null || echo "rdb_bgsave_in_progress:0"; } | tr -d '\r' \
            | awk -F: '$1 == "rdb_bgsave_in_progress" || $1 == "aof_rewrite_in_progress" { s += $2 } END { print s + 0 }')
        [[ $busy == 0 ]] && return 0
        sleep 0.5
    done
}

# The users' settings, written once and given to both servers.
write_config() {
    cat > "$1" <<EOF
bind 127.0.0.1
port $2
dir $3
maxmemory $MAXMEMORY
maxmemory-policy $POLICY
maxmemory-samples 5
lazyfree-lazy-eviction yes
lazyfree-lazy-expire yes
lazyfree-lazy-server-del yes
EOF
    if [[ $PERSISTENCE == yes ]]; then
        printf '%s\n' "save 900 1" "save 300 10" "save 60 10000" "appendonly yes" "appendfsync everysec" \
            "auto-aof-rewrite-percentage 100" "auto-aof-rewrite-min-size 64mb" >> "$1"
    else
        printf '%s\n' 'save ""' "appendonly no" >> "$1"
    fi
}

mib() { [[ $1 == - ]] && echo - || awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }

# Half the requests, with values of one size (redis-benchmark) or of a range of sizes (MIN-MAX).
fill_half() {
    local port=$1 value=$2 seed=$3
    if [[ $value == *-* ]]; then
        python3 "$ROOT/bench/lib/varied_sets.py" $((REQUESTS / 2)) "${value%-*}" "${value#*-}" "$seed" \
            | timeout 900 redis-cli -p "$port" --pipe >/dev/null 2>&1
    else
        timeout 900 redis-benchmark -p "$port" -t set -d "$value" -r 100000000 -n $((REQUESTS / 2)) -P "$PIPELINE" \
            -c 50 -q >/dev/null 2>&1
    fi
}

declare -A RESULT
HEAP_MAX=
run() {
    local name=$1
    local port group dir
    port=$(free_port)
    dir=$WORK/$name
    mkdir -p "$dir"
    write_config "$WORK/$name.conf" "$port" "$dir"
    group=$(make_cgroup "$name")
    if [[ $name == redis-server ]]; then
        sh -c 'echo $$ > "$1/cgroup.procs"; shift; exec "$@"' sh "$group" \
            redis-server "$WORK/$name.conf" >"$WORK/$name.log" 2>&1 &
    else
        # shellcheck disable=SC2016
        NUTHATCH_JAR=$JAR NUTHATCH_MEMORY_LIMIT=$limit_bytes JAVA_OPTS=$NUTHATCH_JAVA_OPTS \
            sh -c 'echo $$ > "$1/cgroup.procs"; shift; exec "$@"' sh "$group" \
            "$ROOT/bin/nuthatch-server" "$WORK/$name.conf" --exporter-port 0 >"$WORK/$name.log" 2>&1 &
    fi
    local pid=$!
    PIDS+=("$pid")
    await_ready "$port"
    local started=$SECONDS
    # A server the kernel kills can leave the writer waiting on its sockets: bound each half.
    fill_half "$port" "$VALUE" 1 || true
    # The second half while a snapshot and a rewrite run.
    fill_half "$port" "$SECOND_VALUE" 2 &
    local writer=$!
    if [[ $PERSISTENCE == yes ]]; then
        sleep 2
        redis-cli -p "$port" BGSAVE >/dev/null 2>&1 || true
        await_persistence "$port"
        redis-cli -p "$port" BGREWRITEAOF >/dev/null 2>&1 || true
        await_persistence "$port"
    fi
    wait "$writer" || true
    local seconds=$((SECONDS - started))
    local alive=yes
    kill -0 "$pid" 2>/dev/null && redis-cli -p "$port" PING >/dev/null 2>&1 || alive=killed
    local keys=- used=- evicted=- hwm
    if [[ $alive == yes ]]; then
        keys=$(redis-cli -p "$port" DBSIZE 2>/dev/null || echo -)
        used=$(info_field "$port" memory used_memory)
        evicted=$(info_field "$port" stats evicted_keys)
        hwm=$(awk '$1 == "VmHWM:" { print $2 * 1024 }' "/proc/$pid/status" 2>/dev/null || echo -)
        [[ $name == nuthatch ]] && HEAP_MAX=$(info_field "$port" memory jvm_heap_max)
    else
        hwm=-
    fi
    if [[ $alive == killed ]]; then
        echo "$name was killed; the end of its log:" >&2
        tail -n 4 "$WORK/$name.log" >&2
    fi
    RESULT[$name]="$keys $used $evicted $(cgroup_peak "$group") $hwm $(cgroup_oom_kills "$group") $alive $seconds"
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

for server in $SERVERS; do
    run "$server"
done

{
    echo "# container.sh: $(date -u +%Y-%m-%dT%H:%MZ), commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo -)"
    echo
    echo "limit $LIMIT (cgroup v$CGROUP_VERSION), maxmemory $MAXMEMORY, $POLICY, persistence $PERSISTENCE" \
        "(appendonly everysec, BGSAVE and BGREWRITEAOF during the second half), $REQUESTS SETs of $VALUE B$([[ $SECOND_VALUE != "$VALUE" ]] && echo " (the second half $SECOND_VALUE B)") at -P $PIPELINE to random keys; $(nproc) CPUs;" \
        "redis $(redis-server --version | cut -d' ' -f3 | cut -d= -f2); $(java -version 2>&1 | head -n 1);" \
        "JAVA_OPTS: ${NUTHATCH_JAVA_OPTS:-none}; heap: $(mib "${HEAP_MAX:--}") MiB"
    echo
    echo "| server | keys held | used_memory MiB | evicted | cgroup peak MiB | VmHWM MiB | OOM kills | state | seconds |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |"
    for name in $SERVERS; do
        read -r keys used evicted peak hwm kills alive seconds <<< "${RESULT[$name]}"
        echo "| $name | $keys | $(mib "$used") | $evicted | $(mib "$peak") | $(mib "$hwm") | $kills | $alive | $seconds |"
    done
    read -r redis_keys _ <<< "${RESULT[redis-server]:--}"
    read -r nuthatch_keys _ <<< "${RESULT[nuthatch]:--}"
    if [[ $redis_keys != - && $nuthatch_keys != - ]]; then
        echo
        awk -v n="$nuthatch_keys" -v r="$redis_keys" 'BEGIN { printf "keys held, nuthatch / redis-server: %.3fx\n", n / r }'
    fi
} | tee ${OUT:+"$OUT"}
grep -h "WARNING" "$WORK/nuthatch.log" | head -3 || true
