package io.nuthatch.server.command;

import io.nuthatch.server.keyspace.Database;

/**
 * The commands on keys whatever their type: existence, deletion, renaming, iteration, and the
 * whole-database ones (FLUSHDB, FLUSHALL, DBSIZE).
 */
public final class KeyCommands {
    private static final byte[] ASYNC = CommandContext.keyword("ASYNC");
    private static final byte[] SYNC = CommandContext.keyword("SYNC");

    private KeyCommands() {
    }

    static void register(CommandTable.Registry table) {
        table.command("dbsize", "Returns the number of keys in the selected database.", "O(1)", KeyCommands::dbsize);
        table.command("flushdb", "Deletes every key of the selected database.", "O(N) where N is the number of keys",
                KeyCommands::flushdb);
        table.command("flushall", "Deletes every key of every database.", "O(N) where N is the number of keys",
                KeyCommands::flushall);
    }

    static void dbsize(CommandContext c) {
        c.reply().integer(c.database().size());
    }

    static void flushdb(CommandContext c) {
        checkFlushMode(c);
        Database database = c.database();
        database.clear();
        c.markDirty();
        c.reply().ok();
    }

    static void flushall(CommandContext c) {
        checkFlushMode(c);
        c.engine().keyspace().clear();
        c.markDirty();
        c.reply().ok();
    }

    /**
     * FLUSHDB and FLUSHALL take ASYNC or SYNC. Memory is given back by the garbage collector in
     * either case, so both return at once; the keys are gone before the reply either way.
     */
    private static void checkFlushMode(CommandContext c) {
        if (c.argumentCount() > 2 || (c.argumentCount() == 2 && !c.isKeyword(1, ASYNC) && !c.isKeyword(1, SYNC))) {
            throw Errors.SYNTAX;
        }
    }
}
