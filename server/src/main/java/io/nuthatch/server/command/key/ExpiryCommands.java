package io.nuthatch.server.command.key;

import io.nuthatch.server.pubsub.EventNames;
import io.nuthatch.server.pubsub.KeyspaceEvents;
import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.command.CommandError;
import io.nuthatch.server.command.CommandTable;
import io.nuthatch.server.command.Errors;
import io.nuthatch.server.keyspace.Database;
import io.nuthatch.server.propagation.WritePropagation;
import io.nuthatch.server.keyspace.KeyEntry;
import io.nuthatch.server.type.NumericStrings;

/**
 * Expiry of keys: EXPIRE and its variants, TTL, PTTL, EXPIRETIME, PEXPIRETIME, PERSIST.
 *
 * <p>The four setters share one path, Redis's: options first, then the time, converted to
 * absolute milliseconds with overflow checks, then the key. A time already past deletes the key
 * and is propagated as the DEL (or UNLINK, with lazyfree-lazy-expire) it amounts to; any other is
 * propagated as PEXPIREAT with the absolute time, so that replaying the log later sets the same
 * instant. The NX/XX/GT/LT options are propagated as given.
 */
public final class ExpiryCommands {
    private static final byte[] NX = CommandContext.keyword("NX");
    private static final byte[] XX = CommandContext.keyword("XX");
    private static final byte[] GT = CommandContext.keyword("GT");
    private static final byte[] LT = CommandContext.keyword("LT");
    private static final byte[] PEXPIREAT = CommandContext.keyword("PEXPIREAT");
    private static final byte[] DEL = CommandContext.keyword("DEL");
    private static final byte[] UNLINK = CommandContext.keyword("UNLINK");

    private static final int ONLY_WITHOUT_EXPIRY = 1;
    private static final int ONLY_WITH_EXPIRY = 2;
    private static final int ONLY_LATER = 4;
    private static final int ONLY_EARLIER = 8;

    private static final CommandError NX_NOT_COMPATIBLE =
            new CommandError("ERR NX and XX, GT or LT options at the same time are not compatible");
    private static final CommandError GT_LT_NOT_COMPATIBLE =
            new CommandError("ERR GT and LT options at the same time are not compatible");

    private ExpiryCommands() {
    }

    public static void register(CommandTable.Registry table) {
        table.command("expire", "Sets a key's time to live in seconds.", "O(1)", ExpiryCommands::expire);
        table.command("pexpire", "Sets a key's time to live in milliseconds.", "O(1)", ExpiryCommands::pexpire);
        table.command("expireat", "Sets the Unix time, in seconds, at which a key expires.", "O(1)",
                ExpiryCommands::expireat);
        table.command("pexpireat", "Sets the Unix time, in milliseconds, at which a key expires.", "O(1)",
                ExpiryCommands::pexpireat);
        table.command("ttl", "Returns a key's time to live in seconds.", "O(1)", ExpiryCommands::ttl);
        table.command("pttl", "Returns a key's time to live in milliseconds.", "O(1)", ExpiryCommands::pttl);
        table.command("expiretime", "Returns the Unix time, in seconds, at which a key expires.", "O(1)",
                ExpiryCommands::expiretime);
        table.command("pexpiretime", "Returns the Unix time, in milliseconds, at which a key expires.", "O(1)",
                ExpiryCommands::pexpiretime);
        table.command("persist", "Removes a key's expiry.", "O(1)", ExpiryCommands::persist);
    }

    static void expire(CommandContext c) {
        setExpiry(c, c.now(), true);
    }

    static void pexpire(CommandContext c) {
        setExpiry(c, c.now(), false);
    }

    static void expireat(CommandContext c) {
        setExpiry(c, 0, true);
    }

    static void pexpireat(CommandContext c) {
        setExpiry(c, 0, false);
    }

