package io.nuthatch.server.command;

import io.nuthatch.server.keyspace.Database;
import io.nuthatch.server.keyspace.KeyEntry;
import io.nuthatch.server.type.NumericStrings;
import io.nuthatch.server.type.StringValue;

import java.util.Arrays;

/**
 * The string commands: GET and SET with their variants, counters, ranges.
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
    private static final byte[] SET = CommandContext.keyword("SET");

    private StringCommands() {
    }

    static void register(CommandTable.Registry table) {
        table.command("get", "Returns the string value of a key.", "O(1)", StringCommands::get);
        table.command("set", "Sets the string value of a key, optionally with an expiry or a condition.", "O(1)",
                StringCommands::set);
    }

    static void get(CommandContext c) {
        KeyEntry entry = c.database().lookupRead(c.arguments(), 1);
        if (entry == null) {
            c.reply().nullBulk();
            return;
        }
        StringValue value = CommandContext.stringValue(entry);
        c.reply().bulk(value.array(), 0, value.length());
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
            boolean hasNext = i + 1 < count;
            if (c.isKeyword(i, NX) && !xx) {
                nx = true;
            } else if (c.isKeyword(i, XX) && !nx) {
                xx = true;
            } else if (c.isKeyword(i, GET)) {
                get = true;
            } else if (c.isKeyword(i, KEEPTTL) && expiryUnit == null) {
                keepTtl = true;
            } else if (hasNext && !keepTtl && isExpiryKeyword(c, i) && (expiryUnit == null || c.isKeyword(i, expiryUnit))) {
                expiryUnit = c.isKeyword(i, EX) ? EX : c.isKeyword(i, PX) ? PX : c.isKeyword(i, EXAT) ? EXAT : PXAT;
                expiryArgument = ++i;
            } else {
                throw Errors.SYNTAX;
            }
        }
        long expiresAt = expiryUnit == null ? KeyEntry.NO_EXPIRY : absoluteExpiry(c, expiryArgument, expiryUnit);
        Database database = c.database();
        KeyEntry entry = database.lookupWrite(c.arguments(), 1);
        if (get) {
            if (entry == null) {
                c.reply().nullBulk();
            } else {
                StringValue old = CommandContext.stringValue(entry);
                c.reply().bulk(old.array(), 0, old.length());
            }
        }
        if ((nx && entry != null) || (xx && entry == null)) {
            if (!get) {
                c.reply().nullBulk();
            }
            return;
        }
        byte[] stored = c.takeArgument(2);
        StringValue value = StringValue.wrap(stored);
        if (entry == null) {
            entry = database.add(c.copyArgument(1), value);
        } else {
            if (!keepTtl) {
                database.clearExpiry(entry);
            }
            database.replace(entry, value);
        }
        if (expiresAt != KeyEntry.NO_EXPIRY) {
            database.setExpiry(entry, expiresAt);
            if (c.isPropagating()) {
                // Relative and second-based expiries become an absolute time, so replay is exact.
                c.propagateAs(SET, c.copyArgument(1), stored, PXAT, NumericStrings.toBytes(expiresAt));
            }
        } else if (get && c.isPropagating()) {
            c.propagateAs(withoutGetOption(c));
        }
        if (!get) {
            c.reply().ok();
        }
    }

    private static boolean isExpiryKeyword(CommandContext c, int index) {
        return c.isKeyword(index, EX) || c.isKeyword(index, PX) || c.isKeyword(index, EXAT) || c.isKeyword(index, PXAT);
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

    private static byte[][] withoutGetOption(CommandContext c) {
        int count = c.argumentCount();
        int kept = 0;
        byte[][] arguments = new byte[count][];
        for (int i = 0; i < count; i++) {
            if (i < 3 || !c.isKeyword(i, GET)) {
                arguments[kept++] = c.copyArgument(i);
            }
        }
        return Arrays.copyOf(arguments, kept);
    }
}
