package io.nuthatch.server.keyspace;

import io.nuthatch.server.type.StoredValue;

import java.util.function.Consumer;

/**
 * A point-in-time walk over every key of every database, in short slices, while clients keep
 * changing the keys between them: what a snapshot writer reads the dataset with, since there is no
 * fork in Java to freeze it.
 *
 * <h2>Use</h2>
 * <pre>
 * KeyspaceWalk walk = keyspace.startWalk();          // under the engine lock
 * while (walk.advance(1000, visitor)) {              // each call under the engine lock,
 *     // release the lock: clients run               // other clients run in between
 * }
 * </pre>
 * {@link #advance} hands the visitor about {@code maxEntries} keys (a bucket is not split, so a
 * call may give a few more) and returns false once every key has been given. The keys given are
 * exactly those present when {@link Keyspace#startWalk()} was called, each once, with the value,
 * expiry and database number they had then, whatever happened to them since: changed, deleted,
 * expired, renamed, moved, copied over, swapped to another database (SWAPDB) or flushed (FLUSHDB,
 * FLUSHALL). Keys created since are not given. The order is the tables' order: database by
 * database, in the SCAN order of each, with keys changed meanwhile given first, at the start of
 * the next call.
 *
 * <p>The visitor receives the database number and an entry to read (its key, value, expiry and
 * access clock) during the call only: it must neither keep the entry nor change it, and must not
 * run commands. Expired keys are given as they were, with their expiry time: whether to write them
 * is the writer's choice. A writer that stops early calls {@link #abandon()}: the walk then
 * releases what it held and is finished in the background by the cron (the server's
 * {@link Keyspace#finishAbandonedWalk}); a new walk can start at once (finishing the old one first).
 * Only one walk runs at a time.
 *
 * <h2>How it keeps the start's contents: one bit per entry</h2>
 * Every entry carries a walk bit. When a walk starts, all entries have the same value P of it.
 * The walk scans each database's table with the SCAN cursor ({@link KeyTable#scan}), whose
 * guarantee is that every entry present from the start of a scan to its end is visited at least
 * once, whatever resizing happens between calls; it gives each visited entry whose bit is P and
 * flips the bit, so an entry visited twice is given once. A change to an entry whose bit is still
 * P ({@link Database}'s change points call {@link #beforeChange} and {@link #removed} before they
 * touch anything) first keeps the old contents for the walk, then flips the bit, so the walk skips
 * the entry when it reaches it and gives the kept contents instead: a copy when the entry lives on,
 * the entry itself when it is deleted. Entries created during the walk are born with the bit
 * flipped. So each key present at the start is given exactly once, as it was, and at most one
 * copy of each key changed meanwhile is held, and only until the next call gives it. When the walk
 * ends every live entry has the bit !P, which is the P of the next walk.
 *
 * <p>The walk records each database's table at its start with that database's number. SWAPDB
 * exchanges tables between databases, so it changes nothing here; FLUSHDB gives its database a
 * new table and leaves the old one to the walk, which still gives its keys and drops it once
 * read.
 *
 * <p>An abandoned walk still scans the live tables to flip the bits it has not reached (and
 * flips the bit of a changed entry without copying it), since the next walk relies on all
 * entries starting equal.
 */
public final class KeyspaceWalk {

    /** Receives the keys of a walk. */
    public interface Visitor {
        /**
         * One key as it was when the walk started, in the numbered database it was in then. The entry
         * is to be read during this call only.
         */
        void visit(int database, KeyEntry entry);
    }

    private final Keyspace keyspace;
    /** The walk bit entries have until the walk has passed them: P. */
    private final int unvisitedBit;
    /** The tables at the start, by database number; each is dropped once scanned. */
    private final KeyTable[] tables;
    /** Memory of the tables FLUSHDB left to the walk, by database number; held until scanned. */
    private final long[] flushedBytes;
    /** Kept contents of changed keys, by database number, chained through their next field. */
    private final KeyEntry[] keptFirst;
    private final KeyEntry[] keptLast;
    /**
     * Kept evicted strings, chained the same way: nothing else refers to them, so once given they
     * go to the keyspace's {@link RecycledEntries} for the keys created next.
     */
    private final KeyEntry[] evictedFirst;
    private final KeyEntry[] evictedLast;
    private final Consumer<KeyEntry> scanned = this::scanned;
    private int tableIndex;
    private long cursor;
    private long keptBytes;
    private long heldFlushedBytes;
    private boolean abandoned;
    private boolean finished;

