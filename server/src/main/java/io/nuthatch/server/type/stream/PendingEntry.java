package io.nuthatch.server.type.stream;

import io.nuthatch.server.type.MemoryLayout;

import java.util.Comparator;

/**
 * An entry delivered to a consumer of a group and not yet acknowledged (Redis's NACK): in the
 * group's pending entries list and in its consumer's, the same object in both.
 */
public final class PendingEntry {
    /** Orders pending entries by ID, as both pending lists keep them. */
    static final Comparator<PendingEntry> BY_ID = (a, b) -> StreamIds.compare(a.ms, a.seq, b.ms, b.seq);

    static final long BYTES = MemoryLayout.align(MemoryLayout.OBJECT_HEADER + 4 * 8 + MemoryLayout.REFERENCE);

    /** Not final only for the lookup probe; an entry in a list never changes its ID. */
    long ms;
    long seq;
    long deliveryTime;
    long deliveryCount;
    Consumer consumer;

    PendingEntry(long ms, long seq, long deliveryTime, long deliveryCount, Consumer consumer) {
        this.ms = ms;
        this.seq = seq;
        this.deliveryTime = deliveryTime;
        this.deliveryCount = deliveryCount;
        this.consumer = consumer;
    }

    public long ms() {
        return ms;
    }

    public long seq() {
        return seq;
    }

    /** Unix milliseconds of the last delivery. */
    public long deliveryTime() {
        return deliveryTime;
    }

    public long deliveryCount() {
        return deliveryCount;
    }

    public Consumer consumer() {
        return consumer;
    }
}
