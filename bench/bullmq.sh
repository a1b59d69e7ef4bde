#!/usr/bin/env bash
# BullMQ throughput of Nuthatch and redis-server side by side: jobs added per second (Queue.addBulk)
# and jobs processed per second by one Worker of concurrency 10 (bench/bullmq/throughput.mjs).
# Each round runs against both servers back to back, the order swapping every round; the table
# shows the median of the rounds. An untimed round warms Nuthatch's JIT first.
#
# Environment:
#   JOBS=20000 BATCH=500 CONCURRENCY=10 ROUNDS=3
#   KEEP_COMPLETED=1     keep completed jobs (BullMQ's default; the completed sorted set grows)
#   NUTHATCH_JAVA_OPTS   JVM options (default: -Xms1g -Xmx1g, G1)
#   NUTHATCH_JAR         the server jar (default: server/target/nuthatch-server.jar)
#   NODE_MODULES_DIR     a folder with bullmq and ioredis installed (default: server/target/e2e-node
#                        when the end-to-end tests installed them there, else npm installs them
#                        into the scratch directory)
#   OUT=file.md          also write the table as markdown there
set -euo pipefail

JOBS=${JOBS:-20000}
BATCH=${BATCH:-500}
CONCURRENCY=${CONCURRENCY:-10}
ROUNDS=${ROUNDS:-3}
NUTHATCH_JAVA_OPTS=${NUTHATCH_JAVA_OPTS:-"-Xms1g -Xmx1g -XX:+UseG1GC -XX:+PerfDisableSharedMem"}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAR=${NUTHATCH_JAR:-$ROOT/server/target/nuthatch-server.jar}

. "$ROOT/bench/lib/servers.sh" bullmq
require_tools redis-server redis-cli java node npm python3
require_jar "$JAR"

modules=${NODE_MODULES_DIR:-$ROOT/server/target/e2e-node}
if [[ ! -d $modules/node_modules/bullmq ]]; then
    modules=$WORK/node
    mkdir -p "$modules"
    (cd "$modules" && npm init -y >/dev/null && npm install --no-audit --no-fund --loglevel=error bullmq@5 ioredis@5 >/dev/null)
fi
cp "$ROOT/bench/bullmq/throughput.mjs" "$modules/bullmq-throughput.mjs"

redis_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --dir "$WORK" \
    --maxmemory-policy noeviction --daemonize no >"$WORK/redis.log" 2>&1 &
PIDS+=("$!")
nuthatch_port=$(free_port)
mkdir -p "$WORK/nuthatch"
# shellcheck disable=SC2086 # the JVM options are a list of words
java $NUTHATCH_JAVA_OPTS -jar "$JAR" --port "$nuthatch_port" --exporter-port 0 --bind 127.0.0.1 --save '' \
    --appendonly no --dir "$WORK/nuthatch" --maxmemory-policy noeviction >"$WORK/nuthatch.log" 2>&1 &
PIDS+=("$!")
await_ready "$redis_port"
await_ready "$nuthatch_port"

run() {
    PORT=$1 JOBS=$JOBS BATCH=$BATCH CONCURRENCY=$CONCURRENCY KEEP_COMPLETED=${KEEP_COMPLETED:-0} node "$modules/bullmq-throughput.mjs"
}

run "$nuthatch_port" >/dev/null    # warm-up
declare -a redis_runs=() nuthatch_runs=()
for round in $(seq "$ROUNDS"); do
    if (( round % 2 )); then
        redis_runs+=("$(run "$redis_port")"); nuthatch_runs+=("$(run "$nuthatch_port")")
    else
        nuthatch_runs+=("$(run "$nuthatch_port")"); redis_runs+=("$(run "$redis_port")")
    fi
done

table=$(python3 - "${#redis_runs[@]}" "${redis_runs[@]}" "${nuthatch_runs[@]}" <<'PY'
import json, statistics, sys
n = int(sys.argv[1])
redis = [json.loads(line) for line in sys.argv[2:2 + n]]
nuthatch = [json.loads(line) for line in sys.argv[2 + n:]]
for runs in (redis, nuthatch):
    for run in runs:
        if run["failed"] or run["completed"] == 0:
            sys.exit(f"bullmq.sh: a run lost jobs: {run}")
print("| measure | redis-server | nuthatch | ratio |")
print("| --- | ---: | ---: | ---: |")
for field, label in (("added_per_second", "jobs added / s (addBulk)"), ("completed_per_second", "jobs processed / s (worker)")):
    r = statistics.median(run[field] for run in redis)
    m = statistics.median(run[field] for run in nuthatch)
    print(f"| {label} | {r:.0f} | {m:.0f} | {m / r:.2f} |")
PY
)
header="BullMQ $(node -e 'console.log(require(process.argv[1] + "/node_modules/bullmq/package.json").version)' "$modules"), $JOBS jobs, batches of $BATCH, concurrency $CONCURRENCY$([[ ${KEEP_COMPLETED:-0} == 1 ]] && echo ", completed jobs kept"), median of $ROUNDS rounds; $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
echo "$header"
echo
echo "$table"
if [[ -n ${OUT:-} ]]; then
    printf '%s\n\n%s\n' "$header" "$table" >"$OUT"
fi
