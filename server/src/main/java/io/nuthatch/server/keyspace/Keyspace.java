package io.nuthatch.server.keyspace;

/** The numbered databases of a server (the {@code databases} directive, 16 by default). */
public final class Keyspace {
    private final Database[] databases;
    private final KeyspaceHooks hooks;
    /** The walk in progress, or null; the databases tell it of every change. */
    KeyspaceWalk walk;
    /** The walk bit every entry has while no walk runs. */
    private int settledWalkBit;
    /** The walk bit a new entry gets: the settled one, or its opposite while a walk runs. */
    int bornWalkBit;
    /** The log of the changes being recorded to be taken back, or null; see {@link #recordUndo}. */
    UndoLog undo;
    /** The memory of every database's entries and index arrays, kept as they change. */
    final MemoryTotals totals = new MemoryTotals();
    /** Evicted strings' arrays for the next keys of the same length. */
    final RecycledEntries recycled = new RecycledEntries();

    public Keyspace(int count, KeyspaceHooks hooks) {
        this.hooks = hooks;
        databases = new Database[count];
        for (int i = 0; i < count; i++) {
            databases[i] = new Database(i, this, hooks);
        }
    }

    public int count() {
        return databases.length;
    }

    public Database database(int index) {
        return databases[index];
    }

    /** Exchanges the contents of two databases (SWAPDB); clients stay on their database numbers. */
    public void swap(int first, int second) {
        if (first != second) {
            Database.swapContents(databases[first], databases[second]);
            hooks.swapped(databases[first], databases[second]);
        }
    }

    /** Total keys in all databases. */
    public long size() {
        long keys = 0;
        for (Database database : databases) {
            keys += database.size();
        }
        return keys;
    }

    /** Memory estimate of all keys and values and the tables that index them. */
    public long usedMemory() {
        return totals.dataset + totals.index;
    }

    /** Memory estimate of the keys and values, with their entries. */
    public long datasetMemory() {
        return totals.dataset;
    }

    /** Memory of the tables that index the keys. */
    public long indexMemory() {
        return totals.index;
    }

    /**
     * The memory evicted keys have handed to keys created since ({@link RecycledEntries}), counted
     * from the start as used_memory counts: the part of what eviction frees that never became garbage.
     */
    public long recycledBytes() {
        return recycled.reusedBytes();
    }

    /** Deletes every key of every database (FLUSHALL). */
    public void clear() {
        for (Database database : databases) {
            database.clear();
        }
        recycled.clear();
    }

    // ---------------------------------------------------------------- changes that may be taken back

    /**
     * Records every change from now on in {@code log}, until {@link #rollBack} takes them back or
     * {@link #keepChanges} lets them stand. Not while a walk runs: a restored entry would have to
     * be kept for the walk as well (see {@link UndoLog}).
     */
    public void recordUndo(UndoLog log) {
        if (walk != null || undo != null) {
            throw new IllegalStateException("changes cannot be recorded now");
        }
        undo = log;
    }

    /** Takes back every change recorded since {@link #recordUndo}, and stops recording. */
    public void rollBack() {
        UndoLog log = undo;
        undo = null;
        log.rollBack();
    }

    /** Stops recording; the changes recorded stand. */
    public void keepChanges() {
        UndoLog log = undo;
        undo = null;
        log.clear();
    }

    // ---------------------------------------------------------------- the point-in-time walk

    /**
     * Starts a walk over the dataset as it is now (see {@link KeyspaceWalk}). An abandoned walk that
     * the cron has not finished yet is finished first, here.
     *
     * @throws IllegalStateException when a walk that is not abandoned is in progress
     */
    public KeyspaceWalk startWalk() {
        if (undo != null) {
            throw new IllegalStateException("a walk cannot start while changes are recorded to be taken back");
        }
        if (walk != null) {
            if (!walk.isAbandoned()) {
                throw new IllegalStateException("a walk is already in progress");
            }
            walk.finishWithoutVisiting(Long.MAX_VALUE);
        }
        KeyTable[] tables = new KeyTable[databases.length];
        for (int i = 0; i < databases.length; i++) {
            tables[i] = databases[i].table();
        }
        walk = new KeyspaceWalk(this, tables, settledWalkBit);
        bornWalkBit = settledWalkBit ^ KeyEntry.WALK_BIT;
        return walk;
    }

    /** The walk in progress, abandoned or not, or null. */
    public KeyspaceWalk walk() {
        return walk;
    }

    /**
     * Lets an abandoned walk finish its scan until the deadline ({@link System#nanoTime()}); the
     * server's cron calls it. Does nothing when no walk is abandoned.
     */
    public void finishAbandonedWalk(long deadlineNanos) {
        if (walk != null && walk.isAbandoned()) {
            walk.finishWithoutVisiting(deadlineNanos);
        }
    }

    void walkFinished(KeyspaceWalk finished) {
        if (walk == finished) {
            walk = null;
            settledWalkBit ^= KeyEntry.WALK_BIT;
            bornWalkBit = settledWalkBit;
        }
    }
}
