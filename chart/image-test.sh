#!/usr/bin/env bash
# chart/image-test.sh: builds the container image from the Dockerfile with podman and runs it the
# way the chart's StatefulSet does, then checks what a platform team relies on (issue 13):
#
#   - read-only root filesystem, uid/gid 999, /data the only writable path (no tmpfs);
#   - the chart's config file and password Secret mounted where the chart mounts them;
#   - PING, SET/GET, the password asked for; Netty's native transport loaded; /health, /ready,
#     /metrics on the exporter port;
#   - `podman stop` (SIGTERM): shutdown logged, exit status 0 inside the grace period, and every
#     key back when started again on the same /data;
#   - `podman kill -s KILL` under a write load: every acknowledged write back after a restart;
#   - `--memory 512m` with the chart's default maxmemory (75% of the limit): filling the cache past
#     maxmemory evicts, and the kernel never OOM-kills the container;
#   - the Jib image (mvn -Pjib) started the same way: SET/GET, epoll, SIGTERM exit 0.
#
# Run from anywhere after `mvn package` (or `mvn verify`), as root: .ci/run calls it. Measured on
# two cores shared with other builds: 4 minutes with the Jib part at a load average near 20, 9 at
# 40; 5 to 8 more once per machine for the base. It installs
# podman, buildah, runc and debootstrap when missing, makes the JRE base image from Debian's
# packages once (kept in podman's image store, so a machine that is kept skips it), and prints the
# image's size and its start-to-ready time. Exits non-zero at the first failed check, after
# printing the container's log.
#
# Environment: NUTHATCH_IMAGE (default localhost/nuthatch:test), NUTHATCH_BASE_IMAGE (default
# localhost/nuthatch-jre-base:bookworm: made here when missing; name any other local JRE image to
# test on it instead), NUTHATCH_IMAGE_TEST_JIB=0 to leave out the Jib image.
set -euo pipefail
# With pipefail, `producer | grep -q` fails when grep leaves at its first match and the producer
# is still writing (SIGPIPE): checks on a pipe use `grep ... >/dev/null`, which reads to the end.
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

image=${NUTHATCH_IMAGE:-localhost/nuthatch:test}
base=${NUTHATCH_BASE_IMAGE:-localhost/nuthatch-jre-base:bookworm}
# The chart's defaults (chart/nuthatch/values.yaml): a 512Mi limit, maxmemory 75% of it, the
# append-only log on with everysec, a 60 s grace period.
memory_limit=512m
maxmemory=$((512 * 1024 * 1024 * 75 / 100))
grace_seconds=60

