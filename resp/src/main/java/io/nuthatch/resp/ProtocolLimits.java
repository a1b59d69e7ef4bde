package io.nuthatch.resp;

/**
 * The request size limits a server enforces, shared by all its connections and changeable at run
 * time (CONFIG SET proto-max-bulk-len, client-query-buffer-limit).
 */
public final class ProtocolLimits {
    /** Longest inline request, and longest count line of a multibulk request (PROTO_INLINE_MAX_SIZE). */
    public static final int INLINE_MAX_SIZE = 64 * 1024;
    /** Largest argument count Redis 7.0 accepts in a multibulk header. */
    public static final long MULTIBULK_MAX_COUNT = Integer.MAX_VALUE;
    /** Before AUTH, a client may send at most this many arguments per request... */
    public static final int UNAUTHENTICATED_MAX_COUNT = 10;
    /** ...and arguments of at most this many bytes. */
    public static final int UNAUTHENTICATED_MAX_BULK = 16 * 1024;

    public static final long DEFAULT_MAX_BULK_LENGTH = 512L * 1024 * 1024;
    public static final long DEFAULT_QUERY_BUFFER_LIMIT = 1024L * 1024 * 1024;

    private volatile long maxBulkLength = DEFAULT_MAX_BULK_LENGTH;
    private volatile long queryBufferLimit = DEFAULT_QUERY_BUFFER_LIMIT;

    /** proto-max-bulk-len: the largest single argument, in bytes. */
    public long maxBulkLength() {
        return maxBulkLength;
    }

    public void maxBulkLength(long bytes) {
        this.maxBulkLength = bytes;
    }

    /** client-query-buffer-limit: the most bytes one connection may hold of requests not yet run. */
    public long queryBufferLimit() {
        return queryBufferLimit;
    }

    public void queryBufferLimit(long bytes) {
        this.queryBufferLimit = bytes;
    }
}
