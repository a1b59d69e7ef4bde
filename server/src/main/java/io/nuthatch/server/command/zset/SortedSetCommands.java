package io.nuthatch.server.command.zset;

import io.nuthatch.server.pubsub.EventNames;
import io.nuthatch.server.pubsub.KeyspaceEvents;
import io.nuthatch.resp.DoubleFormat;
import io.nuthatch.resp.ReplyWriter;
import io.nuthatch.resp.RequestArguments;
import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.command.CommandError;
import io.nuthatch.server.command.CommandTable;
import io.nuthatch.server.command.Errors;
import io.nuthatch.server.command.key.ScanCommands;
import io.nuthatch.server.keyspace.Database;
import io.nuthatch.server.keyspace.GlobPattern;
import io.nuthatch.server.keyspace.KeyEntry;
import io.nuthatch.server.type.NumericStrings;
import io.nuthatch.server.type.sortedset.SortedSet;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The sorted-set commands on single members: ZADD and ZINCRBY, ZREM, ZCARD, ZSCORE, ZMSCORE,
 * ZRANK, ZREVRANK, ZSCAN; {@link #register} also registers the range, pop, blocking pop and
 * set-algebra families of the type.
 *
 * <p>A command opens a set for writing only once it knows something will change: a ZADD whose
 * members all keep their scores, or a ZREM of absent members, changes nothing, so it is neither
 * counted as a change nor propagated, as in Redis.
 */
public final class SortedSetCommands {
    private static final byte[] NX = CommandContext.keyword("NX");
    private static final byte[] XX = CommandContext.keyword("XX");
    private static final byte[] CH = CommandContext.keyword("CH");
    private static final byte[] INCR = CommandContext.keyword("INCR");
    private static final byte[] GT = CommandContext.keyword("GT");
    private static final byte[] LT = CommandContext.keyword("LT");
    private static final byte[] MATCH = CommandContext.keyword("MATCH");
    private static final byte[] COUNT = CommandContext.keyword("COUNT");

    static final CommandError NAN_RESULT = new CommandError("ERR resulting score is not a number (NaN)");
    private static final CommandError XX_AND_NX =
            new CommandError("ERR XX and NX options at the same time are not compatible");
    private static final CommandError GT_LT_NX =
            new CommandError("ERR GT, LT, and/or NX options at the same time are not compatible");
    private static final CommandError INCR_PAIR =
            new CommandError("ERR INCR option supports a single increment-element pair");

    /** Redis's listpack integers: an integral score within these bounds prints as one in ZSCAN. */
    private static final double LISTPACK_INTEGER_LIMIT = Long.MAX_VALUE / 2;

    private SortedSetCommands() {
    }

    public static void register(CommandTable.Registry table) {
        table.command("zadd", "Adds members to a sorted set, or updates their scores.",
                "O(log(N)) for each member added or updated, N the size of the sorted set", SortedSetCommands::zadd);
        table.command("zincrby", "Adds an increment to the score of a member of a sorted set.",
                "O(log(N)) where N is the size of the sorted set", SortedSetCommands::zincrby);
        table.command("zrem", "Removes members from a sorted set; the key goes when the last does.",
                "O(M*log(N)), M the members removed and N the size of the sorted set", SortedSetCommands::zrem);
        table.command("zcard", "Returns the number of members of a sorted set.", "O(1)", SortedSetCommands::zcard);
        table.command("zscore", "Returns the score of a member of a sorted set.", "O(1)", SortedSetCommands::zscore);
        table.command("zmscore", "Returns the scores of several members of a sorted set.",
                "O(N) where N is the number of members asked for", SortedSetCommands::zmscore);
        table.command("zrank", "Returns the position of a member in a sorted set, lowest score first.",
                "O(log(N))", SortedSetCommands::zrank);
        table.command("zrevrank", "Returns the position of a member in a sorted set, highest score first.",
                "O(log(N))", SortedSetCommands::zrevrank);
        table.command("zscan", "Iterates over the members and scores of a sorted set, a few at a time.",
                "O(1) per call, O(N) for a full iteration", SortedSetCommands::zscan);
        SortedSetRangeCommands.register(table);
        SortedSetPopCommands.register(table);
        SortedSetBlockingCommands.register(table);
        SortedSetAlgebraCommands.register(table);
    }

    // ---------------------------------------------------------------- ZADD, ZINCRBY

    static void zadd(CommandContext c) {
        add(c, 0);
    }

    /** ZINCRBY key increment member: ZADD INCR, options parsed the same way (none can fit). */
    static void zincrby(CommandContext c) {
        add(c, SortedSet.INCR);
    }

    /**
     * ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...]. Every score is checked
     * before anything changes, so that a bad one leaves the set as it was.
     */
    private static void add(CommandContext c, int baseFlags) {
        int flags = baseFlags;
        boolean changedCount = false;
        int first = 2;
        int count = c.argumentCount();
        for (; first < count; first++) {
            if (c.isKeyword(first, NX)) {
                flags |= SortedSet.NX;
            } else if (c.isKeyword(first, XX)) {
                flags |= SortedSet.XX;
            } else if (c.isKeyword(first, CH)) {
                changedCount = true;
            } else if (c.isKeyword(first, INCR)) {
                flags |= SortedSet.INCR;
            } else if (c.isKeyword(first, GT)) {
                flags |= SortedSet.GT;
            } else if (c.isKeyword(first, LT)) {
                flags |= SortedSet.LT;
            } else {
                break;
            }
        }
        int elements = count - first;
        if (elements == 0 || elements % 2 != 0) {
            throw Errors.SYNTAX;
        }
        elements /= 2;
        boolean nx = (flags & SortedSet.NX) != 0;
        boolean gt = (flags & SortedSet.GT) != 0;
        boolean lt = (flags & SortedSet.LT) != 0;
        boolean incr = (flags & SortedSet.INCR) != 0;
        if (nx && (flags & SortedSet.XX) != 0) {
            throw XX_AND_NX;
        }
        if ((gt && nx) || (lt && nx) || (gt && lt)) {
            throw GT_LT_NX;
        }
        if (incr && elements > 1) {
            throw INCR_PAIR;
        }
        double firstScore = SortedSetAccess.score(c, first);
        for (int j = 1; j < elements; j++) {
            SortedSetAccess.score(c, first + 2 * j);
        }

        Database database = c.database();
        RequestArguments arguments = c.arguments();
        KeyEntry entry = database.lookupWrite(arguments, 1);
        SortedSet set = SortedSetAccess.sortedSet(entry);
        // INCR replies the sum it computed, which can differ from the score read back: a listpack
        // stores -0 as 0, and Redis replies "-0" all the same.
        double incremented = firstScore;
        if (incr && set != null) {
            double current = set.score(arguments.array(first + 1), arguments.offset(first + 1), arguments.length(first + 1));
            incremented = Double.isNaN(current) ? firstScore : current + firstScore;
        }
        int added = 0;
        int updated = 0;
        int processed = 0;
        if (set == null) {
            if ((flags & SortedSet.XX) != 0) {
                reply(c, incr, changedCount, 0, 0, 0, 0);
                return;
            }
            long maxEntries = SortedSetAccess.maxEntries(c);
            long maxValue = SortedSetAccess.maxValue(c);
            set = SortedSet.create(arguments.length(first + 1), maxEntries, maxValue);
            for (int j = 0; j < elements; j++) {
                int member = first + 2 * j + 1;
                double score = j == 0 ? firstScore : SortedSetAccess.score(c, member - 1);
                int outcome = set.add(arguments.array(member), arguments.offset(member), arguments.length(member),
                        score, flags, maxEntries, maxValue);
                added += outcome == SortedSet.ADDED ? 1 : 0;
                updated += outcome == SortedSet.UPDATED ? 1 : 0;
                processed += outcome == SortedSet.SKIPPED ? 0 : 1;
            }
            database.add(arguments, 1, set);
            if (added + updated > 0) {
                c.notifyKeyspaceEvent(KeyspaceEvents.ZSET, incr ? EventNames.ZINCR : EventNames.ZADD, 1);
            }
            reply(c, incr, changedCount, incremented, added, updated, processed);
            return;
        }
        long maxEntries = SortedSetAccess.maxEntries(c);
        long maxValue = SortedSetAccess.maxValue(c);
        boolean opened = false;
        for (int j = 0; j < elements; j++) {
            int member = first + 2 * j + 1;
            double score = j == 0 ? firstScore : SortedSetAccess.score(c, member - 1);
            byte[] array = arguments.array(member);
            int offset = arguments.offset(member);
            int length = arguments.length(member);
            int outcome;
            if (opened) {
                outcome = set.add(array, offset, length, score, flags, maxEntries, maxValue);
            } else {
                outcome = set.outcomeOf(array, offset, length, score, flags);
                if (outcome == SortedSet.ADDED || outcome == SortedSet.UPDATED) {
                    database.writableValue(entry);
                    opened = true;
                    outcome = set.add(array, offset, length, score, flags, maxEntries, maxValue);
                }
            }
            if (outcome == SortedSet.NOT_A_NUMBER) {
                if (opened) {
                    database.changed(entry);
                }
                throw NAN_RESULT;
            }
            added += outcome == SortedSet.ADDED ? 1 : 0;
            updated += outcome == SortedSet.UPDATED ? 1 : 0;
            processed += outcome == SortedSet.SKIPPED ? 0 : 1;
        }
        if (opened) {
            database.changed(entry);
        }
        if (added + updated > 0) {
            c.notifyKeyspaceEvent(KeyspaceEvents.ZSET, incr ? EventNames.ZINCR : EventNames.ZADD, 1);
        }
        reply(c, incr, changedCount, incremented, added, updated, processed);
    }

    /** ZINCRBY and ZADD INCR answer the new score (null when NX/XX/GT/LT said no), ZADD a count. */
    private static void reply(CommandContext c, boolean incr, boolean changedCount, double incremented, int added,
            int updated, int processed) {
        if (!incr) {
            c.reply().integer(changedCount ? added + updated : added);
        } else if (processed == 0) {
            c.reply().nullBulk();
        } else {
            c.reply().doubleValue(incremented);
        }
    }

    // ---------------------------------------------------------------- ZREM

    static void zrem(CommandContext c) {
        Database database = c.database();
        RequestArguments arguments = c.arguments();
        KeyEntry entry = database.lookupWrite(arguments, 1);
        SortedSet set = SortedSetAccess.sortedSet(entry);
        if (set == null) {
            c.reply().integer(0);
            return;
        }
        int removed = 0;
        boolean opened = false;
        for (int i = 2; i < arguments.count(); i++) {
            byte[] array = arguments.array(i);
            int offset = arguments.offset(i);
            int length = arguments.length(i);
            if (!opened) {
                if (!set.contains(array, offset, length)) {
                    continue;
                }
                database.writableValue(entry);
                opened = true;
            }
            if (set.remove(array, offset, length)) {
                removed++;
                if (set.isEmpty()) {
                    break;
                }
            }
        }
        if (opened) {
            SortedSetAccess.changed(database, entry, set);
            SortedSetAccess.notifyChange(c, EventNames.ZREM, 1, set);
        }
        c.reply().integer(removed);
    }

    // ---------------------------------------------------------------- reading

    static void zcard(CommandContext c) {
        SortedSet set = SortedSetAccess.sortedSet(c.database().lookupRead(c.arguments(), 1));
        c.reply().integer(set == null ? 0 : set.size());
    }

    static void zscore(CommandContext c) {
        SortedSet set = SortedSetAccess.sortedSet(c.database().lookupRead(c.arguments(), 1));
        RequestArguments arguments = c.arguments();
        double score = set == null ? Double.NaN : set.score(arguments.array(2), arguments.offset(2), arguments.length(2));
        if (Double.isNaN(score)) {
            c.reply().nullBulk();
        } else {
            c.reply().doubleValue(score);
        }
    }

    /** ZMSCORE key member [member ...]: a missing key answers like an empty set, a null per member. */
    static void zmscore(CommandContext c) {
        SortedSet set = SortedSetAccess.sortedSet(c.database().lookupRead(c.arguments(), 1));
        RequestArguments arguments = c.arguments();
        ReplyWriter reply = c.reply();
        reply.arrayHeader(arguments.count() - 2);
        for (int i = 2; i < arguments.count(); i++) {
            double score = set == null ? Double.NaN : set.score(arguments.array(i), arguments.offset(i), arguments.length(i));
            if (Double.isNaN(score)) {
                reply.nullBulk();
            } else {
                reply.doubleValue(score);
            }
        }
    }

    static void zrank(CommandContext c) {
        rank(c, false);
    }

    static void zrevrank(CommandContext c) {
        rank(c, true);
    }

    private static void rank(CommandContext c, boolean reverse) {
        SortedSet set = SortedSetAccess.sortedSet(c.database().lookupRead(c.arguments(), 1));
        RequestArguments arguments = c.arguments();
        int rank = set == null ? -1 : set.rank(arguments.array(2), arguments.offset(2), arguments.length(2), reverse);
        if (rank < 0) {
            c.reply().nullBulk();
        } else {
            c.reply().integer(rank);
        }
    }

    // ---------------------------------------------------------------- ZSCAN

    /**
     * ZSCAN key cursor [MATCH pattern] [COUNT count]. The options are read only once the key is
     * found, as Redis reads them: a missing key answers an empty scan whatever follows. A listpack
     * answers whole with cursor 0; a skiplist is scanned through its member table's cursor, ten
     * buckets per COUNT at most. Scores come as strings, as Redis formats them for SCAN: a small
     * set's integral scores as the integers its listpack holds, others with %.17g.
     */
    static void zscan(CommandContext c) {
        RequestArguments arguments = c.arguments();
        long cursor = ScanCommands.parseCursor(arguments, 2);
        SortedSet set = SortedSetAccess.sortedSet(c.database().lookupRead(arguments, 1));
        ReplyWriter reply = c.reply();
        if (set == null) {
            reply.arrayHeader(2);
            reply.bulk(0);
            reply.arrayHeader(0);
            return;
        }
        byte[] pattern = null;
        long count = 10;
        for (int i = 3; i < arguments.count(); i += 2) {
            boolean hasValue = i + 1 < arguments.count();
            if (hasValue && c.isKeyword(i, COUNT)) {
                count = c.longArgument(i + 1);
                if (count < 1) {
                    throw Errors.SYNTAX;
                }
            } else if (hasValue && c.isKeyword(i, MATCH)) {
                pattern = c.copyArgument(i + 1);
            } else {
                throw Errors.SYNTAX;
            }
        }
        boolean packed = set.isPacked();
        // Members and scores in one list, two items an element: COUNT is compared with its length
        // before MATCH filters it, as in Redis.
        List<byte[]> found = new ArrayList<>();
        long next = cursor;
        long bucketsLeft = count * 10;
        do {
            next = set.scan(next, (member, offset, length, score) -> {
                found.add(Arrays.copyOfRange(member, offset, offset + length));
                found.add(scoreText(score, packed));
            });
        } while (next != 0 && bucketsLeft-- != 0 && found.size() < count);
        boolean everything = pattern == null || GlobPattern.matchesEverything(pattern);
        int kept = 0;
        for (int i = 0; i < found.size(); i += 2) {
            if (everything || GlobPattern.matches(pattern, found.get(i))) {
                found.set(kept++, found.get(i));
                found.set(kept++, found.get(i + 1));
            }
        }
        reply.arrayHeader(2);
        reply.bulk(next);
        reply.arrayHeader(kept);
        for (int i = 0; i < kept; i++) {
            reply.bulk(found.get(i));
        }
    }

    private static byte[] scoreText(double score, boolean packed) {
        if (packed && score == Math.rint(score) && Math.abs(score) <= LISTPACK_INTEGER_LIMIT) {
            return NumericStrings.toBytes((long) score);
        }
        return DoubleFormat.formatG17(score).getBytes(StandardCharsets.US_ASCII);
    }
}
