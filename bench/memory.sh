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
# Data sets (the issue's): small  1M keys x 100 B values, 16-byte keys
#                          ttl    the same, each with a TTL (SET ... EX 86400)
#                          json   100k keys x JSON-like values of 1.5 to 2.5 KB (2 KB on average)
#                          stream_small  100k streams of 10 entries of 2 fields (generate_streams)
#                          stream_large  10 streams of 100k entries of 2 fields (generate_streams)
#
# Environment:
#   SETS="small ttl json"   the data sets to run
#   KEYS_SMALL=1000000      keys of the small and ttl sets
#   KEYS_JSON=100000        keys of the json set
#   STREAMS_SMALL=100000    streams of the stream_small set (10 entries each)
#   STREAM_ENTRIES_LARGE=100000   entries of each of the 10 streams of stream_large
#   NUTHATCH_JAVA_OPTS      JVM options (default: -Xmx1g and the launcher's flags)
#   NUTHATCH_JAR            the server jar (default: server/target/nuthatch-server.jar)
#   OUT=file.md             also write the tables as markdown there
set -euo pipefail

SETS=${SETS:-"small ttl json"}
KEYS_SMALL=${KEYS_SMALL:-1000000}
KEYS_JSON=${KEYS_JSON:-100000}
STREAMS_SMALL=${STREAMS_SMALL:-100000}
STREAM_ENTRIES_LARGE=${STREAM_ENTRIES_LARGE:-100000}
NUTHATCH_JAVA_OPTS=${NUTHATCH_JAVA_OPTS:-"-Xmx1g -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError -XX:+PerfDisableSharedMem"}
OUT=${OUT:-}

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAR=${NUTHATCH_JAR:-$ROOT/server/target/nuthatch-server.jar}

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
    java $NUTHATCH_JAVA_OPTS -jar "$JAR" --port "$NUTHATCH_PORT" --dir "$WORK/nuthatch" --bind 127.0.0.1 \
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
# Writes the RESP of one data set to stdout. Keys are 16 bytes; values vary so that nothing can
# share or compress them.
generate() {
    case $1 in
        stream_*) generate_streams "$1"; return ;;
    esac
    python3 - "$1" "$KEYS_SMALL" "$KEYS_JSON" <<'EOF'
import random
import sys

data_set, keys_small, keys_json = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
out = sys.stdout.buffer
rng = random.Random(7)
letters = b"abcdefghijklmnopqrstuvwxyz0123456789"

def command(*parts):
    return b"*%d\r\n" % len(parts) + b"".join(b"$%d\r\n%s\r\n" % (len(p), p) for p in parts)

def text(n):
    return bytes(rng.choice(letters) for _ in range(n))

if data_set in ("small", "ttl"):
    pool = text(4096)
    batch = []
    for i in range(keys_small):
        start = (i * 37) % (len(pool) - 100)
        value = pool[start:start + 100]
        key = b"key:%012d" % i
        if data_set == "ttl":
            batch.append(command(b"SET", key, value, b"EX", b"86400"))
        else:
            batch.append(command(b"SET", key, value))
        if len(batch) == 10000:
            out.write(b"".join(batch))
            batch = []
    out.write(b"".join(batch))
else:
    words = [text(rng.randint(3, 12)) for _ in range(500)]
    for i in range(keys_json):
        size = rng.randint(1536, 2560)
        fields = [b'"id":%d' % i, b'"tenant":"%s"' % rng.choice(words), b'"status":"active"',
                  b'"updatedAt":"2026-11-%02dT%02d:%02d:%02dZ"' % (rng.randint(1, 28), rng.randint(0, 23),
                                                                 rng.randint(0, 59), rng.randint(0, 59))]
        n = 0
        while sum(len(f) + 1 for f in fields) + 2 < size - 40:
            fields.append(b'"%s_%d":"%s"' % (rng.choice(words), n, b" ".join(rng.choice(words) for _ in range(4))))
            n += 1
        body = b"{" + b",".join(fields) + b"}"
        body = body[:size - 2] + b'"}' if len(body) > size else body + b" " * (size - len(body))
        out.write(command(b"SET", b"json:%011d" % i, body))
EOF
}

