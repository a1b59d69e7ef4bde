package io.nuthatch.server.keyspace;

import io.nuthatch.server.type.MemoryLayout;

/** A key whose value is a string held in its data array, without expiry: the common case, 24 bytes. */
final class StringEntry extends KeyEntry {
    static final long BYTES = MemoryLayout.align(MemoryLayout.OBJECT_HEADER + 2 * MemoryLayout.REFERENCE + 4);

    StringEntry(byte[] data, int meta) {
        super(data, meta);
    }
}
