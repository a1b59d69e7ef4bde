package io.nuthatch.server.type;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.lang.management.ManagementFactory;

/**
 * Sizes of the JVM objects values are made of, for memory accounting. The figures are those of a
 * 64-bit HotSpot with compressed class pointers and oops (heaps under 32 GB): 12-byte object
 * headers, 4-byte references, 8-byte alignment. A test compares the estimate with the real heap.
 *
 * <p>Under G1, an array of half a region or more (a key table's buckets past a few hundred thousand
 * keys, a string of megabytes) is "humongous": it gets whole regions of its own, and the rest of
 * its last region stays empty. The estimate counts those regions, as Redis's used_memory counts
 * the size class jemalloc rounds an allocation to; at a million keys the difference is a few MB.
 */
public final class MemoryLayout {
    public static final int OBJECT_HEADER = 12;
    public static final int ARRAY_HEADER = 16;
    public static final int REFERENCE = 4;

    /** G1's region size, or 0 under another collector (no rounding). */
    private static final long REGION = g1RegionSize();

    private MemoryLayout() {
    }

    /** Bytes taken by a byte[] of the given length. */
    public static long byteArray(int length) {
        return allocated(align(ARRAY_HEADER + (long) length));
    }

    /** Bytes taken by an array of references of the given length. */
    public static long referenceArray(int length) {
        return allocated(align(ARRAY_HEADER + (long) REFERENCE * length));
    }

    public static long align(long bytes) {
        return (bytes + 7) & ~7L;
    }

    /** The heap an object of this size takes: whole regions when G1 allocates it as humongous. */
    static long allocated(long bytes) {
        if (REGION == 0 || bytes <= REGION / 2) {
            return bytes;
        }
        return (bytes + REGION - 1) / REGION * REGION;
    }

    private static long g1RegionSize() {
        try {
            HotSpotDiagnosticMXBean hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            if (hotSpot == null || !"true".equals(hotSpot.getVMOption("UseG1GC").getValue())) {
                return 0;
            }
            return Long.parseLong(hotSpot.getVMOption("G1HeapRegionSize").getValue());
        } catch (RuntimeException notHotSpot) {
            return 0;
        }
    }
}
