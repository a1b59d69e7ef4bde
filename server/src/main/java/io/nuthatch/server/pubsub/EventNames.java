package io.nuthatch.server.pubsub;

/**
 * The names of the keyspace events, exactly as Redis 7.0 emits them; each command family passes
 * these to {@link KeyspaceEvents#notify}.
 */
public final class EventNames {
    // generic
    public static final byte[] DEL = KeyspaceEvents.name("del");
    public static final byte[] EXPIRE = KeyspaceEvents.name("expire");
    public static final byte[] PERSIST = KeyspaceEvents.name("persist");
    public static final byte[] RENAME_FROM = KeyspaceEvents.name("rename_from");
    public static final byte[] RENAME_TO = KeyspaceEvents.name("rename_to");
    public static final byte[] COPY_TO = KeyspaceEvents.name("copy_to");
    public static final byte[] MOVE_FROM = KeyspaceEvents.name("move_from");
    public static final byte[] MOVE_TO = KeyspaceEvents.name("move_to");
    public static final byte[] RESTORE = KeyspaceEvents.name("restore");
    public static final byte[] SORTSTORE = KeyspaceEvents.name("sortstore");
    public static final byte[] NEW = KeyspaceEvents.name("new");
    public static final byte[] EVICTED = KeyspaceEvents.name("evicted");
    public static final byte[] KEYMISS = KeyspaceEvents.name("keymiss");
    // strings
    public static final byte[] SET = KeyspaceEvents.name("set");
    public static final byte[] SETRANGE = KeyspaceEvents.name("setrange");
    public static final byte[] INCRBY = KeyspaceEvents.name("incrby");
    public static final byte[] INCRBYFLOAT = KeyspaceEvents.name("incrbyfloat");
    public static final byte[] APPEND = KeyspaceEvents.name("append");
    public static final byte[] SETBIT = KeyspaceEvents.name("setbit");
    public static final byte[] PFADD = KeyspaceEvents.name("pfadd");
    // lists
    public static final byte[] LPUSH = KeyspaceEvents.name("lpush");
    public static final byte[] RPUSH = KeyspaceEvents.name("rpush");
    public static final byte[] LPOP = KeyspaceEvents.name("lpop");
    public static final byte[] RPOP = KeyspaceEvents.name("rpop");
    public static final byte[] LINSERT = KeyspaceEvents.name("linsert");
    public static final byte[] LSET = KeyspaceEvents.name("lset");
    public static final byte[] LREM = KeyspaceEvents.name("lrem");
    public static final byte[] LTRIM = KeyspaceEvents.name("ltrim");
    // hashes
    public static final byte[] HSET = KeyspaceEvents.name("hset");
    public static final byte[] HDEL = KeyspaceEvents.name("hdel");
    public static final byte[] HINCRBY = KeyspaceEvents.name("hincrby");
    public static final byte[] HINCRBYFLOAT = KeyspaceEvents.name("hincrbyfloat");
    // sets
    public static final byte[] SADD = KeyspaceEvents.name("sadd");
    public static final byte[] SREM = KeyspaceEvents.name("srem");
    public static final byte[] SPOP = KeyspaceEvents.name("spop");
    public static final byte[] SINTERSTORE = KeyspaceEvents.name("sinterstore");
    public static final byte[] SUNIONSTORE = KeyspaceEvents.name("sunionstore");
    public static final byte[] SDIFFSTORE = KeyspaceEvents.name("sdiffstore");
    // sorted sets
    public static final byte[] ZADD = KeyspaceEvents.name("zadd");
    public static final byte[] ZINCR = KeyspaceEvents.name("zincr");
    public static final byte[] ZREM = KeyspaceEvents.name("zrem");
    public static final byte[] ZREMRANGEBYSCORE = KeyspaceEvents.name("zremrangebyscore");
    public static final byte[] ZREMRANGEBYRANK = KeyspaceEvents.name("zremrangebyrank");
    public static final byte[] ZREMRANGEBYLEX = KeyspaceEvents.name("zremrangebylex");
    public static final byte[] ZPOPMIN = KeyspaceEvents.name("zpopmin");
    public static final byte[] ZPOPMAX = KeyspaceEvents.name("zpopmax");
    public static final byte[] ZUNIONSTORE = KeyspaceEvents.name("zunionstore");
    public static final byte[] ZINTERSTORE = KeyspaceEvents.name("zinterstore");
    public static final byte[] ZDIFFSTORE = KeyspaceEvents.name("zdiffstore");
    public static final byte[] ZRANGESTORE = KeyspaceEvents.name("zrangestore");
    public static final byte[] GEOSEARCHSTORE = KeyspaceEvents.name("geosearchstore");
    public static final byte[] GEORADIUSSTORE = KeyspaceEvents.name("georadiusstore");
    // streams
    public static final byte[] XADD = KeyspaceEvents.name("xadd");
    public static final byte[] XTRIM = KeyspaceEvents.name("xtrim");
    public static final byte[] XDEL = KeyspaceEvents.name("xdel");
    public static final byte[] XSETID = KeyspaceEvents.name("xsetid");
    public static final byte[] XGROUP_CREATE = KeyspaceEvents.name("xgroup-create");
    public static final byte[] XGROUP_CREATECONSUMER = KeyspaceEvents.name("xgroup-createconsumer");
    public static final byte[] XGROUP_DELCONSUMER = KeyspaceEvents.name("xgroup-delconsumer");
    public static final byte[] XGROUP_DESTROY = KeyspaceEvents.name("xgroup-destroy");
    public static final byte[] XGROUP_SETID = KeyspaceEvents.name("xgroup-setid");

    private EventNames() {
    }
}
