package io.nuthatch.server.type;

/**
 * Sizes of the JVM objects values are made of, for memory accounting. The figures are those of a
 * 64-bit HotSpot with compressed class pointers and oops (heaps under 32 GB): 12-byte object
 * headers, 4-byte references, 8-byte alignment. A test compares the estimate with the real heap.
 */
public final class MemoryLayout {
    public static final int OBJECT_HEADER = 12;
    public static final int ARRAY_HEADER = 16;
    public static final int REFERENCE = 4;

    private MemoryLayout() {
    }

    /** Bytes taken by a byte[] of the given length. */
    public static long byteArray(int length) {
        return align(ARRAY_HEADER + (long) length);
    }

    /** Bytes taken by an array of references of the given length. */
    public static long referenceArray(int length) {
        return align(ARRAY_HEADER + (long) REFERENCE * length);
    }

    public static long align(long bytes) {
        return (bytes + 7) & ~7L;
    }
}
