#!/usr/bin/env bash
# Bytes the running server allocates per request under redis-benchmark, and where, from JFR.
#
#   bench/server-alloc.sh [test] [pipeline] [requests]      # default: get 16 1000000
#
# Starts Nuthatch on a free loopback port, warms it with SET and GET, records JFR only while the
# measured test runs, then prints each thread's allocated bytes per request (from
# jdk.ThreadAllocationStatistics, exact) and the allocation sites JFR sampled on the server's
# threads, by sample count (a small TLAB makes the samples dense; weights are not used, as JFR's
# throttling makes them unreliable on a short window). JVM options as in compare.sh:
# NUTHATCH_JAVA_OPTS, EXTRA_JVM_PROPS, NUTHATCH_ARGS, NUTHATCH_JAR.
set -euo pipefail

TEST=${1:-get}
PIPELINE=${2:-16}
REQUESTS=${3:-1000000}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAR=${NUTHATCH_JAR:-$ROOT/server/target/nuthatch-server.jar}
NUTHATCH_JAVA_OPTS=${NUTHATCH_JAVA_OPTS:-"-Xms1g -Xmx1g -XX:+UseParallelGC"}
EXTRA_JVM_PROPS=${EXTRA_JVM_PROPS:-}
NUTHATCH_ARGS=${NUTHATCH_ARGS:-}
[[ -f $JAR ]] || { echo "server-alloc.sh: $JAR missing (mvn -q -DskipTests package)" >&2; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/nuthatch-alloc.XXXXXX")
PID=
cleanup() {
    if [[ -n $PID ]]; then
        kill "$PID" 2>/dev/null || true
        wait "$PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# shellcheck disable=SC2086 # option strings are lists of words
java $NUTHATCH_JAVA_OPTS -XX:TLABSize=2k -XX:-ResizeTLAB $EXTRA_JVM_PROPS -jar "$JAR" \
    --port "$PORT" --exporter-port 0 --bind 127.0.0.1 $NUTHATCH_ARGS >"$WORK/server.log" 2>&1 &
PID=$!
for _ in $(seq 300); do
    kill -0 "$PID" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
    [[ $(redis-cli -p "$PORT" ping 2>/dev/null) == PONG ]] && break
    sleep 0.1
done

redis-benchmark -p "$PORT" -t set,get -n 300000 -c 50 -P "$PIPELINE" -d 100 -r 100000 -q >/dev/null 2>&1 || true
jcmd "$PID" JFR.start name=alloc settings=profile >/dev/null
redis-benchmark -p "$PORT" -t "$TEST" -n "$REQUESTS" -c 50 -P "$PIPELINE" -d 100 -r 100000 --csv 2>/dev/null | tail -n 1
jcmd "$PID" JFR.stop name=alloc filename="$WORK/alloc.jfr" >/dev/null
jfr print --json --events jdk.ObjectAllocationSample,jdk.ThreadAllocationStatistics "$WORK/alloc.jfr" >"$WORK/alloc.json"

python3 - "$WORK/alloc.json" "$REQUESTS" <<'EOF'
import collections
import json
import sys

events = json.load(open(sys.argv[1]))["recording"]["events"]
requests = int(sys.argv[2])
first, last = {}, {}
sites = collections.Counter()
for event in events:
    values = event["values"]
    if event["type"] == "jdk.ThreadAllocationStatistics":
        name = values["thread"]["javaName"] if values.get("thread") else "?"
        first.setdefault(name, values["allocated"])
        last[name] = values["allocated"]
        continue
    thread = values["eventThread"]["javaName"] if values.get("eventThread") else "?"
    if not thread.startswith("nuthatch"):
        continue
    frames = values["stackTrace"]["frames"] if values.get("stackTrace") else []
    site = " < ".join(f'{f["method"]["type"]["name"].split("/")[-1]}.{f["method"]["name"]}:{f["lineNumber"]}'
                      for f in frames[:6])
    sites[(values["objectClass"]["name"], site)] += 1
print("allocated per request, by thread:")
for name in sorted(last):
    delta = last[name] - first[name]
    if delta > 0 and name.startswith("nuthatch"):
        print(f"  {name}: {delta / requests:.2f} B")
total = sum(sites.values())
print(f"allocation sites on the server's threads ({total} samples):")
for (cls, site), count in sites.most_common(12):
    print(f"  {count:6d}  {cls}  {site}")
EOF
