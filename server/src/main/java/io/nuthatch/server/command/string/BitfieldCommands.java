package io.nuthatch.server.command.string;

import io.nuthatch.server.pubsub.EventNames;
import io.nuthatch.server.pubsub.KeyspaceEvents;
import io.nuthatch.resp.ReplyWriter;
import io.nuthatch.resp.RequestArguments;
import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.command.CommandError;
import io.nuthatch.server.command.CommandTable;
import io.nuthatch.server.command.Errors;
import io.nuthatch.server.keyspace.Database;
import io.nuthatch.server.keyspace.KeyEntry;
import io.nuthatch.server.type.BitFields;
import io.nuthatch.server.type.NumericStrings;

/**
 * BITFIELD and BITFIELD_RO: integers of any width at any bit offset of a string.
 *
 * <p>A call is a list of operations (GET type offset, SET type offset value, INCRBY type offset
 * increment, OVERFLOW WRAP|SAT|FAIL for the writes after it). Nothing runs unless every operation
 * parses, so the arguments are read twice: once to check them all and find how far the writes
 * reach, once to run them. Parsing is cheap and cannot fail the second time, and reading twice
 * spares an array of parsed operations on every call.
 */
public final class BitfieldCommands {
    private static final CommandError INVALID_TYPE = new CommandError("ERR Invalid bitfield type."
            + " Use something like i16 u8. Note that u64 is not supported but i64 is.");
    private static final CommandError INVALID_OVERFLOW = new CommandError("ERR Invalid OVERFLOW type specified");
    private static final CommandError READ_ONLY = new CommandError("ERR BITFIELD_RO only supports the GET subcommand");

    private static final byte[] GET = CommandContext.keyword("GET");
    private static final byte[] SET = CommandContext.keyword("SET");
    private static final byte[] INCRBY = CommandContext.keyword("INCRBY");
    private static final byte[] OVERFLOW = CommandContext.keyword("OVERFLOW");
    private static final byte[] WRAP = CommandContext.keyword("WRAP");
    private static final byte[] SAT = CommandContext.keyword("SAT");
    private static final byte[] FAIL = CommandContext.keyword("FAIL");

    /** A parsed field type: the width in the low byte, this flag when signed. */
    private static final int SIGNED = 0x100;

    private BitfieldCommands() {
    }

    public static void register(CommandTable.Registry table) {
        table.command("bitfield", "Reads, writes and increments integers of any width at any bit offset of a string.",
                "O(1) for each operation", c -> bitfield(c, false));
        table.command("bitfield_ro", "Reads integers of any width at any bit offset of a string.",
                "O(1) for each operation", c -> bitfield(c, true));
    }

    private static void bitfield(CommandContext c, boolean readOnlyCommand) {
        RequestArguments arguments = c.arguments();
        int count = c.argumentCount();
        int operations = 0;
        boolean writes = false;
        long lastWrittenBit = 0;
        for (int i = 2; i < count; i++) {
            int remaining = count - i - 1;
            if (arguments.isKeyword(i, OVERFLOW) && remaining >= 1) {
                overflowRule(arguments, ++i);
                continue;
            }
            boolean get = arguments.isKeyword(i, GET) && remaining >= 2;
            boolean write = !get && remaining >= 3
                    && (arguments.isKeyword(i, SET) || arguments.isKeyword(i, INCRBY));
            if (!get && !write) {
                throw Errors.SYNTAX;
            }
            int type = fieldType(arguments, i + 1);
            int bits = type & 0xFF;
            long offset = BitmapCommands.bitOffset(c, i + 2, bits);
            if (write) {
                writes = true;
                long lastBit = offset + bits - 1;
                // Unsigned, as a huge proto-max-bulk-len lets offsets reach the sign bit.
                if (Long.compareUnsigned(lastBit, lastWrittenBit) > 0) {
                    lastWrittenBit = lastBit;
                }
                c.longArgument(i + 3);
            }
            operations++;
            i += get ? 2 : 3;
        }
        Database database = c.database();
        KeyEntry entry;
        boolean created = false;
        boolean grown = false;
        if (!writes) {
            entry = database.lookupRead(arguments, 1);
            if (entry != null) {
                CommandContext.requireString(entry);
            }
        } else {
            if (readOnlyCommand) {
                throw READ_ONLY;
            }
            entry = database.lookupWrite(arguments, 1);
            int needed = BitmapCommands.bytesForBit(lastWrittenBit);
            if (entry == null) {
                entry = BitmapCommands.newBitString(c, needed);
                created = true;
                grown = true;
            } else {
                grown = needed > CommandContext.requireString(entry).stringLength();
            }
            // Opened even when no write will change it: Redis unshares the string ("raw") first.
            database.writableString(entry, needed);
        }
        c.reply().arrayHeader(operations);
        int changes = run(c, entry, grown);
        signalChanges(c, entry, created, changes, grown);
    }