    // The call in progress, for the scan's callback.
    private Visitor visitor;
    private int given;

    KeyspaceWalk(Keyspace keyspace, KeyTable[] tables, int unvisitedBit) {
        this.keyspace = keyspace;
        this.tables = tables;
        this.unvisitedBit = unvisitedBit;
        this.flushedBytes = new long[tables.length];
        this.keptFirst = new KeyEntry[tables.length];
        this.keptLast = new KeyEntry[tables.length];
        this.evictedFirst = new KeyEntry[tables.length];
        this.evictedLast = new KeyEntry[tables.length];
        for (int i = 0; i < tables.length; i++) {
            tables[i].walkDatabase = i;
        }
    }

    /**
     * Gives the visitor about {@code maxEntries} more keys: first those kept since the last call,
     * then those the scan reaches. Under the engine lock.
     *
     * @return false once the walk is complete (every key has been given)
     */
    public boolean advance(int maxEntries, Visitor visitor) {
        if (abandoned) {
            throw new IllegalStateException("the walk was abandoned");
        }
        if (finished) {
            return false;
        }
        this.visitor = visitor;
        given = 0;
        try {
            giveKept(keptFirst, keptLast, maxEntries, false);
            giveKept(evictedFirst, evictedLast, maxEntries, true);
            while (given < maxEntries && tableIndex < tables.length) {
                scanStep();
            }
        } finally {
            this.visitor = null;
        }
        if (tableIndex == tables.length && noneKept()) {
            finish();
        }
        return !finished;
    }

    private void giveKept(KeyEntry[] first, KeyEntry[] last, int maxEntries, boolean recycle) {
        for (int database = 0; database < first.length && given < maxEntries; database++) {
            while (first[database] != null && given < maxEntries) {
                KeyEntry entry = first[database];
                first[database] = entry.next;
                if (entry.next == null) {
                    last[database] = null;
                }
                entry.next = null;
                keptBytes -= entry.memoryUsage();
                given++;
                visitor.visit(database, entry);
                if (recycle) {
                    keyspace.recycled.offer(entry);
                }
            }
        }
    }

    /**
     * Stops giving keys: what the walk held is released at once, and the cron finishes the scan
     * that keeps the walk bits right ({@link Keyspace#finishAbandonedWalk}).
     */
    public void abandon() {
        if (finished || abandoned) {
            return;
        }
        abandoned = true;
        for (int database = 0; database < keptFirst.length; database++) {
            keptFirst[database] = null;
            keptLast[database] = null;
            evictedFirst[database] = null;
            evictedLast[database] = null;
            if (flushedBytes[database] > 0 && tables[database] != null) {
                // A flushed table has no live entry left to flip: drop it now.
                tables[database].walkDatabase = -1;
                tables[database] = null;
            }
            flushedBytes[database] = 0;
        }
        keptBytes = 0;
        heldFlushedBytes = 0;
        if (tableIndex < tables.length && tables[tableIndex] == null) {
            nextTable();
        }
    }

    public boolean isFinished() {
        return finished;
    }

    public boolean isAbandoned() {
        return abandoned;
    }

    /**
     * Memory the walk holds beyond the live dataset: the kept contents of changed keys and the
     * tables FLUSHDB left to it, by the keyspace's own estimate.
     */
    public long heldBytes() {
        return keptBytes + heldFlushedBytes;
    }

    // ---------------------------------------------------------------- called by the databases

    /** An entry is about to change and lives on: keep a copy of it if the walk has not passed it. */
    void beforeChange(KeyTable table, KeyEntry entry) {
        if ((entry.meta & KeyEntry.WALK_BIT) != unvisitedBit) {
            return;
        }
        entry.meta ^= KeyEntry.WALK_BIT;
        if (!abandoned) {
            keep(table.walkDatabase, copyOf(entry));
        }
    }