log() { printf '%s image-test: %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

started=$(date +%s)
[ "$(id -u)" = 0 ] || { log "needs root (podman with runc as root, as CONTAINERS.md describes)"; exit 1; }
for built in server/target/nuthatch-server.jar server/target/native/libnetty_transport_native_epoll_x86_64.so; do
    [ -f "$built" ] || { log "no $built: run 'mvn -DskipTests package' first"; exit 1; }
done

# ---------------------------------------------------------------------------------------- tools
missing=
for tool in podman buildah runc debootstrap curl redis-cli redis-benchmark python3; do
    command -v "$tool" >/dev/null || missing="$missing $tool"
done
if [ -n "$missing" ]; then
    log "installing what is missing:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq podman buildah runc debootstrap curl redis-tools python3 >/dev/null
fi

work=$(mktemp -d /var/tmp/nuthatch-image-test.XXXXXX)
containers=()
cleanup() {
    for name in "${containers[@]}"; do
        podman rm -f -t 0 "$name" >/dev/null 2>&1 || true
    done
    rm -rf "$work"
}
trap cleanup EXIT

# podman here needs runc (crun fails on this cgroup setup) and no default ulimits.
cat >"$work/containers.conf" <<'EOF'
[containers]
default_ulimits = []
EOF
export CONTAINERS_CONF=$work/containers.conf
podman() { command podman --runtime runc "$@"; }

# ----------------------------------------------------------------------------------- base image
# A JRE base from Debian's packages: no registry is reachable here, Debian's mirror is. Dropped
# from the rootfs: the .debs debootstrap leaves and apt's lists (the image never runs apt), and
# the documentation and message translations; 483 MB become 300 MB.
if ! podman image exists "$base"; then
    case $base in
        localhost/nuthatch-jre-base:*) ;;
        *) log "base image $base is not in podman's store"; exit 1 ;;
    esac
    mirror=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
    [ -n "$mirror" ] || mirror=$(awk '$1 == "deb" { print $2; exit }' /etc/apt/sources.list 2>/dev/null || true)
    mirror=${mirror:-http://deb.debian.org/debian}
    log "making the base image $base (debootstrap bookworm from $mirror, a few minutes)"
    rootfs=$work/rootfs
    debootstrap --variant=minbase --include=openjdk-17-jre-headless bookworm "$rootfs" "$mirror" \
        >"$work/debootstrap.log" 2>&1 || { tail -20 "$work/debootstrap.log"; exit 1; }
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* \
        "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* \
        "$rootfs"/usr/share/locale/*
    tar -C "$rootfs" -c . | podman import --change 'CMD ["/bin/sh"]' - "$base" >/dev/null 2>&1
    rm -rf "$rootfs"
fi

# ---------------------------------------------------------------------------------------- build
log "building $image on $base"
build_started=$(date +%s)
podman build --pull=never --build-arg BASE="$base" \
    --build-arg REVISION="$(git rev-parse HEAD 2>/dev/null || echo unknown)" \
    --build-arg CREATED="$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
    -t "$image" . >"$work/build.log" 2>&1 || { tail -30 "$work/build.log"; exit 1; }
log "built in $(( $(date +%s) - build_started )) s"

image_size=$(podman image inspect -f '{{.Size}}' "$image")
base_size=$(podman image inspect -f '{{.Size}}' "$base")

# ------------------------------------------------------------------------------------- helpers
checks=0
pass() { checks=$((checks + 1)); log "ok: $*"; }
current=
die() {
    log "FAILED: $*"
    if [ -n "$current" ]; then
        log "last 40 lines of $current's log:"
        podman logs --tail 40 "$current" 2>&1 || true
    fi
    exit 1
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
port=$(free_port)
exporter_port=$(free_port)
while [ "$exporter_port" = "$port" ]; do exporter_port=$(free_port); done

password=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
cli() { redis-cli -h 127.0.0.1 -p "$port" -a "$password" --no-auth-warning "$@"; }
http_status() {
    curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$exporter_port$1" || true
}

# The pod as the chart lays it out: the rendered config at /etc/nuthatch/nuthatch.conf (a subPath
# mount), the Secret's directory at /etc/nuthatch/secret, the PVC at /data owned by the fsGroup,
# NUTHATCH_MEMORY_LIMIT from the pod's limits.memory.
# The config mirrors chart/nuthatch/templates/_config.tpl with the default values, with two
# differences: the ports are free ones of this machine (the containers share its network), and
# the password is given with requirepass until the server reads requirepass-file.
mkdir -p "$work/conf" "$work/secret" "$work/data"
printf '%s' "$password" >"$work/secret/password"
cat >"$work/conf/nuthatch.conf" <<EOF
bind 127.0.0.1
port $port
dir /data
databases 16
loglevel notice
logfile ""
maxmemory $maxmemory
maxmemory-policy allkeys-lru
appendonly yes
appendfsync everysec
save ""
slowlog-log-slower-than 10000
slowlog-max-len 128
exporter-port $exporter_port
exporter-bind 127.0.0.1
requirepass $password
EOF
chown -R 999:999 "$work/secret" "$work/data"
chmod 0400 "$work/secret/password"
chmod 0750 "$work/data"
chmod 0644 "$work/conf/nuthatch.conf"

run_number=0
# Starts the image as the StatefulSet does; the container's name becomes $current.
start_container() {
    run_number=$((run_number + 1))
    current=nuthatch-image-test-$$-$run_number
    containers+=("$current")
    podman run -d --name "$current" --network host --read-only --user 999:999 \
        --memory "$memory_limit" --memory-swap "$memory_limit" \
        --stop-timeout "$grace_seconds" \
        -e NUTHATCH_MEMORY_LIMIT=$((512 * 1024 * 1024)) \
        -v "$work/data:/data" \
        -v "$work/conf/nuthatch.conf:/etc/nuthatch/nuthatch.conf:ro" \
        -v "$work/secret:/etc/nuthatch/secret:ro" \
        "$image" >/dev/null
}

# Waits for /ready, the readiness probe, as long as the container runs; prints the milliseconds.
wait_ready() {
    local name=$1 from=$2 deadline=$(( $(date +%s) + 120 ))
    while [ "$(http_status /ready)" != 200 ]; do
        [ "$(podman inspect -f '{{.State.Running}}' "$name")" = true ] || die "$name exited before it was ready"
        [ "$(date +%s)" -lt "$deadline" ] || die "$name not ready after 120 s"
        sleep 0.05
    done
    echo $(( $(date +%s%3N) - from ))
}

state() { podman inspect -f "$2" "$1"; }

# Milliseconds from the server's first log line to "Ready to accept connections": the part of the
# start that is the JVM's and the server's rather than the container runtime's.
server_start_ms() {
    podman logs "$current" 2>&1 | awk '
        function ms(t) { split(t, p, /[:.]/); return ((p[1] * 60 + p[2]) * 60 + p[3]) * 1000 + p[4] }
        / is starting / && first == "" { first = ms($5) }
        /Ready to accept connections/ { print ms($5) - first; exit }'
}

# A Java exception in the log is a bug even when every reply came (a connection closed on it).
no_exception_logged() {
    if podman logs "$current" 2>&1 | grep -E -m 3 -A 4 '^(java|io\.|Exception)|Exception:|^\s+at ' >"$work/exceptions"; then
        cat "$work/exceptions" >&2
        die "an exception in $current's log"
    fi
}

# Reads back keys PREFIX1..PREFIXN through one connection and checks every value is its number.
expect_numbered_keys() {
    local prefix=$1 count=$2 wrong
    wrong=$(seq 1 "$count" | awk -v p="$prefix" '{ print "GET " p $1 }' | cli \
        | awk '$0 != NR { bad++ } END { print bad + 0 + (NR < n ? n - NR : 0) }' n="$count")
    [ "$wrong" = 0 ] || die "$wrong of the $count keys $prefix* missing or wrong"
}

# ------------------------------------------------------------------------------- image metadata
[ "$(podman image inspect -f '{{.Config.User}}' "$image")" = 999:999 ] || die "image user is not 999:999"
[ "$(podman image inspect -f '{{.Config.WorkingDir}}' "$image")" = /data ] || die "WORKDIR is not /data"
meta=$(podman image inspect -f '{{json .Config.ExposedPorts}} {{json .Config.Volumes}} {{json .Config.Entrypoint}} {{json .Config.Cmd}}' "$image")
for expected in '"6379/tcp"' '"9121/tcp"' '"/data"' '["/opt/nuthatch/bin/nuthatch-server"]' '["/etc/nuthatch/nuthatch.conf"]'; do
    case $meta in *"$expected"*) ;; *) die "image config lacks $expected: $meta" ;; esac
