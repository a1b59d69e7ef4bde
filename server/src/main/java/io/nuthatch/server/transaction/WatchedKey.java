package io.nuthatch.server.transaction;

import io.nuthatch.server.keyspace.KeyHashing;

import java.util.Arrays;

/**
 * A key of one database as the WATCH registry indexes it. Stored keys own a copy of their bytes;
 * one reusable probe is pointed at a changed entry's key range to look it up, so that a write to
 * a key nobody watches allocates nothing even while other keys are watched.
 */
final class WatchedKey {
    private int database;
    private byte[] array;
    private int offset;
    private int length;
    private int hash;

    /** A probe, to be pointed at a key with {@link #point}. */
    WatchedKey() {
    }

    /** A stored key: its own copy of the bytes. */
    static WatchedKey copyOf(int database, byte[] array, int offset, int length) {
        WatchedKey key = new WatchedKey();
        key.point(database, Arrays.copyOfRange(array, offset, offset + length), 0, length);
        return key;
    }

    WatchedKey point(int database, byte[] array, int offset, int length) {
        this.database = database;
        this.array = array;
        this.offset = offset;
        this.length = length;
        this.hash = KeyHashing.hash(array, offset, length) * 31 + database;
        return this;
    }

    int database() {
        return database;
    }

    /** The key's bytes; only for stored keys, whose array is exactly the key. */
    byte[] bytes() {
        return array;
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof WatchedKey key && key.database == database && key.hash == hash
                && Arrays.equals(key.array, key.offset, key.offset + key.length, array, offset, offset + length);
    }
}
