package io.nuthatch.server.command.stream;

import io.nuthatch.server.keyspace.Database;
import io.nuthatch.server.keyspace.KeyEntry;

/**
 * A stream a command may change: opened for writing at its first change, as the keyspace's change
 * contract asks, and closed once at the end if it was opened. A command that ends up changing
 * nothing (XCLAIM of entries nobody may claim, XACK of IDs not pending) then neither counts as a
 * write nor propagates, as in Redis. One command at a time, under the engine.
 */
final class StreamChange {
    private Database database;
    private KeyEntry entry;
    private boolean open;

    StreamChange of(Database database, KeyEntry entry) {
        this.database = database;
        this.entry = entry;
        this.open = false;
        return this;
    }

    /** Call before each change; opens the stream at the first. */
    void beforeChange() {
        if (!open) {
            database.writableValue(entry);
            open = true;
        }
    }

    /** Closes the change; whether there was one. */
    boolean close() {
        if (!open) {
            return false;
        }
        open = false;
        database.changed(entry);
        return true;
    }
}
