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
     * For an undo log (keyspace/UndoLog): a copy of the value as it is now that shares its parts
     * (a long list's nodes) instead of copying them, or null when the value has no such copy and
     * only {@link #copy} keeps it. Until {@link #stopSharing}, this value copies a shared part
     * before it changes it in place, so the copy stays as it was whatever happens to this value.
     */
    default StoredValue sharingCopy() {
        return null;
    }

    /** The copy {@link #sharingCopy} gave is no longer kept: parts may change in place again. */
    default void stopSharing() {
    }
}
