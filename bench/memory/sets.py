"""Set data sets: alert-tracking sets of ten short string members (hashtable in Redis 7.0, which
has no listpack sets), the same with integer members (intset), and a few sets of 100k members."""
from registry import data_set, text

SMALL_KEYS = 100_000
SMALL_MEMBERS = 10
LARGE_KEYS = 10
LARGE_MEMBERS = 100_000
BATCH = 1000


@data_set("set-small", keys=SMALL_KEYS, elements=SMALL_KEYS * SMALL_MEMBERS, target=1.3,
          description="100k sets x 10 members of 8-16 bytes")
def set_small(rng):
    for i in range(SMALL_KEYS):
        yield (b"SADD", b"alerts:%011d" % i) + tuple(text(rng, rng.randint(8, 16)) for _ in range(SMALL_MEMBERS))


@data_set("intset-small", keys=SMALL_KEYS, elements=SMALL_KEYS * SMALL_MEMBERS, target=1.3,
          description="100k sets x 10 integer members")
def intset_small(rng):
    for i in range(SMALL_KEYS):
        yield (b"SADD", b"ids:%011d" % i) + tuple(b"%d" % rng.randint(0, 10**9) for _ in range(SMALL_MEMBERS))


@data_set("set-large", keys=LARGE_KEYS, elements=LARGE_KEYS * LARGE_MEMBERS, target=1.2,
          description="10 sets x 100k members of ~10 bytes")
def set_large(rng):
    for i in range(LARGE_KEYS):
        for start in range(0, LARGE_MEMBERS, BATCH):
            yield (b"SADD", b"bigset:%d" % i) + tuple(b"m:%08d" % j for j in range(start, start + BATCH))
