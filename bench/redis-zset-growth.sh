#!/usr/bin/env bash
# Redis's own cost per sorted-set operation at 1e3, 1e4, 1e5 and 1e6 members, to set beside
# SortedSetBenchmark's: how the cost of Redis's skiplist grows with the size of the set.
#
# Starts a redis-server of its own on a free loopback port, fills one sorted set with "member:i" at
# random scores (a Lua loop of ZADD), then runs each operation CALLS times in a Lua loop inside the
# server, at random places, as SortedSetBenchmark does: ZADD of a new member then ZREM of it
# (insertThenRemove), ZADD of an existing member with a new random score (rescore), ZRANK, ZRANGE
# of ten by rank, ZRANGEBYSCORE from a random score LIMIT 0 10.
# Each loop is timed by the CPU time the server reports (INFO cpu, user + sys), not by the clock,
# so that other processes on a busy machine do not count; the figure is nanoseconds per call. The
# "loop" column is the cost of the Lua loop and of a call that does nothing (ZSCORE of an absent
# key) at that size: take it off the others to compare with SortedSetBenchmark, which has no
# command path at all.
#
# Environment: CALLS (default 200000).
set -euo pipefail

CALLS=${CALLS:-200000}
command -v redis-server >/dev/null || { echo "redis-zset-growth.sh: redis-server not found" >&2; exit 1; }
WORK=$(mktemp -d "${TMPDIR:-/tmp}/redis-zset-growth.XXXXXX")
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
redis-server --port "$PORT" --save "" --appendonly no --bind 127.0.0.1 --dir "$WORK" >"$WORK/redis.log" 2>&1 &
REDIS_PID=$!
trap 'kill "$REDIS_PID" 2>/dev/null || true; wait "$REDIS_PID" 2>/dev/null || true; rm -rf "$WORK"' EXIT

cli() { redis-cli -p "$PORT" "$@"; }
for _ in $(seq 50); do cli ping >/dev/null 2>&1 && break; sleep 0.1; done
cpu_seconds() { cli info cpu | tr -d '\r' | awk -F: '/^used_cpu_(user|sys):/ {s += $2} END {printf "%.6f", s}'; }

FILL='local n = tonumber(ARGV[1])
for i = 1, n do redis.call("ZADD", KEYS[1], math.random() * n, "member:" .. i) end
return redis.call("ZCARD", KEYS[1])'
OPS=(loop insertThenRemove rescore rank rangeByRank rangeByScore)
declare -A LOOP
LOOP[loop]='for i = 1, tonumber(ARGV[2]) do redis.call("ZSCORE", "absent", "member:" .. math.random(tonumber(ARGV[1]))) end'
LOOP[insertThenRemove]='local n = tonumber(ARGV[1])
for i = 1, tonumber(ARGV[2]) do
  local m = "absent:" .. i
  redis.call("ZADD", KEYS[1], math.random() * n, m)
  redis.call("ZREM", KEYS[1], m)
end'
LOOP[rescore]='local n = tonumber(ARGV[1])
for i = 1, tonumber(ARGV[2]) do redis.call("ZADD", KEYS[1], math.random() * n, "member:" .. math.random(n)) end'
LOOP[rank]='for i = 1, tonumber(ARGV[2]) do redis.call("ZRANK", KEYS[1], "member:" .. math.random(tonumber(ARGV[1]))) end'
LOOP[rangeByRank]='for i = 1, tonumber(ARGV[2]) do
  local s = math.random(0, tonumber(ARGV[1]) - 10)
  redis.call("ZRANGE", KEYS[1], s, s + 9)
end'
LOOP[rangeByScore]='for i = 1, tonumber(ARGV[2]) do
  redis.call("ZRANGEBYSCORE", KEYS[1], math.random() * tonumber(ARGV[1]), "+inf", "LIMIT", 0, 10)
end'

echo "redis: $(redis-server --version | grep -o 'v=[^ ]*'); load average $(cut -d' ' -f1-3 /proc/loadavg); $CALLS calls per cell, ns of server CPU per call"
echo
echo "| size |$(printf ' %s |' "${OPS[@]}")"
echo "| ---: |$(printf ' ---: |%.0s' "${OPS[@]}")"
for size in 1000 10000 100000 1000000; do
    cli del z >/dev/null
    [[ $(cli eval "$FILL" 1 z "$size") == "$size" ]] || { echo "redis-zset-growth.sh: the set was not filled" >&2; exit 1; }
    row="| $size"
    for op in "${OPS[@]}"; do
        before=$(cpu_seconds)
        cli eval "${LOOP[$op]}" 1 z "$size" "$CALLS" >/dev/null
        after=$(cpu_seconds)
        row="$row | $(python3 -c "print(round(($after - $before) * 1e9 / $CALLS))")"
    done
    echo "$row |"
done
