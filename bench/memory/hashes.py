"""Hash data sets: BullMQ-like job hashes of ten short fields (listpack in Redis), and a few hashes
of 100k fields (hashtable)."""
from registry import data_set, text

SMALL_KEYS = 100_000
SMALL_FIELDS = 10
LARGE_KEYS = 10
LARGE_FIELDS = 100_000
BATCH = 1000


@data_set("hash-small", keys=SMALL_KEYS, elements=SMALL_KEYS * SMALL_FIELDS, target=1.3,
          description="100k hashes x 10 fields of 5-9 bytes, values of 8-16 bytes")
def hash_small(rng):
    names = [b"field%d" % i for i in range(SMALL_FIELDS)]
    for i in range(SMALL_KEYS):
        parts = [b"HSET", b"job:%011d" % i]
        for name in names:
            parts += [name, text(rng, rng.randint(8, 16))]
        yield tuple(parts)


@data_set("hash-large", keys=LARGE_KEYS, elements=LARGE_KEYS * LARGE_FIELDS, target=1.2,
          description="10 hashes x 100k fields of ~10 bytes, values of 8-16 bytes")
def hash_large(rng):
    for i in range(LARGE_KEYS):
        for start in range(0, LARGE_FIELDS, BATCH):
            parts = [b"HSET", b"bighash:%d" % i]
            for j in range(start, start + BATCH):
                parts += [b"f:%08d" % j, text(rng, rng.randint(8, 16))]
            yield tuple(parts)
