package io.nuthatch.persistence.rdb;

/**
 * The numbers of Redis's RDB format: value type bytes, file opcodes, and the special forms of the
 * length prefix. Values are those of Redis's rdb.h (RDB versions 9 to 12); they are facts of a
 * file format, the names are ours.
 */
public final class RdbFormat {
    /** The version this side writes: Redis 7.0's, so that redis-server 7.0 reads what we write. */
    public static final int VERSION = 10;
    /** The newest version whose payloads we read (Redis 7.4 writes 12; Valkey 8 writes 11). */
    public static final int NEWEST_READABLE_VERSION = 12;

    // ---------------------------------------------------------------- value types
    public static final int TYPE_STRING = 0;
    public static final int TYPE_LIST = 1;
    public static final int TYPE_SET = 2;
    public static final int TYPE_ZSET = 3;
    public static final int TYPE_HASH = 4;
    /** A sorted set with binary (8-byte) scores. */
    public static final int TYPE_ZSET_2 = 5;
    public static final int TYPE_MODULE_PRE_GA = 6;
    public static final int TYPE_MODULE_2 = 7;
    public static final int TYPE_HASH_ZIPMAP = 9;
    public static final int TYPE_LIST_ZIPLIST = 10;
    public static final int TYPE_SET_INTSET = 11;
    public static final int TYPE_ZSET_ZIPLIST = 12;
    public static final int TYPE_HASH_ZIPLIST = 13;
    /** A list as ziplist nodes (Redis 3.2 to 6.2). */
    public static final int TYPE_LIST_QUICKLIST = 14;
    public static final int TYPE_STREAM_LISTPACKS = 15;
    public static final int TYPE_HASH_LISTPACK = 16;
    public static final int TYPE_ZSET_LISTPACK = 17;
    /** A list as listpack nodes, each with a container tag (Redis 7.0). */
    public static final int TYPE_LIST_QUICKLIST_2 = 18;
    /** Streams with first-ID, max-deleted-ID and entries-added counters (Redis 7.0). */
    public static final int TYPE_STREAM_LISTPACKS_2 = 19;
    public static final int TYPE_SET_LISTPACK = 20;
    /** Streams whose consumers carry an active time (Redis 7.2). */
    public static final int TYPE_STREAM_LISTPACKS_3 = 21;

    /** Quicklist 2 node containers. */
    public static final int QUICKLIST_NODE_PLAIN = 1;
    public static final int QUICKLIST_NODE_PACKED = 2;

    // ---------------------------------------------------------------- file opcodes
    public static final int OPCODE_SLOT_INFO = 244;
    public static final int OPCODE_FUNCTION_2 = 245;
    public static final int OPCODE_FUNCTION_PRE_GA = 246;
    public static final int OPCODE_MODULE_AUX = 247;
    public static final int OPCODE_IDLE = 248;
    public static final int OPCODE_FREQ = 249;
    public static final int OPCODE_AUX = 250;
    public static final int OPCODE_RESIZEDB = 251;
    public static final int OPCODE_EXPIRETIME_MS = 252;
    public static final int OPCODE_EXPIRETIME = 253;
    public static final int OPCODE_SELECTDB = 254;
    public static final int OPCODE_EOF = 255;

    // ---------------------------------------------------------------- the length prefix
    /** The two high bits of a length's first byte. */
    static final int LENGTH_6BIT = 0;
    static final int LENGTH_14BIT = 1;
    static final int LENGTH_32_OR_64BIT = 2;
    static final int LENGTH_SPECIAL = 3;
    static final int LENGTH_32BIT = 0x80;
    static final int LENGTH_64BIT = 0x81;
    /** Special string forms, in the low 6 bits when the high two are set. */
    static final int STRING_INT8 = 0;
    static final int STRING_INT16 = 1;
    static final int STRING_INT32 = 2;
    static final int STRING_LZF = 3;

    private RdbFormat() {
    }

    /** Whether the type byte names a value (as opposed to an opcode or nothing known). */
    public static boolean isValueType(int type) {
        return (type >= TYPE_STRING && type <= TYPE_MODULE_2) || (type >= TYPE_HASH_ZIPMAP && type <= TYPE_STREAM_LISTPACKS_3);
    }
}
