package io.nuthatch.server.keyspace;

import io.nuthatch.server.type.ValueType;

/**
 * What a database needs from the rest of the server: the time commands run at, and the places
 * that must hear of every change (write propagation, WATCH, statistics). The engine implements it;
 * the keyspace itself knows nothing of clients or the network.
 *
 * <p>These hear of a change after it is made. What must act before a change (the point-in-time
 * walk today; eviction and anything else that needs a key's old contents later) hangs off
 * {@code Database.beforeChange}, inside the keyspace.
 */
public interface KeyspaceHooks {

    /** The time the current command runs at, in Unix milliseconds; expiry is judged against it. */
    long now();

    /** Whether expired keys may be deleted now (not while loading data, for instance). */
    boolean expiryDeletesKeys();

    /**
     * Whether an expired key is to be treated as gone but left in place (CLIENT PAUSE holds the
     * dataset still): asked only when {@link #expiryDeletesKeys} is true.
     */
    default boolean keepsExpiredKeys() {
        return false;
    }

    /** Marks an entry of the database as read or written, for LRU/LFU eviction. */
    void accessed(Database database, KeyEntry entry);

    /**
     * A command stored a new value under the entry: {@code added} when the key is new, else the
     * value replaced another. Redis gives a new value a fresh LRU clock, or under an LFU policy the
     * initial counter for a new key and the old counter for a replaced value.
     */
    default void stored(Database database, KeyEntry entry, boolean added) {
        accessed(database, entry);
    }

    /**
     * A key was found expired and is about to be deleted: propagate a DEL, count it, tell WATCH.
     * This is not a change made by a command: it does not count as one (dirty).
     */
    void keyExpired(Database database, KeyEntry entry);

    /**
     * A command created, changed or deleted a key (signalModifiedKey: WATCH, client tracking,
     * dirty). Called after the change, with the live entry (or the deleted one); its key is read
     * from {@link KeyEntry#keyArray()}. A key's data array stays the same object across the steps
     * of one change (a value, then its expiry), which is how one command's several steps on one key
     * can be told apart from changes to several keys.
     */
    void keyModified(Database database, KeyEntry entry);

    /** A read lookup found its key (true) or not (false), for keyspace_hits and keyspace_misses. */
    void lookedUp(boolean hit);

    /** A read lookup counted as a miss did not find the key (bytes offset to offset + length): keymiss events. */
    default void keyMissed(Database database, byte[] key, int offset, int length) {
    }

    /** A key that did not exist now does (Redis's dbAdd, where "new" events come from), before the command's own. */
    default void keyCreated(Database database, KeyEntry entry) {
    }

    // ---------------------------------------------------------------- what blocked clients wait for

    /**
     * A key holding a value object (a list, a sorted set, a stream ...) was added to the database:
     * created, renamed or moved or copied here. This is Redis's dbAdd, the point where a key
     * becomes ready for the clients blocked on it. A value replacing another under an existing
     * key is not an addition (Redis's dbOverwrite does not wake anyone either).
     */
    default void keyAdded(Database database, KeyEntry entry) {
    }

    /**
     * A value object left its key: the key was deleted, expired, renamed away or moved to another
     * database, or its value was replaced by one of another type. {@code type} is the type of the
     * value that left. (A consumer blocked in XREADGROUP is woken by its stream going away.)
     */
    default void valueRemoved(Database database, KeyEntry entry, ValueType type) {
    }

    /** Every key of the database is about to be deleted (FLUSHDB, FLUSHALL); nothing has changed yet. */
    default void flushing(Database database) {
    }

    /** Two databases exchanged their contents (SWAPDB); clients stay on their database numbers. */
    default void swapped(Database first, Database second) {
    }
}
