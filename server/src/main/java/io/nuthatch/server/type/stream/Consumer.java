package io.nuthatch.server.type.stream;

import io.nuthatch.server.type.MemoryLayout;

import java.util.NavigableSet;
import java.util.TreeSet;

/** A consumer of a group: its name, when it was last seen, and the entries pending for it. */
public final class Consumer {
    static final long BYTES = MemoryLayout.align(MemoryLayout.OBJECT_HEADER + 2 * MemoryLayout.REFERENCE + 8);

    private final byte[] name;
    long seenTime;
    final TreeSet<PendingEntry> pending = new TreeSet<>(PendingEntry.BY_ID);

    Consumer(byte[] name, long seenTime) {
        this.name = name;
        this.seenTime = seenTime;
    }

    /** The name; not to be changed. */
    public byte[] name() {
        return name;
    }

    /** Unix milliseconds of the last time the consumer read or claimed (XINFO's seen-time, idle). */
    public long seenTime() {
        return seenTime;
    }

    public void seen(long now) {
        seenTime = now;
    }

    /** The entries pending for this consumer, in ID order; read-only for callers. */
    public NavigableSet<PendingEntry> pending() {
        return pending;
    }
}
