package io.nuthatch.server.command.set;

import io.nuthatch.server.pubsub.EventNames;
import io.nuthatch.server.pubsub.KeyspaceEvents;
import io.nuthatch.resp.ReplyWriter;
import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.command.CommandError;
import io.nuthatch.server.command.CommandTable;
import io.nuthatch.server.command.Errors;
import io.nuthatch.server.command.hash.HashIterationCommands;
import io.nuthatch.server.keyspace.Database;
import io.nuthatch.server.keyspace.KeyEntry;
import io.nuthatch.server.type.DistinctPositions;
import io.nuthatch.server.type.SetValue;

import java.util.SplittableRandom;

/**
 * Random members: SRANDMEMBER, which leaves them, and SPOP, which removes them.
 *
 * <p>The cases follow Redis 7.0, since they decide what a reply can hold and how it is
 * propagated (which members, and in which order, is random): a negative SRANDMEMBER count draws
 * with repetition; a count of at least the size returns the whole set in its order (SPOP then
 * deletes the key and propagates DEL, which redis-server 7.0 writes whatever lazyfree-lazy-server-del
 * says); a smaller count
 * draws distinct members, by rejection while it is small against the size and by a partial
 * shuffle of every position above that. SPOP is propagated as one SREM per member popped (several
 * make a MULTI/EXEC unit), as redis-server 7.0 writes it to its AOF, so replay removes the same
 * members whatever the replaying server's random draws.
 */
public final class SetRandomCommands {
    private static final CommandError COUNT_NOT_POSITIVE = new CommandError("ERR value is out of range, must be positive");
    private static final byte[] SREM = CommandContext.keyword("SREM");
    private static final byte[] DEL = CommandContext.keyword("DEL");

    private SetRandomCommands() {
    }

    public static void register(CommandTable.Registry table) {
        table.command("spop", "Removes and returns random members of a set.",
                "O(1) without count, O(N) where N is the count", SetRandomCommands::spop);
        table.command("srandmember", "Returns random members of a set, leaving them in it.",
                "O(1) without count, O(N) where N is the count", SetRandomCommands::srandmember);
    }

    /** SRANDMEMBER key [count] */
    static void srandmember(CommandContext c) {
        if (c.argumentCount() > 3) {
            throw Errors.SYNTAX;
        }
        if (c.argumentCount() == 3) {
            srandmemberWithCount(c);
            return;
        }
        SetValue set = SetCommands.setOf(c.database().lookupRead(c.arguments(), 1));
        if (set == null) {
            c.reply().nullBulk();
            return;
        }
        SetCommands.replyMember(c.reply(), set, set.randomPosition(c.random()));
    }

    private static void srandmemberWithCount(CommandContext c) {
        long requested = HashIterationCommands.rangedCount(c, 2);
        SetValue set = SetCommands.setOf(c.database().lookupRead(c.arguments(), 1));
        ReplyWriter reply = c.reply();
        if (set == null || requested == 0) {
            reply.arrayHeader(0);
            return;
        }
        SplittableRandom random = c.random();
        if (requested < 0) {
            long draws = -requested;
            reply.arrayHeader(draws);
            for (long i = 0; i < draws; i++) {
                SetCommands.replyMember(reply, set, set.randomPosition(random));
            }
            return;
        }
        int size = set.size();
        if (requested >= size) {
            reply.arrayHeader(size);
            for (int position = set.first(); position != SetValue.NONE; position = set.next(position)) {
                SetCommands.replyMember(reply, set, position);
            }
            return;
        }
        int count = (int) requested;
        int[] positions = distinctPositions(set, count, random);
        reply.arrayHeader(count);
        for (int position : positions) {
            SetCommands.replyMember(reply, set, position);
        }
    }

    /**
     * {@code count} distinct positions of the set (count under its size), drawn at random: by
     * rejection when the count is at most a fifth of the size, else by a partial shuffle of all
     * positions (Redis switches at the same ratio for SPOP).
     */
    private static int[] distinctPositions(SetValue set, int count, SplittableRandom random) {
        int size = set.size();
        int[] chosen = new int[count];
        if (count * 5L <= size) {
            DistinctPositions drawn = new DistinctPositions(count);
            int n = 0;
            while (n < count) {
                int position = set.randomPosition(random);
                if (drawn.add(position)) {
                    chosen[n++] = position;
                }
            }
            return chosen;
        }
        int[] positions = new int[size];
        int n = 0;
        for (int position = set.first(); position != SetValue.NONE; position = set.next(position)) {
            positions[n++] = position;
        }
        for (int i = 0; i < count; i++) {
            int pick = i + random.nextInt(size - i);
            chosen[i] = positions[pick];
            positions[pick] = positions[i];
        }
        return chosen;
    }

    /** SPOP key [count] */
    static void spop(CommandContext c) {
        if (c.argumentCount() > 3) {
            throw Errors.SYNTAX;
        }
        if (c.argumentCount() == 3) {
            spopWithCount(c);
            return;
        }
        Database database = c.database();
        KeyEntry entry = database.lookupWrite(c.arguments(), 1);
        SetValue set = SetCommands.setOf(entry);
        if (set == null) {
            c.reply().nullBulk();
            return;
        }
        database.writableValue(entry);
        int position = set.randomPosition(c.random());
        byte[] member = set.copyOfMemberAt(position);
        set.removeAt(position);
        database.changed(entry);
        c.notifyKeyspaceEvent(KeyspaceEvents.SET, EventNames.SPOP, 1);
        if (set.isEmpty()) {
            database.delete(entry);
            c.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, EventNames.DEL, 1);
        }
        c.reply().bulk(member);
        if (c.isPropagating()) {
            c.rewrite().word(SREM).argument(1).bytes(member).end();
        }
    }

    private static void spopWithCount(CommandContext c) {
        long requested = c.longArgument(2, COUNT_NOT_POSITIVE);
        if (requested < 0) {
            throw COUNT_NOT_POSITIVE;
        }
        Database database = c.database();
        KeyEntry entry = database.lookupWrite(c.arguments(), 1);
        SetValue set = SetCommands.setOf(entry);
        ReplyWriter reply = c.reply();
        if (set == null || requested == 0) {
            reply.setHeader(0);
            return;
        }
        int size = set.size();
        if (requested >= size) {
            reply.setHeader(size);
            for (int position = set.first(); position != SetValue.NONE; position = set.next(position)) {
                SetCommands.replyMember(reply, set, position);
            }
            database.delete(entry);
            c.notifyKeyspaceEvent(KeyspaceEvents.SET, EventNames.SPOP, 1);
            c.notifyKeyspaceEvent(KeyspaceEvents.GENERIC, EventNames.DEL, 1);
            if (c.isPropagating()) {
                c.rewrite().word(DEL).argument(1).end();
            }
            return;
        }
        int count = (int) requested;
        // Members are copied before any is removed: a removal can move others to other positions.
        int[] positions = distinctPositions(set, count, c.random());
        byte[][] popped = new byte[count][];
        for (int i = 0; i < count; i++) {
            popped[i] = set.copyOfMemberAt(positions[i]);
        }
        database.writableValue(entry);
        reply.setHeader(count);
        boolean propagating = c.isPropagating();
        for (byte[] member : popped) {
            set.remove(member);
            reply.bulk(member);
            if (propagating) {
                c.rewrite().word(SREM).argument(1).bytes(member).end();
            }
        }
        database.changed(entry);
        c.notifyKeyspaceEvent(KeyspaceEvents.SET, EventNames.SPOP, 1);
    }
}
