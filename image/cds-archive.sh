#!/bin/sh
# cds-archive.sh JAR ARCHIVE: writes ARCHIVE, a class data sharing archive of the classes Nuthatch
# loads from its start to its shutdown, for bin/nuthatch-server to map at every later start.
#
# A JVM reads and verifies each class it loads from the jar; with the archive it maps them ready
# to use, which takes about 40% off the time from exec to the first PONG (measured: 2.7-3.3 s
# without, 1.5-1.9 s with, on a loaded two-core machine). The archive belongs to this jar and this
# JVM: the image builds it once, after both are in place (Dockerfile), and the launcher uses it
# only while it is newer than the jar. Writing one is best effort: when the server cannot start
# here, the image simply has none and starts as before.
set -u
# The archive names the jar by the path the JVM was given, and serves only a JVM given the same
# one: the launcher gives an absolute path.
jar=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
archive=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A port of its own, away from the usual ones, on the loopback only.
java -XX:ArchiveClassesAtExit="$archive" -Xlog:cds=off -Xlog:cds+dynamic=off -Xmx64m \
    -jar "$jar" --port 26399 --bind 127.0.0.1 --dir "$work" --save "" --appendonly no \
    --exporter-port 0 >"$work/log" 2>&1 &
pid=$!
waited=0
until grep -q "Ready to accept connections" "$work/log" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null || [ "$waited" -ge 120 ]; then
        echo "cds-archive: the server did not start; no archive" >&2
        cat "$work/log" >&2
        kill -KILL "$pid" 2>/dev/null
        rm -f "$archive"
        exit 0
    fi
    sleep 0.5
    waited=$((waited + 1))
done
# SIGTERM shuts it down cleanly, and the JVM writes the archive as it exits.
kill -TERM "$pid"
wait "$pid"
if [ -s "$archive" ]; then
    chmod 0644 "$archive"
    echo "cds-archive: wrote $archive ($(wc -c <"$archive") bytes)"
else
    echo "cds-archive: the JVM wrote no archive" >&2
    rm -f "$archive"
fi
exit 0
