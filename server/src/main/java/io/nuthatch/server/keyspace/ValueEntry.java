package io.nuthatch.server.keyspace;

import io.nuthatch.server.type.MemoryLayout;
import io.nuthatch.server.type.StoredValue;

/** A key whose value is an object (a large string, and later the other types), without expiry. */
final class ValueEntry extends KeyEntry {
    static final long BYTES = MemoryLayout.align(MemoryLayout.OBJECT_HEADER + 3 * MemoryLayout.REFERENCE + 4);

    StoredValue value;

    ValueEntry(byte[] data, StoredValue value, int meta) {
        super(data, meta);
        this.value = value;
    }
}
