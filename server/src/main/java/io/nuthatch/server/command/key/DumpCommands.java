package io.nuthatch.server.command.key;

import io.nuthatch.persistence.rdb.RdbInput;
import io.nuthatch.persistence.rdb.RdbOutput;
import io.nuthatch.resp.RequestArguments;
import io.nuthatch.server.Engine;
import io.nuthatch.server.codec.DecodedValue;
import io.nuthatch.server.codec.DumpPayload;
import io.nuthatch.server.codec.EncodingLimits;
import io.nuthatch.server.codec.ValueCodec;
import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.command.CommandError;
import io.nuthatch.server.command.CommandTable;
import io.nuthatch.server.command.Errors;
import io.nuthatch.server.keyspace.AccessFrequency;
import io.nuthatch.server.keyspace.AccessRecency;
import io.nuthatch.server.keyspace.Database;
import io.nuthatch.server.keyspace.KeyEntry;
import io.nuthatch.server.keyspace.StringForm;
import io.nuthatch.server.type.StringValue;

import java.io.IOException;

/**
 * DUMP and RESTORE: a key's value in Redis's serialized form ({@link DumpPayload}), so that values
 * move between this server and redis-server in both directions. RESTORE checks what Redis checks,
 * in Redis's order: its options, an existing key (BUSYKEY unless REPLACE), the TTL, the payload's
 * version and CRC, then the value itself ("Bad data format" for anything the codec refuses).
 */
public final class DumpCommands {
    private static final byte[] REPLACE = CommandContext.keyword("REPLACE");
    private static final byte[] ABSTTL = CommandContext.keyword("ABSTTL");
    private static final byte[] IDLETIME = CommandContext.keyword("IDLETIME");
    private static final byte[] FREQ = CommandContext.keyword("FREQ");
    private static final byte[] RESTORE = CommandContext.keyword("RESTORE");
    private static final byte[] DEL = CommandContext.keyword("DEL");
    private static final byte[] UNLINK = CommandContext.keyword("UNLINK");

    private static final CommandError BUSY_KEY = new CommandError("BUSYKEY Target key name already exists.");
    private static final CommandError INVALID_TTL = new CommandError("ERR Invalid TTL value, must be >= 0");
    private static final CommandError INVALID_IDLETIME = new CommandError("ERR Invalid IDLETIME value, must be >= 0");
    private static final CommandError INVALID_FREQ = new CommandError(
            "ERR Invalid FREQ value, must be >= 0 and <= 255");
    private static final CommandError BAD_PAYLOAD = new CommandError("ERR DUMP payload version or checksum are wrong");
    private static final CommandError BAD_FORMAT = new CommandError("ERR Bad data format");

    /** The codec and buffer of the thread running commands: DUMP encodes into it, reusing it. */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private DumpCommands() {
    }

    public static void register(CommandTable.Registry table) {
        table.command("dump", "Returns a serialized representation of a key's value.",
                "O(1) to access the key and additional O(N*M) to serialize it, where N is the number of elements"
                        + " composing the value and M their average size", DumpCommands::dump);
        table.command("restore", "Creates a key from the serialized representation of a value.",
                "O(1) to create the new key and additional O(N*M) to reconstruct the serialized value, where N is"
                        + " the number of elements composing the value and M their average size",
                DumpCommands::restore);
    }

    /** DUMP key */
    static void dump(CommandContext c) {
        KeyEntry entry = c.database().lookupRead(c.arguments(), 1);
        if (entry == null) {
            c.reply().nullBulk();
            return;
        }
        Scratch scratch = SCRATCH.get();
        RdbOutput out = scratch.output(c.config().persistence.rdbcompression.value());
        DumpPayload.write(scratch.codec, entry, out);
        c.reply().bulk(out.array(), 0, (int) out.size());
        scratch.release(out);
    }

