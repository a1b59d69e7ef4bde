package io.nuthatch.server.command.key;

import io.nuthatch.server.Engine;
import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.command.CommandError;
import io.nuthatch.server.command.CommandTable;
import io.nuthatch.server.eviction.EvictionPolicy;
import io.nuthatch.server.keyspace.AccessFrequency;
import io.nuthatch.server.keyspace.AccessRecency;
import io.nuthatch.server.keyspace.Database;
import io.nuthatch.server.keyspace.KeyEntry;

/**
 * OBJECT: how a key's value is stored and used. The lookups neither touch the key nor count as an
 * access, so that looking does not change what is looked at.
 */
public final class ObjectCommands {
    /** Redis shares the string objects of the integers 0 to 9999 (OBJ_SHARED_INTEGERS). */
    private static final long SHARED_INTEGERS = 10_000;
    /** The reference count of a shared object in Redis (OBJ_SHARED_REFCOUNT, INT_MAX). */
    private static final long SHARED_REFCOUNT = Integer.MAX_VALUE;

    private static final CommandError IDLE_TIME_NOT_TRACKED = new CommandError("ERR An LFU maxmemory policy is"
            + " selected, idle time not tracked. Please note that when switching between policies at runtime LRU"
            + " and LFU data will take some time to adjust.");
    private static final CommandError FREQUENCY_NOT_TRACKED = new CommandError("ERR An LFU maxmemory policy is"
            + " not selected, access frequency not tracked. Please note that when switching between policies at"
            + " runtime LRU and LFU data will take some time to adjust.");

    private static final String[] HELP = {
        "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "ENCODING <key>",
        "    Return how the value of <key> is represented in memory (int, embstr, raw,",
        "    listpack, hashtable, ...).",
        "FREQ <key>",
        "    Return the logarithmic access counter of <key>; it grows with how often the",
        "    key is used and decays over time. Needs an LFU maxmemory-policy.",
        "IDLETIME <key>",
        "    Return the number of seconds since <key> was last read or written. Not",
        "    available under an LFU maxmemory-policy.",
        "REFCOUNT <key>",
        "    Return how many references point to the value of <key>.",
        "HELP",
        "    Print this help.",
    };

    private ObjectCommands() {
    }

    public static void register(CommandTable.Registry table) {
        table.subcommand("object", "encoding", "Returns how a key's value is represented in memory.", "O(1)",
                ObjectCommands::encoding);
        table.subcommand("object", "refcount", "Returns the number of references to a key's value.", "O(1)",
                ObjectCommands::refcount);
        table.subcommand("object", "idletime", "Returns the seconds since a key was last used.", "O(1)",
                ObjectCommands::idletime);
        table.subcommand("object", "freq", "Returns the logarithmic access frequency of a key.", "O(1)",
                ObjectCommands::freq);
        table.subcommand("object", "help", "Describes the OBJECT subcommands.", "O(1)", ObjectCommands::help);
    }

    /** The key of argument 2, or null after replying the null reply for a missing key. */
    private static KeyEntry lookup(CommandContext c) {
        KeyEntry entry = c.database().lookup(c.arguments(), 2, Database.NO_TOUCH);
        if (entry == null) {
            c.reply().nullBulk();
        }
        return entry;
    }

    static void encoding(CommandContext c) {
        KeyEntry entry = lookup(c);
        if (entry != null) {
            c.reply().bulk(entry.encoding());
        }
    }

    /**
     * Nothing is reference counted here; the figure is the one Redis would give: its shared
     * integer objects (0 to 9999, stored by SET and INCR unless an LRU or LFU policy with a
     * maxmemory needs a clock per key) say INT_MAX, everything else 1.
     */
    static void refcount(CommandContext c) {
        KeyEntry entry = lookup(c);
        if (entry != null) {
            c.reply().integer(isSharedInteger(c.engine(), c.database(), entry) ? SHARED_REFCOUNT : 1);
        }
    }

    private static boolean isSharedInteger(Engine engine, Database database, KeyEntry entry) {
        if (!entry.isIntegerEncoded() || entry.isCopy()) {
            return false;
        }
        EvictionPolicy.Choice choice = engine.eviction().policyOf(database.index()).choice();
        if (engine.config().maxmemory.value() != 0
                && (choice == EvictionPolicy.Choice.LEAST_RECENT || choice == EvictionPolicy.Choice.LEAST_FREQUENT)) {
            return false;
        }
        long number = entry.parseLong();
        return number >= 0 && number < SHARED_INTEGERS;
    }

    /** Seconds since the last access, from the 24-bit seconds clock, which wraps every 194 days. */
    static void idletime(CommandContext c) {
        KeyEntry entry = lookup(c);
        if (entry == null) {
            return;
        }
        if (c.database().usesFrequencyClock()) {
            throw IDLE_TIME_NOT_TRACKED;
        }
        c.reply().integer(AccessRecency.idleSeconds(entry.accessClock(), c.engine().lruClock()));
    }

    static void freq(CommandContext c) {
        KeyEntry entry = lookup(c);
        if (entry == null) {
            return;
        }
        if (!c.database().usesFrequencyClock()) {
            throw FREQUENCY_NOT_TRACKED;
        }
        c.reply().integer(AccessFrequency.counter(entry.accessClock(), AccessFrequency.minutes(c.now()),
                c.engine().eviction().lfuDecayMinutes()));
    }

    static void help(CommandContext c) {
        c.reply().arrayHeader(HELP.length);
        for (String line : HELP) {
            c.reply().simpleString(line);
        }
    }
}
