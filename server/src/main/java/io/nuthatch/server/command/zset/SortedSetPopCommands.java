package io.nuthatch.server.command.zset;

import io.nuthatch.server.pubsub.EventNames;
import io.nuthatch.server.pubsub.KeyspaceEvents;
import io.nuthatch.resp.ReplyWriter;
import io.nuthatch.resp.RequestArguments;
import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.command.CommandError;
import io.nuthatch.server.command.CommandTable;
import io.nuthatch.server.command.Errors;
import io.nuthatch.server.keyspace.Database;
import io.nuthatch.server.keyspace.KeyEntry;
import io.nuthatch.server.type.sortedset.SortedSet;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Taking members out of the ends of sorted sets, and drawing them at random: ZPOPMIN, ZPOPMAX,
 * ZMPOP and ZRANDMEMBER.
 *
 * <p>ZMPOP is propagated as the ZPOPMIN or ZPOPMAX of the key it popped from, with the number it
 * popped, as Redis 7.0 propagates it; ZPOPMIN and ZPOPMAX go as they were sent.
 */
public final class SortedSetPopCommands {
    private static final byte[] MIN = CommandContext.keyword("MIN");
    private static final byte[] MAX = CommandContext.keyword("MAX");
    private static final byte[] COUNT = CommandContext.keyword("COUNT");
    private static final byte[] WITHSCORES = CommandContext.keyword("WITHSCORES");
    static final byte[] ZPOPMIN = CommandContext.keyword("ZPOPMIN");
    static final byte[] ZPOPMAX = CommandContext.keyword("ZPOPMAX");

    private static final CommandError NOT_POSITIVE = new CommandError("ERR value is out of range, must be positive");
    static final CommandError NUMKEYS = new CommandError("ERR numkeys should be greater than 0");
    static final CommandError COUNT_NOT_POSITIVE = new CommandError("ERR count should be greater than 0");
    private static final CommandError RANDOM_COUNT_RANGE = new CommandError(
            "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");
    private static final CommandError WITHSCORES_COUNT_RANGE = new CommandError("ERR value is out of range");

    private SortedSetPopCommands() {
    }

    static void register(CommandTable.Registry table) {
        table.command("zpopmin", "Removes and returns the members with the lowest scores of a sorted set.",
                "O(log(N)*M), M the members popped", c -> zpop(c, false));
        table.command("zpopmax", "Removes and returns the members with the highest scores of a sorted set.",
                "O(log(N)*M), M the members popped", c -> zpop(c, true));
        table.command("zmpop", "Pops members with the lowest or highest scores from the first non-empty sorted set.",
                "O(K)+O(M*log(N)), K the keys given, M the members popped", SortedSetPopCommands::zmpop);
        table.command("zrandmember", "Returns random members of a sorted set, distinct or repeated.",
                "O(N) where N is the number of members returned", SortedSetPopCommands::zrandmember);
    }

    // ---------------------------------------------------------------- ZPOPMIN, ZPOPMAX

    /** ZPOPMIN key [count]: flat member/score in RESP2; [member, score] pairs in RESP3 when a count is given. */
    private static void zpop(CommandContext c, boolean highest) {
        if (c.argumentCount() > 3) {
            throw Errors.SYNTAX;
        }
        long count = -1;
        if (c.argumentCount() == 3) {
            count = c.longArgument(2, NOT_POSITIVE);
            if (count < 0) {
                throw NOT_POSITIVE;
            }
        }
        Database database = c.database();
        KeyEntry entry = database.lookupWrite(c.arguments(), 1);
        SortedSet set = SortedSetAccess.sortedSet(entry);
        ReplyWriter reply = c.reply();
        if (set == null || count == 0) {
            reply.arrayHeader(0);
            return;
        }
        ElementReply elements = ElementReply.withScoresTo(reply, count != -1 && reply.isResp3());
        int popped = (int) Math.min(count == -1 ? 1 : count, set.size());
        elements.header(popped);
        popInto(database, entry, set, highest, popped, elements);
        SortedSetAccess.notifyChange(c, highest ? EventNames.ZPOPMAX : EventNames.ZPOPMIN, 1, set);
    }

    /** Pops {@code count} members (the set holds at least that many), writing each, and closes the change. */
    static void popInto(Database database, KeyEntry entry, SortedSet set, boolean highest, int count,
            ElementReply elements) {
        database.writableValue(entry);
        for (int i = 0; i < count; i++) {
            set.pop(highest, elements);
        }
        SortedSetAccess.changed(database, entry, set);
    }

    // ---------------------------------------------------------------- ZMPOP

