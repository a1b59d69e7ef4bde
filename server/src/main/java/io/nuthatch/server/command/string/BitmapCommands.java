package io.nuthatch.server.command.string;

import io.nuthatch.server.pubsub.EventNames;
import io.nuthatch.server.pubsub.KeyspaceEvents;
import io.nuthatch.resp.RequestArguments;
import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.command.CommandError;
import io.nuthatch.server.command.CommandTable;
import io.nuthatch.server.command.Errors;
import io.nuthatch.server.keyspace.Database;
import io.nuthatch.server.keyspace.KeyEntry;
import io.nuthatch.server.keyspace.StringForm;
import io.nuthatch.server.type.Bitmaps;
import io.nuthatch.server.type.NumericStrings;

/**
 * The bit commands on string values: SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP. BITFIELD lives in
 * {@link BitfieldCommands}.
 */
public final class BitmapCommands {
    static final CommandError BIT_OFFSET_INVALID = new CommandError("ERR bit offset is not an integer or out of range");
    private static final CommandError BIT_VALUE_INVALID = new CommandError("ERR bit is not an integer or out of range");
    private static final CommandError BIT_ARGUMENT_INVALID = new CommandError("ERR The bit argument must be 1 or 0.");
    private static final CommandError NOT_WITH_MANY_SOURCES =
            new CommandError("ERR BITOP NOT must be called with a single source key.");
    /** Longest byte[] a JVM reliably allocates; a string must fit one. */
    private static final long MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;
    private static final byte[] EMPTY = new byte[0];

    private static final byte[] BIT = CommandContext.keyword("BIT");
    private static final byte[] BYTE = CommandContext.keyword("BYTE");
    private static final byte[] AND = CommandContext.keyword("AND");
    private static final byte[] OR = CommandContext.keyword("OR");
    private static final byte[] XOR = CommandContext.keyword("XOR");
    private static final byte[] NOT = CommandContext.keyword("NOT");

    private BitmapCommands() {
    }

    public static void register(CommandTable.Registry table) {
        table.command("setbit", "Sets or clears one bit of a string, growing it with zero bytes as needed.", "O(1)",
                BitmapCommands::setbit);
        table.command("getbit", "Returns one bit of a string; bits past its end are 0.", "O(1)",
                BitmapCommands::getbit);
        table.command("bitcount", "Counts the set bits of a string, or of a range of its bytes or bits.", "O(N)",
                BitmapCommands::bitcount);
        table.command("bitpos", "Finds the first set or clear bit of a string, or of a range of its bytes or bits.",
                "O(N)", BitmapCommands::bitpos);
        table.command("bitop", "Stores the AND, OR, XOR or NOT of strings in a key.", "O(N)",
                BitmapCommands::bitop);
    }

    /** SETBIT key offset 0|1 */
    static void setbit(CommandContext c) {
        long offset = bitOffset(c, 2, 0);
        long bit = c.longArgument(3, BIT_VALUE_INVALID);
        if ((bit & ~1L) != 0) {
            throw BIT_VALUE_INVALID;
        }
        Database database = c.database();
        KeyEntry entry = database.lookupWrite(c.arguments(), 1);
        int needed = bytesForBit(offset);
        if (entry == null) {
            byte[] bytes = new byte[needed];
            Bitmaps.set(bytes, offset, bit == 1);
            database.setString(null, c.arguments(), 1, bytes, 0, needed, StringForm.RAW, KeyEntry.NO_EXPIRY);
            c.notifyKeyspaceEvent(KeyspaceEvents.STRING, EventNames.SETBIT, 1);
            c.reply().integer(0);
            return;
        }
        int lengthBefore = CommandContext.requireString(entry).stringLength();
        database.writableString(entry, needed);
        boolean old = Bitmaps.set(entry.stringArray(), entry.stringOffset(), offset, bit == 1);
        if (entry.stringLength() != lengthBefore || old != (bit == 1)) {
            database.changed(entry);
            c.notifyKeyspaceEvent(KeyspaceEvents.STRING, EventNames.SETBIT, 1);
        }
        c.reply().integer(old ? 1 : 0);
    }

    /** GETBIT key offset */
    static void getbit(CommandContext c) {
        long offset = bitOffset(c, 2, 0);
        KeyEntry entry = c.database().lookupRead(c.arguments(), 1);
        if (entry == null) {
            c.reply().integer(0);
            return;
        }
        CommandContext.requireString(entry);
        c.reply().integer(Bitmaps.get(entry.stringArray(), entry.stringOffset(), entry.stringLength(), offset) ? 1 : 0);
    }

