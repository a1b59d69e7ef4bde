"""SET commands in RESP for redis-cli --pipe: random keys, values of random lengths.

usage: varied_sets.py COUNT MIN MAX [SEED]

Keys are key:NNNNNNNNNNNN drawn from 10^8, as redis-benchmark -r 100000000 draws them; each value's
length is uniform in [MIN, MAX]. redis-benchmark's -d gives every value one length.
"""
import random
import sys


def main():
    count, shortest, longest = (int(a) for a in sys.argv[1:4])
    rnd = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 1)
    text = bytes(97 + rnd.randrange(26) for _ in range(longest))
    out = sys.stdout.buffer
    batch = []
    for _ in range(count):
        key = b"key:%012d" % rnd.randrange(100000000)
        length = rnd.randint(shortest, longest)
        batch.append(b"*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n" % (len(key), key, length, text[:length]))
        if len(batch) == 10000:
            out.write(b"".join(batch))
            batch = []
    out.write(b"".join(batch))


if __name__ == "__main__":
    main()
