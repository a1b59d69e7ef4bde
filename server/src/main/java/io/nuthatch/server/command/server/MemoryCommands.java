package io.nuthatch.server.command.server;

import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.command.CommandTable;
import io.nuthatch.server.command.Errors;
import io.nuthatch.resp.ReplyWriter;
import io.nuthatch.server.eviction.Eviction;
import io.nuthatch.server.eviction.MemoryBudget;
import io.nuthatch.server.info.MemoryFigures;
import io.nuthatch.server.keyspace.Database;
import io.nuthatch.server.keyspace.KeyEntry;
import io.nuthatch.server.keyspace.Keyspace;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * MEMORY USAGE: the bytes a key and its value take; MEMORY STATS and MEMORY DOCTOR: the server's
 * memory account, the one INFO memory prints.
 *
 * <p>The figure is this server's own estimate, the one used_memory adds up (see the keyspace's
 * package documentation): the entry, the array holding the key (and a string value), and the value
 * object with everything it holds; the key table's buckets, allocated for many keys at once, are
 * not shared out. Every value keeps it current as it changes, so no sampling is needed: SAMPLES
 * is checked as Redis checks it and otherwise has no effect. The numbers are not Redis's, whose allocator and
 * encodings differ; the reply's shape, the missing key's null and the errors are.
 *
 * <p>As in Redis, the key is found without the side effects of a lookup: no expiry, no access
 * clock, no hit or miss counted. A key whose time has passed but that has not been deleted yet
 * still has a size.
 */
public final class MemoryCommands {
    private static final byte[] SAMPLES = CommandContext.keyword("SAMPLES");

    private MemoryCommands() {
    }

    public static void register(CommandTable.Registry table) {
        table.subcommand("memory", "usage", "Estimates the bytes a key and its value take in memory.",
                "O(1): the estimate is kept current as the value changes", MemoryCommands::usage);
        table.subcommand("memory", "stats", "Returns details about memory usage.", "O(1)", MemoryCommands::stats);
        table.subcommand("memory", "doctor", "Outputs a memory problems report.", "O(1)", MemoryCommands::doctor);
    }

    /**
     * MEMORY STATS: the account INFO memory prints, under Redis's names and in its order; one
     * "db.N" entry per database holding keys, with its table's and expiry index's overhead. The
     * allocator figures are the JVM heap's, as in INFO memory.
     */
    static void stats(CommandContext c) {
        MemoryFigures m = c.engine().info().memoryFigures();
        Keyspace keyspace = c.engine().keyspace();
        int databasesWithKeys = 0;
        for (int i = 0; i < keyspace.count(); i++) {
            if (keyspace.database(i).size() > 0) {
                databasesWithKeys++;
            }
        }
        ReplyWriter reply = c.reply();
        reply.mapHeader(27 + databasesWithKeys);
        field(reply, "peak.allocated").integer(m.peak());
        field(reply, "total.allocated").integer(m.used());
        field(reply, "startup.allocated").integer(m.startup());
        field(reply, "replication.backlog").integer(0);
        field(reply, "clients.slaves").integer(0);
        field(reply, "clients.normal").integer(m.clients());
        field(reply, "cluster.links").integer(0);
        field(reply, "aof.buffer").integer(0);
        field(reply, "lua.caches").integer(0);
        field(reply, "functions.caches").integer(0);
        for (int i = 0; i < keyspace.count(); i++) {
            Database database = keyspace.database(i);
            if (database.size() > 0) {
                field(reply, "db." + i).mapHeader(3);
                field(reply, "overhead.hashtable.main").integer(database.tableMemory());
                field(reply, "overhead.hashtable.expires").integer(database.expiryIndexMemory());
                field(reply, "overhead.hashtable.slot-to-keys").integer(0);
            }
        }
        long keys = keyspace.size();
        long net = m.used() - m.startup();
        field(reply, "overhead.total").integer(m.overhead());
        field(reply, "keys.count").integer(keys);
        field(reply, "keys.bytes-per-key").integer(keys == 0 ? 0 : net / keys);
        field(reply, "dataset.bytes").integer(m.dataset());
        field(reply, "dataset.percentage").doubleValue(net <= 0 ? 0 : m.dataset() * 100.0 / net);
        field(reply, "peak.percentage").doubleValue(m.peak() == 0 ? 0 : m.used() * 100.0 / m.peak());
        field(reply, "allocator.allocated").integer(m.allocated());
        field(reply, "allocator.active").integer(m.active());
        field(reply, "allocator.resident").integer(m.resident());
        field(reply, "allocator-fragmentation.ratio").doubleValue(ratio(m.active(), m.allocated()));
        field(reply, "allocator-fragmentation.bytes").integer(m.active() - m.allocated());
        field(reply, "allocator-rss.ratio").doubleValue(ratio(m.resident(), m.active()));
        field(reply, "allocator-rss.bytes").integer(m.resident() - m.active());
        field(reply, "rss-overhead.ratio").doubleValue(ratio(m.rss(), m.resident()));
        field(reply, "rss-overhead.bytes").integer(m.rss() - m.resident());
        field(reply, "fragmentation").doubleValue(ratio(m.rss(), m.used()));
        field(reply, "fragmentation.bytes").integer(m.rss() - m.used());
    }

