#!/usr/bin/env python3
"""Writes wrongtype.redis: every command of every data type run against a key of every other type,
the replies (WRONGTYPE, or whatever Redis answers instead) compared with redis-server's.

    python3 server/tools/generate_wrongtype_script.py --implemented string,list,set,zset,hash,stream,sort \\
        > server/src/test/resources/differential/wrongtype.redis

A case is one (key type, command family) pair: the key is created, then each command of the family
runs against it, then TYPE and the value show that nothing changed it. A pair of which Nuthatch
lacks either type (not in --implemented; "sort" stands for SORT and SORT_RO) is written as a redis-only case, run against a second
redis-server, until the type lands and the script is generated again.

The command lists below are the commands of each family with arguments that are valid but for the
key's type, so that the type check is what answers (a few commands answer something else, such as
MGET's nil, or a sorted-set command reading a set: the comparison holds them to Redis's answer).
"""
import sys

# How each type's key is made: the key is "k"; "d" is a destination that does not exist.
SETUP = {
    "string": ["SET k v"],
    "list": ["RPUSH k a b"],
    "set": ["SADD k a b"],
    "zset": ["ZADD k 1 a 2 b"],
    "hash": ["HSET k f v"],
    "stream": ["XADD k 1-1 f v"],
}

# How to show the key's value is still what it was.
SHOW = {
    "string": "GET k",
    "list": "LRANGE k 0 -1",
    "set": "[unordered] SMEMBERS k",
    "zset": "ZRANGE k 0 -1 WITHSCORES",
    "hash": "[unordered pairs] HGETALL k",
    "stream": "XRANGE k - +",
}

FAMILIES = {
    "string": """
        GET k
        SET k v GET
        GETSET k v
        GETDEL k
        GETEX k
        GETEX k PERSIST
        GETRANGE k 0 1
        SUBSTR k 0 1
        SETRANGE k 0 x
        APPEND k x
        STRLEN k
        INCR k
        INCRBY k 1
        DECR k
        DECRBY k 1
        INCRBYFLOAT k 1
        MGET k d
        SETBIT k 0 1
        GETBIT k 0
        BITCOUNT k
        BITPOS k 1
        BITFIELD k GET u8 0
        BITFIELD_RO k GET u8 0
        BITOP AND d k
        BITOP NOT d k
        LCS k d
        PFADD k a
        PFCOUNT k
        PFCOUNT k d
        PFMERGE k
        PFMERGE d k
        PFDEBUG ENCODING k
    """,
    "list": """
        LPUSH k a
        RPUSH k a
        LPUSHX k a
        RPUSHX k a
        LPOP k
        RPOP k
        LPOP k 2
        LLEN k
        LRANGE k 0 -1
        LINDEX k 0
        LSET k 0 a
        LINSERT k BEFORE a b
        LREM k 0 a
        LTRIM k 0 1
        LPOS k a
        RPOPLPUSH k d
        LMOVE k d LEFT RIGHT
        LMPOP 1 k LEFT
        LMPOP 2 d k RIGHT COUNT 2
        BLPOP k 0.01
        BRPOP d k 0.01
        BRPOPLPUSH k d 0.01
        BLMOVE k d LEFT LEFT 0.01
        BLMPOP 0.01 1 k LEFT
    """,
    "set": """
        SADD k a
        SREM k a
        SMEMBERS k
        SISMEMBER k a
        SMISMEMBER k a b
        SCARD k
        SPOP k
        SPOP k 2
        SRANDMEMBER k
        SRANDMEMBER k -2
        SMOVE k d a
        SINTER k
        SINTER d k
        SINTERCARD 1 k
        SINTERSTORE d k
        SUNION k
        SUNIONSTORE d k
        SDIFF k
        SDIFF d k
        SDIFFSTORE d k
        SSCAN k 0
    """,
    "zset": """
        ZADD k 1 a
        ZADD k INCR 1 a
        ZINCRBY k 1 a
        ZREM k a
        ZCARD k
        ZCOUNT k 0 1
        ZLEXCOUNT k - +
        ZSCORE k a
        ZMSCORE k a
        ZRANK k a
        ZREVRANK k a
        ZRANGE k 0 -1
        ZRANGE k 0 1 BYSCORE
        ZRANGESTORE d k 0 -1
        ZRANGEBYSCORE k 0 1
        ZREVRANGEBYSCORE k 1 0
        ZRANGEBYLEX k - +
        ZREVRANGEBYLEX k + -
        ZREMRANGEBYRANK k 0 1
        ZREMRANGEBYSCORE k 0 1
        ZREMRANGEBYLEX k - +
        ZPOPMIN k
        ZPOPMAX k 2
        ZMPOP 1 k MIN
        BZPOPMIN k 0.01
        BZPOPMAX k 0.01
        BZMPOP 0.01 1 k MIN
        ZRANDMEMBER k
        ZUNION 1 k
        ZINTER 1 k
        ZDIFF 1 k
        ZUNIONSTORE d 1 k
        ZINTERSTORE d 1 k
        ZDIFFSTORE d 1 k
        ZINTERCARD 1 k
        ZSCAN k 0
        GEOADD k 0 0 m
        GEODIST k a b
        GEOHASH k a
        GEOPOS k a
        GEOSEARCH k FROMLONLAT 0 0 BYRADIUS 1 km
        GEOSEARCHSTORE d k FROMLONLAT 0 0 BYRADIUS 1 km
        GEORADIUS k 0 0 1 km
        GEORADIUS_RO k 0 0 1 km
        GEORADIUSBYMEMBER k a 1 km
        GEORADIUSBYMEMBER_RO k a 1 km
    """,
    "hash": """
        HSET k f v
        HSETNX k f v
        HMSET k f v
        HGET k f
        HMGET k f g
        HDEL k f
        HLEN k
        HSTRLEN k f
        HEXISTS k f
        HKEYS k
        HVALS k
        HGETALL k
        HINCRBY k f 1
        HINCRBYFLOAT k f 1
        HRANDFIELD k
        HRANDFIELD k 2 WITHVALUES
        HSCAN k 0
    """,
    "stream": """
        XADD k * f v
        XADD k NOMKSTREAM MAXLEN 1 * f v
        XLEN k
        XRANGE k - +
        XREVRANGE k + -
        XDEL k 1-1
        XTRIM k MAXLEN 0
        XREAD STREAMS k 0
        XREAD STREAMS d k 0 0
        XGROUP CREATE k g 0
        XGROUP SETID k g 0
        XGROUP DESTROY k g
        XGROUP CREATECONSUMER k g c
        XGROUP DELCONSUMER k g c
        XREADGROUP GROUP g c STREAMS k >
        XACK k g 1-1
        XPENDING k g
        XCLAIM k g c 0 1-1
        XAUTOCLAIM k g c 0 0
        XINFO STREAM k
        XINFO GROUPS k
        XINFO CONSUMERS k g
        XSETID k 1-1
    """,
}

