package io.nuthatch.server.command.hyperloglog;

import io.nuthatch.server.pubsub.EventNames;
import io.nuthatch.server.pubsub.KeyspaceEvents;
import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.command.CommandError;
import io.nuthatch.server.command.CommandTable;
import io.nuthatch.server.keyspace.Database;
import io.nuthatch.server.keyspace.KeyEntry;
import io.nuthatch.server.keyspace.StringForm;
import io.nuthatch.server.type.HyperLogLog;
import io.nuthatch.server.type.HyperLogLogBuffer;

/**
 * PFADD, PFCOUNT and PFMERGE on HyperLogLogs kept as strings in Redis's format (see
 * {@link HyperLogLog}); PFDEBUG and PFSELFTEST are in {@link HyperLogLogDebugCommands}.
 *
 * <p>A dense HLL is changed where it is stored; a sparse one is edited in the thread's
 * {@link HyperLogLogBuffer} and written back, in place when its length did not change. A write
 * signals the key (WATCH, dirty) only when a register changed, as in Redis, so a PFADD that changes
 * nothing is not propagated; PFCOUNT writes the cardinality it computed into the header, and so is
 * propagated when it does.
 *
 * <p>One difference is kept on purpose: when PFADD meets a corrupt sparse HLL after some of its
 * elements were already added, Redis keeps those registers (unsignalled, unpropagated) and replies
 * the error; here the command changes nothing, as every command that fails does.
 */
public final class HyperLogLogCommands {
    static final CommandError NOT_AN_HLL = new CommandError("WRONGTYPE Key is not a valid HyperLogLog string value.");
    static final CommandError CORRUPT = new CommandError("INVALIDOBJ Corrupted HLL object detected");

    /** Commands run one at a time, but on the thread of their connection: one buffer per such thread. */
    private static final ThreadLocal<HyperLogLogBuffer> BUFFERS = ThreadLocal.withInitial(HyperLogLogBuffer::new);

    private HyperLogLogCommands() {
    }

    public static void register(CommandTable.Registry table) {
        table.command("pfadd", "Adds elements to a HyperLogLog, creating the key if needed.",
                "O(1) for each element added", HyperLogLogCommands::pfadd);
        table.command("pfcount", "Estimates the number of distinct elements added to one HyperLogLog or"
                + " to the union of several.", "O(1) with a cached estimate for one key, O(N) for N keys",
                HyperLogLogCommands::pfcount);
        table.command("pfmerge", "Stores the union of HyperLogLogs into a key.",
                "O(N) to merge N HyperLogLogs", HyperLogLogCommands::pfmerge);
        HyperLogLogDebugCommands.register(table);
    }

    static HyperLogLogBuffer buffer() {
        return BUFFERS.get();
    }

    /**
     * The entry checked to be a string in HLL format.
     *
     * @throws CommandError WRONGTYPE for another type, or for a string that is not an HLL
     */
    static KeyEntry requireHyperLogLog(KeyEntry entry) {
        CommandContext.requireString(entry);
        if (!HyperLogLog.isValid(entry.stringArray(), entry.stringOffset(), entry.stringLength())) {
            throw NOT_AN_HLL;
        }
        return entry;
    }

    static long sparseMaxBytes(CommandContext c) {
        return c.config().encoding.hllSparseMaxBytes.value();
    }

    static void pfadd(CommandContext c) {
        Database database = c.database();
        KeyEntry entry = database.lookupWrite(c.arguments(), 1);
        int count = c.argumentCount();
        long sparseMax = sparseMaxBytes(c);
        HyperLogLogBuffer buffer = buffer();
        if (entry == null) {
            buffer.loadEmpty();
            for (int i = 2; i < count; i++) {
                buffer.add(c.arguments().array(i), c.arguments().offset(i), c.arguments().length(i), sparseMax);
            }
            // Creating the key counts as a change, so even an HLL of no elements is stale.
            buffer.invalidateCache();
            database.setString(null, c.arguments(), 1, buffer.array(), 0, buffer.length(), StringForm.RAW,
                    KeyEntry.NO_EXPIRY);
            c.notifyKeyspaceEvent(KeyspaceEvents.STRING, EventNames.PFADD, 1);
            c.reply().integer(1);
            return;
        }
        requireHyperLogLog(entry);
        database.unshareString(entry);
        boolean updated = HyperLogLog.encoding(entry.stringArray(), entry.stringOffset()) == HyperLogLog.DENSE
                ? addToDense(c, database, entry, count)
                : addToSparse(c, database, entry, buffer, count, sparseMax);
        if (updated) {
            c.notifyKeyspaceEvent(KeyspaceEvents.STRING, EventNames.PFADD, 1);
        }
        c.reply().integer(updated ? 1 : 0);
    }

