package io.nuthatch.server.type;

/**
 * A value held by a key. Each data type is one implementation; the representation it picks for
 * small and large sizes is its own business, reported through {@link #encoding()}.
 *
 * <p>A value knows its own memory footprint and keeps that figure current as it changes, so that
 * the keyspace can account used memory without walking anything.
 */
public interface StoredValue {

    ValueType type();

    /** The encoding OBJECT ENCODING reports, in Redis's vocabulary ("embstr", "listpack", ...). */
    String encoding();

    /** Estimated bytes of heap this value occupies, the value's own objects included. */
    long memoryUsage();

    /** An independent copy, for COPY; immutable values may return themselves. */
    StoredValue copy();

    /**
     * For an undo log (keyspace/UndoLog): a point this value can be brought back to for less than
     * a {@link #copy}, or null when only a copy keeps it. Until the point is released, the value's
     * changes keep it valid (a list copies a shared node before changing it, a sorted set notes
     * each score it replaces). At most one point per value at a time: null while one is held.
     */
    default UndoPoint undoPoint() {
        return null;
    }
}
