package io.nuthatch.server.command.hash;

import io.nuthatch.server.pubsub.EventNames;
import io.nuthatch.server.pubsub.KeyspaceEvents;
import io.nuthatch.resp.ReplyWriter;
import io.nuthatch.resp.RequestArguments;
import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.command.CommandError;
import io.nuthatch.server.command.CommandTable;
import io.nuthatch.server.command.Errors;
import io.nuthatch.server.config.EncodingDirectives;
import io.nuthatch.server.keyspace.Database;
import io.nuthatch.server.keyspace.KeyEntry;
import io.nuthatch.server.type.HashValue;
import io.nuthatch.server.type.LongDouble;
import io.nuthatch.server.type.NumericStrings;

/**
 * Hashes: setting, reading, deleting and counting fields (HSET, HGET, HDEL ...). The type is
 * {@link HashValue}; this family parses, checks types, calls it and replies. A hash left without
 * fields is deleted with its key, as Redis deletes empty collections.
 *
 * <p>Changes open the hash with the database's writable accessor before touching it and close
 * the bracket with {@code changed} only when something changed, so that a command that changed
 * nothing (HDEL of absent fields) is neither propagated nor seen by WATCH, as in Redis.
 */
public final class HashCommands {
    private static final CommandError HASH_VALUE_NOT_INTEGER = new CommandError("ERR hash value is not an integer");
    private static final CommandError HASH_VALUE_NOT_FLOAT = new CommandError("ERR hash value is not a float");
    private static final CommandError INCREMENT_NOT_FINITE = new CommandError("ERR value is NaN or Infinity");
    private static final CommandError RESULT_NOT_FINITE =
            new CommandError("ERR increment would produce NaN or Infinity");
    private static final byte[] HSET = CommandContext.keyword("HSET");

    private HashCommands() {
    }

    public static void register(CommandTable.Registry table) {
        table.command("hset", "Sets fields of a hash to values, creating the hash if needed.",
                "O(1) for each field/value pair added", HashCommands::hset);
        table.command("hmset", "Sets fields of a hash to values (HSET replying OK).",
                "O(N) where N is the number of fields being set", HashCommands::hmset);
        table.command("hsetnx", "Sets a field of a hash only if the field does not exist.", "O(1)",
                HashCommands::hsetnx);
        table.command("hget", "Returns the value of a field of a hash.", "O(1)", HashCommands::hget);
        table.command("hmget", "Returns the values of several fields of a hash.",
                "O(N) where N is the number of fields being requested", HashCommands::hmget);
        table.command("hdel", "Deletes fields from a hash, and the hash once it is empty.",
                "O(N) where N is the number of fields to be removed", HashCommands::hdel);
        table.command("hlen", "Returns the number of fields of a hash.", "O(1)", HashCommands::hlen);
        table.command("hstrlen", "Returns the length of the value of a field of a hash.", "O(1)",
                HashCommands::hstrlen);
        table.command("hexists", "Tells whether a field exists in a hash.", "O(1)", HashCommands::hexists);
        table.command("hkeys", "Returns every field of a hash.", "O(N) where N is the size of the hash",
                HashCommands::hkeys);
        table.command("hvals", "Returns every value of a hash.", "O(N) where N is the size of the hash",
                HashCommands::hvals);
        table.command("hgetall", "Returns every field of a hash with its value.",
                "O(N) where N is the size of the hash", HashCommands::hgetall);
        table.command("hincrby", "Adds an integer to the integer value of a field of a hash.", "O(1)",
                HashCommands::hincrby);
        table.command("hincrbyfloat", "Adds a decimal number to the numeric value of a field of a hash.", "O(1)",
                HashCommands::hincrbyfloat);
    }

    /** The hash an entry holds, or null for no entry. @throws CommandError WRONGTYPE for another type */
    static HashValue hashOf(KeyEntry entry) {
        if (entry == null) {
            return null;
        }
        if (entry.value() instanceof HashValue hash) {
            return hash;
        }
        throw Errors.WRONG_TYPE;
    }

    // ---------------------------------------------------------------- setting

    static void hset(CommandContext c) {
        c.reply().integer(setFields(c));
    }

    static void hmset(CommandContext c) {
        setFields(c);
        c.reply().ok();
    }

    /** HSET/HMSET key field value [field value ...]: the number of fields added. */
    private static int setFields(CommandContext c) {
        RequestArguments arguments = c.arguments();
        int count = arguments.count();
        if (count % 2 != 0) {
            throw Errors.wrongArity(c.command().name());
        }
        EncodingDirectives limits = c.config().encoding;
        long maxEntries = limits.hashMaxListpackEntries.value();
        long maxValue = limits.hashMaxListpackValue.value();
        Database database = c.database();
        KeyEntry entry = database.lookupWrite(arguments, 1);
        HashValue hash = hashOf(entry);
        if (hash == null) {
            hash = HashValue.empty();
            int added = setPairs(hash, arguments, maxEntries, maxValue);
            hash.trimToSize();
            database.add(arguments, 1, hash);
            c.notifyKeyspaceEvent(KeyspaceEvents.HASH, EventNames.HSET, 1);
            return added;
        }
        database.writableValue(entry);
        int added = setPairs(hash, arguments, maxEntries, maxValue);
        database.changed(entry);
        c.notifyKeyspaceEvent(KeyspaceEvents.HASH, EventNames.HSET, 1);
        return added;
    }