# Commands on keys of any type: what they answer for each type is compared too.
GENERIC = """
    TYPE k
    OBJECT ENCODING k
    EXISTS k
    [type] MEMORY USAGE k
"""

# SORT reads lists, sets and sorted sets and refuses the other types; gated as a type of its own.
SORT = """
    SORT k
    SORT_RO k
    SORT k ALPHA
    SORT k ALPHA DESC LIMIT 1 1
    SORT k BY nosort ALPHA STORE d
    LRANGE d 0 -1
    SORT_RO k BY nosort STORE d
    OBJECT ENCODING k
"""


def commands(text):
    return [line.strip() for line in text.strip().splitlines() if line.strip()]


def main():
    implemented = {"string"}
    args = sys.argv[1:]
    if len(args) == 2 and args[0] == "--implemented":
        implemented = set(args[1].split(","))
    elif args:
        sys.exit(__doc__)
    unknown = implemented - set(SETUP) - {"sort"}
    if unknown:
        sys.exit("unknown types: %s" % ", ".join(sorted(unknown)))
    out = ["// Generated by server/tools/generate_wrongtype_script.py --implemented %s: do not edit;"
           % ",".join(sorted(implemented)),
           "// change the generator and run it again. Every command of each data type against a key",
           "// of every other type; a pair with a type Nuthatch lacks runs against a second redis-server."]
    for key_type in SETUP:
        for family, text in FAMILIES.items():
            if family == key_type:
                continue
            flag = "" if {key_type, family} <= implemented else "[redis-only] "
            out += ["", "# %s%s commands against a %s" % (flag, family, key_type)]
            out += SETUP[key_type]
            out += commands(text)
            out += ["TYPE k", SHOW[key_type]]
        flag = "" if key_type in implemented else "[redis-only] "
        out += ["", "# %scommands of any type against a %s" % (flag, key_type)]
        out += SETUP[key_type]
        out += commands(GENERIC)
        flag = "" if {key_type, "sort"} <= implemented else "[redis-only] "
        out += ["", "# %sSORT against a %s" % (flag, key_type)]
        out += SETUP[key_type]
        out += commands(SORT)
    print("\n".join(out))


if __name__ == "__main__":
    main()
