"""Times a server's start for bench/restart.sh: polls PORT from the moment this starts (right
after the server's exec) and prints, in seconds from the start: the port accepting a connection,
the first +PONG (PING gets -LOADING while the data loads), INFO's loading:0 once the load was
seen (loading:1 or -LOADING, or a PONG: an INFO answered before the load began does not count),
and the CPU seconds (user + system, all threads) the server process had used at the first PONG.

  await.py PORT PID [TIMEOUT_SECONDS]
"""
import os
import socket
import sys
import time

port = int(sys.argv[1])
pid = int(sys.argv[2])
timeout = float(sys.argv[3]) if len(sys.argv) > 3 else 600
ticks = os.sysconf("SC_CLK_TCK")
start = time.monotonic()
connected = pong = loaded = cpu = None
seen_loading = False
sock = None


def cpu_seconds():
    with open("/proc/%d/stat" % pid) as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / ticks


def request(sock, payload):
    sock.sendall(payload)
    data = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
        if data.startswith(b"$"):
            header, _, rest = data.partition(b"\r\n")
            if len(rest) >= int(header[1:]) + 2:
                return data
        elif data.endswith(b"\r\n"):
            return data


while time.monotonic() - start < timeout and (pong is None or loaded is None):
    try:
        if sock is None:
            sock = socket.create_connection(("127.0.0.1", port), timeout=30)
            if connected is None:
                connected = time.monotonic() - start
        if pong is None:
            reply = request(sock, b"PING\r\n")
            if reply.startswith(b"+PONG"):
                pong = time.monotonic() - start
                cpu = cpu_seconds()
            elif reply.startswith(b"-LOADING"):
                seen_loading = True
        if loaded is None:
            info = request(sock, b"INFO persistence\r\n")
            if b"loading:1" in info:
                seen_loading = True
            elif b"loading:0" in info and (seen_loading or pong is not None):
                loaded = time.monotonic() - start
    except OSError:
        if sock is not None:
            sock.close()
            sock = None
    time.sleep(0.005)

if pong is None or loaded is None:
    print("await.py: port %d not ready after %.0f s" % (port, timeout), file=sys.stderr)
    sys.exit(1)
print("%.3f %.3f %.3f %.2f" % (connected, pong, loaded, cpu))
