package io.nuthatch.server.command.zset;

import io.nuthatch.server.pubsub.EventNames;
import io.nuthatch.server.pubsub.KeyspaceEvents;
import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.command.Errors;
import io.nuthatch.server.keyspace.Database;
import io.nuthatch.server.keyspace.KeyEntry;
import io.nuthatch.server.type.DoubleStrings;
import io.nuthatch.server.type.ValueType;
import io.nuthatch.server.type.sortedset.SortedSet;

/**
 * What the sorted-set commands share: reading a key as a sorted set, the listpack limits of the
 * configuration, scores read from arguments, and the two ends of a change (closing it, storing a
 * result under a destination key, which the geo searches' STORE shares).
 */
public final class SortedSetAccess {
    private SortedSetAccess() {
    }

    /**
     * The sorted set of an entry just looked up, or null for a missing key.
     *
     * @throws io.nuthatch.server.command.CommandError WRONGTYPE for a key of another type
     */
    static SortedSet sortedSet(KeyEntry entry) {
        if (entry == null) {
            return null;
        }
        if (entry.type() != ValueType.ZSET) {
            throw Errors.WRONG_TYPE;
        }
        return (SortedSet) entry.value();
    }

    /** zset-max-listpack-entries. */
    static long maxEntries(CommandContext c) {
        return c.config().encoding.zsetMaxListpackEntries.value();
    }

    /** zset-max-listpack-value. */
    static long maxValue(CommandContext c) {
        return c.config().encoding.zsetMaxListpackValue.value();
    }

    /** An empty set in the encoding Redis 7.0 gives a new key whose first member is {@code firstMemberLength} bytes. */
    static SortedSet newSet(CommandContext c, int firstMemberLength) {
        return SortedSet.create(firstMemberLength, maxEntries(c), maxValue(c));
    }

    /**
     * A score argument, read as Redis's string2d reads it.
     *
     * @throws io.nuthatch.server.command.CommandError "value is not a valid float"
     */
    static double score(CommandContext c, int index) {
        try {
            return DoubleStrings.parseStrict(c.arguments().array(index), c.arguments().offset(index),
                    c.arguments().length(index));
        } catch (NumberFormatException notAFloat) {
            throw Errors.NOT_A_FLOAT;
        }
    }

    /**
     * Closes a change opened with {@code writableValue}, and deletes the key when the change left
     * the set empty, as Redis deletes empty collections.
     */
    static void changed(Database database, KeyEntry entry, SortedSet set) {
        database.changed(entry);
        if (set.isEmpty()) {
            database.delete(entry);
        }
    }

    /** The events of a change: the command's own, then "del" when the change emptied the set. */
    static void notifyChange(CommandContext c, byte[] event, int keyIndex, SortedSet set) {
        c.notifyKeyspaceEvent(KeyspaceEvents.ZSET, event, keyIndex);
        if (set.isEmpty()) {
            c.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, EventNames.DEL, keyIndex);
        }
    }

    /**
     * Stores a result under the key of argument {@code destinationIndex}, replacing whatever was
     * there (its expiry too), or deletes the key when the result is empty; as ZRANGESTORE,
     * ZUNIONSTORE and GEOSEARCHSTORE do.
     *
     * @return the result's size
     */
    public static int store(CommandContext c, int destinationIndex, SortedSet result, byte[] event) {
        Database database = c.database();
        if (result == null || result.isEmpty()) {
            KeyEntry existing = database.lookupWrite(c.arguments(), destinationIndex);
            if (existing != null) {
                database.delete(existing);
                c.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, EventNames.DEL, destinationIndex);
            }
            return 0;
        }
        database.set(c.copyArgument(destinationIndex), result, false);
        c.notifyKeyspaceEvent(KeyspaceEvents.ZSET, event, destinationIndex);
        return result.size();
    }
}
