#!/usr/bin/env python3
"""The data sets of bench/memory.sh, one module per data type beside this file.

    python3 datasets.py list [PATTERN...]   one line per data set: name, keys, elements, target, description
    python3 datasets.py write NAME          the RESP commands that load NAME, on stdout; on stderr the
                                            line "commands N keys K" once they are all written

A module registers its data sets with registry.data_set; each is a generator function that
yields commands (tuples of bytes). Adding a data set is adding a function to the type's module:
memory.sh finds it by name, loads it into both servers and puts it in the table.
"""
import fnmatch
import importlib
import os
import sys

from registry import REGISTRY, command, rng_for

MODULES = ("strings", "hashes", "lists", "sets", "zsets", "streams")


def load_modules():
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path.insert(0, here)
    for module in MODULES:
        importlib.import_module(module)


def main():
    load_modules()
    if len(sys.argv) >= 2 and sys.argv[1] == "list":
        patterns = sys.argv[2:] or ["*"]
        for name, (keys, elements, target, description, _) in REGISTRY.items():
            if any(fnmatch.fnmatchcase(name, p) for p in patterns):
                print("%s\t%d\t%d\t%s\t%s" % (name, keys, elements, "-" if target is None else target, description))
        return
    if len(sys.argv) == 3 and sys.argv[1] == "write":
        keys, _, _, _, function = REGISTRY[sys.argv[2]]
        out = sys.stdout.buffer
        batch = []
        count = 0
        for parts in function(rng_for(sys.argv[2])):
            batch.append(command(*parts))
            count += 1
            if len(batch) == 10000:
                out.write(b"".join(batch))
                batch = []
        out.write(b"".join(batch))
        out.flush()
        print("commands %d keys %d" % (count, keys), file=sys.stderr)
        return
    sys.exit(__doc__)


if __name__ == "__main__":
    main()
