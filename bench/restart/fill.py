"""RESP commands for bench/restart.sh, on standard output (fed to redis-cli --pipe).

  fill.py strings N   N string keys, 100-byte values, half of them with a 1 h TTL (the L2 cache)
  fill.py mixed N     N keys: a quarter each strings, hashes (8 fields), lists (8), sorted sets (8)
  fill.py tail N      N writes after the snapshot: SET over existing and new keys, INCR, HSET, EXPIRE

Deterministic (fixed seed), so both servers get the same dataset byte for byte.
"""
import random
import sys

out = sys.stdout.buffer
buffer = []


def command(*parts):
    encoded = [p if isinstance(p, bytes) else str(p).encode() for p in parts]
    buffer.append(b"*%d\r\n" % len(encoded))
    for p in encoded:
        buffer.append(b"$%d\r\n%s\r\n" % (len(p), p))
    if len(buffer) > 20000:
        flush()


def flush():
    out.write(b"".join(buffer))
    buffer.clear()


def value(rng, size):
    return rng.randbytes(size // 2).hex().encode()


def strings(rng, n):
    for i in range(n):
        if i % 2:
            command("SET", "cache:%d" % i, value(rng, 100), "EX", 3600)
        else:
            command("SET", "cache:%d" % i, value(rng, 100))


def mixed(rng, n):
    for i in range(n):
        kind = i % 4
        if kind == 0:
            command("SET", "str:%d" % i, value(rng, 100))
        elif kind == 1:
            fields = []
            for f in range(8):
                fields += ["field%d" % f, value(rng, 20)]
            command("HSET", "hash:%d" % i, *fields)
        elif kind == 2:
            command("RPUSH", "list:%d" % i, *[value(rng, 20) for _ in range(8)])
        else:
            members = []
            for m in range(8):
                members += ["%.3f" % (rng.random() * 1000), "member%d" % m]
            command("ZADD", "zset:%d" % i, *members)
        if i % 10 == 0:
            command("EXPIRE", "%s:%d" % (("str", "hash", "list", "zset")[kind], i), 3600)


def tail(rng, n):
    for i in range(n):
        kind = i % 4
        if kind == 0:
            command("SET", "cache:%d" % rng.randrange(1_000_000), value(rng, 100))
        elif kind == 1:
            command("SET", "tail:%d" % i, value(rng, 100), "EX", 3600)
        elif kind == 2:
            command("INCR", "counter:%d" % rng.randrange(1000))
        else:
            command("HSET", "tailhash:%d" % rng.randrange(10000), "f%d" % rng.randrange(16), value(rng, 20))


if __name__ == "__main__":
    rng = random.Random(9)
    {"strings": strings, "mixed": mixed, "tail": tail}[sys.argv[1]](rng, int(sys.argv[2]))
    flush()