done
[ -n "$(podman image inspect -f '{{index .Labels "org.opencontainers.image.version"}}' "$image")" ] \
    || die "no OCI version label"
pass "image: user 999:999, WORKDIR and VOLUME /data, ports 6379 and 9121, exec-form entrypoint, OCI labels"

# --------------------------------------------------------------------------- first start, checks
first_from=$(date +%s%3N)
start_container
first_ready_ms=$(wait_ready "$current" "$first_from")
server_start_ms=$(server_start_ms)
pass "started read-only as 999:999 with a ${memory_limit} limit; ready in $first_ready_ms ms ($server_start_ms ms of it in the JVM)"

case $(redis-cli -h 127.0.0.1 -p "$port" PING 2>&1) in
    *NOAUTH*) ;;
    *) die "PING without the password was not refused with NOAUTH" ;;
esac
[ "$(cli PING)" = PONG ] || die "PING with the password"
[ "$(cli SET image:greeting hello)" = OK ] || die "SET"
[ "$(cli GET image:greeting)" = hello ] || die "GET"
pass "PING refused without the password; PING, SET and GET with it"

cli INFO server | tr -d '\r' | grep -x 'multiplexing_api:epoll' >/dev/null \
    || die "Netty's epoll transport did not load on the read-only root (the server fell back to NIO)"
pass "Netty's native epoll transport loaded with no writable /tmp"

[ "$(http_status /health)" = 200 ] || die "/health on $exporter_port"
[ "$(http_status /ready)" = 200 ] || die "/ready on $exporter_port"
# The first scrape registers the JVM's collectors: seconds on a loaded machine.
curl -s --max-time 60 -o "$work/metrics" "http://127.0.0.1:$exporter_port/metrics" || true
grep -q '^redis_connected_clients ' "$work/metrics" \
    || die "/metrics has no redis_connected_clients: $(head -c 300 "$work/metrics")"
pass "/health, /ready and /metrics answer on the exporter port"

if podman logs "$current" 2>&1 | grep -i 'read-only file system' >/dev/null; then
    die "something tried to write outside /data"
fi
pass "no write outside /data in the log"

