#!/usr/bin/env bash
# Side-by-side load benchmark: Debian's redis-server and Nuthatch, same settings, same client.
#
# Each (test, pipeline) cell is run against both servers back to back, in an order that swaps
# every round, so slow drift of a shared machine hits both alike; the table shows the median of
# the rounds. Nuthatch's JIT is warmed by an untimed run of every test first.
#
# Environment:
#   N=100000             requests per run
#   ROUNDS=3             runs per cell and server (median reported)
#   CLIENTS=50           redis-benchmark -c
#   PIPELINES="1 16"     redis-benchmark -P values
#   TESTS=ping_inline,ping_mbulk,set,get,incr,mset,lpush,rpush,lrange_100,lpop,rpop,sadd,spop,hset,
#         zadd,zrange_100,zpopmin,xadd,xrange_100,publish_10,evalsha,evalsha_ratelimit
#                        redis-benchmark's tests, and six of ours run as custom commands
#                        (xadd, xrange_100, zrange_100, publish_10, evalsha, evalsha_ratelimit: see custom_command
#                        below); lpop and rpop first get an untimed LPUSH run of as many elements;
#                        publish_10 publishes 100-byte messages to a channel 10 redis-cli
#                        processes subscribe to (each server gets its own 10)
#   WARMUP_N=100000      requests per test of the untimed warm-up (0: none)
#   KEYSPACE=100000      redis-benchmark -r: keys (and members) drawn from that many; 1000000 makes
#                        the dataset large enough that lookups miss the caches and the TLB
#   MAXMEMORY=0          maxmemory given to both servers
#   APPENDONLY=no        appendonly given to both servers (each logs into its own scratch dir)
#   APPENDFSYNC=everysec appendfsync given to both servers
#   NUTHATCH_JAVA_OPTS   JVM options (default: -Xms1g -Xmx1g and the launcher's collector, G1)
#   EXTRA_JVM_PROPS      more JVM options, e.g. -Dnuthatch.execution=dedicated
#   NUTHATCH_ARGS        extra server arguments for Nuthatch, e.g. "--io-threads 2"
#   REDIS_ARGS           extra server arguments for redis-server
#   NUTHATCH_JAR         the server jar (default: server/target/nuthatch-server.jar, built if missing)
#   RUN_TIMEOUT=300      seconds before one redis-benchmark run counts as an error
#   OUT=file.md          also write the table as markdown there
set -euo pipefail

N=${N:-100000}
ROUNDS=${ROUNDS:-3}
CLIENTS=${CLIENTS:-50}
PIPELINES=${PIPELINES:-"1 16"}
TESTS=${TESTS:-ping_inline,ping_mbulk,set,get,incr,mset,lpush,rpush,lrange_100,lpop,rpop,sadd,spop,hset,zadd,zrange_100,zpopmin,xadd,xrange_100,publish_10,evalsha,evalsha_ratelimit}
WARMUP_N=${WARMUP_N:-100000}
KEYSPACE=${KEYSPACE:-100000}
MAXMEMORY=${MAXMEMORY:-0}
APPENDONLY=${APPENDONLY:-no}
APPENDFSYNC=${APPENDFSYNC:-everysec}
NUTHATCH_JAVA_OPTS=${NUTHATCH_JAVA_OPTS:-"-Xms1g -Xmx1g -XX:+UseG1GC -XX:+PerfDisableSharedMem"}
EXTRA_JVM_PROPS=${EXTRA_JVM_PROPS:-}
NUTHATCH_ARGS=${NUTHATCH_ARGS:-}
REDIS_ARGS=${REDIS_ARGS:-}
RUN_TIMEOUT=${RUN_TIMEOUT:-300}
OUT=${OUT:-}

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAR=${NUTHATCH_JAR:-$ROOT/server/target/nuthatch-server.jar}

for tool in redis-server redis-benchmark redis-cli java; do
    command -v "$tool" >/dev/null || { echo "compare.sh: $tool not found" >&2; exit 1; }
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/nuthatch-compare.XXXXXX")
REDIS_PID=
NUTHATCH_PID=
SUBSCRIBER_PIDS=()

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
    local pid
    for pid in "${SUBSCRIBER_PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    stop_server "$REDIS_PID"
    stop_server "$NUTHATCH_PID"
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

