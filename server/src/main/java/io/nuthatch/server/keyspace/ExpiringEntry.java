package io.nuthatch.server.keyspace;

import io.nuthatch.server.type.MemoryLayout;
import io.nuthatch.server.type.StoredValue;

/**
 * A key with an expiry, whatever its value: a string held in the data array ({@code value} null) or
 * a value object. It also knows its slot in {@link ExpiringKeys}, so that removing it from there is
 * O(1).
 */
final class ExpiringEntry extends KeyEntry {
    static final long BYTES = MemoryLayout.align(MemoryLayout.OBJECT_HEADER + 3 * MemoryLayout.REFERENCE + 4 + 8 + 4);

    StoredValue value;
    long expiresAt;
    /** Slot in the database's {@link ExpiringKeys}, or -1 while the entry is not in a database. */
    int expirySlot = -1;

    ExpiringEntry(byte[] data, StoredValue value, int meta, long expiresAt) {
        super(data, meta);
        this.value = value;
        this.expiresAt = expiresAt;
    }
}
