package io.nuthatch.server.type.stream;

import io.nuthatch.server.type.MemoryLayout;

import java.util.Arrays;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * A consumer group of a stream: the last ID delivered to it, how many entries it has read (Redis
 * 7.0's entries-read, from which its lag is worked out), its consumers ordered by name, and the
 * entries delivered and not yet acknowledged (the pending entries list), ordered by ID, each
 * also in the list of the consumer it was delivered to.
 *
 * <p><b>Entries read and lag (Redis 7.0).</b> The counter is exact while the group reads
 * entries in order with no deletion ahead of it; when it cannot be known (set to -1 on creation
 * and by XGROUP SETID without ENTRIESREAD, or made unknowable by an XDEL ahead of the group), it is
 * estimated from the stream's counters when possible ({@link #estimateEntriesRead}): exactly at
 * the last entry, at or before the first when nothing was deleted after it, and for an empty
 * stream. The lag is entries-added minus entries read, when either is known.
 */
public final class ConsumerGroup {
    /** The entries-read of a group whose count is not known (SCG_INVALID_ENTRIES_READ). */
    public static final long UNKNOWN = -1;
    /** What {@link #lag} answers when the lag cannot be known. */
    public static final long UNKNOWN_LAG = Long.MIN_VALUE;

    private static final long OBJECT_BYTES = MemoryLayout.align(MemoryLayout.OBJECT_HEADER + 3 * 8
            + 3 * MemoryLayout.REFERENCE + 4);
    /** A TreeSet and the TreeMap inside it. */
    static final long TREE_SET_BYTES = 16 + 48;
    /** One node of a TreeMap (key, value, three links, colour). */
    static final long TREE_NODE_BYTES = 40;
    private static final Consumer[] NO_CONSUMERS = new Consumer[0];

    /** Reused key for looking up pending entries by ID; lookups run one at a time, under the engine. */
    private static final PendingEntry PROBE = new PendingEntry(0, 0, 0, 0, null);

    private final byte[] name;
    private long lastMs;
    private long lastSeq;
    private long entriesRead;
    private final TreeSet<PendingEntry> pending = new TreeSet<>(PendingEntry.BY_ID);
    private Consumer[] consumers = NO_CONSUMERS;
    private int consumerCount;
    private long consumerNameBytes;

    ConsumerGroup(byte[] name, long lastMs, long lastSeq, long entriesRead) {
        this.name = name;
        this.lastMs = lastMs;
        this.lastSeq = lastSeq;
        this.entriesRead = entriesRead;
    }

    public byte[] name() {
        return name;
    }

    public long lastMs() {
        return lastMs;
    }

    public long lastSeq() {
        return lastSeq;
    }

    /** The entries read, or {@link #UNKNOWN}. */
    public long entriesRead() {
        return entriesRead;
    }

    /** XGROUP SETID: the last delivered ID and the entries read (possibly {@link #UNKNOWN}). */
    public void setLastId(long ms, long seq, long entriesRead) {
        lastMs = ms;
        lastSeq = seq;
        this.entriesRead = entriesRead;
    }

    long memoryUsage() {
        return OBJECT_BYTES + MemoryLayout.byteArray(name.length) + TREE_SET_BYTES
                + MemoryLayout.referenceArray(consumers.length) + consumerNameBytes
                + consumerCount * (Consumer.BYTES + TREE_SET_BYTES)
                + (long) pending.size() * (PendingEntry.BYTES + 2 * TREE_NODE_BYTES);
    }

    // ---------------------------------------------------------------- reading

    /**
     * Records that the entry with this ID is being delivered to the group (XREADGROUP {@code >}):
     * moves the last delivered ID to it if it is later, counting it in the entries read when the
     * count is exact, estimating the count anew otherwise.
     *
     * @return whether the last delivered ID moved
     */
    public boolean delivered(StreamValue stream, long ms, long seq) {
        if (StreamIds.compare(ms, seq, lastMs, lastSeq) <= 0) {
            return false;
        }
        if (entriesRead != UNKNOWN && !hasTombstonesFrom(stream, ms, seq)) {
            entriesRead++;
        } else if (stream.entriesAdded() != 0) {
            entriesRead = estimateEntriesRead(stream, ms, seq);
        }
        lastMs = ms;
        lastSeq = seq;
        return true;
    }

    /** The group's lag, or {@link #UNKNOWN_LAG}. */
    public long lag(StreamValue stream) {
        if (stream.entriesAdded() == 0) {
            return 0;
        }
        if (entriesRead != UNKNOWN && !hasTombstonesFrom(stream, lastMs, lastSeq)) {
            return stream.entriesAdded() - entriesRead;
        }
        long estimate = estimateEntriesRead(stream, lastMs, lastSeq);
        return estimate == UNKNOWN ? UNKNOWN_LAG : stream.entriesAdded() - estimate;
    }

    /** Whether an entry deleted by XDEL may lie at or after the ID (Redis's streamRangeHasTombstones). */
    private static boolean hasTombstonesFrom(StreamValue stream, long ms, long seq) {
        long deletedMs = stream.maxDeletedMs();
        long deletedSeq = stream.maxDeletedSeq();
        if (stream.length() == 0 || StreamIds.isZero(deletedMs, deletedSeq)) {
            return false;
        }
        if (StreamIds.compare(stream.firstMs(), stream.firstSeq(), deletedMs, deletedSeq) > 0) {
            return false;
        }
        return StreamIds.compare(ms, seq, deletedMs, deletedSeq) <= 0;
    }

    /**
     * How many entries had been added up to and including the ID, when the stream's counters tell
     * (Redis's streamEstimateDistanceFromFirstEverEntry); {@link #UNKNOWN} otherwise.
     */
    static long estimateEntriesRead(StreamValue stream, long ms, long seq) {
        long added = stream.entriesAdded();
        if (added == 0) {
            return 0;
        }
        int toLast = StreamIds.compare(ms, seq, stream.lastMs(), stream.lastSeq());
        if (stream.length() == 0 && toLast <= 0) {
            return added;
        }
        if (toLast == 0) {
            return added;
        } else if (toLast > 0) {
            return UNKNOWN;
        }
        long deletedMs = stream.maxDeletedMs();
        long deletedSeq = stream.maxDeletedSeq();
        if (StreamIds.isZero(deletedMs, deletedSeq)
                || StreamIds.compare(deletedMs, deletedSeq, stream.firstMs(), stream.firstSeq()) < 0) {
            int toFirst = StreamIds.compare(ms, seq, stream.firstMs(), stream.firstSeq());
            if (toFirst < 0) {
                return added - stream.length();
            } else if (toFirst == 0) {
                return added - stream.length() + 1;
            }
        }
        return UNKNOWN;
    }

    // ---------------------------------------------------------------- consumers

    public int consumerCount() {
        return consumerCount;
    }

    /** The consumer at {@code index} in name order. */
    public Consumer consumer(int index) {
        return consumers[index];
    }

    /** The consumer of this name, or null. */
    public Consumer consumer(byte[] bytes, int offset, int length) {
        int index = indexOf(bytes, offset, length);
        return index >= 0 ? consumers[index] : null;
    }

    /** Adds a consumer, seen now; null when one of that name exists. */
    public Consumer createConsumer(byte[] bytes, int offset, int length, long now) {
        int index = indexOf(bytes, offset, length);
        if (index >= 0) {
            return null;
        }
        int at = -index - 1;
        if (consumerCount == consumers.length) {
            consumers = Arrays.copyOf(consumers, Math.max(2, consumerCount + (consumerCount >> 1) + 1));
        }
        System.arraycopy(consumers, at, consumers, at + 1, consumerCount - at);
        Consumer consumer = new Consumer(Arrays.copyOfRange(bytes, offset, offset + length), now);
        consumers[at] = consumer;
        consumerCount++;
        consumerNameBytes += MemoryLayout.byteArray(length);
        return consumer;
    }

    /** Removes a consumer and its pending entries from the group; returns how many it had pending. */
    public int deleteConsumer(Consumer consumer) {
        int pendingCount = consumer.pending.size();
        for (PendingEntry entry : consumer.pending) {
            pending.remove(entry);
        }
        int index = indexOf(consumer.name(), 0, consumer.name().length);
        System.arraycopy(consumers, index + 1, consumers, index, consumerCount - index - 1);
        consumers[--consumerCount] = null;
        consumerNameBytes -= MemoryLayout.byteArray(consumer.name().length);
        if (consumerCount == 0) {
            consumers = NO_CONSUMERS;
        }
        return pendingCount;
    }

    /** Binary search by name, in the order of Redis's radix tree (bytes unsigned, then length). */
    private int indexOf(byte[] bytes, int offset, int length) {
        int low = 0;
        int high = consumerCount - 1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            byte[] candidate = consumers[middle].name();
            int order = Arrays.compareUnsigned(candidate, 0, candidate.length, bytes, offset, offset + length);
            if (order < 0) {
                low = middle + 1;
            } else if (order > 0) {
                high = middle - 1;
            } else {
                return middle;
            }
        }
        return -(low + 1);
    }

    // ---------------------------------------------------------------- pending entries

    /** The pending entries in ID order; read-only for callers. */
    public NavigableSet<PendingEntry> pending() {
        return pending;
    }

    /** The pending entry of this ID, or null. */
    public PendingEntry pending(long ms, long seq) {
        PendingEntry found = pending.ceiling(probe(ms, seq));
        return found != null && found.ms == ms && found.seq == seq ? found : null;
    }

    /** The first pending entry at or after this ID, or null. */
    public PendingEntry pendingAtOrAfter(long ms, long seq) {
        return pending.ceiling(probe(ms, seq));
    }

    /** The pending entry after this one, or null. */
    public PendingEntry pendingAfter(PendingEntry entry) {
        return pending.higher(entry);
    }

    /** The pending entries from this ID on, in ID order. */
    public NavigableSet<PendingEntry> pendingFrom(long ms, long seq) {
        return pending.tailSet(probe(ms, seq), true);
    }

    /** The pending entries of a consumer from this ID on, in ID order. */
    public NavigableSet<PendingEntry> pendingFrom(Consumer consumer, long ms, long seq) {
        return consumer.pending.tailSet(probe(ms, seq), true);
    }

    private static PendingEntry probe(long ms, long seq) {
        PROBE.ms = ms;
        PROBE.seq = seq;
        return PROBE;
    }

    /**
     * Delivers an entry to a consumer (XREADGROUP): a new pending entry delivered once, now; or, if
     * the entry is pending already (after XGROUP SETID moved the group back), given to this
     * consumer with its delivery count starting over.
     */
    public PendingEntry deliver(long ms, long seq, Consumer consumer, long now) {
        PendingEntry entry = pending(ms, seq);
        if (entry == null) {
            entry = new PendingEntry(ms, seq, now, 1, consumer);
            pending.add(entry);
            consumer.pending.add(entry);
            return entry;
        }
        entry.consumer.pending.remove(entry);
        entry.consumer = consumer;
        entry.deliveryTime = now;
        entry.deliveryCount = 1;
        consumer.pending.add(entry);
        return entry;
    }

    /** A pending entry made from nothing (XCLAIM FORCE), owned by no consumer until {@link #claim}. */
    public PendingEntry createPending(long ms, long seq) {
        PendingEntry entry = new PendingEntry(ms, seq, 0, 0, null);
        pending.add(entry);
        return entry;
    }

    /** Gives a pending entry to a consumer (XCLAIM, XAUTOCLAIM) with a delivery time and count. */
    public void claim(PendingEntry entry, Consumer consumer, long deliveryTime, long deliveryCount) {
        if (entry.consumer != consumer) {
            if (entry.consumer != null) {
                entry.consumer.pending.remove(entry);
            }
            entry.consumer = consumer;
            consumer.pending.add(entry);
        }
        entry.deliveryTime = deliveryTime;
        entry.deliveryCount = deliveryCount;
    }

    /** Removes a pending entry from the group and its consumer (XACK, or a claim of a deleted entry). */
    public void remove(PendingEntry entry) {
        pending.remove(entry);
        if (entry.consumer != null) {
            entry.consumer.pending.remove(entry);
        }
    }

    /** Counts a redelivery from the consumer's own history (XREADGROUP with an ID). */
    public void redelivered(PendingEntry entry, long now) {
        entry.deliveryTime = now;
        entry.deliveryCount++;
    }

    /** An independent copy: consumers, pending entries and counters. */
    ConsumerGroup copy() {
        ConsumerGroup copy = new ConsumerGroup(name, lastMs, lastSeq, entriesRead);
        copy.consumers = consumerCount == 0 ? NO_CONSUMERS : new Consumer[consumerCount];
        for (int i = 0; i < consumerCount; i++) {
            copy.consumers[i] = new Consumer(consumers[i].name(), consumers[i].seenTime);
        }
        copy.consumerCount = consumerCount;
        copy.consumerNameBytes = consumerNameBytes;
        for (PendingEntry entry : pending) {
            Consumer owner = entry.consumer == null ? null : copy.consumer(entry.consumer.name(), 0,
                    entry.consumer.name().length);
            PendingEntry twin = new PendingEntry(entry.ms, entry.seq, entry.deliveryTime, entry.deliveryCount, owner);
            copy.pending.add(twin);
            if (owner != null) {
                owner.pending.add(twin);
            }
        }
        return copy;
    }
}
