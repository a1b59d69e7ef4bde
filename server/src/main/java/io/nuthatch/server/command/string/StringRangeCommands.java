package io.nuthatch.server.command.string;

import io.nuthatch.server.pubsub.EventNames;
import io.nuthatch.server.pubsub.KeyspaceEvents;
import io.nuthatch.resp.ReplyWriter;
import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.command.CommandError;
import io.nuthatch.server.command.CommandTable;
import io.nuthatch.server.command.Errors;
import io.nuthatch.server.keyspace.Database;
import io.nuthatch.server.keyspace.KeyEntry;
import io.nuthatch.server.keyspace.StringForm;
import io.nuthatch.server.type.LongestCommonSubsequence;

import java.util.Arrays;

/**
 * Commands on parts of string values: APPEND, STRLEN, GETRANGE (and its old name SUBSTR),
 * SETRANGE, and LCS, which compares two values.
 *
 * <p>APPEND and SETRANGE change the value in place (its encoding becomes "raw", as in Redis), and
 * refuse to grow it beyond proto-max-bulk-len.
 */
public final class StringRangeCommands {
    private static final CommandError OFFSET_OUT_OF_RANGE = new CommandError("ERR offset is out of range");
    private static final CommandError LCS_NOT_STRINGS =
            new CommandError("ERR The specified keys must contain string values");
    private static final CommandError LCS_LENGTH_AND_INDEXES =
            new CommandError("ERR If you want both the length and indexes, please just use IDX.");
    private static final CommandError LCS_TABLE_TOO_LARGE =
            new CommandError("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
    private static final CommandError LCS_ALLOCATION_FAILED =
            new CommandError("ERR Insufficient memory, failed allocating transient memory for LCS");
    private static final byte[] IDX = CommandContext.keyword("IDX");
    private static final byte[] LEN = CommandContext.keyword("LEN");
    private static final byte[] WITHMATCHLEN = CommandContext.keyword("WITHMATCHLEN");
    private static final byte[] MINMATCHLEN = CommandContext.keyword("MINMATCHLEN");
    private static final byte[] MATCHES = CommandContext.keyword("matches");
    private static final byte[] LEN_FIELD = CommandContext.keyword("len");
    private static final byte[] EMPTY = new byte[0];

    private StringRangeCommands() {
    }

    public static void register(CommandTable.Registry table) {
        table.command("append", "Appends bytes to the string value of a key, creating the key if needed.",
                "O(1) amortized", StringRangeCommands::append);
        table.command("strlen", "Returns the length in bytes of the string value of a key.", "O(1)",
                StringRangeCommands::strlen);
        table.command("getrange", "Returns the bytes of a string value between two offsets.",
                "O(N) where N is the length of the returned part", StringRangeCommands::getrange);
        table.command("substr", "Returns the bytes of a string value between two offsets (the old GETRANGE).",
                "O(N) where N is the length of the returned part", StringRangeCommands::getrange);
        table.command("setrange", "Overwrites part of a string value from an offset, padding with zero bytes.",
                "O(1) amortized, plus the bytes written", StringRangeCommands::setrange);
        table.command("lcs", "Finds the longest common subsequence of two string values.",
                "O(N*M) where N and M are the lengths of the two values", StringRangeCommands::lcs);
    }

    static void append(CommandContext c) {
        Database database = c.database();
        KeyEntry entry = database.lookupWrite(c.arguments(), 1);
        if (entry == null) {
            // A new key holds the argument as SET would store it: no "raw" encoding forced.
            database.setString(null, c.arguments(), 1, 2, KeyEntry.NO_EXPIRY);
            c.notifyKeyspaceEvent(KeyspaceEvents.STRING, EventNames.APPEND, 1);
            c.reply().integer(c.arguments().length(2));
            return;
        }
        int length = CommandContext.requireString(entry).stringLength();
        int added = c.arguments().length(2);
        checkLength(c, length, added);
        database.writableString(entry, length + added);
        System.arraycopy(c.arguments().array(2), c.arguments().offset(2), entry.stringArray(),
                entry.stringOffset() + length, added);
        database.changed(entry);
        c.notifyKeyspaceEvent(KeyspaceEvents.STRING, EventNames.APPEND, 1);
        c.reply().integer(entry.stringLength());
    }

    static void strlen(CommandContext c) {
        KeyEntry entry = c.database().lookupRead(c.arguments(), 1);
        c.reply().integer(entry == null ? 0 : CommandContext.requireString(entry).stringLength());
    }

    /**
     * GETRANGE and SUBSTR. Negative offsets count from the end; the range is clamped to the value.
     * One Redis 7.0 quirk is kept: a range entirely before the start (-100 -50 on a short value)
     * clamps both ends to 0 and returns the first byte.
     */
    static void getrange(CommandContext c) {
        long start = c.longArgument(2);
        long end = c.longArgument(3);
        KeyEntry entry = c.database().lookupRead(c.arguments(), 1);
        if (entry == null) {
            c.reply().bulk(EMPTY);
            return;
        }
        long length = CommandContext.requireString(entry).stringLength();
        if (start < 0 && end < 0 && start > end) {
            c.reply().bulk(EMPTY);
            return;
        }
        if (start < 0) {
            start = Math.max(0, length + start);
        }
        if (end < 0) {
            end = Math.max(0, length + end);
        }
        end = Math.min(end, length - 1);
        if (start > end || length == 0) {
            c.reply().bulk(EMPTY);
            return;
        }
        c.reply().bulk(entry.stringArray(), entry.stringOffset() + (int) start, (int) (end - start + 1));
    }

    static void setrange(CommandContext c) {
        long offset = c.longArgument(2);
        if (offset < 0) {
            throw OFFSET_OUT_OF_RANGE;
        }
        Database database = c.database();
        KeyEntry entry = database.lookupWrite(c.arguments(), 1);
        byte[] source = c.arguments().array(3);
        int sourceOffset = c.arguments().offset(3);
        int written = c.arguments().length(3);
        if (entry == null) {
            if (written == 0) {
                c.reply().integer(0);
                return;
            }
            checkLength(c, offset, written);
            // Exactly as long as needed, like Redis's new value; it is "raw" from the start.
            byte[] bytes = new byte[(int) offset + written];
            System.arraycopy(source, sourceOffset, bytes, (int) offset, written);
            database.setString(null, c.arguments(), 1, bytes, 0, bytes.length, StringForm.RAW, KeyEntry.NO_EXPIRY);
            c.notifyKeyspaceEvent(KeyspaceEvents.STRING, EventNames.SETRANGE, 1);
            c.reply().integer(bytes.length);
            return;
        }
        int length = CommandContext.requireString(entry).stringLength();
        if (written == 0) {
            c.reply().integer(length);
            return;
        }
        checkLength(c, offset, written);
        database.writableString(entry, (int) Math.max(length, offset + written));
        System.arraycopy(source, sourceOffset, entry.stringArray(), entry.stringOffset() + (int) offset, written);
        database.changed(entry);
        c.notifyKeyspaceEvent(KeyspaceEvents.STRING, EventNames.SETRANGE, 1);
        c.reply().integer(entry.stringLength());
    }

    /** Redis's checkStringLength: the result may not exceed proto-max-bulk-len (nor a Java array). */
    private static void checkLength(CommandContext c, long start, long added) {
        long limit = Math.min(c.config().protoMaxBulkLen.value(), Integer.MAX_VALUE - 8);
        if (start > limit - added) {
            throw Errors.STRING_TOO_LONG;
        }
    }

    /** LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN] */
    static void lcs(CommandContext c) {
        Database database = c.database();
        KeyEntry first = database.lookupRead(c.arguments(), 1);
        KeyEntry second = database.lookupRead(c.arguments(), 2);
        int aLength = stringLengthOrZero(first);
        int bLength = stringLengthOrZero(second);
        boolean indexes = false;
        boolean lengthOnly = false;
        boolean withMatchLength = false;
        long minimumMatchLength = 0;
        int count = c.argumentCount();
        for (int i = 3; i < count; i++) {
            if (c.isKeyword(i, IDX)) {
                indexes = true;
            } else if (c.isKeyword(i, LEN)) {
                lengthOnly = true;
            } else if (c.isKeyword(i, WITHMATCHLEN)) {
                withMatchLength = true;
            } else if (c.isKeyword(i, MINMATCHLEN) && i + 1 < count) {
                minimumMatchLength = Math.max(0, c.longArgument(++i));
            } else {
                throw Errors.SYNTAX;
            }
        }
        if (indexes && lengthOnly) {
            throw LCS_LENGTH_AND_INDEXES;
        }
        if (LongestCommonSubsequence.redisTableBytes(aLength, bLength) > c.config().protoMaxBulkLen.value()) {
            throw LCS_TABLE_TOO_LARGE;
        }
        byte[] aBytes = bytesOrEmpty(first);
        byte[] bBytes = bytesOrEmpty(second);
        if (lengthOnly) {
            c.reply().integer(LongestCommonSubsequence.length(aBytes, aLength, bBytes, bLength));
            return;
        }
        LongestCommonSubsequence lcs = computeOrRefuse(aBytes, aLength, bBytes, bLength);
        if (!indexes) {
            c.reply().bulk(lcs.sequence());
            return;
        }
        ReplyWriter reply = c.reply();
        reply.mapHeader(2);
        reply.bulk(MATCHES);
        int mark = reply.beginDeferred();
        boolean withLength = withMatchLength;
        int[] ranges = {0};
        lcs.ranges(minimumMatchLength, (aStart, aEnd, bStart, bEnd) -> {
            reply.arrayHeader(withLength ? 3 : 2);
            reply.arrayHeader(2);
            reply.integer(aStart);
            reply.integer(aEnd);
            reply.arrayHeader(2);
            reply.integer(bStart);
            reply.integer(bEnd);
            if (withLength) {
                reply.integer(aEnd - aStart + 1);
            }
            ranges[0]++;
        });
        reply.endDeferredArray(mark, ranges[0]);
        reply.bulk(LEN_FIELD);
        reply.integer(lcs.length());
    }

    /** A missing key is an empty string; any other type is refused with LCS's own error. */
    private static int stringLengthOrZero(KeyEntry entry) {
        if (entry == null) {
            return 0;
        }
        if (!entry.isString()) {
            throw LCS_NOT_STRINGS;
        }
        return entry.stringLength();
    }

    /** The string's bytes, copied: LCS's O(N*M) work dwarfs the copy. */
    private static byte[] bytesOrEmpty(KeyEntry entry) {
        if (entry == null) {
            return EMPTY;
        }
        int offset = entry.stringOffset();
        return Arrays.copyOfRange(entry.stringArray(), offset, offset + entry.stringLength());
    }

    /**
     * Redis gives up when it cannot allocate its table (ztrymalloc) rather than failing the
     * server; the table here is a Java array, and the same refusal applies when the heap cannot
     * hold it.
     */
    private static LongestCommonSubsequence computeOrRefuse(byte[] a, int aLength, byte[] b, int bLength) {
        if (!LongestCommonSubsequence.fitsInArray(aLength, bLength)) {
            throw LCS_ALLOCATION_FAILED;
        }
        try {
            return LongestCommonSubsequence.compute(a, aLength, b, bLength);
        } catch (OutOfMemoryError heapFull) {
            throw LCS_ALLOCATION_FAILED;
        }
    }
}
