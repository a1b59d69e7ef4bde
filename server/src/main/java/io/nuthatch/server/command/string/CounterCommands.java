package io.nuthatch.server.command.string;

import io.nuthatch.server.pubsub.EventNames;
import io.nuthatch.server.pubsub.KeyspaceEvents;
import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.command.CommandError;
import io.nuthatch.server.command.CommandTable;
import io.nuthatch.server.command.Errors;
import io.nuthatch.server.keyspace.Database;
import io.nuthatch.server.keyspace.KeyEntry;
import io.nuthatch.server.keyspace.StringForm;
import io.nuthatch.server.type.LongDouble;

/**
 * Strings used as numbers: INCR, DECR, INCRBY, DECRBY on 64-bit integers, and INCRBYFLOAT on
 * C long doubles ({@link LongDouble}). A missing key counts as 0; the key keeps its expiry.
 */
public final class CounterCommands {
    private static final CommandError DECREMENT_OVERFLOW = new CommandError("ERR decrement would overflow");
    private static final CommandError NAN_OR_INFINITY =
            new CommandError("ERR increment would produce NaN or Infinity");
    private static final byte[] SET = CommandContext.keyword("SET");
    private static final byte[] KEEPTTL = CommandContext.keyword("KEEPTTL");

    private CounterCommands() {
    }

    public static void register(CommandTable.Registry table) {
        table.command("incr", "Adds one to the integer value of a key.", "O(1)", CounterCommands::incr);
        table.command("decr", "Subtracts one from the integer value of a key.", "O(1)", CounterCommands::decr);
        table.command("incrby", "Adds an integer to the integer value of a key.", "O(1)", CounterCommands::incrby);
        table.command("decrby", "Subtracts an integer from the integer value of a key.", "O(1)",
                CounterCommands::decrby);
        table.command("incrbyfloat", "Adds a decimal number to the numeric value of a key.", "O(1)",
                CounterCommands::incrbyfloat);
    }

    static void incr(CommandContext c) {
        add(c, 1);
    }

    static void decr(CommandContext c) {
        add(c, -1);
    }

    static void incrby(CommandContext c) {
        add(c, c.longArgument(2));
    }

    static void decrby(CommandContext c) {
        long decrement = c.longArgument(2);
        if (decrement == Long.MIN_VALUE) {
            throw DECREMENT_OVERFLOW;
        }
        add(c, -decrement);
    }

    private static void add(CommandContext c, long increment) {
        Database database = c.database();
        KeyEntry entry = database.lookupWrite(c.arguments(), 1);
        long current = 0;
        if (entry != null) {
            try {
                current = CommandContext.requireString(entry).parseLong();
            } catch (NumberFormatException notAnInteger) {
                throw Errors.NOT_AN_INTEGER;
            }
        }
        long result = current + increment;
        // Overflow: both operands have the same sign and the sum has the other one.
        if (((current ^ result) & (increment ^ result)) < 0) {
            throw Errors.INCREMENT_OVERFLOW;
        }
        database.setInteger(entry, c.arguments(), 1, result);
        c.notifyKeyspaceEvent(KeyspaceEvents.STRING, EventNames.INCRBY, 1);
        c.reply().integer(result);
    }

    /**
     * Redis computes in long double and stores the result as text, so the text is the value: it is
     * what is stored, replied and propagated (as SET key value KEEPTTL, so that replicas do not
     * redo arithmetic whose rounding could differ).
     */
    static void incrbyfloat(CommandContext c) {
        Database database = c.database();
        KeyEntry entry = database.lookupWrite(c.arguments(), 1);
        LongDouble current = LongDouble.ZERO;
        if (entry != null) {
            CommandContext.requireString(entry);
            current = parseFloat(entry.stringArray(), entry.stringOffset(), entry.stringLength());
        }
        LongDouble increment = parseFloat(c.arguments().array(2), c.arguments().offset(2), c.arguments().length(2));
        LongDouble sum = current.add(increment);
        if (!sum.isFinite()) {
            throw NAN_OR_INFINITY;
        }
        byte[] text = sum.toHumanBytes();
        database.setString(entry, c.arguments(), 1, text, 0, text.length, StringForm.NEVER_INTEGER,
                Database.KEEP_EXPIRY);
        c.notifyKeyspaceEvent(KeyspaceEvents.STRING, EventNames.INCRBYFLOAT, 1);
        c.reply().bulk(text);
        if (c.isPropagating()) {
            c.rewrite().word(SET).argument(1).bytes(text).word(KEEPTTL).end();
        }
    }

    private static LongDouble parseFloat(byte[] bytes, int offset, int length) {
        try {
            return LongDouble.parse(bytes, offset, length);
        } catch (NumberFormatException notAFloat) {
            throw Errors.NOT_A_FLOAT;
        }
    }
}
