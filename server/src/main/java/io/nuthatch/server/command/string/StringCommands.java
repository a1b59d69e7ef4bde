package io.nuthatch.server.command.string;

import io.nuthatch.server.pubsub.EventNames;
import io.nuthatch.server.pubsub.KeyspaceEvents;
import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.command.CommandError;
import io.nuthatch.server.command.CommandTable;
import io.nuthatch.server.command.Errors;
import io.nuthatch.server.keyspace.Database;
import io.nuthatch.server.keyspace.KeyEntry;
import io.nuthatch.server.propagation.WritePropagation;
import io.nuthatch.server.type.NumericStrings;

import java.util.Arrays;

/**
 * The string commands that read or write whole values: GET and SET with their variants (SETNX,
 * SETEX, PSETEX, GETSET, GETDEL, GETEX) and the multi-key MGET, MSET, MSETNX. Counters are in
 * {@link CounterCommands}, partial reads and writes in {@link StringRangeCommands}.
 *
 * <p>Like Redis, commands that read the old value before writing (SET GET, GETSET, GETDEL, GETEX)
 * look the key up as a read, so they count keyspace hits and misses; plain writes do not.
 */
public final class StringCommands {
    private static final byte[] NX = CommandContext.keyword("NX");
    private static final byte[] XX = CommandContext.keyword("XX");
    private static final byte[] GET = CommandContext.keyword("GET");
    private static final byte[] EX = CommandContext.keyword("EX");
    private static final byte[] PX = CommandContext.keyword("PX");
    private static final byte[] EXAT = CommandContext.keyword("EXAT");
    private static final byte[] PXAT = CommandContext.keyword("PXAT");
    private static final byte[] KEEPTTL = CommandContext.keyword("KEEPTTL");
    private static final byte[] PERSIST = CommandContext.keyword("PERSIST");
    private static final byte[] SET = CommandContext.keyword("SET");
    private static final byte[] DEL = CommandContext.keyword("DEL");
    private static final byte[] UNLINK = CommandContext.keyword("UNLINK");
    private static final byte[] PEXPIREAT = CommandContext.keyword("PEXPIREAT");

    private StringCommands() {
    }

    public static void register(CommandTable.Registry table) {
        table.command("get", "Returns the string value of a key.", "O(1)", StringCommands::get);
        table.command("set", "Sets the string value of a key, optionally with an expiry or a condition.", "O(1)",
                StringCommands::set);
        table.command("setnx", "Sets the string value of a key only when the key does not exist.", "O(1)",
                StringCommands::setnx);
        table.command("setex", "Sets the string value of a key with a time to live in seconds.", "O(1)",
                StringCommands::setex);
        table.command("psetex", "Sets the string value of a key with a time to live in milliseconds.", "O(1)",
                StringCommands::psetex);
        table.command("getset", "Sets the string value of a key and returns the value it replaced.", "O(1)",
                StringCommands::getset);
        table.command("getdel", "Returns the string value of a key and deletes the key.", "O(1)",
                StringCommands::getdel);
        table.command("getex", "Returns the string value of a key, optionally changing or removing its expiry.",
                "O(1)", StringCommands::getex);
        table.command("mget", "Returns the string values of several keys.", "O(N) where N is the number of keys",
                StringCommands::mget);
        table.command("mset", "Sets several keys to string values.", "O(N) where N is the number of keys",
                StringCommands::mset);
        table.command("msetnx", "Sets several keys to string values only when none of the keys exists.",
                "O(N) where N is the number of keys", StringCommands::msetnx);
    }

    static void get(CommandContext c) {
        KeyEntry entry = c.database().lookupRead(c.arguments(), 1);
        if (entry == null) {
            c.reply().nullBulk();
            return;
        }
        replyValue(c, entry);
    }

    /** SET key value [NX | XX] [GET] [EX s | PX ms | EXAT unix-s | PXAT unix-ms | KEEPTTL] */
    static void set(CommandContext c) {
        boolean nx = false;
        boolean xx = false;
        boolean get = false;
        boolean keepTtl = false;
        byte[] expiryUnit = null;
        int expiryArgument = -1;
        int count = c.argumentCount();
        for (int i = 3; i < count; i++) {
            // An expiry option needs a value after it; repeating the same one is allowed, the last wins.
            byte[] unit = i + 1 < count ? expiryKeyword(c, i) : null;
            if (c.isKeyword(i, NX) && !xx) {
                nx = true;
            } else if (c.isKeyword(i, XX) && !nx) {
                xx = true;
            } else if (c.isKeyword(i, GET)) {
                get = true;
            } else if (c.isKeyword(i, KEEPTTL) && expiryUnit == null) {
                keepTtl = true;
            } else if (unit != null && !keepTtl && (expiryUnit == null || expiryUnit == unit)) {
                expiryUnit = unit;
                expiryArgument = ++i;
            } else {
                throw Errors.SYNTAX;
            }
        }
        long expiresAt = expiryUnit == null ? KeyEntry.NO_EXPIRY : absoluteExpiry(c, expiryArgument, expiryUnit);
        Database database = c.database();
        KeyEntry entry;
        if (get) {
            entry = database.lookupRead(c.arguments(), 1);
            if (entry == null) {
                c.reply().nullBulk();
            } else {
                replyValue(c, entry);
            }
        } else {
            entry = database.lookupWrite(c.arguments(), 1);
        }
        if ((nx && entry != null) || (xx && entry == null)) {
            if (!get) {
                c.reply().nullBulk();
            }
            return;
        }
        store(c, entry, 2, keepTtl, expiresAt);
        if (expiresAt == KeyEntry.NO_EXPIRY && get && c.isPropagating()) {
            propagateWithoutGetOption(c);
        }
        if (!get) {
            c.reply().ok();
        }
    }