# Data for the restart: numbered strings, a hash, a list and a key with a TTL.
keys=20000
seq 1 "$keys" | awk '{ printf "*3\r\n$3\r\nSET\r\n$%d\r\nk:%s\r\n$%d\r\n%s\r\n", length($1) + 2, $1, length($1), $1 }' \
    | cli --pipe >"$work/pipe.log" 2>&1 || { cat "$work/pipe.log"; die "loading $keys keys"; }
cli HSET image:hash a 1 b 2 >/dev/null
cli RPUSH image:list x y z >/dev/null
cli SET image:ttl v EX 3600 >/dev/null
dbsize_before=$(cli DBSIZE)

stop_from=$(date +%s%3N)
podman stop -t "$grace_seconds" "$current" >/dev/null
stop_ms=$(( $(date +%s%3N) - stop_from ))
[ "$(state "$current" '{{.State.ExitCode}}')" = 0 ] || die "exit status $(state "$current" '{{.State.ExitCode}}') after SIGTERM"
no_exception_logged
[ "$stop_ms" -lt $((grace_seconds * 1000)) ] || die "stop took $stop_ms ms, past the grace period"
podman logs "$current" 2>&1 | grep 'Received SIGTERM' >/dev/null || die "the shutdown was not logged"
podman logs "$current" 2>&1 | grep 'ready to exit' >/dev/null || die "the shutdown did not finish in the log"
pass "podman stop: shutdown logged, exit status 0 in $stop_ms ms (grace period ${grace_seconds} s)"

# ------------------------------------------------------------------------- restart on the data
restart_from=$(date +%s%3N)
start_container
restart_ready_ms=$(wait_ready "$current" "$restart_from")
server_restart_ms=$(server_start_ms)
[ "$(cli DBSIZE)" = "$dbsize_before" ] || die "DBSIZE $(cli DBSIZE) after the restart, $dbsize_before before"
expect_numbered_keys k: "$keys"
[ "$(cli HGET image:hash b)" = 2 ] && [ "$(cli LRANGE image:list 0 -1 | tr '\n' ' ')" = "x y z " ] \
    || die "the hash or the list came back different"
ttl=$(cli TTL image:ttl)
[ "$ttl" -gt 3000 ] && [ "$ttl" -le 3600 ] || die "TTL $ttl after the restart"
pass "restarted on the same /data: all $dbsize_before keys back, ready in $restart_ready_ms ms ($server_restart_ms ms in the JVM)"

# -------------------------------------------------------------------- kill -9 under a write load
# One connection sends SET w:i i in order and prints each reply as it comes (line-buffered, so
# that what the file holds when the writer is stopped is every reply it had): the leading run of
# OK lines is the acknowledged prefix, every key of which must survive the kill.
writes=400000
seq 1 "$writes" | awk '{ print "SET w:" $1 " " $1 }' \
    | stdbuf -oL redis-cli -h 127.0.0.1 -p "$port" -a "$password" --no-auth-warning >"$work/acks" 2>&1 &
writer=$!
deadline=$(( $(date +%s) + 60 ))
while [ "$(wc -l <"$work/acks")" -lt 5000 ]; do
    kill -0 "$writer" 2>/dev/null || die "the writer stopped before the kill"
    [ "$(date +%s)" -lt "$deadline" ] || die "the writer made no progress"
    sleep 0.1
done
podman kill -s KILL "$current" >/dev/null
# Past the kill, the writer would only try to reconnect once for each line left.
kill "$writer" 2>/dev/null || true
wait "$writer" || true
podman wait "$current" >/dev/null 2>&1 || true
acknowledged=$(awk '$0 != "OK" { exit } { n++ } END { print n + 0 }' "$work/acks")
[ "$acknowledged" -lt "$writes" ] || die "the kill came after the load ended; nothing was tested"
[ "$(state "$current" '{{.State.ExitCode}}')" = 137 ] || die "exit status $(state "$current" '{{.State.ExitCode}}') after SIGKILL"

start_container
wait_ready "$current" "$(date +%s%3N)" >/dev/null
expect_numbered_keys w: "$acknowledged"
expect_numbered_keys k: "$keys"
no_exception_logged
pass "podman kill -s KILL under writes: all $acknowledged acknowledged writes back after the restart"
podman stop -t "$grace_seconds" "$current" >/dev/null
[ "$(state "$current" '{{.State.ExitCode}}')" = 0 ] || die "exit status after SIGTERM on the replayed data"

