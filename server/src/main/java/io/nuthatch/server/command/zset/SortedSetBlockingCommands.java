package io.nuthatch.server.command.zset;

import io.nuthatch.server.pubsub.EventNames;
import io.nuthatch.server.pubsub.KeyspaceEvents;
import io.nuthatch.resp.ReplyWriter;
import io.nuthatch.server.blocking.BlockingTimeout;
import io.nuthatch.server.blocking.KeyWaiter;
import io.nuthatch.server.blocking.ServedKey;
import io.nuthatch.server.client.BlockedClient;
import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.command.CommandTable;
import io.nuthatch.server.keyspace.Database;
import io.nuthatch.server.keyspace.KeyEntry;
import io.nuthatch.server.type.NumericStrings;
import io.nuthatch.server.type.ValueType;
import io.nuthatch.server.type.sortedset.SortedSet;

import java.util.Arrays;

/**
 * The blocking pops: BZPOPMIN, BZPOPMAX and BZMPOP. When one of the keys holds a sorted set they
 * pop at once, as ZPOPMIN and ZMPOP would; otherwise the client is parked on all of them
 * ({@link CommandContext#blockOnKeys}) and served, first come first served, by the ZADD (or
 * ZUNIONSTORE, RENAME, MOVE ...) that creates one, once that write's execution unit has ended.
 *
 * <p>What reaches the log is what Redis 7.0 writes: the pop of the key that answered, as ZPOPMIN
 * or ZPOPMAX, with the number popped for BZMPOP; a pop served later is a unit of its own after the
 * write that fed it. Inside MULTI or a script, where nothing may block, an empty wait answers at
 * once as a timeout does.
 */
public final class SortedSetBlockingCommands {
    private SortedSetBlockingCommands() {
    }

    static void register(CommandTable.Registry table) {
        table.command("bzpopmin", "Pops the member with the lowest score from the first non-empty sorted set, or waits.",
                "O(log(N)) with N the size of the sorted set", c -> bzpop(c, false));
        table.command("bzpopmax", "Pops the member with the highest score from the first non-empty sorted set, or waits.",
                "O(log(N)) with N the size of the sorted set", c -> bzpop(c, true));
        table.command("bzmpop", "Pops members from the first non-empty sorted set, or waits for one.",
                "O(K)+O(M*log(N)), K the keys given, M the members popped", SortedSetBlockingCommands::bzmpop);
    }

    /** BZPOPMIN key [key ...] timeout: [key, member, score], or a null array on timeout. */
    static void bzpop(CommandContext c, boolean highest) {
        int keys = c.argumentCount() - 2;
        long timeout = BlockingTimeout.seconds(c, c.argumentCount() - 1);
        Database database = c.database();
        for (int keyIndex = 1; keyIndex <= keys; keyIndex++) {
            KeyEntry entry = database.lookupWrite(c.arguments(), keyIndex);
            SortedSet set = SortedSetAccess.sortedSet(entry);
            if (set == null) {
                continue;
            }
            ReplyWriter reply = c.reply();
            reply.arrayHeader(3);
            reply.bulk(c.arguments().array(keyIndex), c.arguments().offset(keyIndex), c.arguments().length(keyIndex));
            SortedSetPopCommands.popInto(database, entry, set, highest, 1, ElementReply.withScoresTo(reply, false));
            SortedSetAccess.notifyChange(c, highest ? EventNames.ZPOPMAX : EventNames.ZPOPMIN, keyIndex, set);
            if (c.isPropagating()) {
                c.rewrite().word(highest ? SortedSetPopCommands.ZPOPMAX : SortedSetPopCommands.ZPOPMIN)
                        .argument(keyIndex).end();
            }
            return;
        }
        if (!c.mayBlock()) {
            c.reply().nullArray();
            return;
        }
        c.blockOnKeys(1, keys, timeout, new PopWaiter(highest, -1));
    }

    /** BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count]: the arguments come before the timeout. */
    static void bzmpop(CommandContext c) {
        SortedSetPopCommands.MultiPop pop = SortedSetPopCommands.MultiPop.parse(c, 2);
        long timeout = BlockingTimeout.seconds(c, 1);
        Database database = c.database();
        for (int i = 0; i < pop.keys(); i++) {
            int keyIndex = pop.firstKey() + i;
            KeyEntry entry = database.lookupWrite(c.arguments(), keyIndex);
            SortedSet set = SortedSetAccess.sortedSet(entry);
            if (set != null) {
                SortedSetPopCommands.popFromKey(c, entry, set, keyIndex, pop.highest(), pop.count());
                return;
            }
        }
        if (!c.mayBlock()) {
            c.reply().nullArray();
            return;
        }
        c.blockOnKeys(pop.firstKey(), pop.keys(), timeout, new PopWaiter(pop.highest(), pop.count()));
    }

    /**
     * A client parked in BZPOPMIN, BZPOPMAX ({@code count} -1: one member, a flat reply) or BZMPOP
     * (a count: a nested reply), served by the first sorted set that appears on one of its keys.
     */
    private static final class PopWaiter implements KeyWaiter {
        private final boolean highest;
        private final long count;

        PopWaiter(boolean highest, long count) {
            this.highest = highest;
            this.count = count;
        }

        @Override
        public ValueType awaitedType() {
            return ValueType.ZSET;
        }

        @Override
        public BlockedClient.Reply serve(ServedKey key) {
            KeyEntry entry = key.entry();
            SortedSet set = (SortedSet) entry.value();
            Database database = key.database();
            int popped = (int) Math.min(count == -1 ? 1 : count, set.size());
            byte[][] members = new byte[popped][];
            double[] scores = new double[popped];
            database.writableValue(entry);
            for (int i = 0; i < popped; i++) {
                int index = i;
                set.pop(highest, (member, offset, length, score) -> {
                    members[index] = Arrays.copyOfRange(member, offset, offset + length);
                    scores[index] = score;
                });
            }
            SortedSetAccess.changed(database, entry, set);
            byte[] name = key.key();
            key.notifyKeyspaceEvent(KeyspaceEvents.ZSET, highest ? EventNames.ZPOPMAX : EventNames.ZPOPMIN, name);
            if (set.isEmpty()) {
                key.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, EventNames.DEL, name);
            }
            if (key.isPropagating()) {
                byte[] verb = highest ? SortedSetPopCommands.ZPOPMAX : SortedSetPopCommands.ZPOPMIN;
                if (count == -1) {
                    key.propagate(verb, name);
                } else {
                    key.propagate(verb, name, NumericStrings.toBytes(popped));
                }
            }
            return c -> write(c.reply(), name, members, scores);
        }

        private void write(ReplyWriter reply, byte[] name, byte[][] members, double[] scores) {
            if (count == -1) {
                reply.arrayHeader(3);
                reply.bulk(name);
                reply.bulk(members[0]);
                reply.doubleValue(scores[0]);
                return;
            }
            reply.arrayHeader(2);
            reply.bulk(name);
            reply.arrayHeader(members.length);
            for (int i = 0; i < members.length; i++) {
                reply.arrayHeader(2);
                reply.bulk(members[i]);
                reply.doubleValue(scores[i]);
            }
        }

        @Override
        public void writeTimeout(CommandContext c) {
            c.reply().nullArray();
        }
    }
}
