package io.nuthatch.server.type;

/**
 * How much room a string changed in place gets when it outgrows its array: Redis's sds rule,
 * double the needed length below 1 MB (SDS_MAX_PREALLOC), the needed length plus 1 MB above, so
 * that a string built by repeated APPEND or SETBIT is copied O(log n) times, not once per call.
 */
public final class StringCapacity {
    private static final int MAX_PREALLOCATION = 1024 * 1024;
    /** Longest byte[] a JVM reliably allocates. */
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    private StringCapacity() {
    }

    /** The capacity for a string that must now hold {@code needed} bytes. */
    public static int grown(int needed) {
        long capacity = needed < MAX_PREALLOCATION ? 2L * needed : (long) needed + MAX_PREALLOCATION;
        return (int) Math.max(needed, Math.min(capacity, MAX_ARRAY));
    }
}
