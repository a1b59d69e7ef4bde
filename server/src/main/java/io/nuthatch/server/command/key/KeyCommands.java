package io.nuthatch.server.command.key;

import io.nuthatch.server.pubsub.EventNames;
import io.nuthatch.server.pubsub.KeyspaceEvents;
import io.nuthatch.resp.RequestArguments;
import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.command.CommandError;
import io.nuthatch.server.command.CommandTable;
import io.nuthatch.server.command.Errors;
import io.nuthatch.server.keyspace.Database;
import io.nuthatch.server.keyspace.KeyEntry;
import io.nuthatch.server.keyspace.Keyspace;

import java.util.Arrays;

/**
 * The commands on keys whatever their type: existence, deletion, renaming, moving and copying
 * between databases, and the whole-database ones (FLUSHDB, FLUSHALL, DBSIZE, SWAPDB). Iteration
 * (KEYS, SCAN) is in {@link ScanCommands}.
 *
 * <p>A key that moves (RENAME, MOVE) takes its value, expiry and access clock with it, as Redis
 * moves the object itself; COPY makes a new value and gives it the source's expiry only.
 */
public final class KeyCommands {
    /** Draws of RANDOMKEY over expired keys a pause keeps, before it answers one of them. */
    private static final int RANDOMKEY_TRIES = 100;
    private static final byte[] ASYNC = CommandContext.keyword("ASYNC");
    private static final byte[] SYNC = CommandContext.keyword("SYNC");
    private static final byte[] REPLACE = CommandContext.keyword("REPLACE");
    private static final byte[] DB = CommandContext.keyword("DB");
    private static final byte[] NONE = CommandContext.keyword("none");

    static final CommandError OUT_OF_INT_RANGE = new CommandError(
            "ERR value is out of range, value must between -2147483648 and 2147483647");
    static final CommandError SAME_OBJECT = new CommandError("ERR source and destination objects are the same");
    private static final CommandError INVALID_FIRST_DB = new CommandError("ERR invalid first DB index");
    private static final CommandError INVALID_SECOND_DB = new CommandError("ERR invalid second DB index");

    private KeyCommands() {
    }

    public static void register(CommandTable.Registry table) {
        table.command("dbsize", "Returns the number of keys in the selected database.", "O(1)", KeyCommands::dbsize);
        table.command("flushdb", "Deletes every key of the selected database.", "O(N) where N is the number of keys",
                KeyCommands::flushdb);
        table.command("flushall", "Deletes every key of every database.", "O(N) where N is the number of keys",
                KeyCommands::flushall);
        table.command("exists", "Counts how many of the given keys exist.", "O(N) where N is the number of keys",
                KeyCommands::exists);
        table.command("del", "Deletes keys.", "O(N) where N is the number of keys", KeyCommands::del);
        table.command("unlink", "Deletes keys; their memory is reclaimed in the background.",
                "O(1) per key, O(N) reclaimed later", KeyCommands::del);
        table.command("type", "Returns the type of the value a key holds.", "O(1)", KeyCommands::type);
        table.command("touch", "Marks keys as used now; counts those that exist.", "O(N) where N is the number of keys",
                KeyCommands::touch);
        table.command("randomkey", "Returns a key of the selected database chosen at random.", "O(1)",
                KeyCommands::randomkey);
        table.command("rename", "Gives a key a new name, replacing any key of that name.", "O(1)",
                KeyCommands::rename);
        table.command("renamenx", "Gives a key a new name unless that name is taken.", "O(1)",
                KeyCommands::renamenx);
        table.command("move", "Moves a key to another database unless the name is taken there.", "O(1)",
                KeyCommands::move);
        table.command("copy", "Copies a key's value to another key, in this or another database.",
                "O(N) for collections, N being their size", KeyCommands::copy);
        table.command("swapdb", "Exchanges the contents of two databases.",
                "O(N) where N is the number of clients watching keys", KeyCommands::swapdb);
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
        c.keyspace().clear();
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

    /** EXISTS key [key ...]: a key named twice counts twice. */
    static void exists(CommandContext c) {
        Database database = c.database();
        RequestArguments arguments = c.arguments();
        int count = 0;
        for (int i = 1; i < arguments.count(); i++) {
            if (database.lookup(arguments, i, Database.NO_TOUCH) != null) {
                count++;
            }
        }
        c.reply().integer(count);
    }

    /**
     * DEL and UNLINK: the same here, as the garbage collector reclaims memory off the command
     * thread either way. A key that has expired is deleted as expired (and propagated as such), not
     * counted.
     */
    static void del(CommandContext c) {
        Database database = c.database();
        RequestArguments arguments = c.arguments();
        int deleted = 0;
        for (int i = 1; i < arguments.count(); i++) {
            KeyEntry entry = database.lookup(arguments, i, Database.FOR_WRITE | Database.NO_TOUCH);
            if (entry != null) {
                database.delete(entry);
                c.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, EventNames.DEL, i);
                deleted++;
            }
        }
        c.reply().integer(deleted);
    }