    private static int setPairs(HashValue hash, RequestArguments arguments, long maxEntries, long maxValue) {
        int added = 0;
        for (int i = 2; i < arguments.count(); i += 2) {
            if (hash.set(arguments.array(i), arguments.offset(i), arguments.length(i), arguments.array(i + 1),
                    arguments.offset(i + 1), arguments.length(i + 1), maxEntries, maxValue)) {
                added++;
            }
        }
        return added;
    }

    /** HSETNX key field value */
    static void hsetnx(CommandContext c) {
        RequestArguments arguments = c.arguments();
        Database database = c.database();
        KeyEntry entry = database.lookupWrite(arguments, 1);
        HashValue hash = hashOf(entry);
        if (hash != null && hash.find(arguments.array(2), arguments.offset(2), arguments.length(2)) != HashValue.NONE) {
            c.reply().integer(0);
            return;
        }
        setOne(c, database, entry, hash, arguments.array(3), arguments.offset(3), arguments.length(3));
        c.notifyKeyspaceEvent(KeyspaceEvents.HASH, EventNames.HSET, 1);
        c.reply().integer(1);
    }

    /** Sets the field of argument 2 to the given value, creating the hash when {@code hash} is null. */
    private static void setOne(CommandContext c, Database database, KeyEntry entry, HashValue hash, byte[] value,
            int offset, int length) {
        RequestArguments arguments = c.arguments();
        EncodingDirectives limits = c.config().encoding;
        long maxEntries = limits.hashMaxListpackEntries.value();
        long maxValue = limits.hashMaxListpackValue.value();
        if (hash == null) {
            hash = HashValue.empty();
            hash.set(arguments.array(2), arguments.offset(2), arguments.length(2), value, offset, length, maxEntries,
                    maxValue);
            database.add(arguments, 1, hash);
            return;
        }
        database.writableValue(entry);
        hash.set(arguments.array(2), arguments.offset(2), arguments.length(2), value, offset, length, maxEntries,
                maxValue);
        database.changed(entry);
    }

    // ---------------------------------------------------------------- reading

    /** HGET key field */
    static void hget(CommandContext c) {
        RequestArguments arguments = c.arguments();
        HashValue hash = hashOf(c.database().lookupRead(arguments, 1));
        int position = hash == null ? HashValue.NONE : hash.find(arguments.array(2), arguments.offset(2),
                arguments.length(2));
        replyValue(c.reply(), hash, position);
    }

    private static void replyValue(ReplyWriter reply, HashValue hash, int position) {
        if (position == HashValue.NONE) {
            reply.nullBulk();
        } else {
            reply.bulk(hash.valueArray(position), hash.valueOffset(position), hash.valueLength(position));
        }
    }

    /** HMGET key field [field ...] */
    static void hmget(CommandContext c) {
        RequestArguments arguments = c.arguments();
        HashValue hash = hashOf(c.database().lookupRead(arguments, 1));
        ReplyWriter reply = c.reply();
        reply.arrayHeader(arguments.count() - 2);
        for (int i = 2; i < arguments.count(); i++) {
            int position = hash == null ? HashValue.NONE : hash.find(arguments.array(i), arguments.offset(i),
                    arguments.length(i));
            replyValue(reply, hash, position);
        }
    }

    /** HLEN key */
    static void hlen(CommandContext c) {
        HashValue hash = hashOf(c.database().lookupRead(c.arguments(), 1));
        c.reply().integer(hash == null ? 0 : hash.size());
    }

    /** HSTRLEN key field */
    static void hstrlen(CommandContext c) {
        RequestArguments arguments = c.arguments();
        HashValue hash = hashOf(c.database().lookupRead(arguments, 1));
        int position = hash == null ? HashValue.NONE : hash.find(arguments.array(2), arguments.offset(2),
                arguments.length(2));
        c.reply().integer(position == HashValue.NONE ? 0 : hash.valueLength(position));
    }

    /** HEXISTS key field */
    static void hexists(CommandContext c) {
        RequestArguments arguments = c.arguments();
        HashValue hash = hashOf(c.database().lookupRead(arguments, 1));
        boolean exists = hash != null
                && hash.find(arguments.array(2), arguments.offset(2), arguments.length(2)) != HashValue.NONE;
        c.reply().integer(exists ? 1 : 0);
    }

    static void hkeys(CommandContext c) {
        replyAll(c, true, false);
    }

    static void hvals(CommandContext c) {
        replyAll(c, false, true);
    }

    static void hgetall(CommandContext c) {
        replyAll(c, true, true);
    }

