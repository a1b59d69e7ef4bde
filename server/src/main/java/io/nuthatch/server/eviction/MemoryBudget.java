package io.nuthatch.server.eviction;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What memory the dataset may take in this JVM and this container, and the warnings a server
 * started with settings that cannot hold gives at startup.
 *
 * <p><b>The heap ceiling.</b> used_memory estimates the retained heap of the data, so maxmemory is a
 * share of the heap, and a maxmemory the heap cannot hold ends in an OutOfMemoryError (and, with
 * the launcher's -XX:+ExitOnOutOfMemoryError, in a restart) rather than in eviction. The data is
 * therefore never allowed past {@link #HEAP_SHARE} of the maximum heap, whatever maxmemory says
 * (0 included): past it, the policy evicts, or noeviction refuses writes, as at maxmemory. The
 * rest of the heap is what G1 needs to collect without falling back to full collections (requests
 * in flight, garbage between collections). Most of that garbage, in a cache at maxmemory, is
 * what eviction frees; when the keys created next reuse nearly all of it, the data may take
 * {@link #RECYCLING_HEAP_SHARE} instead ({@link ReuseMeter}). A Redis user's maxmemory keeps its
 * meaning whenever it fits; when it does not, the startup log says so and what would make it fit.
 *
 * <p><b>The container.</b> Outside the heap the JVM takes memory of its own: G1's remembered sets
 * and bitmaps, classes and compiled code, thread stacks, Netty's direct buffers, malloc arenas.
 * {@link #nonHeapBytes} is the launcher's estimate of it (bin/nuthatch-server sizes the heap as the
 * limit less that estimate); heap plus that must stay under the cgroup limit or the kernel kills
 * the process.
 */
public final class MemoryBudget {
    /** The share of the maximum heap the data may fill. */
    public static final double HEAP_SHARE = 0.80;
    /**
     * The share while what eviction frees is nearly all reused by the keys created next (see the
     * keyspace's RecycledEntries): the old generation then hardly churns, and G1 needs little room
     * beyond the data. Measured in a 512 MiB container filled past maxmemory with 100-byte SETs
     * (bench/results/2026-12-02-recycled-entries.md): no full collection at 0.92, where without reuse
     * G1 already made 13 at 0.80.
     */
    public static final double RECYCLING_HEAP_SHARE = 0.92;
    /**
     * The least room the larger share leaves beside the data, whatever the heap: the objects loading
     * the code leaves in the heap for good (5-6 MB, bench/results/2026-12-02-startup-memory.md), the
     * arrays kept for reuse (at most a 128th of the heap, and 4 MiB) and the young generation G1
     * collects into. At 0.92 a 113 MiB heap (a 256 MiB container) had 9 MiB left and ran out of
     * heap; a 341 MiB heap had 27 MiB and made no full collection.
     */
    static final long RECYCLING_HEADROOM = 24L << 20;
    /**
     * The JVM's own memory that does not grow with the heap: classes, compiled code, threads,
     * Netty's buffers for some tens of connections, malloc arenas.
     */
    static final long FIXED_NON_HEAP = 128L << 20;

    private MemoryBudget() {
    }

    /**
     * The heap bin/nuthatch-server gives a container of {@code limit} bytes when maxmemory does not
     * ask for less: (limit - 128 MiB) * 8 / 9, in whole MiB, as the launcher's shell arithmetic does.
     */
    public static long heapForContainer(long limit) {
        return ((limit >> 20) - (FIXED_NON_HEAP >> 20)) * 8 / 9 << 20;
    }

    /** The most the data may take in a heap of {@code maxHeap} bytes. */
    public static long heapCeiling(long maxHeap) {
        return (long) (maxHeap * HEAP_SHARE);
    }

    /**
     * The most the data may take in a heap of {@code maxHeap} bytes while evictions' memory is
     * reused: {@link #RECYCLING_HEAP_SHARE} of it, less where that would leave less than
     * {@link #RECYCLING_HEADROOM}, and never less than {@link #heapCeiling}.
     */
    public static long recyclingHeapCeiling(long maxHeap) {
        long ceiling = Math.min((long) (maxHeap * RECYCLING_HEAP_SHARE), maxHeap - RECYCLING_HEADROOM);
        return Math.max(heapCeiling(maxHeap), ceiling);
    }

    /**
     * The JVM's memory outside a heap of {@code maxHeap} bytes: the fixed part, and G1's structures
     * (remembered sets, mark bitmaps, card table), which grow with the heap. Measured with NMT and
     * VmHWM (G1, 100 KB values written past maxmemory): G1's structures took 44 MB for heaps of 156
     * and 384 MB; -Xmx160m peaked at 242 MB resident, -Xmx384m with 300 MB of data at 459 MB, and
     * -Xmx156m through ContainerMemoryTest's eight fills at 278 MB: 114 MB above the heap, which
     * 96 MiB plus an eighth of the heap covered. With snapshots the image's fill check (512 MiB,
     * -Xmx369m, an AOF rewrite during the fill) was OOM-killed at 521 MB anonymous RSS: RocksDB's
     * memtables and the JIT's scratch memory (the kill was triggered from a C2 compiler thread)
     * need room too, hence 128 MiB. bin/nuthatch-server solves heap + nonHeapBytes(heap)
     * = limit for the heap ({@link #heapForContainer}).
     */
    public static long nonHeapBytes(long maxHeap) {
        return FIXED_NON_HEAP + maxHeap / 8;
    }

    /** The memory limit of the process's cgroup (v2, else v1), or -1 when there is none. */
    public static long containerLimit() {
        return containerLimit(Path.of("/sys/fs/cgroup/memory.max"), Path.of("/sys/fs/cgroup/memory/memory.limit_in_bytes"));
    }

    /** The limit the first of these files gives (cgroup v2's memory.max, v1's limit_in_bytes), or -1. */
    public static long containerLimit(Path version2, Path version1) {
        for (Path file : List.of(version2, version1)) {
            try {
                String text = Files.readString(file).trim();
                if (text.equals("max")) {
                    return -1;
                }
                long limit = Long.parseLong(text);
                // cgroup v1 reports "no limit" as a number near 2^63, rounded to pages.
                return limit >= Long.MAX_VALUE / 2 ? -1 : limit;
            } catch (IOException | RuntimeException unreadable) {
                // not this cgroup version, or not in a cgroup
            }
        }
        return -1;
    }

    /**
     * What the startup log must say about these settings: a maxmemory the heap cannot hold, a
     * container with a limit and no maxmemory, a heap that with the JVM's own memory does not fit
     * the container. Empty when all is well.
     */
    public static List<String> startupWarnings(long maxmemory, long maxHeap, long containerLimit) {
        List<String> warnings = new ArrayList<>();
        long ceiling = heapCeiling(maxHeap);
        if (maxmemory > ceiling) {
            warnings.add("WARNING: maxmemory is " + maxmemory + " bytes but the JVM heap (at most " + maxHeap
                    + " bytes) can hold " + ceiling + " bytes of data: keys are evicted (or writes refused) from "
                    + ceiling + " bytes on. Give the JVM a heap of at least " + heapFor(maxmemory)
                    + " bytes (-Xmx, or a container of " + containerFor(maxmemory) + " bytes with bin/nuthatch-server),"
                    + " or set maxmemory to " + ceiling + ".");
        }
        if (containerLimit > 0 && maxmemory == 0) {
            warnings.add("WARNING: maxmemory is 0 (no limit) but the container has a memory limit of " + containerLimit
                    + " bytes: keys are evicted (or writes refused) only when the heap is nearly full, at " + ceiling
                    + " bytes of data. Set maxmemory to at most " + ceiling + " (and a maxmemory-policy) to choose"
                    + " when and how.");
        }
        if (containerLimit > 0 && maxHeap + nonHeapBytes(maxHeap) > containerLimit) {
            warnings.add("WARNING: the JVM heap (at most " + maxHeap + " bytes) plus the JVM's own memory (about "
                    + nonHeapBytes(maxHeap) + " bytes) exceed the container's memory limit of " + containerLimit
                    + " bytes: the kernel may kill the server. Start it with bin/nuthatch-server, which sizes the heap"
                    + " from the limit, or lower -Xmx.");
        }
        return warnings;
    }

    /** The heap that holds {@code dataBytes} of data under the ceiling. */
    static long heapFor(long dataBytes) {
        return (long) Math.ceil(dataBytes / HEAP_SHARE);
    }

    /** The container limit whose launcher-sized heap holds {@code dataBytes} of data. */
    static long containerFor(long dataBytes) {
        long heap = heapFor(dataBytes);
        return heap + nonHeapBytes(heap);
    }
}