    /**
     * BITCOUNT key [start end [BYTE | BIT]]
     *
     * <p>As in Redis 7.0, the key is looked up before the range is parsed: a missing key answers 0
     * whatever the arguments.
     */
    static void bitcount(CommandContext c) {
        KeyEntry entry = c.database().lookupRead(c.arguments(), 1);
        if (entry == null) {
            c.reply().integer(0);
            return;
        }
        long length = CommandContext.requireString(entry).stringLength();
        byte[] bytes = entry.stringArray();
        int base = entry.stringOffset();
        int count = c.argumentCount();
        if (count == 2) {
            c.reply().integer(Bitmaps.count(bytes, base, 0, length * 8 - 1));
            return;
        }
        if (count != 4 && count != 5) {
            throw Errors.SYNTAX;
        }
        long start = c.longArgument(2);
        long end = c.longArgument(3);
        // Redis answers this case before it reads the unit, so a bad unit goes unnoticed.
        if (start < 0 && end < 0 && start > end) {
            c.reply().integer(0);
            return;
        }
        boolean bits = count == 5 && bitUnit(c, 4);
        long total = bits ? length * 8 : length;
        start = clampIndex(start, total);
        end = Math.min(clampIndex(end, total), total - 1);
        if (start > end) {
            c.reply().integer(0);
            return;
        }
        c.reply().integer(bits ? Bitmaps.count(bytes, base, start, end)
                : Bitmaps.count(bytes, base, start * 8, end * 8 + 7));
    }

    /**
     * BITPOS key 0|1 [start [end [BYTE | BIT]]]
     *
     * <p>A missing key is an endless run of zeros: 0 for a clear bit, -1 for a set one. Without an
     * explicit end, a string of all ones is taken to be followed by zeros, so the first clear bit
     * is the one just past it; with an end, the search stays inside the range and finds none.
     */
    static void bitpos(CommandContext c) {
        long bit = c.longArgument(2);
        if (bit != 0 && bit != 1) {
            throw BIT_ARGUMENT_INVALID;
        }
        KeyEntry entry = c.database().lookupRead(c.arguments(), 1);
        if (entry == null) {
            c.reply().integer(bit == 1 ? -1 : 0);
            return;
        }
        long length = CommandContext.requireString(entry).stringLength();
        int count = c.argumentCount();
        long start = 0;
        long end = length - 1;
        boolean endGiven = false;
        boolean bits = false;
        if (count >= 4 && count <= 6) {
            start = c.longArgument(3);
            bits = count == 6 && bitUnit(c, 5);
            if (count >= 5) {
                end = c.longArgument(4);
                endGiven = true;
            }
            long total = bits ? length * 8 : length;
            start = clampIndex(start, total);
            end = Math.min(clampIndex(end, total), total - 1);
        } else if (count != 3) {
            throw Errors.SYNTAX;
        }
        if (start > end) {
            c.reply().integer(-1);
            return;
        }
        long firstBit = bits ? start : start * 8;
        long lastBit = bits ? end : end * 8 + 7;
        long position = Bitmaps.find(entry.stringArray(), entry.stringOffset(), firstBit, lastBit, bit == 1);
        if (position < 0 && bit == 0 && !endGiven) {
            position = lastBit + 1;
        }
        c.reply().integer(position);
    }

