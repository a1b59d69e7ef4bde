package io.nuthatch.server.keyspace;

import io.nuthatch.server.type.MemoryLayout;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * The entries of one database that have an expiry, in a dense array: each entry knows its slot,
 * and removal moves the last entry into the freed slot. Adding, removing and drawing a uniformly
 * random entry (volatile-* eviction, expiry sampling) are all O(1), and the array can be swept
 * round-robin by the active expiry cycle.
 */
final class ExpiringKeys {
    private static final int INITIAL_CAPACITY = 16;

    private ExpiringEntry[] entries = new ExpiringEntry[INITIAL_CAPACITY];
    private int size;
    /** Where the array's bytes are counted; an index given up (FLUSHDB) counts in one of its own. */
    private MemoryTotals totals;

    ExpiringKeys(MemoryTotals totals) {
        this.totals = totals;
        totals.index += MemoryLayout.referenceArray(INITIAL_CAPACITY);
    }

    /** Takes the index's array out of the totals, for an index its database gave up (FLUSHDB). */
    void leaveTotals() {
        totals.index -= MemoryLayout.referenceArray(entries.length);
        totals = new MemoryTotals();
    }

    private void resize(int capacity) {
        totals.index += MemoryLayout.referenceArray(capacity) - MemoryLayout.referenceArray(entries.length);
        entries = Arrays.copyOf(entries, capacity);
    }

    int size() {
        return size;
    }

    int capacity() {
        return entries.length;
    }

    ExpiringEntry get(int slot) {
        return entries[slot];
    }

    void add(ExpiringEntry entry) {
        if (size == entries.length) {
            resize(size * 2);
        }
        entry.expirySlot = size;
        entries[size++] = entry;
    }

    void remove(ExpiringEntry entry) {
        int slot = entry.expirySlot;
        ExpiringEntry last = entries[--size];
        entries[slot] = last;
        last.expirySlot = slot;
        entries[size] = null;
        entry.expirySlot = -1;
        if (entries.length > INITIAL_CAPACITY && size < entries.length / 4) {
            resize(Math.max(INITIAL_CAPACITY, entries.length / 2));
        }
    }

    ExpiringEntry random(RandomGenerator random) {
        return size == 0 ? null : entries[random.nextInt(size)];
    }
}
