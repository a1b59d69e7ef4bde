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
#                 hashes and sets (generate_collections):
#                          hash_small    100k hashes of 10 fields (7-byte fields, 10-byte values): listpacks
#                          hash_large    10 hashes of 100k fields: hash tables
#                          set_small     100k sets of 10 short words (12 bytes): hash tables in Redis 7.0
#                          intset_small  100k sets of 10 integers: intsets
#                          set_large     10 sets of 100k members (15 bytes): hash tables
#
# Environment:
#   SETS="small ttl json"   the data sets to run
#   KEYS_SMALL=1000000      keys of the small and ttl sets
#   KEYS_JSON=100000        keys of the json set
#   KEYS_COLLECTIONS=100000 keys of the *_small hash and set data sets
#   NUTHATCH_JAVA_OPTS      JVM options (default: -Xmx1g and the launcher's flags)
#   NUTHATCH_JAR            the server jar (default: server/target/nuthatch-server.jar)
#   OUT=file.md             also write the tables as markdown there
set -euo pipefail

SETS=${SETS:-"small ttl json"}
KEYS_SMALL=${KEYS_SMALL:-1000000}
KEYS_JSON=${KEYS_JSON:-100000}
KEYS_COLLECTIONS=${KEYS_COLLECTIONS:-100000}
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
        hash_* | set_* | intset_*) generate_collections "$1"; return ;;
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

# Hashes and sets, small (the layouts our users' job hashes and alert sets take) and large. A large
# value is written 1000 members per command, so the number of replies is not the number of keys.
LARGE_ELEMENTS=100000
LARGE_KEYS=10
LARGE_BATCH=1000

generate_collections() {
    python3 - "$1" "$KEYS_COLLECTIONS" "$LARGE_KEYS" "$LARGE_ELEMENTS" "$LARGE_BATCH" <<'EOF'
import random
import sys

data_set = sys.argv[1]
small_keys, large_keys, large_elements, batch = (int(x) for x in sys.argv[2:])
out = sys.stdout.buffer
rng = random.Random(11)
letters = b"abcdefghijklmnopqrstuvwxyz0123456789"

def command(*parts):
    return b"*%d\r\n" % len(parts) + b"".join(b"$%d\r\n%s\r\n" % (len(p), p) for p in parts)

def text(n):
    return bytes(rng.choice(letters) for _ in range(n))

chunk = []
def emit(cmd):
    chunk.append(cmd)
    if len(chunk) == 10000:
        out.write(b"".join(chunk))
        chunk.clear()

if data_set == "hash_small":
    for i in range(small_keys):
        pairs = []
        for f in range(10):
            pairs += [b"field:%d" % f, text(10)]
        emit(command(b"HSET", b"hash:%011d" % i, *pairs))
elif data_set == "set_small":
    for i in range(small_keys):
        emit(command(b"SADD", b"sset:%011d" % i, *[b"alert:%06d" % rng.randrange(10**6) for _ in range(10)]))
elif data_set == "intset_small":
    for i in range(small_keys):
        emit(command(b"SADD", b"iset:%011d" % i, *[b"%d" % rng.randrange(10**6) for _ in range(10)]))
elif data_set in ("hash_large", "set_large"):
    for k in range(large_keys):
        key = b"large:%010d" % k
        for start in range(0, large_elements, batch):
            if data_set == "hash_large":
                pairs = []
                for e in range(start, start + batch):
                    pairs += [b"field:%09d" % e, text(10)]
                emit(command(b"HSET", key, *pairs))
            else:
                emit(command(b"SADD", key, *[b"member:%08d" % e for e in range(start, start + batch)]))
else:
    sys.exit("unknown data set " + data_set)
out.write(b"".join(chunk))
EOF
}

# The replies loading a data set gets: one per key, except for the large collections.
set_replies() {
    case $1 in
        hash_large | set_large) echo $((LARGE_KEYS * LARGE_ELEMENTS / LARGE_BATCH)) ;;
        *) set_keys "$1" ;;
    esac
}

set_keys() {
    case $1 in
        small | ttl) echo "$KEYS_SMALL" ;;
        json) echo "$KEYS_JSON" ;;
        hash_small | set_small | intset_small) echo "$KEYS_COLLECTIONS" ;;
        hash_large | set_large) echo "$LARGE_KEYS" ;;
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
    load "$REDIS_PORT" "$WORK/$data_set.resp" "$(set_replies "$data_set")"
    load "$NUTHATCH_PORT" "$WORK/$data_set.resp" "$(set_replies "$data_set")"
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
