#!/usr/bin/env bash
# Memory of the same keys in redis-server and in Nuthatch, side by side.
#
# For each data set, starts both servers with the same settings on free loopback ports (as
# compare.sh does), loads the same keys into each (RESP generated once, piped with
# redis-cli --pipe), reads the figures below and stops them:
#   used_memory     INFO memory of each server;
#   retained heap   Nuthatch only: the whole JVM heap in use after a full collection
#                   ("jcmd PID GC.run", then the "used" figure of "jcmd PID GC.heap_info"), so the
#                   JVM's own baseline counts too; compared with redis-server's used_memory;
#   RSS             VmRSS of /proc/PID/status of each process.
# The baselines of the empty servers are printed first, and each data set also per key, with the
# baselines taken off.
#
# Data sets: the modules of bench/memory/ (one per data type) register them; each names its keys,
# its elements (members, fields, entries or strings, the unit of the per-element table) and the
# largest ratio of Nuthatch's used_memory to redis-server's the issue accepts for it. List them with
# "python3 bench/memory/datasets.py list". The issue's: small, ttl and json (strings), and per type
# 100k small values of 10 short elements (target 1.3x) and 10 large ones of 100k (target 1.2x).
# A data set Nuthatch cannot load (a type it lacks) is shown as such; the run goes on.
#
# Environment:
#   SETS="*"                the data sets to run: names or shell patterns ("hash-*" "small")
#   NUTHATCH_JAVA_OPTS      JVM options (default: -Xmx2g and the launcher's flags)
#   NUTHATCH_JAR            the server jar (default: server/target/nuthatch-server.jar)
#   OUT=file.md             also write the tables as markdown there
set -euo pipefail

SETS=${SETS:-"*"}
NUTHATCH_JAVA_OPTS=${NUTHATCH_JAVA_OPTS:-"-Xmx2g -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError -XX:+PerfDisableSharedMem"}
OUT=${OUT:-}

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAR=${NUTHATCH_JAR:-$ROOT/server/target/nuthatch-server.jar}
DATASETS=$ROOT/bench/memory/datasets.py

for tool in redis-server redis-cli java jcmd python3; do
    command -v "$tool" >/dev/null || { echo "memory.sh: $tool not found" >&2; exit 1; }
