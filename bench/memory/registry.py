"""What the data-set modules share: the registry memory.sh reads, and helpers to build commands."""
import random

REGISTRY = {}

def data_set(name, keys, elements, target, description):
    """Registers a generator of commands as a data set.

    keys: how many keys it leaves (memory.sh checks DBSIZE); elements: how many members, fields,
    entries or strings it holds in all (the per-element figures divide by it); target: the largest
    ratio of Nuthatch's used_memory to redis-server's that the issue accepts for it (None: none).
    """
    def register(function):
        REGISTRY[name] = (keys, elements, target, description, function)
        return function
    return register


def command(*parts):
    return b"*%d\r\n" % len(parts) + b"".join(b"$%d\r\n%s\r\n" % (len(p), p) for p in parts)


LETTERS = b"abcdefghijklmnopqrstuvwxyz0123456789"
_POOL = random.Random(7).randbytes(1 << 20).translate(bytes(LETTERS[i % len(LETTERS)] for i in range(256)))


def text(rng, n):
    """n letters and digits from a random place of a fixed random megabyte: values that no server
    can share or compress, made fast enough for millions of them."""
    start = rng.randrange(len(_POOL) - n)
    return _POOL[start:start + n]


def rng_for(name):
    return random.Random(name)


