#!/usr/bin/env bash
# scrape-cost.sh: what a Prometheus scrape of the built-in exporter costs the server.
#
# Starts Nuthatch (server/target/nuthatch-server.jar) on free loopback ports, fills each of its 16
# databases with KEYS keys (half with a TTL), opens CLIENTS idle connections, then scrapes /metrics
# SCRAPES times after WARMUP untimed scrapes. Each scrape reports two figures of its own:
# nuthatch_scrape_info_snapshot_seconds, the time it held the engine reading INFO (commands wait
# for that long at most), and redis_exporter_last_scrape_duration_seconds, the previous scrape's
# whole collection (INFO, the slow log, the families). Prints the median, p99 and max of each.
#
#   CLIENTS=10000 SCRAPES=200 bench/scrape-cost.sh
set -euo pipefail
CLIENTS=${CLIENTS:-10000}
KEYS=${KEYS:-1000}
SCRAPES=${SCRAPES:-200}
WARMUP=${WARMUP:-100}
here=$(cd "$(dirname "$0")" && pwd)
jar=${NUTHATCH_JAR:-$here/../server/target/nuthatch-server.jar}
[ -f "$jar" ] || { echo "no $jar: mvn -pl server -am package -DskipTests" >&2; exit 1; }
ulimit -n $((CLIENTS * 2 + 1000)) 2>/dev/null || ulimit -n "$(ulimit -Hn)"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port)
exporter=$(free_port)
work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

java -Xms1g -Xmx1g -XX:+UseG1GC -jar "$jar" --port "$port" --bind 127.0.0.1 --save "" --dir "$work" \
    --maxclients $((CLIENTS + 100)) --exporter-port "$exporter" --exporter-bind 127.0.0.1 >"$work/server.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done

for db in $(seq 0 15); do
    seq "$KEYS" | awk -v db="$db" '{ if ($1 % 2) print "SET key:" db ":" $1 " value EX 3600"; else print "SET key:" db ":" $1 " value" }' \
        | redis-cli -p "$port" -n "$db" >/dev/null
done

python3 - "$port" "$CLIENTS" <<'PY' &
import socket, sys, time
port, count = int(sys.argv[1]), int(sys.argv[2])
held = []
for _ in range(count):
    s = socket.create_connection(("127.0.0.1", port))
    held.append(s)
open("/dev/stdout", "w").write(f"holding {len(held)} connections\n")
time.sleep(3600)
PY
pids+=($!)
for _ in $(seq 600); do
    connected=$(redis-cli -p "$port" info clients | awk -F: '/^connected_clients/ { print $2+0 }')
    [ "$connected" -ge "$CLIENTS" ] && break
    sleep 0.2
done
echo "connected_clients=$connected databases=16 keys_per_db=$KEYS load: $(cut -d' ' -f1-3 /proc/loadavg)"

server_pid=${pids[0]}
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$server_pid/stat"; }
for _ in $(seq "$WARMUP"); do curl -s "http://127.0.0.1:$exporter/metrics" >/dev/null; done
idle_before=$(cpu_ticks); idle_started=$(date +%s%N)
sleep 5
idle_after=$(cpu_ticks); idle_nanos=$(( $(date +%s%N) - idle_started ))
cpu_before=$(cpu_ticks); scrapes_started=$(date +%s%N)
for _ in $(seq "$SCRAPES"); do
    curl -s "http://127.0.0.1:$exporter/metrics" \
        | awk '/^nuthatch_scrape_info_snapshot_seconds / { print "hold", $2 } /^redis_exporter_last_scrape_duration_seconds / { print "whole", $2 }'
done >"$work/figures"
cpu_after=$(cpu_ticks); scrapes_nanos=$(( $(date +%s%N) - scrapes_started ))
python3 - "$work/figures" "$(getconf CLK_TCK)" "$idle_before" "$idle_after" "$idle_nanos" "$cpu_before" "$cpu_after" "$scrapes_nanos" "$SCRAPES" <<'PY'
import sys
tick, idle0, idle1, idle_ns, cpu0, cpu1, busy_ns, scrapes = map(int, sys.argv[2:])
idle_rate = (idle1 - idle0) / tick / (idle_ns / 1e9)
cpu = (cpu1 - cpu0) / tick - idle_rate * busy_ns / 1e9
print(f"server CPU per scrape (process CPU during the scrapes, less the idle rate): {cpu / scrapes * 1000:.3f} ms")
figures = {}
for line in open(sys.argv[1]):
    kind, value = line.split()
    figures.setdefault(kind, []).append(float(value) * 1000)
for kind, label in (("hold", "engine held while reading INFO"), ("whole", "whole collection of a scrape")):
    values = sorted(figures[kind])
    pick = lambda q: values[min(len(values) - 1, int(q * len(values)))]
    print(f"{label}: median {pick(0.5):.3f} ms, p99 {pick(0.99):.3f} ms, max {values[-1]:.3f} ms ({len(values)} scrapes)")
PY