    /** Raises the registers where they are stored; the value is opened only once one must change. */
    private static boolean addToDense(CommandContext c, Database database, KeyEntry entry, int count) {
        boolean opened = false;
        for (int i = 2; i < count; i++) {
            long hash = HyperLogLog.hash(c.arguments().array(i), c.arguments().offset(i), c.arguments().length(i));
            int index = HyperLogLog.register(hash);
            int value = HyperLogLog.runLength(hash);
            int registers = entry.stringOffset() + HyperLogLog.HEADER;
            if (HyperLogLog.denseRegister(entry.stringArray(), registers, index) >= value) {
                continue;
            }
            if (!opened) {
                database.writableString(entry, entry.stringLength());
                opened = true;
                registers = entry.stringOffset() + HyperLogLog.HEADER;
            }
            HyperLogLog.setDenseRegister(entry.stringArray(), registers, index, value);
        }
        if (opened) {
            HyperLogLog.invalidateCache(entry.stringArray(), entry.stringOffset());
            database.changed(entry);
        }
        return opened;
    }

    private static boolean addToSparse(CommandContext c, Database database, KeyEntry entry, HyperLogLogBuffer buffer,
                                       int count, long sparseMax) {
        buffer.load(entry.stringArray(), entry.stringOffset(), entry.stringLength());
        boolean updated = false;
        for (int i = 2; i < count; i++) {
            int result = buffer.add(c.arguments().array(i), c.arguments().offset(i), c.arguments().length(i),
                    sparseMax);
            if (result < 0) {
                throw CORRUPT;
            }
            updated |= result == 1;
        }
        if (updated) {
            buffer.invalidateCache();
            store(c, database, entry, buffer);
        }
        return updated;
    }

    /** Writes the buffer back as the key's value: over the old bytes when the length is the same. */
    static void store(CommandContext c, Database database, KeyEntry entry, HyperLogLogBuffer buffer) {
        if (entry == null || entry.stringLength() != buffer.length()) {
            database.setString(entry, c.arguments(), 1, buffer.array(), 0, buffer.length(), StringForm.RAW,
                    entry == null ? KeyEntry.NO_EXPIRY : Database.KEEP_EXPIRY);
            return;
        }
        database.writableString(entry, buffer.length());
        System.arraycopy(buffer.array(), 0, entry.stringArray(), entry.stringOffset(), buffer.length());
        database.changed(entry);
    }

    static void pfcount(CommandContext c) {
        if (c.argumentCount() > 2) {
            pfcountUnion(c);
            return;
        }
        Database database = c.database();
        KeyEntry entry = database.lookupRead(c.arguments(), 1);
        if (entry == null) {
            c.reply().integer(0);
            return;
        }
        requireHyperLogLog(entry);
        database.unshareString(entry);
        byte[] bytes = entry.stringArray();
        int offset = entry.stringOffset();
        if (HyperLogLog.hasCachedCardinality(bytes, offset)) {
            c.reply().integer(HyperLogLog.cachedCardinality(bytes, offset));
            return;
        }
        long cardinality = buffer().count(bytes, offset, entry.stringLength());
        if (cardinality < 0) {
            throw CORRUPT;
        }
        database.writableString(entry, entry.stringLength());
        HyperLogLog.storeCardinality(entry.stringArray(), entry.stringOffset(), cardinality);
        database.changed(entry);
        c.reply().integer(cardinality);
    }

    /** PFCOUNT of several keys: the estimate of their union; no cache is read or written. */
    private static void pfcountUnion(CommandContext c) {
        HyperLogLogBuffer buffer = buffer();
        buffer.clearUnion();
        mergeKeys(c, buffer, 1);
        c.reply().integer(buffer.countUnion());
    }

    /**
     * Merges the HLLs of arguments {@code first} on into the buffer's union, missing keys counting
     * as empty.
     *
     * @return whether any of them is dense
     */
    private static boolean mergeKeys(CommandContext c, HyperLogLogBuffer buffer, int first) {
        Database database = c.database();
        boolean dense = false;
        for (int i = first; i < c.argumentCount(); i++) {
            KeyEntry entry = database.lookupRead(c.arguments(), i);
            if (entry == null) {
                continue;
            }
            requireHyperLogLog(entry);
            dense |= HyperLogLog.encoding(entry.stringArray(), entry.stringOffset()) == HyperLogLog.DENSE;
            if (!buffer.mergeIntoUnion(entry.stringArray(), entry.stringOffset(), entry.stringLength())) {
                throw CORRUPT;
            }
        }
        return dense;
    }

    /**
     * PFMERGE destination source...: the destination is one of the merged HLLs. It becomes dense
     * when any of them is, else stays sparse as long as its registers allow; it is signalled (and
     * propagated) even when nothing changed, as in Redis.
     */
    static void pfmerge(CommandContext c) {
        HyperLogLogBuffer buffer = buffer();
        buffer.clearUnion();
        boolean dense = mergeKeys(c, buffer, 1);
        Database database = c.database();
        KeyEntry entry = database.lookupWrite(c.arguments(), 1);
        if (entry == null) {
            buffer.loadEmpty();
        } else {
            buffer.load(entry.stringArray(), entry.stringOffset(), entry.stringLength());
        }
        if (dense && !buffer.toDense()) {
            throw CORRUPT;
        }
        buffer.setFromUnion(sparseMaxBytes(c));
        buffer.invalidateCache();
        store(c, database, entry, buffer);
        // PFMERGE reports itself as an addition, as in Redis.
        c.notifyKeyspaceEvent(KeyspaceEvents.STRING, EventNames.PFADD, 1);
        c.reply().ok();
    }
}