    private static ReplyWriter field(ReplyWriter reply, String name) {
        reply.bulk(name);
        return reply;
    }

    private static double ratio(long numerator, long denominator) {
        return denominator <= 0 ? 0 : (double) numerator / denominator;
    }

    /**
     * MEMORY DOCTOR: what in the memory account needs attention, in this server's terms (the
     * JVM's heap stands where Redis's allocator does, so Redis's fragmentation advice would
     * mislead): data near or past its limit, a maxmemory the heap cannot hold, keys being evicted,
     * a peak far above today's use. A verbatim text in RESP3, a bulk string in RESP2, as in Redis.
     */
    static void doctor(CommandContext c) {
        MemoryFigures m = c.engine().info().memoryFigures();
        Eviction eviction = c.engine().eviction();
        long maxmemory = c.config().maxmemory.value();
        long ceiling = MemoryBudget.heapCeiling(m.maxHeap());
        List<String> findings = new ArrayList<>();
        if (maxmemory > ceiling) {
            findings.add("maxmemory (" + maxmemory + " bytes) is more than the JVM heap can hold: keys are evicted,"
                    + " or writes refused, from " + ceiling + " bytes of data on. Give the JVM a larger heap (-Xmx, or"
                    + " a larger container with bin/nuthatch-server) or lower maxmemory.");
        }
        if (m.used() > eviction.limit() * 9 / 10) {
            findings.add("The data takes " + m.used() + " bytes, over 90% of its limit of " + eviction.limit()
                    + " bytes: new writes " + (eviction.policyOf(c.client().database()).evicts()
                    ? "evict other keys." : "are refused when it is reached (policy noeviction)."));
        }
        if (c.engine().stats().evictedKeys > 0) {
            findings.add(c.engine().stats().evictedKeys + " keys were evicted since the statistics were reset: if"
                    + " they were wanted, the hit ratio suffers; raise maxmemory (and the heap with it).");
        }
        if (m.peak() > m.used() * 3 / 2 && m.peak() > 64L << 20) {
            findings.add("The peak of used memory (" + m.peak() + " bytes) is more than 150% of the memory used now ("
                    + m.used() + " bytes): the heap stays sized for the peak until the JVM gives memory back.");
        }
        StringBuilder text = new StringBuilder();
        if (findings.isEmpty()) {
            text.append("No memory problem found: ").append(m.used()).append(" bytes used of a limit of ")
                    .append(eviction.limit()).append(" bytes, in a JVM heap of at most ").append(m.maxHeap())
                    .append(" bytes.\n");
        } else {
            text.append("Memory problems found:\n\n");
            for (String finding : findings) {
                text.append(" * ").append(finding).append("\n\n");
            }
        }
        c.reply().verbatim("txt", text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** MEMORY USAGE key [SAMPLES count] */
    static void usage(CommandContext c) {
        int count = c.argumentCount();
        for (int i = 3; i < count; i++) {
            if (c.isKeyword(i, SAMPLES) && i + 1 < count) {
                if (c.longArgument(++i) < 0) {
                    throw Errors.SYNTAX;
                }
            } else {
                throw Errors.SYNTAX;
            }
        }
        KeyEntry entry = c.database().peek(c.copyArgument(2));
        if (entry == null) {
            c.reply().nullBulk();
            return;
        }
        c.reply().integer(entry.memoryUsage());
    }
}