    /** RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency] */
    static void restore(CommandContext c) {
        boolean replace = false;
        boolean absolute = false;
        long idle = -1;
        long frequency = -1;
        int count = c.argumentCount();
        for (int i = 4; i < count; i++) {
            boolean hasValue = i + 1 < count;
            if (c.isKeyword(i, REPLACE)) {
                replace = true;
            } else if (c.isKeyword(i, ABSTTL)) {
                absolute = true;
            } else if (c.isKeyword(i, IDLETIME) && hasValue && frequency == -1) {
                idle = c.longArgument(++i);
                if (idle < 0) {
                    throw INVALID_IDLETIME;
                }
            } else if (c.isKeyword(i, FREQ) && hasValue && idle == -1) {
                frequency = c.longArgument(++i);
                if (frequency < 0 || frequency > 255) {
                    throw INVALID_FREQ;
                }
            } else {
                throw Errors.SYNTAX;
            }
        }
        Database database = c.database();
        RequestArguments arguments = c.arguments();
        KeyEntry existing = database.lookupWrite(arguments, 1);
        if (existing != null && !replace) {
            throw BUSY_KEY;
        }
        long ttl = c.longArgument(2);
        if (ttl < 0) {
            throw INVALID_TTL;
        }
        byte[] payload = arguments.array(3);
        int offset = arguments.offset(3);
        int length = arguments.length(3);
        if (!DumpPayload.verify(payload, offset, length)) {
            throw BAD_PAYLOAD;
        }
        DecodedValue value = decode(c, payload, offset, DumpPayload.valueLength(length));
        boolean deleted = false;
        if (existing != null) {
            database.delete(existing);
            deleted = true;
        }
        long expiresAt = ttl == 0 ? KeyEntry.NO_EXPIRY : absolute ? ttl : c.now() + ttl;
        if (ttl != 0 && expiresAt <= c.now()) {
            if (deleted) {
                if (c.isPropagating()) {
                    boolean lazy = c.config().memory.lazyfreeLazyServerDel.value();
                    c.rewrite().word(lazy ? UNLINK : DEL).argument(1).end();
                }
            } else {
                c.suppressPropagation();
            }
            c.reply().ok();
            return;
        }
        KeyEntry entry = store(c, database, value, expiresAt);
        setAccessClock(c.engine(), database, entry, idle, frequency, c.now());
        if (ttl != 0 && !absolute && c.isPropagating()) {
            var record = c.rewrite().word(RESTORE).argument(1).number(expiresAt);
            for (int i = 3; i < count; i++) {
                record.argument(i);
            }
            record.word(ABSTTL).end();
        }
        c.reply().ok();
    }

    private static DecodedValue decode(CommandContext c, byte[] payload, int offset, int length) {
        Scratch scratch = SCRATCH.get();
        scratch.codec.limits(EncodingLimits.of(c.config().encoding));
        try {
            DecodedValue value = scratch.codec.decode(new RdbInput(payload, offset, length));
            if (value == null) {
                throw BAD_FORMAT;
            }
            return value;
        } catch (IOException | RuntimeException refused) {
            if (refused instanceof CommandError error) {
                throw error;
            }
            throw BAD_FORMAT;
        }
    }

    private static KeyEntry store(CommandContext c, Database database, DecodedValue value, long expiresAt) {
        RequestArguments arguments = c.arguments();
        KeyEntry entry;
        if (!value.isString()) {
            entry = database.add(arguments, 1, value.value());
        } else if (value.string().length >= RequestArguments.LARGE_ARGUMENT) {
            entry = database.add(arguments, 1, StringValue.wrap(value.string()));
        } else {
            byte[] string = value.string();
            return withExpiry(database, database.setString(null, arguments, 1, string, 0, string.length,
                    StringForm.WHOLE, expiresAt), expiresAt);
        }
        return withExpiry(database, entry, expiresAt);
    }

    private static KeyEntry withExpiry(Database database, KeyEntry entry, long expiresAt) {
        if (expiresAt == KeyEntry.NO_EXPIRY || entry.expiresAt() == expiresAt) {
            return entry;
        }
        return database.setExpiry(entry, expiresAt);
    }

    /**
     * IDLETIME sets the LRU clock that many seconds back, FREQ the LFU counter; each only under
     * the policy family that keeps it (the policy of the key's database), as Redis's
     * objectSetLRUOrLFU does.
     */
    private static void setAccessClock(Engine engine, Database database, KeyEntry entry, long idle, long frequency,
            long now) {
        if (database.usesFrequencyClock()) {
            if (frequency >= 0) {
                entry.accessClock(AccessFrequency.restored((int) frequency, AccessFrequency.minutes(now)));
            }
        } else if (idle >= 0) {
            entry.accessClock(AccessRecency.fromIdleSeconds(idle, engine.lruClock()));
        }
    }

    /** What one command thread reuses from DUMP to DUMP. */
    private static final class Scratch {
        final ValueCodec codec = new ValueCodec(EncodingLimits.DEFAULTS);
        private RdbOutput compressed;
        private RdbOutput plain;

        RdbOutput output(boolean compression) {
            if (compression) {
                if (compressed == null) {
                    compressed = new RdbOutput(true);
                }
                compressed.reset();
                return compressed;
            }
            if (plain == null) {
                plain = new RdbOutput(false);
            }
            plain.reset();
            return plain;
        }

        void release(RdbOutput out) {
            out.reset();
        }
    }
}
