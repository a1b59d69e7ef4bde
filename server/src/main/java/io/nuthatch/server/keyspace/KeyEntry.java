package io.nuthatch.server.keyspace;

import io.nuthatch.server.type.MemoryLayout;
import io.nuthatch.server.type.StoredValue;

/**
 * One key of a database and everything the server keeps about it: the value, the expiry, the
 * access clock eviction reads, and the version snapshots read.
 *
 * <p>Entries chain themselves in the {@link KeyTable} bucket they hash to ({@link #next}), and know
 * their slot in {@link ExpiringKeys} when they have an expiry, so that no node objects are needed
 * around them.
 */
public final class KeyEntry {
    /** Expiry of a key that has none. */
    public static final long NO_EXPIRY = -1;

    /** Bytes an entry takes besides its key and value, for memory accounting. */
    static final long OVERHEAD = MemoryLayout.align(MemoryLayout.OBJECT_HEADER
            + 3 * MemoryLayout.REFERENCE + 4 /* hash */ + 8 /* expiry */ + 4 /* expiry slot */
            + 4 /* access clock */ + 8 /* version */ + 8 /* accounted bytes */);

    final byte[] key;
    final int hash;
    KeyEntry next;

    StoredValue value;
    long expiresAt = NO_EXPIRY;
    int expirySlot = -1;
    /** LRU: seconds clock of the last access (24 bits, as Redis); LFU: minutes clock and counter. */
    int accessClock;
    /** Write version of the last change, from the keyspace-wide counter; snapshots compare it. */
    long version;
    /** Memory this entry was last accounted with, so a change can be accounted as a difference. */
    long accountedBytes;

    KeyEntry(byte[] key, int hash, StoredValue value) {
        this.key = key;
        this.hash = hash;
        this.value = value;
    }

    public byte[] key() {
        return key;
    }

    public StoredValue value() {
        return value;
    }

    /** Absolute expiry in Unix milliseconds, or {@link #NO_EXPIRY}. */
    public long expiresAt() {
        return expiresAt;
    }

    public boolean hasExpiry() {
        return expiresAt != NO_EXPIRY;
    }

    public int accessClock() {
        return accessClock;
    }

    public void accessClock(int clock) {
        this.accessClock = clock;
    }

    public long version() {
        return version;
    }

    long memoryUsage() {
        return OVERHEAD + MemoryLayout.byteArray(key.length) + value.memoryUsage();
    }
}