    /** EXPIRE key time [NX | XX | GT | LT], relative to {@code base} milliseconds. */
    private static void setExpiry(CommandContext c, long base, boolean seconds) {
        int conditions = conditions(c);
        long when = c.longArgument(2);
        if (seconds) {
            if (when > Long.MAX_VALUE / 1000 || when < Long.MIN_VALUE / 1000) {
                throw Errors.invalidExpireTime(c.command().name());
            }
            when *= 1000;
        }
        if (when > Long.MAX_VALUE - base) {
            throw Errors.invalidExpireTime(c.command().name());
        }
        when += base;

        Database database = c.database();
        KeyEntry entry = database.lookupWrite(c.arguments(), 1);
        if (entry == null || !conditionsHold(conditions, entry.expiresAt(), when)) {
            c.reply().integer(0);
            return;
        }
        if (when <= c.now() && c.engine().expiryDeletesKeys()) {
            database.delete(entry);
            c.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, EventNames.DEL, 1);
            if (c.isPropagating()) {
                c.rewrite().word(c.config().lazyfreeLazyExpire.value() ? UNLINK : DEL).argument(1).end();
            }
            c.reply().integer(1);
            return;
        }
        database.setExpiry(entry, when);
        c.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, EventNames.EXPIRE, 1);
        if (c.isPropagating() && (base != 0 || seconds)) {
            propagateAbsolute(c, when);
        }
        c.reply().integer(1);
    }

    /** The NX/XX/GT/LT options, from argument 3 on. */
    private static int conditions(CommandContext c) {
        int conditions = 0;
        for (int i = 3; i < c.argumentCount(); i++) {
            if (c.isKeyword(i, NX)) {
                conditions |= ONLY_WITHOUT_EXPIRY;
            } else if (c.isKeyword(i, XX)) {
                conditions |= ONLY_WITH_EXPIRY;
            } else if (c.isKeyword(i, GT)) {
                conditions |= ONLY_LATER;
            } else if (c.isKeyword(i, LT)) {
                conditions |= ONLY_EARLIER;
            } else {
                throw new CommandError("ERR Unsupported option " + cString(c.argumentText(i)));
            }
        }
        if ((conditions & ONLY_WITHOUT_EXPIRY) != 0 && conditions != ONLY_WITHOUT_EXPIRY) {
            throw NX_NOT_COMPATIBLE;
        }
        if ((conditions & (ONLY_LATER | ONLY_EARLIER)) == (ONLY_LATER | ONLY_EARLIER)) {
            throw GT_LT_NOT_COMPATIBLE;
        }
        return conditions;
    }

    /** Whether the options allow the change; a key without expiry counts as expiring never (GT, LT). */
    private static boolean conditionsHold(int conditions, long current, long when) {
        boolean hasExpiry = current != KeyEntry.NO_EXPIRY;
        if ((conditions & ONLY_WITHOUT_EXPIRY) != 0 && hasExpiry) {
            return false;
        }
        if ((conditions & ONLY_WITH_EXPIRY) != 0 && !hasExpiry) {
            return false;
        }
        if ((conditions & ONLY_LATER) != 0 && (!hasExpiry || when <= current)) {
            return false;
        }
        return (conditions & ONLY_EARLIER) == 0 || !hasExpiry || when < current;
    }

    /** PEXPIREAT key absolute-ms, followed by the options as they were given. */
    /** The command as PEXPIREAT key unix-ms, its condition options kept. */
    private static void propagateAbsolute(CommandContext c, long when) {
        WritePropagation.RecordBuilder record = c.rewrite().word(PEXPIREAT).argument(1).number(when);
        for (int i = 3; i < c.argumentCount(); i++) {
            record.argument(i);
        }
        record.end();
    }

    /** Text as C's "%s" prints it: up to the first NUL. */
    private static String cString(String text) {
        int nul = text.indexOf('\0');
        return nul < 0 ? text : text.substring(0, nul);
    }

    static void ttl(CommandContext c) {
        timeToLive(c, false, false);
    }

    static void pttl(CommandContext c) {
        timeToLive(c, true, false);
    }

    static void expiretime(CommandContext c) {
        timeToLive(c, false, true);
    }

    static void pexpiretime(CommandContext c) {
        timeToLive(c, true, true);
    }

    /** -2 for a missing key, -1 for a key without expiry; seconds are rounded to the nearest. */
    private static void timeToLive(CommandContext c, boolean millis, boolean absolute) {
        KeyEntry entry = c.database().lookup(c.arguments(), 1, Database.NO_TOUCH);
        if (entry == null) {
            c.reply().integer(-2);
            return;
        }
        if (!entry.hasExpiry()) {
            c.reply().integer(-1);
            return;
        }
        long value = Math.max(0, absolute ? entry.expiresAt() : entry.expiresAt() - c.now());
        // (value + 500) / 1000 without overflowing near Long.MAX_VALUE, where Redis's answer is exact.
        c.reply().integer(millis ? value : value / 1000 + (value % 1000 + 500) / 1000);
    }

    static void persist(CommandContext c) {
        Database database = c.database();
        KeyEntry entry = database.lookupWrite(c.arguments(), 1);
        boolean persisted = entry != null && database.persist(entry);
        if (persisted) {
            c.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, EventNames.PERSIST, 1);
        }
        c.reply().integer(persisted ? 1 : 0);
    }
}