    /**
     * An entry was evicted: keep it if not passed yet, as {@link #removed} does, and if its string
     * is in it, recycle it once given ({@link RecycledEntries}). Returns whether the walk kept it.
     */
    boolean evicted(KeyTable table, KeyEntry entry) {
        if (entry.value() != null) {
            return removed(table, entry);
        }
        if ((entry.meta & KeyEntry.WALK_BIT) != unvisitedBit) {
            return false;
        }
        entry.meta ^= KeyEntry.WALK_BIT;
        if (abandoned) {
            return false;
        }
        keep(table.walkDatabase, entry, evictedFirst, evictedLast);
        return true;
    }

    /**
     * An entry was deleted and goes with its contents: keep the entry itself if not passed yet.
     * Returns whether the walk kept it.
     */
    boolean removed(KeyTable table, KeyEntry entry) {
        if ((entry.meta & KeyEntry.WALK_BIT) != unvisitedBit) {
            return false;
        }
        entry.meta ^= KeyEntry.WALK_BIT;
        if (abandoned) {
            return false;
        }
        keep(table.walkDatabase, entry);
        return true;
    }

    /** FLUSHDB is about to give a database a new table: the walk keeps the old one until it is read. */
    void flushed(KeyTable table, long bytes) {
        int database = table.walkDatabase;
        if (database >= 0 && tables[database] == table && !abandoned) {
            flushedBytes[database] = bytes;
            heldFlushedBytes += bytes;
        } else if (database >= 0 && tables[database] == table) {
            // Abandoned: nothing left to flip in a table nobody can reach.
            table.walkDatabase = -1;
            tables[database] = null;
            if (database == tableIndex) {
                nextTable();
            }
        }
    }

    /**
     * Scans without giving anything until done or until the deadline ({@link System#nanoTime()}),
     * for an abandoned walk. Returns true when finished.
     */
    boolean finishWithoutVisiting(long deadlineNanos) {
        while (tableIndex < tables.length) {
            for (int i = 0; i < 100 && tableIndex < tables.length; i++) {
                scanStep();
            }
            if (System.nanoTime() >= deadlineNanos) {
                break;
            }
        }
        if (tableIndex == tables.length && !finished) {
            finish();
        }
        return finished;
    }

    // ---------------------------------------------------------------- the scan

    private void scanStep() {
        KeyTable table = tables[tableIndex];
        cursor = table.scan(cursor, scanned);
        if (cursor == 0) {
            nextTable();
        }
    }

    private void scanned(KeyEntry entry) {
        if ((entry.meta & KeyEntry.WALK_BIT) != unvisitedBit) {
            return;
        }
        entry.meta ^= KeyEntry.WALK_BIT;
        if (!abandoned) {
            given++;
            visitor.visit(tableIndex, entry);
        }
    }

    /** Drops the table just scanned and moves to the next one the walk still has. */
    private void nextTable() {
        if (tables[tableIndex] != null) {
            tables[tableIndex].walkDatabase = -1;
            tables[tableIndex] = null;
        }
        heldFlushedBytes -= flushedBytes[tableIndex];
        flushedBytes[tableIndex] = 0;
        cursor = 0;
        tableIndex++;
        while (tableIndex < tables.length && tables[tableIndex] == null) {
            tableIndex++;
        }
    }

    private void keep(int database, KeyEntry kept) {
        keep(database, kept, keptFirst, keptLast);
    }

    private void keep(int database, KeyEntry kept, KeyEntry[] first, KeyEntry[] last) {
        if (database < 0) {
            throw new IllegalStateException("an entry the walk has not passed is in a table it does not walk");
        }
        kept.next = null;
        if (last[database] == null) {
            first[database] = kept;
        } else {
            last[database].next = kept;
        }
        last[database] = kept;
        keptBytes += kept.memoryUsage();
    }

    private boolean noneKept() {
        for (int database = 0; database < keptFirst.length; database++) {
            if (keptFirst[database] != null || evictedFirst[database] != null) {
                return false;
            }
        }
        return true;
    }

    private void finish() {
        finished = true;
        keyspace.walkFinished(this);
    }

    /**
     * The entry's contents as they are now, in a detached entry the walk alone holds. A string in
     * the data array is copied (it can be written over in place); a key-only array is shared, as
     * nothing writes into one; a value object is copied with {@link StoredValue#copy()}.
     */
    private static KeyEntry copyOf(KeyEntry entry) {
        StoredValue value = entry.value();
        return value == null ? KeyEntry.detachedString(entry) : KeyEntry.detached(entry, entry.data, value.copy(),
                entry.meta);
    }
}