# Streams as BullMQ's event logs hold them: entries of two short fields, "event" and "jobId",
# with explicit IDs so that both servers hold the same entries. stream_small: many streams of 10
# entries (each a single node); stream_large: 10 streams of many entries (full nodes).
generate_streams() {
    python3 - "$1" "$STREAMS_SMALL" "$STREAM_ENTRIES_LARGE" <<'EOF'
import sys

data_set, streams_small, entries_large = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
out = sys.stdout.buffer
events = [b"added", b"active", b"progress", b"completed", b"failed", b"waiting", b"delayed", b"drained"]

def command(*parts):
    return b"*%d\r\n" % len(parts) + b"".join(b"$%d\r\n%s\r\n" % (len(p), p) for p in parts)

if data_set == "stream_small":
    streams, entries = streams_small, 10
else:
    streams, entries = 10, entries_large
batch = []
for s in range(streams):
    key = b"bull:queue:%08d:events" % s
    base = 1764547200000 + s
    for e in range(entries):
        batch.append(command(b"XADD", key, b"%d-%d" % (base + e // 4, e % 4), b"event", events[(s + e) % len(events)],
                             b"jobId", b"%d" % (s * entries + e)))
        if len(batch) == 10000:
            out.write(b"".join(batch))
            batch = []
out.write(b"".join(batch))
EOF
}

set_keys() {
    case $1 in
        small | ttl) echo "$KEYS_SMALL" ;;
        json) echo "$KEYS_JSON" ;;
        stream_small) echo "$STREAMS_SMALL" ;;
        stream_large) echo 10 ;;
    esac
}

# Commands of a data set, one reply each when loading: one per key, except streams (one per entry).
set_commands() {
    case $1 in
        stream_small) echo $((STREAMS_SMALL * 10)) ;;
        stream_large) echo $((10 * STREAM_ENTRIES_LARGE)) ;;
        *) set_keys "$1" ;;
    esac
}

load() {
    local port=$1 file=$2 keys=$3 result
    result=$(redis-cli -p "$port" --pipe <"$file" 2>&1 | tail -n 1)
    [[ $result == *"errors: 0, replies: $keys"* ]] || fail "loading $file into port $port: $result"
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
printf 'empty\t0\t%s\t%s\t%s\t%s\t%s\n' "$BASE_REDIS" "$BASE_USED" "$BASE_HEAP" "$BASE_REDIS_RSS" "$BASE_RSS" >"$TABLE"

for data_set in $SETS; do
    keys=$(set_keys "$data_set")
    [[ -n $keys ]] || fail "unknown data set $data_set"
    echo "loading $data_set ($keys keys) ..."
    generate "$data_set" >"$WORK/$data_set.resp"
    start_servers
    load "$REDIS_PORT" "$WORK/$data_set.resp" "$(set_commands "$data_set")"
    load "$NUTHATCH_PORT" "$WORK/$data_set.resp" "$(set_commands "$data_set")"
    rm -f "$WORK/$data_set.resp"
    for port in "$REDIS_PORT" "$NUTHATCH_PORT"; do
        [[ $(redis-cli -p "$port" dbsize) == "$keys" ]] || fail "port $port does not hold $keys keys"
    done
    read -r r_used n_used n_heap r_rss n_rss <<<"$(measure)"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$data_set" "$keys" "$r_used" "$n_used" "$n_heap" "$r_rss" "$n_rss" >>"$TABLE"
    stop_servers
done

# Whole figures in MB (10^6 bytes), ratios Nuthatch over redis-server (the heap over redis-server's
# used_memory), then per key with the empty servers' figures taken off.
python3 - "$TABLE" "$OUT" "$date_line" "$machine_line" "$versions_line" "$commit_line" <<'EOF'
import sys

rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1])]
out_path, header = sys.argv[2], sys.argv[3:]
base = [int(x) for x in rows[0][2:]]

def mb(x):
    return "%.1f" % (x / 1e6)

lines = ["| data set | keys | redis used_memory MB | nuthatch used_memory MB | ratio | nuthatch retained heap MB"
         " | heap / redis used_memory | redis RSS MB | nuthatch RSS MB | ratio |",
         "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
for name, keys, r_used, n_used, n_heap, r_rss, n_rss in rows:
    r_used, n_used, n_heap, r_rss, n_rss = (int(x) for x in (r_used, n_used, n_heap, r_rss, n_rss))
    lines.append("| %s | %s | %s | %s | %.2f | %s | %.2f | %s | %s | %.2f |" % (
        name, keys, mb(r_used), mb(n_used), n_used / r_used, mb(n_heap), n_heap / r_used,
        mb(r_rss), mb(n_rss), n_rss / r_rss))
lines += ["", "Per key, the empty servers' figures taken off (bytes):", "",
          "| data set | redis used_memory | nuthatch used_memory | nuthatch retained heap | redis RSS | nuthatch RSS |",
          "| --- | ---: | ---: | ---: | ---: | ---: |"]
for name, keys, *figures in rows[1:]:
    per_key = [(int(x) - b) / int(keys) for x, b in zip(figures, base)]
    lines.append("| %s | %.1f | %.1f | %.1f | %.1f | %.1f |" % (name, *per_key))
print("\n".join(lines))
if out_path:
    with open(out_path, "w") as f:
        f.write("".join(h + "  \n" for h in header) + "\n" + "\n".join(lines) + "\n")
EOF