    /** HKEYS, HVALS, HGETALL: fields, values or both, in the hash's order; HGETALL is a map in RESP3. */
    private static void replyAll(CommandContext c, boolean fields, boolean values) {
        HashValue hash = hashOf(c.database().lookupRead(c.arguments(), 1));
        ReplyWriter reply = c.reply();
        int size = hash == null ? 0 : hash.size();
        if (fields && values) {
            reply.mapHeader(size);
        } else {
            reply.arrayHeader(size);
        }
        if (hash == null) {
            return;
        }
        for (int position = hash.first(); position != HashValue.NONE; position = hash.next(position)) {
            if (fields) {
                reply.bulk(hash.fieldArray(position), hash.fieldOffset(position), hash.fieldLength(position));
            }
            if (values) {
                reply.bulk(hash.valueArray(position), hash.valueOffset(position), hash.valueLength(position));
            }
        }
    }

    // ---------------------------------------------------------------- deleting

    /** HDEL key field [field ...] */
    static void hdel(CommandContext c) {
        RequestArguments arguments = c.arguments();
        Database database = c.database();
        KeyEntry entry = database.lookupWrite(arguments, 1);
        HashValue hash = hashOf(entry);
        if (hash == null) {
            c.reply().integer(0);
            return;
        }
        database.writableValue(entry);
        int deleted = 0;
        for (int i = 2; i < arguments.count() && !hash.isEmpty(); i++) {
            if (hash.delete(arguments.array(i), arguments.offset(i), arguments.length(i))) {
                deleted++;
            }
        }
        if (deleted > 0) {
            database.changed(entry);
            c.notifyKeyspaceEvent(KeyspaceEvents.HASH, EventNames.HDEL, 1);
            if (hash.isEmpty()) {
                database.delete(entry);
                c.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, EventNames.DEL, 1);
            }
        }
        c.reply().integer(deleted);
    }

    // ---------------------------------------------------------------- numbers

    /** HINCRBY key field increment: the field's value as a 64-bit integer, 0 when absent. */
    static void hincrby(CommandContext c) {
        long increment = c.longArgument(3);
        RequestArguments arguments = c.arguments();
        Database database = c.database();
        KeyEntry entry = database.lookupWrite(arguments, 1);
        HashValue hash = hashOf(entry);
        long current = 0;
        int position = hash == null ? HashValue.NONE : hash.find(arguments.array(2), arguments.offset(2),
                arguments.length(2));
        if (position != HashValue.NONE) {
            try {
                current = NumericStrings.parseLong(hash.valueArray(position), hash.valueOffset(position),
                        hash.valueLength(position));
            } catch (NumberFormatException notAnInteger) {
                throw HASH_VALUE_NOT_INTEGER;
            }
        }
        long result = current + increment;
        if (((current ^ result) & (increment ^ result)) < 0) {
            throw Errors.INCREMENT_OVERFLOW;
        }
        byte[] digits = NumericStrings.toBytes(result);
        setOne(c, database, entry, hash, digits, 0, digits.length);
        c.notifyKeyspaceEvent(KeyspaceEvents.HASH, EventNames.HINCRBY, 1);
        c.reply().integer(result);
    }

    /**
     * HINCRBYFLOAT key field increment, in long double as INCRBYFLOAT. The text is the value: it is
     * stored, replied and propagated (as HSET key field text, as Redis 7.0 does, so that a replica
     * does not redo arithmetic whose rounding could differ).
     */
    static void hincrbyfloat(CommandContext c) {
        RequestArguments arguments = c.arguments();
        LongDouble increment;
        try {
            increment = LongDouble.parse(arguments.array(3), arguments.offset(3), arguments.length(3));
        } catch (NumberFormatException notAFloat) {
            throw Errors.NOT_A_FLOAT;
        }
        if (!increment.isFinite()) {
            throw INCREMENT_NOT_FINITE;
        }
        Database database = c.database();
        KeyEntry entry = database.lookupWrite(arguments, 1);
        HashValue hash = hashOf(entry);
        LongDouble current = LongDouble.ZERO;
        int position = hash == null ? HashValue.NONE : hash.find(arguments.array(2), arguments.offset(2),
                arguments.length(2));
        if (position != HashValue.NONE) {
            try {
                current = LongDouble.parse(hash.valueArray(position), hash.valueOffset(position),
                        hash.valueLength(position));
            } catch (NumberFormatException notAFloat) {
                throw HASH_VALUE_NOT_FLOAT;
            }
        }
        LongDouble sum = current.add(increment);
        if (!sum.isFinite()) {
            throw RESULT_NOT_FINITE;
        }
        byte[] text = sum.toHumanBytes();
        setOne(c, database, entry, hash, text, 0, text.length);
        c.notifyKeyspaceEvent(KeyspaceEvents.HASH, EventNames.HINCRBYFLOAT, 1);
        c.reply().bulk(text);
        if (c.isPropagating()) {
            c.rewrite().word(HSET).argument(1).argument(2).bytes(text).end();
        }
    }
}
