"""String data sets: the keyspace's own cost (small values, with and without a TTL) and JSON
documents of our users' L2 cache."""
from registry import data_set, text

KEYS_SMALL = 1_000_000
KEYS_JSON = 100_000


def _small(rng, with_ttl):
    pool = text(rng, 4096)
    for i in range(KEYS_SMALL):
        start = (i * 37) % (len(pool) - 100)
        value = pool[start:start + 100]
        key = b"key:%012d" % i
        yield (b"SET", key, value, b"EX", b"86400") if with_ttl else (b"SET", key, value)


@data_set("small", keys=KEYS_SMALL, elements=KEYS_SMALL, target=None,
          description="1M keys of 16 bytes x 100-byte values")
def small(rng):
    return _small(rng, False)


@data_set("ttl", keys=KEYS_SMALL, elements=KEYS_SMALL, target=None,
          description="the same, each with a TTL (SET ... EX 86400)")
def ttl(rng):
    return _small(rng, True)


@data_set("json", keys=KEYS_JSON, elements=KEYS_JSON, target=None,
          description="100k keys x JSON-like values of 1.5 to 2.5 KB")
def json(rng):
    words = [text(rng, rng.randint(3, 12)) for _ in range(500)]
    for i in range(KEYS_JSON):
        size = rng.randint(1536, 2560)
        fields = [b'"id":%d' % i, b'"tenant":"%s"' % rng.choice(words), b'"status":"active"',
                  b'"updatedAt":"2026-11-%02dT%02d:%02d:%02dZ"' % (rng.randint(1, 28), rng.randint(0, 23),
                                                                 rng.randint(0, 59), rng.randint(0, 59))]
        n = 0
        while sum(len(f) + 1 for f in fields) + 2 < size - 40:
            fields.append(b'"%s_%d":"%s"' % (rng.choice(words), n, b" ".join(rng.choice(words) for _ in range(4))))
            n += 1
        body = b"{" + b",".join(fields) + b"}"
        body = body[:size - 2] + b'"}' if len(body) > size else body + b" " * (size - len(body))
        yield b"SET", b"json:%011d" % i, body
