package io.nuthatch.server.keyspace;

import io.nuthatch.resp.RequestArguments;
import io.nuthatch.server.type.StoredValue;
import io.nuthatch.server.type.StringValue;

import java.util.Arrays;

/**
 * Keys of a snapshot being loaded, prepared on a loading thread and inserted by the engine's.
 *
 * <p>Everything about a key that does not touch the keyspace is done where it was decoded: the
 * entry's array (key and string in one, as {@link EntryData} lays it out) and the key's hash.
 * The engine thread, which alone may change the tables, is left with creating the entry and
 * linking it in ({@link #insertInto}). A batch is reused: {@link #clear} keeps its arrays.
 */
public final class LoadBatch {
    private final int[] databases;
    private final byte[][] data;
    private final int[] hashes;
    private final StoredValue[] values;
    private final long[] expiries;
    private final int[] clocks;
    private int size;

    /** Clock of a key that brings none: it is stamped as new at the time it is inserted, as Redis stamps it. */
    public static final int LOAD_TIME = -1;

    public LoadBatch(int capacity) {
        databases = new int[capacity];
        data = new byte[capacity][];
        hashes = new int[capacity];
        values = new StoredValue[capacity];
        expiries = new long[capacity];
        clocks = new int[capacity];
    }

    public int size() {
        return size;
    }

    public boolean isFull() {
        return size == data.length;
    }

    /**
     * A key holding a string; {@code string} becomes the entry's when it is large (32 KB or
     * more, kept as its own array as SET keeps it), so it must not be reused by the caller then.
     *
     * @param expiresAt Unix ms, or {@link KeyEntry#NO_EXPIRY}
     * @param clock     the entry's access clock, or {@link #LOAD_TIME} for a key that brings none
     */
    public void addString(int database, byte[] key, int keyOffset, int keyLength, byte[] string, long expiresAt,
            int clock) {
        if (string.length >= RequestArguments.LARGE_ARGUMENT) {
            addValue(database, key, keyOffset, keyLength, StringValue.wrap(string), expiresAt, clock);
            return;
        }
        byte[] entryData = EntryData.newData(key, keyOffset, keyLength, string.length);
        System.arraycopy(string, 0, entryData, entryData.length - string.length, string.length);
        add(database, entryData, null, expiresAt, clock);
    }

    /** A key holding a value object. */
    public void addValue(int database, byte[] key, int keyOffset, int keyLength, StoredValue value, long expiresAt,
            int clock) {
        add(database, EntryData.newData(key, keyOffset, keyLength, 0), value, expiresAt, clock);
    }

    private void add(int database, byte[] entryData, StoredValue value, long expiresAt, int clock) {
        databases[size] = database;
        data[size] = entryData;
        hashes[size] = KeyHashing.hash(entryData, EntryData.keyOffset(entryData), EntryData.keyLength(entryData));
        values[size] = value;
        expiries[size] = expiresAt;
        clocks[size] = clock;
        size++;
    }

    /**
     * On the engine thread: adds every key of the batch, each known to be absent (a snapshot holds
     * a key once per database), then clears the batch.
     */
    public void insertInto(Keyspace keyspace) {
        for (int i = 0; i < size; i++) {
            keyspace.database(databases[i]).insertLoaded(data[i], hashes[i], values[i], expiries[i], clocks[i]);
        }
        clear();
    }

    /** Empties the batch, letting go of what it referenced. */
    public void clear() {
        Arrays.fill(data, 0, size, null);
        Arrays.fill(values, 0, size, null);
        size = 0;
    }
}