    /**
     * BITOP AND | OR | XOR | NOT destkey key [key ...]
     *
     * <p>Missing keys are empty strings and shorter strings are padded with zero bytes, so the result
     * is as long as the longest source. An empty result deletes the destination.
     */
    static void bitop(CommandContext c) {
        Bitmaps.Operation operation = bitOperation(c, 1);
        int count = c.argumentCount();
        if (operation == Bitmaps.Operation.NOT && count != 4) {
            throw NOT_WITH_MANY_SOURCES;
        }
        RequestArguments arguments = c.arguments();
        Database database = c.database();
        int longest = 0;
        for (int i = 3; i < count; i++) {
            KeyEntry source = database.lookupRead(arguments, i);
            if (source != null) {
                longest = Math.max(longest, CommandContext.requireString(source).stringLength());
            }
        }
        if (longest == 0) {
            KeyEntry destination = database.lookupWrite(arguments, 2);
            if (destination != null) {
                database.delete(destination);
                c.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, EventNames.DEL, 2);
            }
            c.reply().integer(0);
            return;
        }
        byte[] result = new byte[longest];
        for (int i = 3; i < count; i++) {
            // Looked up a second time, so without counting it again.
            KeyEntry source = database.lookup(arguments, i, Database.NO_STATS | Database.NO_TOUCH);
            byte[] bytes = EMPTY;
            int offset = 0;
            int length = 0;
            if (source != null) {
                bytes = source.stringArray();
                offset = source.stringOffset();
                length = source.stringLength();
            }
            if (i == 3 && operation != Bitmaps.Operation.NOT) {
                System.arraycopy(bytes, offset, result, 0, length);
            } else {
                Bitmaps.combine(operation, result, bytes, offset, length);
            }
        }
        // Redis stores the result without trying a compact encoding: OBJECT ENCODING says "raw".
        KeyEntry destination = database.lookup(arguments, 2, Database.FOR_WRITE | Database.NO_TOUCH);
        database.setString(destination, arguments, 2, result, 0, longest, StringForm.RAW, KeyEntry.NO_EXPIRY);
        c.notifyKeyspaceEvent(KeyspaceEvents.STRING, EventNames.SET, 2);
        c.reply().integer(longest);
    }

    // ---------------------------------------------------------------- shared with BITFIELD

    /**
     * A bit offset argument: a non-negative integer whose byte lies within proto-max-bulk-len. With
     * {@code fieldBits} > 0 (BITFIELD), "#n" means the n-th field of that width; the product wraps
     * in 64 bits as it does in Redis.
     */
    static long bitOffset(CommandContext c, int index, int fieldBits) {
        RequestArguments arguments = c.arguments();
        int length = arguments.length(index);
        boolean fieldIndex = fieldBits > 0 && length > 0 && arguments.byteAt(index, 0) == '#';
        int skip = fieldIndex ? 1 : 0;
        long offset;
        try {
            offset = NumericStrings.parseLong(arguments.array(index), arguments.offset(index) + skip, length - skip);
        } catch (NumberFormatException notANumber) {
            throw BIT_OFFSET_INVALID;
        }
        if (fieldIndex) {
            offset *= fieldBits;
        }
        if (offset < 0 || (offset >>> 3) >= c.config().protoMaxBulkLen.value()) {
            throw BIT_OFFSET_INVALID;
        }
        return offset;
    }

    /** Bytes a string needs to hold bits up to {@code lastBit}. @throws CommandError past a Java array */
    static int bytesForBit(long lastBit) {
        long needed = (lastBit >>> 3) + 1;
        if (needed > MAX_ARRAY_LENGTH) {
            throw Errors.STRING_TOO_LONG;
        }
        return (int) needed;
    }

    /**
     * Adds the key of argument 1, missing, as {@code length} zero bytes for bits to be written
     * into, "raw" as Redis creates it; the caller then opens it with {@code writableString}.
     */
    static KeyEntry newBitString(CommandContext c, int length) {
        return c.database().setString(null, c.arguments(), 1, new byte[length], 0, length, StringForm.RAW,
                KeyEntry.NO_EXPIRY);
    }

    // ---------------------------------------------------------------- parsing

    /** Whether the unit argument says BIT (true) or BYTE (false). */
    private static boolean bitUnit(CommandContext c, int index) {
        if (c.arguments().isKeyword(index, BIT)) {
            return true;
        }
        if (c.arguments().isKeyword(index, BYTE)) {
            return false;
        }
        throw Errors.SYNTAX;
    }

    /** A range index counted from the end when negative, then clamped to zero (not yet to the end). */
    private static long clampIndex(long index, long total) {
        if (index < 0) {
            index += total;
        }
        return Math.max(index, 0);
    }

    private static Bitmaps.Operation bitOperation(CommandContext c, int index) {
        RequestArguments arguments = c.arguments();
        if (arguments.isKeyword(index, AND)) {
            return Bitmaps.Operation.AND;
        }
        if (arguments.isKeyword(index, OR)) {
            return Bitmaps.Operation.OR;
        }
        if (arguments.isKeyword(index, XOR)) {
            return Bitmaps.Operation.XOR;
        }
        if (arguments.isKeyword(index, NOT)) {
            return Bitmaps.Operation.NOT;
        }
        throw Errors.SYNTAX;
    }
}