    static void type(CommandContext c) {
        KeyEntry entry = c.database().lookup(c.arguments(), 1, Database.NO_TOUCH);
        c.reply().simpleString(entry == null ? NONE : entry.type().typeNameBytes());
    }

    /** TOUCH key [key ...]: touches even for a client in NO-TOUCH mode, since that is what it is for. */
    static void touch(CommandContext c) {
        Database database = c.database();
        RequestArguments arguments = c.arguments();
        int touched = 0;
        for (int i = 1; i < arguments.count(); i++) {
            KeyEntry entry = database.lookup(arguments, i, Database.NO_TOUCH);
            if (entry != null) {
                c.engine().touch(database, entry);
                touched++;
            }
        }
        c.reply().integer(touched);
    }

    /** RANDOMKEY: an expired key drawn is deleted, and another one drawn. */
    static void randomkey(CommandContext c) {
        Database database = c.database();
        KeyEntry entry;
        // While a pause keeps expired keys in place, a database of expired keys only would never
        // yield a live one: after RANDOMKEY_TRIES draws, one of them is answered, as Redis 7.2 does
        // (7.0.15 loops forever there).
        boolean allVolatile = database.expiringCount() == database.size();
        int tries = RANDOMKEY_TRIES;
        do {
            entry = database.randomEntry(c.random());
        } while (entry != null && !(allVolatile && --tries == 0 && c.engine().keepsExpiredKeys())
                && database.expireIfNeeded(entry));
        if (entry == null) {
            c.reply().nullBulk();
        } else {
            c.reply().bulk(entry.keyArray(), entry.keyOffset(), entry.keyLength());
        }
    }

    static void rename(CommandContext c) {
        rename(c, false);
    }

    static void renamenx(CommandContext c) {
        rename(c, true);
    }

