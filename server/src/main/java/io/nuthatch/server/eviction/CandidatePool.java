package io.nuthatch.server.eviction;

import io.nuthatch.server.keyspace.Database;
import io.nuthatch.server.keyspace.KeyEntry;

/**
 * The best eviction candidates seen so far, Redis's eviction pool: sixteen keys kept in order of
 * their score (how much they deserve to go: idle time, inverse frequency, nearness of expiry), so
 * that each round of sampling only has to beat what earlier rounds found. With 5 samples a round,
 * this approximates true LRU far better than picking the best of each round alone, for the memory of
 * sixteen references.
 *
 * <p>A candidate is the entry as it was sampled and its database. Between rounds it may have been
 * deleted, replaced or touched: the eviction looks its key up again before deleting anything,
 * and a stale score only costs a slightly worse choice, as in Redis.
 */
final class CandidatePool {
    /** Redis's EVPOOL_SIZE. */
    static final int SIZE = 16;

    // Ascending by score: the best candidate is the last one present.
    private final KeyEntry[] entries = new KeyEntry[SIZE];
    private final Database[] databases = new Database[SIZE];
    private final long[] scores = new long[SIZE];
    private int size;

    /** Offers a sampled entry; it enters when the pool has room or it beats the worst candidate. */
    void offer(KeyEntry entry, Database database, long score) {
        for (int i = 0; i < size; i++) {
            if (entries[i] == entry) {
                return;
            }
        }
        int position = 0;
        while (position < size && scores[position] < score) {
            position++;
        }
        if (size == SIZE) {
            if (position == 0) {
                return;
            }
            // Full: the worst candidate (slot 0) leaves, the ones below the position move down.
            position--;
            System.arraycopy(entries, 1, entries, 0, position);
            System.arraycopy(databases, 1, databases, 0, position);
            System.arraycopy(scores, 1, scores, 0, position);
        } else {
            System.arraycopy(entries, position, entries, position + 1, size - position);
            System.arraycopy(databases, position, databases, position + 1, size - position);
            System.arraycopy(scores, position, scores, position + 1, size - position);
            size++;
        }
        entries[position] = entry;
        databases[position] = database;
        scores[position] = score;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The database of the best candidate; call {@link #takeBest()} after it. */
    Database bestDatabase() {
        return databases[size - 1];
    }

    /** Removes and returns the best candidate's entry (as it was sampled). */
    KeyEntry takeBest() {
        size--;
        KeyEntry entry = entries[size];
        entries[size] = null;
        databases[size] = null;
        return entry;
    }

    /** Forgets a candidate, if present (it was evicted under another policy's choice). */
    void forget(KeyEntry entry) {
        for (int i = 0; i < size; i++) {
            if (entries[i] == entry) {
                System.arraycopy(entries, i + 1, entries, i, size - i - 1);
                System.arraycopy(databases, i + 1, databases, i, size - i - 1);
                System.arraycopy(scores, i + 1, scores, i, size - i - 1);
                size--;
                entries[size] = null;
                databases[size] = null;
                return;
            }
        }
    }

    /** Forgets every candidate (a flush or a policy change made them meaningless). */
    void clear() {
        for (int i = 0; i < size; i++) {
            entries[i] = null;
            databases[i] = null;
        }
        size = 0;
    }
}