fail() {
    echo "compare.sh: $*" >&2
    for log in "$WORK"/*.log; do
        [[ -f $log ]] || continue
        echo "--- last lines of $(basename "$log")" >&2
        tail -n 20 "$log" >&2
    done
    exit 1
}

free_port() {
    python3 - <<'EOF' 2>/dev/null || echo $((20000 + RANDOM % 20000))
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
EOF
}

wait_for_ping() {
    local name=$1 port=$2 pid=$3
    for _ in $(seq 300); do
        kill -0 "$pid" 2>/dev/null || return 1
        if [[ $(redis-cli -p "$port" ping 2>/dev/null) == PONG ]]; then
            return 0
        fi
        sleep 0.1
    done
    fail "$name did not answer PING on port $port within 30 s"
}

# ------------------------------------------------------------------ the machine
cpu_model=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//')
[[ -n $cpu_model ]] || cpu_model=$(uname -m)
java_version=$(java -version 2>&1 | head -n 2 | tr '\n' ' ' | sed 's/ *$//')
redis_version=$(redis-server --version)
bench_version=$(redis-benchmark --version 2>/dev/null || echo unknown)
git_commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
# The jar may be older than the checkout: say when it was built.
jar_date() {
    if [[ -f $JAR ]]; then date -u -r "$JAR" '+built %Y-%m-%d %H:%M UTC'; else echo "to be built"; fi
}

HEADER=(
    "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
    "machine: $(nproc) cpus, $cpu_model, load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
    "java: $java_version"
    "redis: $redis_version"
    "client: $bench_version"
    "nuthatch: commit $git_commit, jar $(jar_date); JVM: ${NUTHATCH_JAVA_OPTS} ${EXTRA_JVM_PROPS}; args: ${NUTHATCH_ARGS:-(none)}"
    "persistence (both): save \"\", appendonly $APPENDONLY, appendfsync $APPENDFSYNC, dir on $(df --output=fstype "$WORK" | tail -n 1)"
    "run: redis-benchmark -n $N -c $CLIENTS -d 100 -r $KEYSPACE -P {${PIPELINES// /,}}; median of $ROUNDS rounds; warm-up $WARMUP_N requests per test"
)
printf '%s\n' "${HEADER[@]}"
echo

# ------------------------------------------------------------------ the servers
if [[ ! -f $JAR ]]; then
    echo "building $JAR ..."
    (cd "$ROOT" && mvn -q -DskipTests package) || fail "build failed"
    [[ -f $JAR ]] || fail "build did not produce $JAR"
fi

# No snapshots, the same append-only log settings, loopback only, the same memory settings for both.
COMMON=(--save "" --appendonly "$APPENDONLY" --appendfsync "$APPENDFSYNC" --bind 127.0.0.1 --protected-mode no
        --maxmemory "$MAXMEMORY" --maxmemory-policy noeviction --databases 16 --hz 10)

REDIS_PORT=$(free_port)
mkdir -p "$WORK/redis"
# shellcheck disable=SC2086 # REDIS_ARGS is a list of words
redis-server --port "$REDIS_PORT" --dir "$WORK/redis" "${COMMON[@]}" $REDIS_ARGS >"$WORK/redis.log" 2>&1 &
REDIS_PID=$!
wait_for_ping redis-server "$REDIS_PORT" "$REDIS_PID" || fail "redis-server exited at startup"

NOTES=()
start_nuthatch() {
    local -a args=("$@")
    for _ in 1 2 3; do
        NUTHATCH_PORT=$(free_port)
        # shellcheck disable=SC2086 # option strings are lists of words
        java $NUTHATCH_JAVA_OPTS $EXTRA_JVM_PROPS -jar "$JAR" --port "$NUTHATCH_PORT" --exporter-port 0 "${args[@]}" \
            $NUTHATCH_ARGS >"$WORK/nuthatch.log" 2>&1 &
        NUTHATCH_PID=$!
        if wait_for_ping nuthatch "$NUTHATCH_PORT" "$NUTHATCH_PID"; then
            return 0
        fi
        wait "$NUTHATCH_PID" 2>/dev/null || true
        NUTHATCH_PID=
        # Another process may have taken the free port first: try another, unless the log says why.
        grep -q 'Address already in use' "$WORK/nuthatch.log" || return 1
    done
    return 1
}
mkdir -p "$WORK/nuthatch"
start_nuthatch --dir "$WORK/nuthatch" "${COMMON[@]}" || fail "nuthatch exited at startup"
echo "redis-server pid $REDIS_PID port $REDIS_PORT; nuthatch pid $NUTHATCH_PID port $NUTHATCH_PORT"

check_alive() {
    kill -0 "$REDIS_PID" 2>/dev/null || fail "redis-server died during the benchmark"
    kill -0 "$NUTHATCH_PID" 2>/dev/null || fail "nuthatch died during the benchmark"
}

# ------------------------------------------------------------------ runs
IFS=, read -r -a TEST_LIST <<<"$TESTS"
read -r -a PIPELINE_LIST <<<"$PIPELINES"
RESULTS=$WORK/results.tsv
: >"$RESULTS"

# The tests redis-benchmark has no -t name for, as the command each request sends. They use the
# keys redis-benchmark's own tests fill (myzset by zadd) or one of their own (mystream), and are
# seeded first when those hold too little (seed_custom), so that a range reads 100 elements.
# evalsha runs a small script (a GET through redis.call) that seed_custom loads first;
# evalsha_ratelimit a script that writes, the fixed-window rate limiter our users run (INCR, and
# EXPIRE on the window's first hit), which Nuthatch moves off the event loop before its write.
EVALSHA_SCRIPT="return redis.call('GET', KEYS[1])"
EVALSHA_SHA=$(printf '%s' "$EVALSHA_SCRIPT" | sha1sum | cut -d' ' -f1)
RATELIMIT_SCRIPT="local hits = redis.call('INCR', KEYS[1]) if hits == 1 then redis.call('EXPIRE', KEYS[1], 60) end return hits"
RATELIMIT_SHA=$(printf '%s' "$RATELIMIT_SCRIPT" | sha1sum | cut -d' ' -f1)
custom_command() {
    case $1 in
        evalsha) CUSTOM=(EVALSHA "$EVALSHA_SHA" 1 key:__rand_int__) ;;
        evalsha_ratelimit) CUSTOM=(EVALSHA "$RATELIMIT_SHA" 1 rate:__rand_int__) ;;
        xadd) CUSTOM=(XADD mystream '*' field __rand_int__) ;;
        xrange_100) CUSTOM=(XRANGE mystream - + COUNT 100) ;;
        zrange_100) CUSTOM=(ZRANGE myzset 0 99 WITHSCORES) ;;
        publish_10) CUSTOM=(PUBLISH bench-channel "$PUBLISH_MESSAGE") ;;
        *) return 1 ;;
    esac
}

# A count a server answers, 0 when it answers an error (a type it lacks).
count_of() {
    local answer
    answer=$(redis-cli -p "$1" "${@:2}" 2>/dev/null)
    [[ $answer =~ ^[0-9]+$ ]] && echo "$answer" || echo 0
}

PUBLISH_MESSAGE=$(printf 'm%.0s' $(seq 100))

# The subscribers of publish_10: redis-cli processes that read every message (into /dev/null), started
# once per server and kept until the script ends.
subscribe_ten() {
    local port=$1 have
    have=$(redis-cli -p "$port" pubsub numsub bench-channel 2>/dev/null | tail -n 1)
    [[ $have =~ ^[0-9]+$ ]] || have=0
    while ((have < 10)); do
        redis-cli -p "$port" subscribe bench-channel >/dev/null 2>&1 &
        SUBSCRIBER_PIDS+=($!)
        have=$((have + 1))
    done
    for _ in $(seq 100); do
        [[ $(redis-cli -p "$port" pubsub numsub bench-channel 2>/dev/null | tail -n 1) == 10 ]] && return 0
        sleep 0.05
    done
}

seed_custom() {
    local port=$1 test=$2
    case $test in
        evalsha)
            redis-cli -p "$port" SCRIPT LOAD "$EVALSHA_SCRIPT" >/dev/null ;;
        evalsha_ratelimit)
            redis-cli -p "$port" SCRIPT LOAD "$RATELIMIT_SCRIPT" >/dev/null ;;
        publish_10) subscribe_ten "$port" ;;
        xrange_100)
            if (($(count_of "$port" xlen mystream) < 100)); then
                redis-benchmark -p "$port" -n 1000 -c 10 -r $KEYSPACE XADD mystream '*' field __rand_int__ >/dev/null 2>&1 || true
            fi ;;
        zrange_100)
            if (($(count_of "$port" zcard myzset) < 100)); then
                redis-benchmark -p "$port" -n 1000 -c 10 -r $KEYSPACE ZADD myzset __rand_int__ element:__rand_int__ \
                    >/dev/null 2>&1 || true
            fi ;;
    esac
}

# One redis-benchmark run; prints "rps p50 p99", or "error" when the run failed (an error reply,
# such as a command this build lacks, makes redis-benchmark stop).
run_one() {
    local port=$1 test=$2 pipeline=$3 requests=$4
    local out=$WORK/run.out err=$WORK/run.err
    local -a what
    if custom_command "$test"; then
        seed_custom "$port" "$test"
        what=("${CUSTOM[@]}")
    else
        what=(-t "$test" -d 100)
    fi
    # Pops would pop an empty list: the list gets as many elements as the run pops, untimed.
    if [[ $test == lpop || $test == rpop ]]; then
        if ! timeout "$RUN_TIMEOUT" redis-benchmark -p "$port" -t lpush -n "$requests" -c "$CLIENTS" \
                -P "$pipeline" -d 100 -r $KEYSPACE --csv >/dev/null 2>"$err"; then
            echo error
            return
        fi
    fi
    if ! timeout "$RUN_TIMEOUT" redis-benchmark -p "$port" -n "$requests" -c "$CLIENTS" -P "$pipeline" \
            -r $KEYSPACE --csv "${what[@]}" >"$out" 2>"$err"; then
        echo error
        return
    fi
    grep -q '^Error' "$err" && { echo error; return; }
    # "test","rps","avg","min","p50","p95","p99","max"; the last row, since lrange_100 first
    # reports the LPUSH that fills its list.
    awk -F'","' 'NR > 1 && NF >= 8 { gsub(/"/, "", $8); row = $2 " " $5 " " $7 }
                 END { print row == "" ? "error" : row }' "$out"
}

if ((WARMUP_N > 0)); then
    echo "warming up nuthatch ($WARMUP_N requests per test and pipeline, untimed) ..."
    for test in "${TEST_LIST[@]}"; do
        for pipeline in "${PIPELINE_LIST[@]}"; do
            run_one "$NUTHATCH_PORT" "$test" "$pipeline" "$WARMUP_N" >/dev/null
        done
    done
    check_alive
fi

for round in $(seq "$ROUNDS"); do
    echo "round $round of $ROUNDS ..."
    for test in "${TEST_LIST[@]}"; do
        for pipeline in "${PIPELINE_LIST[@]}"; do
            if ((round % 2 == 1)); then order="redis nuthatch"; else order="nuthatch redis"; fi
            for server in $order; do
                if [[ $server == redis ]]; then port=$REDIS_PORT; else port=$NUTHATCH_PORT; fi
                result=$(run_one "$port" "$test" "$pipeline" "$N")
                printf '%s\t%s\t%s\t%s\n' "$test" "$pipeline" "$server" "$result" >>"$RESULTS"
            done
            check_alive
        done
    done
done

# ------------------------------------------------------------------ the table
# Median of the rounds per cell and figure; a cell with any failed round reads "error".
TABLE=$WORK/table.tsv
awk -F'\t' -v tests="$TESTS" -v pipelines="$PIPELINES" '
    function median(list,    values, n, i, j, t) {
        n = split(list, values, " ")
        for (i = 2; i <= n; i++) {
            t = values[i]
            for (j = i - 1; j >= 1 && values[j] + 0 > t + 0; j--) values[j + 1] = values[j]
            values[j + 1] = t
        }
        if (n % 2) return values[(n + 1) / 2]
        return (values[n / 2] + values[n / 2 + 1]) / 2
    }
    {
        key = $1 SUBSEP $2 SUBSEP $3
        if ($4 == "error") { failed[key] = 1; next }
        split($4, f, " ")
        rps[key] = rps[key] " " f[1]; p50[key] = p50[key] " " f[2]; p99[key] = p99[key] " " f[3]
    }
    END {
        nt = split(tests, t, ","); np = split(pipelines, p, " ")
        for (i = 1; i <= nt; i++) for (j = 1; j <= np; j++) {
            r = t[i] SUBSEP p[j] SUBSEP "redis"; n = t[i] SUBSEP p[j] SUBSEP "nuthatch"
            rr = (r in failed || !(r in rps)) ? "error" : sprintf("%.0f", median(rps[r]))
            nr = (n in failed || !(n in rps)) ? "error" : sprintf("%.0f", median(rps[n]))
            ratio = (rr == "error" || nr == "error" || rr == 0) ? "-" : sprintf("%.2f", nr / rr)
            r50 = rr == "error" ? "error" : sprintf("%.3f", median(p50[r]))
            r99 = rr == "error" ? "error" : sprintf("%.3f", median(p99[r]))
            n50 = nr == "error" ? "error" : sprintf("%.3f", median(p50[n]))
            n99 = nr == "error" ? "error" : sprintf("%.3f", median(p99[n]))
            printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", t[i], p[j], rr, nr, ratio, r50, n50, r99, n99
        }
    }' "$RESULTS" >"$TABLE"

# The load during the runs says how far to trust the figures.
FOOTER="load average at the end: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
COLUMNS_TEXT="test pipeline redis_rps nuthatch_rps ratio redis_p50_ms nuthatch_p50_ms redis_p99_ms nuthatch_p99_ms"
echo
{
    echo "$COLUMNS_TEXT" | tr ' ' '\t'
    cat "$TABLE"
} | column -t -s $'\t'
echo "$FOOTER"

if [[ -n $OUT ]]; then
    {
        printf '%s  \n' "${HEADER[@]}" "${NOTES[@]}"
        echo
        echo "| test | pipeline | redis rps | nuthatch rps | ratio | redis p50 ms | nuthatch p50 ms | redis p99 ms | nuthatch p99 ms |"
        echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
        awk -F'\t' '{ printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8, $9 }' "$TABLE"
        echo
        echo "$FOOTER"
    } >"$OUT"
    echo
    echo "markdown table written to $OUT"
fi

check_alive