    /** RENAME and RENAMENX; renaming a key to itself changes nothing but still needs the key. */
    private static void rename(CommandContext c, boolean onlyIfAbsent) {
        Database database = c.database();
        KeyEntry source = database.lookupWrite(c.arguments(), 1);
        if (source == null) {
            throw Errors.NO_SUCH_KEY;
        }
        if (sameArgument(c.arguments(), 1, 2)) {
            reply(c, onlyIfAbsent, false);
            return;
        }
        KeyEntry target = database.lookupWrite(c.arguments(), 2);
        if (target != null) {
            if (onlyIfAbsent) {
                c.reply().integer(0);
                return;
            }
            database.delete(target);
        }
        database.rename(source, c.arguments(), 2);
        c.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, EventNames.RENAME_FROM, 1);
        c.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, EventNames.RENAME_TO, 2);
        reply(c, onlyIfAbsent, true);
    }

    private static void reply(CommandContext c, boolean integerReply, boolean renamed) {
        if (integerReply) {
            c.reply().integer(renamed ? 1 : 0);
        } else {
            c.reply().ok();
        }
    }

    /** MOVE key db: 0 when the key is missing here or present there. */
    static void move(CommandContext c) {
        Keyspace keyspace = c.keyspace();
        int targetIndex = databaseIndex(c, 2);
        if (targetIndex == c.client().database()) {
            throw SAME_OBJECT;
        }
        Database database = c.database();
        KeyEntry source = database.lookupWrite(c.arguments(), 1);
        if (source == null) {
            c.reply().integer(0);
            return;
        }
        Database target = keyspace.database(targetIndex);
        if (target.lookupWrite(c.arguments(), 1) != null) {
            c.reply().integer(0);
            return;
        }
        database.moveTo(source, target);
        c.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, EventNames.MOVE_FROM, 1);
        c.engine().keyspaceEvents().notify(KeyspaceEvents.GENERIC, EventNames.MOVE_TO, targetIndex,
                c.arguments().array(1), c.arguments().offset(1), c.arguments().length(1));
        c.reply().integer(1);
    }

    /** COPY source destination [DB db] [REPLACE] */
    static void copy(CommandContext c) {
        int sourceIndex = c.client().database();
        int targetIndex = sourceIndex;
        boolean replace = false;
        int count = c.argumentCount();
        for (int i = 3; i < count; i++) {
            if (c.isKeyword(i, REPLACE)) {
                replace = true;
            } else if (c.isKeyword(i, DB) && i + 1 < count) {
                targetIndex = databaseIndex(c, ++i);
            } else {
                throw Errors.SYNTAX;
            }
        }
        if (targetIndex == sourceIndex && sameArgument(c.arguments(), 1, 2)) {
            throw SAME_OBJECT;
        }
        Database database = c.database();
        KeyEntry source = database.lookupRead(c.arguments(), 1);
        if (source == null) {
            c.reply().integer(0);
            return;
        }
        Database target = c.keyspace().database(targetIndex);
        KeyEntry existing = target.lookupWrite(c.arguments(), 2);
        if (existing != null && !replace) {
            c.reply().integer(0);
            return;
        }
        if (existing != null) {
            target.delete(existing);
        }
        database.copyTo(source, target, c.arguments(), 2);
        c.engine().keyspaceEvents().notify(KeyspaceEvents.GENERIC, EventNames.COPY_TO, targetIndex,
                c.arguments().array(2), c.arguments().offset(2), c.arguments().length(2));
        c.reply().integer(1);
    }

    /** SWAPDB index1 index2: swapping a database with itself is accepted, and counts as a change. */
    static void swapdb(CommandContext c) {
        int first = intArgument(c, 1, INVALID_FIRST_DB, INVALID_FIRST_DB);
        int second = intArgument(c, 2, INVALID_SECOND_DB, INVALID_SECOND_DB);
        Keyspace keyspace = c.keyspace();
        if (first < 0 || first >= keyspace.count() || second < 0 || second >= keyspace.count()) {
            throw Errors.DB_INDEX_OUT_OF_RANGE;
        }
        keyspace.swap(first, second);
        c.markDirty();
        c.reply().ok();
    }

    /** A database number argument, as MOVE and COPY read it. */
    static int databaseIndex(CommandContext c, int index) {
        int database = intArgument(c, index, Errors.NOT_AN_INTEGER, OUT_OF_INT_RANGE);
        if (database < 0 || database >= c.keyspace().count()) {
            throw Errors.DB_INDEX_OUT_OF_RANGE;
        }
        return database;
    }

    /** An argument as a C int, with Redis's two errors: not an integer, and out of the int range. */
    private static int intArgument(CommandContext c, int index, CommandError notAnInteger, CommandError outOfRange) {
        long value = c.longArgument(index, notAnInteger);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw outOfRange;
        }
        return (int) value;
    }

    private static boolean sameArgument(RequestArguments arguments, int first, int second) {
        int a = arguments.offset(first);
        int b = arguments.offset(second);
        return Arrays.equals(arguments.array(first), a, a + arguments.length(first),
                arguments.array(second), b, b + arguments.length(second));
    }
}
