#!/usr/bin/env python3
"""Writes the command catalog, the facts our command table is built from, by asking a reference
redis-server for COMMAND INFO and COMMAND DOCS.

    redis-server --port 7777 --save '' &
    python3 server/tools/generate_command_catalog.py 7777 \
        > server/src/main/resources/io/nuthatch/server/command/command-catalog.json

Kept: arity, flags, key positions, ACL categories, tips, key specs (with their notes, which
COMMAND INFO shows), subcommands, and from the docs the version, group and argument structure.
Added: the flags COMMAND INFO hides (HIDDEN_FLAGS below). Left out: Redis's prose (summaries, complexity texts, history notes); our own words for those live
next to each handler.

A few commands newer than the reference server (Redis 7.2's CLIENT SETINFO and CLIENT NO-TOUCH,
which client libraries send) are added from NEWER_COMMANDS below, written from their 7.2 facts.
"""
import json
import socket
import sys


class Connection:
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.reader = self.sock.makefile("rb")

    def call(self, *args):
        out = b"*%d\r\n" % len(args)
        for a in args:
            a = a.encode()
            out += b"$%d\r\n%s\r\n" % (len(a), a)
        self.sock.sendall(out)
        return self.read()

    def read(self):
        line = self.reader.readline()[:-2]
        kind, rest = chr(line[0]), line[1:]
        if kind in "+":
            return rest.decode()
        if kind == "-":
            raise RuntimeError(rest.decode())
        if kind == ":":
            return int(rest)
        if kind == "_":
            return None
        if kind in "$=":
            n = int(rest)
            return None if n < 0 else self.reader.read(n + 2)[:-2].decode()
        if kind in "*~>":
            return [self.read() for _ in range(int(rest))]
        if kind == "%":
            result = {}
            for _ in range(int(rest)):
                key = self.read()
                result[key] = self.read()
            return result
        raise RuntimeError("unexpected reply type " + kind)


def info_entry(info):
    name, arity, flags, first, last, step, categories, tips, key_specs, subcommands = info
    entry = {
        "arity": arity,
        "flags": flags,
        "first_key": first,
        "last_key": last,
        "key_step": step,
        "acl_categories": categories,
    }
    if tips:
        entry["tips"] = tips
    if key_specs:
        entry["key_specs"] = key_specs
    if subcommands:
        # Sorted: the server lists subcommands in its hash table's order, which changes per process.
        entry["subcommands"] = dict(sorted((sub[0].split("|")[1], info_entry(sub)) for sub in subcommands))
    return entry


def docs_entry(docs):
    kept = {}
    for field in ("since", "group", "doc_flags", "deprecated_since", "replaced_by", "arguments"):
        if field in docs:
            kept[field] = docs[field]
    return kept


def merge_docs(entry, docs):
    entry["docs"] = docs_entry(docs)
    for sub_name, sub_docs in docs.get("subcommands", {}).items():
        short = sub_name.split("|")[1]
        if short in entry.get("subcommands", {}):
            merge_docs(entry["subcommands"][short], sub_docs)


def newer_subcommand(arity, since, arguments=None):
    entry = {
        "arity": arity,
        "flags": ["noscript", "loading", "stale"],
        "first_key": 0,
        "last_key": 0,
        "key_step": 0,
        "acl_categories": ["@slow", "@connection"],
        "docs": {"since": since, "group": "connection"},
    }
    if arguments:
        entry["docs"]["arguments"] = arguments
    return entry


# Flags COMMAND INFO hides on purpose, which the server still acts on: DEBUG and MODULE are
# protected (enable-debug-command, enable-module-command); the commands that are not flagged write
# but may still propagate something are may_replicate, which CLIENT PAUSE WRITE holds (found by
# sending every other command under such a pause to redis-server 7.0.15: only these were held).
HIDDEN_FLAGS = {
    "debug": ["protected"],
    "module": ["protected"],
    "eval": ["may_replicate"],
    "evalsha": ["may_replicate"],
    "fcall": ["may_replicate"],
    "publish": ["may_replicate"],
    "spublish": ["may_replicate"],
    "pfcount": ["may_replicate"],
}

# (container, subcommand) -> entry, for commands the 7.0 reference server does not have.
NEWER_COMMANDS = {
    ("client", "setinfo"): newer_subcommand(4, "7.2.0", [
        {"name": "attr", "type": "oneof", "arguments": [
            {"name": "libname", "type": "string", "token": "LIB-NAME"},
            {"name": "libver", "type": "string", "token": "LIB-VER"}]}]),
    ("client", "no-touch"): newer_subcommand(3, "7.2.0", [
        {"name": "enabled", "type": "oneof", "arguments": [
            {"name": "on", "type": "pure-token", "token": "ON"},
            {"name": "off", "type": "pure-token", "token": "OFF"}]}]),
}


def main():
    connection = Connection(int(sys.argv[1]))
    connection.call("HELLO", "3")
    catalog = {}
    for info in connection.call("COMMAND"):
        catalog[info[0]] = info_entry(info)
    for name, docs in connection.call("COMMAND", "DOCS").items():
        if name in catalog:
            merge_docs(catalog[name], docs)
    for name, flags in HIDDEN_FLAGS.items():
        catalog[name]["flags"] += flags
    for (container, name), entry in NEWER_COMMANDS.items():
        subcommands = catalog[container]["subcommands"]
        subcommands.setdefault(name, entry)
        catalog[container]["subcommands"] = dict(sorted(subcommands.items()))
    version = connection.call("INFO", "server").split("redis_version:")[1].split("\r\n")[0]
    json.dump({"generated_from": "redis-server " + version, "commands": dict(sorted(catalog.items()))},
              sys.stdout, indent=1, sort_keys=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
