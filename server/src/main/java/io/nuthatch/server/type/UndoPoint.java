package io.nuthatch.server.type;

/**
 * A value's contents at one moment, kept for an undo log (keyspace/UndoLog) at less cost than a
 * whole copy: a copy sharing the value's parts (a long list's or stream's nodes), or a journal of
 * what each change replaced (a large sorted set). See {@link StoredValue#undoPoint}.
 */
public interface UndoPoint {

    /**
     * The value as it was at this point, for the key to hold again: the copy, or the value itself
     * with its changes since reverted. Called at most once, after the key's entry left the table.
     */
    StoredValue restore();

    /** The point is no longer needed (the changes stand, or it was restored): changes stop paying for it. */
    void release();
}
