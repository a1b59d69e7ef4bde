package io.nuthatch.server.command.server;

import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.command.CommandTable;
import io.nuthatch.server.command.Errors;
import io.nuthatch.server.keyspace.KeyEntry;

/**
 * MEMORY USAGE: the bytes a key and its value take.
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
