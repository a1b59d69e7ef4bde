package io.nuthatch.server.tracking;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The default mode's table: each key some client read while tracking, with the ids of the clients
 * that read it. Keys are names only, whatever the database, as in Redis: a change to {@code k} in
 * any database invalidates every client that read {@code k} in any database.
 *
 * <p>A key is found in place, inside the request or the entry, through one probe, so reading a key
 * already remembered for the client allocates nothing. The ids of one key are a sorted array (a
 * key is seldom read by more than a few clients, and a binary search keeps a popular key cheap).
 */
final class TrackedKeys {
    private final Map<Name, Readers> table = new HashMap<>();
    private final Name probe = new Name();
    /** Key/client pairs (INFO tracking_total_items). */
    private long items;

    /** Remembers that the client read the key (bytes {@code offset} to {@code offset + length}). */
    void remember(byte[] key, int offset, int length, long clientId) {
        Readers readers = table.get(probe.point(key, offset, length));
        if (readers == null) {
            readers = new Readers();
            table.put(new Name().point(Arrays.copyOfRange(key, offset, offset + length), 0, length), readers);
        }
        if (readers.add(clientId)) {
            items++;
        }
    }

    /** Forgets the key and returns the ids of the clients that read it (null when none did). */
    Readers remove(byte[] key, int offset, int length) {
        Readers readers = table.remove(probe.point(key, offset, length));
        if (readers != null) {
            items -= readers.size;
        }
        return readers;
    }

    /** Forgets every key (FLUSHDB, FLUSHALL). */
    void clear() {
        table.clear();
        items = 0;
    }

    boolean isEmpty() {
        return table.isEmpty();
    }

    int keyCount() {
        return table.size();
    }

    long itemCount() {
        return items;
    }

    /**
     * Up to {@code count} keys to let go when the table is over tracking-table-max-keys. Redis picks
     * them by a random walk of its radix tree; the hash table's order is as arbitrary a choice for a
     * cache, and needs no sampling.
     */
    byte[][] victims(int count) {
        byte[][] chosen = new byte[Math.min(count, table.size())][];
        Iterator<Name> names = table.keySet().iterator();
        for (int i = 0; i < chosen.length; i++) {
            chosen[i] = names.next().bytes;
        }
        return chosen;
    }

    /** The ids of the clients that read one key, ascending. */
    static final class Readers {
        private long[] ids = new long[2];
        private int size;

        boolean add(long id) {
            int at = Arrays.binarySearch(ids, 0, size, id);
            if (at >= 0) {
                return false;
            }
            int insertion = -at - 1;
            if (size == ids.length) {
                ids = Arrays.copyOf(ids, size * 2);
            }
            System.arraycopy(ids, insertion, ids, insertion + 1, size - insertion);
            ids[insertion] = id;
            size++;
            return true;
        }

        int size() {
            return size;
        }

        long id(int index) {
            return ids[index];
        }
    }

    /** A key name as a hash-map key: owned bytes in the table, a range of a request in the probe. */
    private static final class Name {
        private byte[] bytes;
        private int offset;
        private int length;
        private int hash;

        Name point(byte[] array, int from, int count) {
            bytes = array;
            offset = from;
            length = count;
            int h = 1;
            for (int i = from, end = from + count; i < end; i++) {
                h = 31 * h + array[i];
            }
            hash = h;
            return this;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Name name && name.hash == hash
                    && Arrays.equals(bytes, offset, offset + length, name.bytes, name.offset, name.offset + name.length);
        }
    }
}
