package io.nuthatch.server.eviction;

/**
 * How much of the memory eviction frees is reused by the keys created next, rather than left as
 * garbage: over windows of evicted memory, smoothed across windows, so that one burst of odd-sized
 * values neither raises nor lowers the data's ceiling ({@link MemoryBudget#RECYCLING_HEAP_SHARE}).
 */
final class ReuseMeter {
    /** The smoothed share of reuse above which the larger ceiling applies. */
    static final double ENOUGH = 0.9;

    private final long window;
    private long evictedInWindow;
    private long reusedAtWindowStart;
    private double smoothedShare;

    /** @param window the evicted bytes each measurement covers */
    ReuseMeter(long window) {
        this.window = Math.max(1, window);
    }

    /**
     * Adds the bytes an eviction pass freed; {@code reusedTotal} is the keyspace's running count of
     * reused bytes. Returns whether a window closed, after which {@link #mostlyReused} may differ.
     */
    boolean evicted(long bytes, long reusedTotal) {
        evictedInWindow += bytes;
        if (evictedInWindow < window) {
            return false;
        }
        double share = Math.min(1.0, (reusedTotal - reusedAtWindowStart) / (double) evictedInWindow);
        smoothedShare = (smoothedShare + share) / 2;
        evictedInWindow = 0;
        reusedAtWindowStart = reusedTotal;
        return true;
    }

    boolean mostlyReused() {
        return smoothedShare >= ENOUGH;
    }

    double smoothedShare() {
        return smoothedShare;
    }
}
