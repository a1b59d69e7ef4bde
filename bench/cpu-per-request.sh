#!/usr/bin/env bash
# CPU time a server process spends per request: user + system time of all its threads (GC and
# JIT included), read from /proc/PID/stat around one redis-benchmark run, after a warm-up run.
#
#   bench/cpu-per-request.sh PID PORT TEST PIPELINE [N]
#   bench/cpu-per-request.sh "$(pgrep -f 'redis-server .*:7401')" 7401 set 1 400000
set -euo pipefail
pid=$1 port=$2 test=$3 pipeline=$4 n=${5:-400000}
ticks_per_second=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
run() { redis-benchmark -p "$port" -t "$test" -n "$1" -c 50 -P "$pipeline" -r 100000 -d 100 -q >/dev/null 2>&1; }

run 200000
before=$(cpu_ticks)
run "$n"
after=$(cpu_ticks)
echo "$test pipeline $pipeline: $(echo "($after - $before) * 1000000 / $ticks_per_second / $n" | bc -l | cut -c1-5) µs of CPU per request"
