package io.nuthatch.server.command.key;

import io.nuthatch.resp.ReplyWriter;
import io.nuthatch.resp.RequestArguments;
import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.command.CommandError;
import io.nuthatch.server.command.CommandTable;
import io.nuthatch.server.command.Errors;
import io.nuthatch.server.keyspace.Database;
import io.nuthatch.server.keyspace.GlobPattern;
import io.nuthatch.server.keyspace.KeyEntry;

import java.util.ArrayList;
import java.util.List;

/**
 * Iterating over the keys of a database: KEYS, all at once, and SCAN, a few buckets per call.
 *
 * <p>SCAN's guarantees come from the table's cursor ({@code KeyTable.scan}): a full iteration
 * returns every key present from its start to its end at least once, whatever the table did in
 * between. A call walks buckets until it has gathered COUNT keys or visited ten times COUNT
 * buckets, and only then filters them by MATCH and TYPE and drops the expired ones: the table must
 * not change under the cursor, and deleting an expired key can change it.
 */
public final class ScanCommands {
    private static final byte[] MATCH = CommandContext.keyword("MATCH");
    private static final byte[] COUNT = CommandContext.keyword("COUNT");
    private static final byte[] TYPE = CommandContext.keyword("TYPE");
    private static final byte[] NONE = CommandContext.keyword("none");
    private static final CommandError INVALID_CURSOR = new CommandError("ERR invalid cursor");
    private static final long DEFAULT_COUNT = 10;

    private ScanCommands() {
    }

    public static void register(CommandTable.Registry table) {
        table.command("keys", "Returns the keys that match a glob-style pattern.",
                "O(N) where N is the number of keys in the database", ScanCommands::keys);
        table.command("scan", "Iterates over the keys of the selected database, a few at a time.",
                "O(1) per call, O(N) for a full iteration", ScanCommands::scan);
    }

    /** KEYS pattern: expired keys are left out but not deleted, since the table is being walked. */
    static void keys(CommandContext c) {
        Database database = c.database();
        byte[] pattern = c.copyArgument(1);
        boolean everything = GlobPattern.matchesEverything(pattern);
        ReplyWriter reply = c.reply();
        int mark = reply.beginDeferred();
        long[] count = new long[1];
        database.forEach(entry -> {
            byte[] key = entry.keyArray();
            int offset = entry.keyOffset();
            int length = entry.keyLength();
            if ((everything || GlobPattern.matches(pattern, key, offset, length, false)) && !database.isExpired(entry)) {
                reply.bulk(key, offset, length);
                count[0]++;
            }
        });
        reply.endDeferredArray(mark, count[0]);
    }

    /** SCAN cursor [MATCH pattern] [COUNT count] [TYPE type] */
    static void scan(CommandContext c) {
        long cursor = parseCursor(c.arguments(), 1);
        byte[] pattern = null;
        byte[] typeName = null;
        long count = DEFAULT_COUNT;
        int arguments = c.argumentCount();
        for (int i = 2; i < arguments; i += 2) {
            boolean hasValue = i + 1 < arguments;
            if (hasValue && c.isKeyword(i, COUNT)) {
                count = c.longArgument(i + 1);
                if (count < 1) {
                    throw Errors.SYNTAX;
                }
            } else if (hasValue && c.isKeyword(i, MATCH)) {
                pattern = c.copyArgument(i + 1);
            } else if (hasValue && c.isKeyword(i, TYPE)) {
                typeName = c.copyArgument(i + 1);
            } else {
                throw Errors.SYNTAX;
            }
        }
        Database database = c.database();
        List<KeyEntry> found = new ArrayList<>((int) Math.min(count, 1024));
        // Overflows for huge counts as Redis's does, and then simply never ends the loop early.
        long bucketsLeft = count * 10;
        do {
            cursor = database.scan(cursor, found::add);
        } while (cursor != 0 && bucketsLeft-- != 0 && found.size() < count);

        List<byte[]> keys = new ArrayList<>(found.size());
        boolean everything = pattern == null || GlobPattern.matchesEverything(pattern);
        for (KeyEntry entry : found) {
            byte[] key = entry.key();
            if (!everything && !GlobPattern.matches(pattern, key)) {
                continue;
            }
            if (typeName != null && !hasType(database, key, typeName)) {
                continue;
            }
            // By key, not by entry: the type lookup may already have deleted this entry as expired.
            if (database.expireIfNeeded(database.peek(key))) {
                continue;
            }
            keys.add(key);
        }
        ReplyWriter reply = c.reply();
        reply.arrayHeader(2);
        reply.bulk(cursor);
        reply.arrayHeader(keys.size());
        for (byte[] key : keys) {
            reply.bulk(key);
        }
    }

    /**
     * Whether the key has the type named. Like Redis 7.0 this looks the key up, which deletes it
     * if expired, and an unknown or missing key has the type "none"; an unknown name matches
     * nothing. The name is compared as a C string, ignoring case.
     */
    private static boolean hasType(Database database, byte[] key, byte[] typeName) {
        KeyEntry entry = database.lookup(key, Database.NO_TOUCH);
        byte[] actual = entry == null ? NONE : entry.type().typeNameBytes();
        int length = cStringLength(typeName, 0, typeName.length);
        if (length != actual.length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (lower(typeName[i]) != actual[i]) {
                return false;
            }
        }
        return true;
    }

    private static int lower(byte b) {
        return b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b;
    }

    /**
     * Reads a cursor as Redis does with strtoul: the argument is read as a C string (up to a NUL),
     * may be empty (cursor 0), may not start with a blank, may have a sign ('-' negates modulo
     * 2^64), must then be all digits, and must fit in 64 unsigned bits.
     */
    public static long parseCursor(RequestArguments arguments, int index) {
        byte[] bytes = arguments.array(index);
        int start = arguments.offset(index);
        int end = start + cStringLength(bytes, start, arguments.length(index));
        if (start == end) {
            return 0;
        }
        int p = start;
        boolean negative = false;
        if (bytes[p] == '-' || bytes[p] == '+') {
            negative = bytes[p] == '-';
            p++;
        }
        if (p == end) {
            throw INVALID_CURSOR;
        }
        long value = 0;
        for (; p < end; p++) {
            int digit = bytes[p] - '0';
            if (digit < 0 || digit > 9) {
                throw INVALID_CURSOR;
            }
            if (Long.compareUnsigned(value, Long.divideUnsigned(-1L - digit, 10)) > 0) {
                throw INVALID_CURSOR;
            }
            value = value * 10 + digit;
        }
        return negative ? -value : value;
    }

    private static int cStringLength(byte[] bytes, int offset, int length) {
        for (int i = 0; i < length; i++) {
            if (bytes[offset + i] == 0) {
                return i;
            }
        }
        return length;
    }
}