# --------------------------------------------------------------- fill past maxmemory in 512 MiB
# About 410 MB of values into a 512 MiB container whose maxmemory is 384 MiB: the server must
# evict (the launcher's heap holds 272 MiB of data, and the server evicts from there) and the
# kernel must never kill the JVM.
rm -rf "${work:?}/data"/* 
start_container
wait_ready "$current" "$(date +%s%3N)" >/dev/null
fill_from=$(date +%s)
fill_writes=50000
redis-benchmark -h 127.0.0.1 -p "$port" -a "$password" -t set -n "$fill_writes" -d 8192 -r 100000000 \
    -c 8 -P 8 -q >"$work/fill.log" 2>&1 || fill_failed=yes
fill_seconds=$(( $(date +%s) - fill_from ))
[ "$(state "$current" '{{.State.Running}}')" = true ] \
    || die "the container died while filling (exit $(state "$current" '{{.State.ExitCode}}'), OOMKilled $(state "$current" '{{.State.OOMKilled}}'))"
[ -z "${fill_failed:-}" ] || die "the writes past maxmemory failed: $(tr '\r' '\n' <"$work/fill.log" | tail -2)"
no_exception_logged
evicted=$(cli INFO stats | tr -d '\r' | awk -F: '$1 == "evicted_keys" { print $2 }')
used=$(cli INFO memory | tr -d '\r' | awk -F: '$1 == "used_memory" { print $2 }')
[ "${evicted:-0}" -gt 0 ] || die "no key evicted after writing past maxmemory (used_memory $used)"
[ "$(cli SET image:after-fill ok)" = OK ] || die "a write after the fill was refused"
podman stop -t "$grace_seconds" "$current" >/dev/null
[ "$(state "$current" '{{.State.OOMKilled}}')" = false ] || die "the container was OOM-killed"
[ "$(state "$current" '{{.State.ExitCode}}')" = 0 ] || die "exit status $(state "$current" '{{.State.ExitCode}}') after the fill"
pass "filled past maxmemory in ${memory_limit}: $evicted keys evicted, used_memory $used, not OOM-killed, exit 0 ($fill_seconds s of writes)"
current=
dockerfile_image=$image

# -------------------------------------------------------------------------------- the Jib image
# The -Pjib profile builds the same layout without a daemon (server/pom.xml); it must start as the
# Dockerfile's image does. Its base is ours, handed to Jib as a tar. NUTHATCH_IMAGE_TEST_JIB=0
# skips this part (it needs Maven and the Jib plugin, which Maven fetches once).
if [ "${NUTHATCH_IMAGE_TEST_JIB:-1}" = 1 ]; then
    log "building the Jib image (mvn -Pjib) on $base"
    podman save --format docker-archive -o "$work/base.tar" "$base" >/dev/null 2>&1
    image=localhost/nuthatch:jib-test
    mvn -B -q -ntp -Pjib -DskipTests package -pl server -am \
        -Djib.from.image="tar://$work/base.tar" -Djib.to.image="$image" >"$work/jib.log" 2>&1 \
        || { tail -30 "$work/jib.log" >&2; die "mvn -Pjib failed"; }
    podman load -i server/target/jib-image.tar >/dev/null 2>&1
    rm -f "$work/base.tar"
    rm -rf "${work:?}/data"/*
    start_container
    wait_ready "$current" "$(date +%s%3N)" >/dev/null
    [ "$(cli SET image:jib ok)" = OK ] && [ "$(cli GET image:jib)" = ok ] || die "SET/GET on the Jib image"
    cli INFO server | tr -d '\r' | grep -x 'multiplexing_api:epoll' >/dev/null || die "no epoll on the Jib image"
    podman stop -t "$grace_seconds" "$current" >/dev/null
    [ "$(state "$current" '{{.State.ExitCode}}')" = 0 ] || die "the Jib image's exit status after SIGTERM"
    no_exception_logged
    pass "the Jib image: read-only as 999:999, SET/GET, epoll, /ready, SIGTERM exit 0 ($(( $(podman image inspect -f '{{.Size}}' "$image") / 1000000 )) MB)"
    current=
    image=$dockerfile_image
fi

log "image $image: $((image_size / 1000000)) MB (base $base: $((base_size / 1000000)) MB)"
log "start to ready: $first_ready_ms ms empty ($server_start_ms ms in the JVM), $restart_ready_ms ms with $dbsize_before keys ($server_restart_ms ms in the JVM); stop $stop_ms ms"
log "all $checks image checks passed in $(( $(date +%s) - started )) s"
