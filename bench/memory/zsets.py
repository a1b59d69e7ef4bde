"""Sorted-set data sets: delayed-job sets of ten members with timestamp scores (listpack in
Redis), and a few sorted sets of 100k members (skiplist)."""
from registry import data_set

SMALL_KEYS = 100_000
SMALL_MEMBERS = 10
LARGE_KEYS = 10
LARGE_MEMBERS = 100_000
BATCH = 1000


@data_set("zset-small", keys=SMALL_KEYS, elements=SMALL_KEYS * SMALL_MEMBERS, target=1.3,
          description="100k sorted sets x 10 members of ~8 bytes, millisecond timestamp scores")
def zset_small(rng):
    for i in range(SMALL_KEYS):
        parts = [b"ZADD", b"delayed:%011d" % i]
        for j in range(SMALL_MEMBERS):
            parts += [b"%d" % (1764547200000 + rng.randint(0, 86400000)), b"job:%04d" % j]
        yield tuple(parts)


@data_set("zset-large", keys=LARGE_KEYS, elements=LARGE_KEYS * LARGE_MEMBERS, target=1.2,
          description="10 sorted sets x 100k members of ~10 bytes, fractional scores")
def zset_large(rng):
    for i in range(LARGE_KEYS):
        for start in range(0, LARGE_MEMBERS, BATCH):
            parts = [b"ZADD", b"bigzset:%d" % i]
            for j in range(start, start + BATCH):
                parts += [repr(rng.random() * 1e6).encode(), b"m:%08d" % j]
            yield tuple(parts)