    /**
     * The parsed tail of ZMPOP and BZMPOP, {@code numkeys key [key ...] MIN|MAX [COUNT count]} from
     * argument {@code numkeysIndex}: the first key, how many, the end and the count (1 by default).
     */
    record MultiPop(int firstKey, int keys, boolean highest, long count) {
        static MultiPop parse(CommandContext c, int numkeysIndex) {
            long numkeys = c.longArgument(numkeysIndex, NUMKEYS);
            if (numkeys < 1) {
                throw NUMKEYS;
            }
            long whereIndex = numkeysIndex + numkeys + 1;
            if (whereIndex >= c.argumentCount()) {
                throw Errors.SYNTAX;
            }
            int where = (int) whereIndex;
            boolean highest;
            if (c.isKeyword(where, MIN)) {
                highest = false;
            } else if (c.isKeyword(where, MAX)) {
                highest = true;
            } else {
                throw Errors.SYNTAX;
            }
            long count = -1;
            for (int j = where + 1; j < c.argumentCount(); j++) {
                if (count == -1 && c.isKeyword(j, COUNT) && j + 1 < c.argumentCount()) {
                    j++;
                    count = c.longArgument(j, COUNT_NOT_POSITIVE);
                    if (count < 1) {
                        throw COUNT_NOT_POSITIVE;
                    }
                } else {
                    throw Errors.SYNTAX;
                }
            }
            return new MultiPop(numkeysIndex + 1, (int) numkeys, highest, count == -1 ? 1 : count);
        }
    }

    /** ZMPOP numkeys key [key ...] MIN|MAX [COUNT count] */
    static void zmpop(CommandContext c) {
        MultiPop pop = MultiPop.parse(c, 1);
        Database database = c.database();
        for (int i = 0; i < pop.keys(); i++) {
            int keyIndex = pop.firstKey() + i;
            KeyEntry entry = database.lookupWrite(c.arguments(), keyIndex);
            SortedSet set = SortedSetAccess.sortedSet(entry);
            if (set != null) {
                popFromKey(c, entry, set, keyIndex, pop.highest(), pop.count());
                return;
            }
        }
        c.reply().nullArray();
    }

    /**
     * Pops from one key as ZMPOP and BZMPOP answer, [key, [[member, score] ...]], and propagates
     * it as ZPOPMIN or ZPOPMAX of that key with the number popped.
     */
    static void popFromKey(CommandContext c, KeyEntry entry, SortedSet set, int keyIndex, boolean highest,
            long count) {
        ReplyWriter reply = c.reply();
        int popped = (int) Math.min(count, set.size());
        reply.arrayHeader(2);
        reply.bulk(c.arguments().array(keyIndex), c.arguments().offset(keyIndex), c.arguments().length(keyIndex));
        ElementReply elements = ElementReply.withScoresTo(reply, true);
        elements.header(popped);
        popInto(c.database(), entry, set, highest, popped, elements);
        SortedSetAccess.notifyChange(c, highest ? EventNames.ZPOPMAX : EventNames.ZPOPMIN, keyIndex, set);
        if (c.isPropagating()) {
            c.rewrite().word(highest ? ZPOPMAX : ZPOPMIN).argument(keyIndex).number(popped).end();
        }
    }

    // ---------------------------------------------------------------- ZRANDMEMBER

    /**
     * ZRANDMEMBER key [count [WITHSCORES]]. A negative count draws that many times with repetition;
     * a positive one returns distinct members, the whole set when it asks for as many or more. Which
     * members come, and in what order, is random here as in Redis.
     */
    static void zrandmember(CommandContext c) {
        RequestArguments arguments = c.arguments();
        ReplyWriter reply = c.reply();
        if (arguments.count() == 2) {
            SortedSet set = SortedSetAccess.sortedSet(c.database().lookupRead(arguments, 1));
            if (set == null) {
                reply.nullBulk();
                return;
            }
            set.visitRandom(c.random(), (member, offset, length, score) -> reply.bulk(member, offset, length));
            return;
        }
        long requested = c.longArgument(2);
        if (requested == Long.MIN_VALUE) {
            throw RANDOM_COUNT_RANGE;
        }
        boolean withScores = false;
        if (arguments.count() > 4 || (arguments.count() == 4 && !c.isKeyword(3, WITHSCORES))) {
            throw Errors.SYNTAX;
        } else if (arguments.count() == 4) {
            withScores = true;
            if (requested < -Long.MAX_VALUE / 2 || requested > Long.MAX_VALUE / 2) {
                throw WITHSCORES_COUNT_RANGE;
            }
        }
        SortedSet set = SortedSetAccess.sortedSet(c.database().lookupRead(arguments, 1));
        ElementReply elements = ElementReply.to(reply, withScores);
        if (set == null || requested == 0) {
            elements.header(0);
            return;
        }
        SplittableRandom random = c.random();
        int size = set.size();
        if (requested < 0 || requested == 1) {
            long draws = Math.abs(requested);
            elements.header(draws);
            for (long i = 0; i < draws; i++) {
                set.visitRandom(random, elements);
            }
            return;
        }
        if (requested >= size) {
            elements.header(size);
            set.forEach(elements);
            return;
        }
        // Distinct ranks drawn with Floyd's algorithm: exactly 'requested' draws, none wasted.
        int count = (int) requested;
        Set<Integer> ranks = new HashSet<>(count * 2);
        for (int candidateLimit = size - count; candidateLimit < size; candidateLimit++) {
            int rank = random.nextInt(candidateLimit + 1);
            ranks.add(ranks.contains(rank) ? candidateLimit : rank);
        }
        elements.header(count);
        for (int rank : ranks) {
            set.visitRanks(rank, rank, false, elements);
        }
    }
}