done
[[ -f $JAR ]] || { echo "memory.sh: $JAR missing (mvn -q -DskipTests package)" >&2; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/nuthatch-memory.XXXXXX")
REDIS_PID=
NUTHATCH_PID=

stop_server() {
    local pid=$1
    [[ -n $pid ]] || return 0
    if kill -0 "$pid" 2>/dev/null; then
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -9 "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
}

cleanup() {
    stop_server "$REDIS_PID"
    stop_server "$NUTHATCH_PID"
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

fail() {
    echo "memory.sh: $*" >&2
    for log in "$WORK"/*.log; do
        [[ -f $log ]] || continue
        echo "--- last lines of $(basename "$log")" >&2
        tail -n 20 "$log" >&2
    done
    exit 1
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_for_ping() {
    local name=$1 port=$2 pid=$3
    for _ in $(seq 300); do
        kill -0 "$pid" 2>/dev/null || fail "$name exited at startup"
        [[ $(redis-cli -p "$port" ping 2>/dev/null) == PONG ]] && return 0
        sleep 0.1
    done
    fail "$name did not answer PING on port $port within 30 s"
}

# ------------------------------------------------------------------ the servers
# Each data set gets freshly started servers: a JVM keeps the heap it once committed, so RSS after
# an earlier, larger data set would count against the next one.
COMMON=(--save "" --appendonly no --bind 127.0.0.1 --protected-mode no
        --maxmemory 0 --maxmemory-policy noeviction --databases 16 --hz 10)

start_servers() {
    REDIS_PORT=$(free_port)
    rm -rf "$WORK/redis" "$WORK/nuthatch"
    mkdir -p "$WORK/redis" "$WORK/nuthatch"
    redis-server --port "$REDIS_PORT" --dir "$WORK/redis" "${COMMON[@]}" >"$WORK/redis.log" 2>&1 &
    REDIS_PID=$!
    wait_for_ping redis-server "$REDIS_PORT" "$REDIS_PID"

    # Nuthatch has no persistence yet: the directives that would configure it are left out.
    NUTHATCH_PORT=$(free_port)
    # shellcheck disable=SC2086 # option strings are lists of words
    java $NUTHATCH_JAVA_OPTS -jar "$JAR" --port "$NUTHATCH_PORT" --exporter-port 0 --dir "$WORK/nuthatch" --bind 127.0.0.1 \
        --protected-mode no --maxmemory 0 --maxmemory-policy noeviction --databases 16 --hz 10 \
        >"$WORK/nuthatch.log" 2>&1 &
    NUTHATCH_PID=$!
    wait_for_ping nuthatch "$NUTHATCH_PORT" "$NUTHATCH_PID"
}

stop_servers() {
    stop_server "$REDIS_PID"
    stop_server "$NUTHATCH_PID"
    REDIS_PID=
    NUTHATCH_PID=
}

used_memory() {
    redis-cli -p "$1" info memory | tr -d '\r' | sed -n 's/^used_memory://p'
}

rss_bytes() {
    awk '/^VmRSS:/ { print $2 * 1024 }' "/proc/$1/status"
}

# The JVM heap in use after a full collection, in bytes (G1's "used" figure, given in K).
retained_heap() {
    jcmd "$NUTHATCH_PID" GC.run >/dev/null
    jcmd "$NUTHATCH_PID" GC.heap_info | sed -n 's/.*heap *total [0-9]*K, used \([0-9]*\)K.*/\1/p' |
        head -n 1 | awk '{ print $1 * 1024 }'
}

# "redis_used nuthatch_used nuthatch_heap redis_rss nuthatch_rss"
measure() {
    # Both servers settle (lazy frees, the cron) before they are read.
    sleep 1
    local heap
    heap=$(retained_heap)
    echo "$(used_memory "$REDIS_PORT") $(used_memory "$NUTHATCH_PORT") $heap $(rss_bytes "$REDIS_PID") $(rss_bytes "$NUTHATCH_PID")"
}

# ------------------------------------------------------------------ the data sets
# "loaded", or why not: a server that answers errors (a type it lacks) or fewer replies.
load() {
    local port=$1 file=$2 commands=$3 result
    result=$(redis-cli -p "$port" --pipe <"$file" 2>&1 | tail -n 1)
    if [[ $result == *"errors: 0, replies: $commands"* ]]; then
        echo loaded
    else
        echo "not loaded ($result)"
    fi
}

date_line="date: $(date -u '+%Y-%m-%d %H:%M UTC')"
machine_line="machine: $(nproc) cpus, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
versions_line="redis: $(redis-server --version | cut -d' ' -f3); java: $(java -version 2>&1 | head -n 1); JVM options: $NUTHATCH_JAVA_OPTS"
commit_line="nuthatch: commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown), jar built $(date -u -r "$JAR" '+%Y-%m-%d %H:%M UTC')"
printf '%s\n' "$date_line" "$machine_line" "$versions_line" "$commit_line" ""

start_servers
read -r BASE_REDIS BASE_USED BASE_HEAP BASE_REDIS_RSS BASE_RSS <<<"$(measure)"
stop_servers
TABLE=$WORK/table.tsv
printf 'empty\t0\t0\t-\t%s\t%s\t%s\t%s\t%s\n' "$BASE_REDIS" "$BASE_USED" "$BASE_HEAP" "$BASE_REDIS_RSS" "$BASE_RSS" >"$TABLE"

# shellcheck disable=SC2086 # SETS is a list of patterns for datasets.py, not for the shell
mapfile -t DATA_SETS < <(set -f; python3 "$DATASETS" list $SETS)
((${#DATA_SETS[@]} > 0)) || fail "no data set matches SETS=$SETS"
for line in "${DATA_SETS[@]}"; do
    IFS=$'\t' read -r data_set keys elements target description <<<"$line"
    echo "loading $data_set: $description ..."
    python3 "$DATASETS" write "$data_set" >"$WORK/$data_set.resp" 2>"$WORK/$data_set.count" ||
        fail "generating $data_set: $(cat "$WORK/$data_set.count")"
    commands=$(sed -n 's/^commands \([0-9]*\) keys.*/\1/p' "$WORK/$data_set.count")
    start_servers
    status=$(load "$REDIS_PORT" "$WORK/$data_set.resp" "$commands")
    [[ $status == loaded ]] || fail "redis-server: $data_set $status"
    status=$(load "$NUTHATCH_PORT" "$WORK/$data_set.resp" "$commands")
    rm -f "$WORK/$data_set.resp"
    [[ $(redis-cli -p "$REDIS_PORT" dbsize) == "$keys" ]] || fail "redis-server does not hold the $keys keys of $data_set"
    if [[ $status == loaded && $(redis-cli -p "$NUTHATCH_PORT" dbsize) != "$keys" ]]; then
        status="not loaded (DBSIZE $(redis-cli -p "$NUTHATCH_PORT" dbsize), expected $keys)"
    fi
    if [[ $status == loaded ]]; then
        read -r r_used n_used n_heap r_rss n_rss <<<"$(measure)"
    else
        echo "  nuthatch: $status"
        r_used=$(used_memory "$REDIS_PORT") r_rss=$(rss_bytes "$REDIS_PID") n_used=- n_heap=- n_rss=-
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$data_set" "$keys" "$elements" "$target" \
        "$r_used" "$n_used" "$n_heap" "$r_rss" "$n_rss" >>"$TABLE"
    stop_servers
done

# Whole figures in MB (10^6 bytes), ratios Nuthatch over redis-server (the heap over redis-server's
# used_memory) with the issue's target for the used_memory ratio, then per element with the empty
# servers' figures taken off.
python3 - "$TABLE" "$OUT" "$date_line" "$machine_line" "$versions_line" "$commit_line" <<'EOF'
import sys

rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1])]
out_path, header = sys.argv[2], sys.argv[3:]
base = [int(x) for x in rows[0][4:]]


def mb(x):
    return "-" if x == "-" else "%.1f" % (int(x) / 1e6)


def ratio(a, b):
    return "-" if "-" in (a, b) else "%.2f" % (int(a) / int(b))


lines = ["| data set | keys | redis used_memory MB | nuthatch used_memory MB | ratio | target | nuthatch retained heap MB"
         " | heap / redis used_memory | redis RSS MB | nuthatch RSS MB | ratio |",
         "| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |"]
for name, keys, elements, target, r_used, n_used, n_heap, r_rss, n_rss in rows:
    verdict = "-"
    if target != "-":
        verdict = "not loaded" if n_used == "-" else "<= %s %s" % (
            target, "met" if int(n_used) <= float(target) * int(r_used) else "MISSED")
    lines.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
        name, keys, mb(r_used), mb(n_used), ratio(n_used, r_used), verdict, mb(n_heap), ratio(n_heap, r_used),
        mb(r_rss), mb(n_rss), ratio(n_rss, r_rss)))
lines += ["", "Per element (string, field, member or entry), the empty servers' figures taken off (bytes):", "",
          "| data set | elements | redis used_memory | nuthatch used_memory | nuthatch retained heap | redis RSS"
          " | nuthatch RSS |",
          "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
for name, keys, elements, target, *figures in rows[1:]:
    per_element = ["-" if x == "-" else "%.1f" % ((int(x) - b) / int(elements)) for x, b in zip(figures, base)]
    lines.append("| %s | %s | %s |" % (name, elements, " | ".join(per_element)))
print("\n".join(lines))
if out_path:
    with open(out_path, "w") as f:
        f.write("".join(h + "  \n" for h in header) + "\n" + "\n".join(lines) + "\n")
EOF