    static void setnx(CommandContext c) {
        KeyEntry entry = c.database().lookupWrite(c.arguments(), 1);
        if (entry != null) {
            c.reply().integer(0);
            return;
        }
        store(c, null, 2, false, KeyEntry.NO_EXPIRY);
        c.reply().integer(1);
    }

    static void setex(CommandContext c) {
        setWithTimeToLive(c, EX);
    }

    static void psetex(CommandContext c) {
        setWithTimeToLive(c, PX);
    }

    /** SETEX and PSETEX: key, time to live, value. */
    private static void setWithTimeToLive(CommandContext c, byte[] unit) {
        long expiresAt = absoluteExpiry(c, 2, unit);
        KeyEntry entry = c.database().lookupWrite(c.arguments(), 1);
        store(c, entry, 3, false, expiresAt);
        c.reply().ok();
    }

    static void getset(CommandContext c) {
        KeyEntry entry = c.database().lookupRead(c.arguments(), 1);
        if (entry == null) {
            c.reply().nullBulk();
        } else {
            replyValue(c, entry);
        }
        store(c, entry, 2, false, KeyEntry.NO_EXPIRY);
        if (c.isPropagating()) {
            c.rewrite().word(SET).argument(1).argument(2).end();
        }
    }

    static void getdel(CommandContext c) {
        Database database = c.database();
        KeyEntry entry = database.lookupRead(c.arguments(), 1);
        if (entry == null) {
            c.reply().nullBulk();
            return;
        }
        replyValue(c, entry);
        database.delete(entry);
        c.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, EventNames.DEL, 1);
        if (c.isPropagating()) {
            c.rewrite().word(DEL).argument(1).end();
        }
    }

    /** GETEX key [EX s | PX ms | EXAT unix-s | PXAT unix-ms | PERSIST] */
    static void getex(CommandContext c) {
        boolean persist = false;
        byte[] expiryUnit = null;
        int expiryArgument = -1;
        int count = c.argumentCount();
        for (int i = 2; i < count; i++) {
            byte[] unit = i + 1 < count ? expiryKeyword(c, i) : null;
            if (c.isKeyword(i, PERSIST) && expiryUnit == null) {
                persist = true;
            } else if (unit != null && !persist && (expiryUnit == null || expiryUnit == unit)) {
                expiryUnit = unit;
                expiryArgument = ++i;
            } else {
                throw Errors.SYNTAX;
            }
        }
        Database database = c.database();
        KeyEntry entry = database.lookupRead(c.arguments(), 1);
        if (entry == null) {
            // A missing key answers nil before the expiry is even read.
            c.reply().nullBulk();
            return;
        }
        CommandContext.requireString(entry); // WRONGTYPE comes before a bad expiry
        long expiresAt = expiryUnit == null ? KeyEntry.NO_EXPIRY : absoluteExpiry(c, expiryArgument, expiryUnit);
        replyValue(c, entry);
        if (expiresAt != KeyEntry.NO_EXPIRY) {
            boolean absolute = expiryUnit == EXAT || expiryUnit == PXAT;
            if (absolute && expiresAt <= c.now()) {
                // A time already past deletes the key now, and replicas are told so directly.
                database.delete(entry);
                c.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, EventNames.DEL, 1);
                if (c.isPropagating()) {
                    boolean lazy = c.config().lazyfreeLazyExpire.value();
                    c.rewrite().word(lazy ? UNLINK : DEL).argument(1).end();
                }
            } else {
                database.setExpiry(entry, expiresAt);
                c.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, EventNames.EXPIRE, 1);
                if (c.isPropagating()) {
                    c.rewrite().word(PEXPIREAT).argument(1).number(expiresAt).end();
                }
            }
        } else if (persist && database.persist(entry)) {
            c.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, EventNames.PERSIST, 1);
            if (c.isPropagating()) {
                c.rewrite().word(PERSIST).argument(1).end();
            }
        }
    }

    static void mget(CommandContext c) {
        Database database = c.database();
        int count = c.argumentCount();
        c.reply().arrayHeader(count - 1);
        for (int i = 1; i < count; i++) {
            KeyEntry entry = database.lookupRead(c.arguments(), i);
            if (entry != null && entry.isString()) {
                c.reply().bulk(entry.stringArray(), entry.stringOffset(), entry.stringLength());
            } else {
                c.reply().nullBulk();
            }
        }
    }

    static void mset(CommandContext c) {
        checkPairs(c);
        setAll(c);
        c.reply().ok();
    }

    static void msetnx(CommandContext c) {
        checkPairs(c);
        Database database = c.database();
        for (int i = 1; i < c.argumentCount(); i += 2) {
            if (database.lookupWrite(c.arguments(), i) != null) {
                c.reply().integer(0);
                return;
            }
        }
        setAll(c);
        c.reply().integer(1);
    }

    private static void checkPairs(CommandContext c) {
        if (c.argumentCount() % 2 == 0) {
            throw Errors.wrongArity(c.command().name());
        }
    }

    private static void setAll(CommandContext c) {
        Database database = c.database();
        for (int i = 1; i < c.argumentCount(); i += 2) {
            KeyEntry entry = database.lookup(c.arguments(), i, Database.FOR_WRITE | Database.NO_TOUCH);
            database.setString(entry, c.arguments(), i, i + 1, KeyEntry.NO_EXPIRY);
            c.notifyKeyspaceEvent(KeyspaceEvents.STRING, EventNames.SET, i);
        }
    }

    // ---------------------------------------------------------------- shared steps

    /** Replies the entry's value as a bulk string. @throws CommandError WRONGTYPE */
    private static void replyValue(CommandContext c, KeyEntry entry) {
        CommandContext.requireString(entry);
        c.reply().bulk(entry.stringArray(), entry.stringOffset(), entry.stringLength());
    }

    /**
     * Stores argument {@code valueIndex} under the key of argument 1, as Redis's setKey: an existing
     * key (the entry just looked up) keeps its expiry only with {@code keepTtl}; then applies the
     * new expiry, if any, and propagates the write as SET key value PXAT time, so that relative and
     * second-based expiries replay exactly.
     */
    private static void store(CommandContext c, KeyEntry entry, int valueIndex, boolean keepTtl, long expiresAt) {
        long expiry = expiresAt;
        if (expiry == KeyEntry.NO_EXPIRY && keepTtl) {
            expiry = Database.KEEP_EXPIRY;
        }
        c.database().setString(entry, c.arguments(), 1, valueIndex, expiry);
        c.notifyKeyspaceEvent(KeyspaceEvents.STRING, EventNames.SET, 1);
        if (expiresAt != KeyEntry.NO_EXPIRY) {
            c.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, EventNames.EXPIRE, 1);
        }
        if (expiresAt != KeyEntry.NO_EXPIRY && c.isPropagating()) {
            c.rewrite().word(SET).argument(1).argument(valueIndex).word(PXAT).number(expiresAt).end();
        }
    }

    /** The expiry keyword at {@code index} (EX, PX, EXAT, PXAT), or null when it is none of them. */
    private static byte[] expiryKeyword(CommandContext c, int index) {
        if (c.isKeyword(index, EX)) {
            return EX;
        } else if (c.isKeyword(index, PX)) {
            return PX;
        } else if (c.isKeyword(index, EXAT)) {
            return EXAT;
        } else if (c.isKeyword(index, PXAT)) {
            return PXAT;
        }
        return null;
    }

    /**
     * Converts an expiry argument to Unix milliseconds as Redis's getExpireMillisecondsOrReply:
     * it must be a positive integer, and the result must not overflow.
     */
    static long absoluteExpiry(CommandContext c, int index, byte[] unit) {
        long amount = c.longArgument(index);
        boolean seconds = unit == EX || unit == EXAT;
        if (amount <= 0 || (seconds && amount > Long.MAX_VALUE / 1000)) {
            throw Errors.invalidExpireTime(c.command().name());
        }
        long millis = seconds ? amount * 1000 : amount;
        if (unit == EX || unit == PX) {
            millis += c.now();
        }
        if (millis <= 0) {
            throw Errors.invalidExpireTime(c.command().name());
        }
        return millis;
    }

    /** SET as it ran, without its GET options, which replicas have no use for. */
    private static void propagateWithoutGetOption(CommandContext c) {
        WritePropagation.RecordBuilder record = c.rewrite();
        for (int i = 0; i < c.argumentCount(); i++) {
            if (i < 3 || !c.isKeyword(i, GET)) {
                record.argument(i);
            }
        }
        record.end();
    }
}