    /**
     * Runs the operations, already checked, on the string of the entry (null: a missing key, read
     * only); returns how many changed the string as Redis counts them.
     */
    private static int run(CommandContext c, KeyEntry entry, boolean grown) {
        byte[] bytes = entry == null ? null : entry.stringArray();
        int start = entry == null ? 0 : entry.stringOffset();
        int length = entry == null ? 0 : entry.stringLength();
        RequestArguments arguments = c.arguments();
        ReplyWriter reply = c.reply();
        int count = c.argumentCount();
        BitFields.Overflow rule = BitFields.Overflow.WRAP;
        int changes = 0;
        for (int i = 2; i < count; i++) {
            if (arguments.isKeyword(i, OVERFLOW)) {
                rule = overflowRule(arguments, ++i);
                continue;
            }
            boolean get = arguments.isKeyword(i, GET);
            boolean increment = !get && arguments.isKeyword(i, INCRBY);
            int type = fieldType(arguments, i + 1);
            int bits = type & 0xFF;
            boolean signed = (type & SIGNED) != 0;
            long offset = BitmapCommands.bitOffset(c, i + 2, bits);
            if (get) {
                reply.integer(signed ? BitFields.getSigned(bytes, start, length, offset, bits)
                        : BitFields.getUnsigned(bytes, start, length, offset, bits));
                i += 2;
                continue;
            }
            long operand = c.longArgument(i + 3);
            i += 3;
            long old = signed ? BitFields.getSigned(bytes, start, length, offset, bits)
                    : BitFields.getUnsigned(bytes, start, length, offset, bits);
            // SET is an increment of zero from the new value; INCRBY, of the operand from the old one.
            long base = increment ? old : operand;
            long delta = increment ? operand : 0;
            int overflow = signed ? BitFields.signedOverflow(base, delta, bits)
                    : BitFields.unsignedOverflow(base, delta, bits);
            if (overflow != 0 && rule == BitFields.Overflow.FAIL) {
                reply.nullBulk();
                continue;
            }
            long updated = signed ? BitFields.signedResult(base, delta, bits, overflow, rule)
                    : BitFields.unsignedResult(base, delta, bits, overflow, rule);
            reply.integer(increment ? updated : old);
            BitFields.put(bytes, start, offset, bits, updated);
            if (grown || updated != old) {
                changes++;
            }
        }
        return changes;
    }

    /**
     * Tells the keyspace what changed. Redis counts one change per write that changed the field (or
     * that ran on a string it had to create or grow), so the dirty counter moves as it does there. A
     * string created or grown by writes that all failed is still signalled, once: Redis does not
     * propagate that, and a replica or the log would then miss the key or its new length.
     */
    private static void signalChanges(CommandContext c, KeyEntry entry, boolean created, int changes, boolean grown) {
        if (entry == null) {
            return;
        }
        if (created || changes > 0 || grown) {
            // A created key was signalled when added; closing its change counts no second time.
            c.database().changed(entry);
            for (int i = 1; i < changes; i++) {
                c.markDirty();
            }
        }
        if (changes > 0) {
            c.notifyKeyspaceEvent(KeyspaceEvents.STRING, EventNames.SETBIT, 1);
        }
    }

    /**
     * A field type: 'i' and 1 to 64 bits, or 'u' and 1 to 63. As in Redis the letter is lower case
     * only and the width is read up to the first NUL byte.
     */
    private static int fieldType(RequestArguments arguments, int index) {
        int length = arguments.length(index);
        if (length == 0) {
            throw INVALID_TYPE;
        }
        byte letter = arguments.byteAt(index, 0);
        if (letter != 'i' && letter != 'u') {
            throw INVALID_TYPE;
        }
        int digits = 0;
        while (1 + digits < length && arguments.byteAt(index, 1 + digits) != 0) {
            digits++;
        }
        long bits;
        try {
            bits = NumericStrings.parseLong(arguments.array(index), arguments.offset(index) + 1, digits);
        } catch (NumberFormatException notANumber) {
            throw INVALID_TYPE;
        }
        boolean signed = letter == 'i';
        if (bits < 1 || bits > (signed ? 64 : 63)) {
            throw INVALID_TYPE;
        }
        return (int) bits | (signed ? SIGNED : 0);
    }

    private static BitFields.Overflow overflowRule(RequestArguments arguments, int index) {
        if (arguments.isKeyword(index, WRAP)) {
            return BitFields.Overflow.WRAP;
        }
        if (arguments.isKeyword(index, SAT)) {
            return BitFields.Overflow.SAT;
        }
        if (arguments.isKeyword(index, FAIL)) {
            return BitFields.Overflow.FAIL;
        }
        throw INVALID_OVERFLOW;
    }
}
