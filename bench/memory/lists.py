"""List data sets: short queues of ten elements, and a few lists of 100k elements."""
from registry import data_set, text

SMALL_KEYS = 100_000
SMALL_ELEMENTS = 10
LARGE_KEYS = 10
LARGE_ELEMENTS = 100_000
BATCH = 1000


@data_set("list-small", keys=SMALL_KEYS, elements=SMALL_KEYS * SMALL_ELEMENTS, target=1.3,
          description="100k lists x 10 elements of 8-16 bytes")
def list_small(rng):
    for i in range(SMALL_KEYS):
        yield (b"RPUSH", b"queue:%011d" % i) + tuple(text(rng, rng.randint(8, 16)) for _ in range(SMALL_ELEMENTS))


@data_set("list-large", keys=LARGE_KEYS, elements=LARGE_KEYS * LARGE_ELEMENTS, target=1.2,
          description="10 lists x 100k elements of 8-16 bytes")
def list_large(rng):
    for i in range(LARGE_KEYS):
        for _ in range(0, LARGE_ELEMENTS, BATCH):
            yield (b"RPUSH", b"biglist:%d" % i) + tuple(text(rng, rng.randint(8, 16)) for _ in range(BATCH))
