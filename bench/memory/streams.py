"""Stream data sets: BullMQ-like event logs of ten entries, and a few streams of 100k entries.
Entries carry explicit, increasing IDs so both servers hold the same bytes."""
from registry import data_set, text

SMALL_KEYS = 100_000
SMALL_ENTRIES = 10
LARGE_KEYS = 10
LARGE_ENTRIES = 100_000


def _entry(rng, key, milliseconds, sequence):
    return (b"XADD", key, b"%d-%d" % (milliseconds, sequence), b"event", b"progress",
            b"jobId", text(rng, rng.randint(6, 10)))


@data_set("stream-small", keys=SMALL_KEYS, elements=SMALL_KEYS * SMALL_ENTRIES, target=1.3,
          description="100k streams x 10 entries of two short fields")
def stream_small(rng):
    for i in range(SMALL_KEYS):
        for j in range(SMALL_ENTRIES):
            yield _entry(rng, b"events:%011d" % i, 1764547200000 + j, 0)


@data_set("stream-large", keys=LARGE_KEYS, elements=LARGE_KEYS * LARGE_ENTRIES, target=1.2,
          description="10 streams x 100k entries of two short fields")
def stream_large(rng):
    for i in range(LARGE_KEYS):
        for j in range(LARGE_ENTRIES):
            yield _entry(rng, b"bigstream:%d" % i, 1764547200000 + j // 4, j % 4)
