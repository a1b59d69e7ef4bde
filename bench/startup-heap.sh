#!/usr/bin/env bash
# The heap an idle Nuthatch takes for its own structures, the figure behind MemoryInfo.STARTUP_BYTES
# (used_memory_startup): compiles bench/startup-heap/StartupHeap.java against the server jar and
# runs it ROUNDS times in a fresh JVM each (Serial GC, so that System.gc() collects everything).
#
#   ROUNDS=3 NUTHATCH_JAR=server/target/nuthatch-server.jar bench/startup-heap.sh
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAR=${NUTHATCH_JAR:-$ROOT/server/target/nuthatch-server.jar}
ROUNDS=${ROUNDS:-3}
[[ -f $JAR ]] || { echo "startup-heap.sh: $JAR missing (mvn -q -DskipTests package)" >&2; exit 1; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
javac -d "$WORK" -cp "$JAR" "$ROOT/bench/startup-heap/StartupHeap.java"
for _ in $(seq "$ROUNDS"); do
    java -Xms256m -Xmx256m -XX:+UseSerialGC -cp "$JAR:$WORK" StartupHeap 2>/dev/null | grep -v '^$'
done
