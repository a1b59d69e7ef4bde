# redis-py (Debian's python3-redis) against a server, as its users call it: the Lock helper
# (acquire, blocking acquire, extend, reacquire, expiry, release by its registered Lua scripts)
# and Script objects (SCRIPT LOAD, then EVALSHA; loaded again after SCRIPT FLUSH).
# Usage: python3 redis_py_lock.py <port>; exits 1 naming the checks that failed.
import sys
import time

import redis
from redis.exceptions import LockError, LockNotOwnedError

port = int(sys.argv[1])
failures = []


def check(condition, what):
    if not condition:
        failures.append(what)


a = redis.Redis(port=port)
b = redis.Redis(port=port)
a.delete("resource-lock", "counter")

lock = a.lock("resource-lock", timeout=5)
check(lock.acquire(blocking=False), "the first acquire succeeds")
check(lock.owned(), "the holder owns the lock")
other = b.lock("resource-lock", timeout=5)
check(not other.acquire(blocking=False), "a second client cannot take a held lock")
started = time.monotonic()
check(not other.acquire(blocking=True, blocking_timeout=0.3), "a blocking acquire gives up at its timeout")
check(time.monotonic() - started >= 0.15, "the blocking acquire waited and retried")
check(lock.extend(10), "extend adds time")
check(a.pttl("resource-lock") > 5000, "extend moved the expiry past the first timeout")
check(lock.reacquire(), "reacquire resets the timeout")
check(a.pttl("resource-lock") <= 5000, "reacquire set the timeout again")
lock.release()
check(a.get("resource-lock") is None, "release deletes the lock")
check(other.acquire(blocking=False), "the lock is free after release")
other.release()

short = a.lock("resource-lock", timeout=0.2)
check(short.acquire(blocking=False), "a short lock is taken")
time.sleep(0.4)
taker = b.lock("resource-lock", timeout=5)
check(taker.acquire(blocking=False), "an expired lock can be taken by another")
try:
    short.release()
    failures.append("releasing a lock another holds must fail")
except LockNotOwnedError:
    pass
except LockError as error:
    failures.append("release raised %r instead of LockNotOwnedError" % error)
check(a.get("resource-lock") is not None, "the failed release left the new holder's lock")
taker.release()

with a.lock("resource-lock", timeout=5, blocking_timeout=1):
    a.incr("counter")
check(a.get("counter") == b"1", "the context manager ran the block under the lock")
check(a.get("resource-lock") is None, "the context manager released the lock")

add = a.register_script("return redis.call('INCRBY', KEYS[1], ARGV[1])")
check(add(keys=["counter"], args=[5]) == 6, "a registered script runs (EVALSHA)")
check(a.script_exists(add.sha) == [True], "the script is cached")
a.script_flush()
check(a.script_exists(add.sha) == [False], "SCRIPT FLUSH empties the cache")
check(add(keys=["counter"], args=[1]) == 7, "the script loads itself again after NOSCRIPT")

a.delete("resource-lock", "counter")
print("failures: %s" % failures)
sys.exit(1 if failures else 0)
