package io.nuthatch.server.command.zset;

import io.nuthatch.server.pubsub.EventNames;
import io.nuthatch.server.pubsub.KeyspaceEvents;
import io.nuthatch.resp.RequestArguments;
import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.command.CommandError;
import io.nuthatch.server.command.CommandTable;
import io.nuthatch.server.command.Errors;
import io.nuthatch.server.keyspace.Database;
import io.nuthatch.server.keyspace.KeyEntry;
import io.nuthatch.server.type.sortedset.ElementVisitor;
import io.nuthatch.server.type.sortedset.LexRange;
import io.nuthatch.server.type.sortedset.ScoreRange;
import io.nuthatch.server.type.sortedset.SortedSet;

/**
 * Ranges of a sorted set: ZRANGE with its BYSCORE, BYLEX, REV and LIMIT options, ZRANGESTORE, the
 * older ZREVRANGE, Z[REV]RANGEBYSCORE and Z[REV]RANGEBYLEX, the counts ZCOUNT and ZLEXCOUNT, and
 * the deletions ZREMRANGEBYRANK, ZREMRANGEBYSCORE and ZREMRANGEBYLEX.
 *
 * <p>All the range reads are one parser, as in Redis: the older commands are ZRANGE with the
 * kind of range and the direction fixed, and accept the options that do not contradict them (so
 * ZREVRANGE takes WITHSCORES, and a LIMIT that it then refuses with ZRANGE's error). The order of
 * checks is Redis's: options, then conflicts, then the range's syntax, then the key.
 */
public final class SortedSetRangeCommands {
    private static final byte[] WITHSCORES = CommandContext.keyword("WITHSCORES");
    private static final byte[] LIMIT = CommandContext.keyword("LIMIT");
    private static final byte[] REV = CommandContext.keyword("REV");
    private static final byte[] BYSCORE = CommandContext.keyword("BYSCORE");
    private static final byte[] BYLEX = CommandContext.keyword("BYLEX");

    static final CommandError NOT_A_FLOAT_RANGE = new CommandError("ERR min or max is not a float");
    static final CommandError NOT_A_LEX_RANGE = new CommandError("ERR min or max not valid string range item");
    private static final CommandError LIMIT_NEEDS_SCORE_OR_LEX = new CommandError(
            "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
    private static final CommandError WITHSCORES_WITH_LEX =
            new CommandError("ERR syntax error, WITHSCORES not supported in combination with BYLEX");

    private static final int AUTO = 0;
    private static final int BY_RANK = 1;
    private static final int BY_SCORE = 2;
    private static final int BY_LEX = 3;
    private static final int FORWARD = 1;
    private static final int REVERSE = 2;

    /** Per-thread ranges, parsed into instead of allocated. */
    private static final ThreadLocal<ScoreRange> SCORE_RANGES = ThreadLocal.withInitial(ScoreRange::new);
    private static final ThreadLocal<LexRange> LEX_RANGES = ThreadLocal.withInitial(LexRange::new);

    private SortedSetRangeCommands() {
    }

    static void register(CommandTable.Registry table) {
        table.command("zrange", "Returns a range of a sorted set by rank, score or member, in either direction.",
                "O(log(N)+M), M the members returned", c -> range(c, 1, false, AUTO, AUTO));
        table.command("zrangestore", "Stores a range of a sorted set in another key.",
                "O(log(N)+M), M the members stored", c -> range(c, 2, true, AUTO, AUTO));
        table.command("zrevrange", "Returns a range of a sorted set by rank, highest score first.",
                "O(log(N)+M), M the members returned", c -> range(c, 1, false, BY_RANK, REVERSE));
        table.command("zrangebyscore", "Returns the members of a sorted set within a range of scores.",
                "O(log(N)+M), M the members returned", c -> range(c, 1, false, BY_SCORE, FORWARD));
        table.command("zrevrangebyscore", "Returns the members within a range of scores, highest first.",
                "O(log(N)+M), M the members returned", c -> range(c, 1, false, BY_SCORE, REVERSE));
        table.command("zrangebylex", "Returns the members of a sorted set within a range of members.",
                "O(log(N)+M), M the members returned", c -> range(c, 1, false, BY_LEX, FORWARD));
        table.command("zrevrangebylex", "Returns the members within a range of members, in reverse order.",
                "O(log(N)+M), M the members returned", c -> range(c, 1, false, BY_LEX, REVERSE));
        table.command("zcount", "Counts the members of a sorted set within a range of scores.", "O(log(N))",
                SortedSetRangeCommands::zcount);
        table.command("zlexcount", "Counts the members of a sorted set within a range of members.", "O(log(N))",
                SortedSetRangeCommands::zlexcount);
        table.command("zremrangebyrank", "Removes the members of a sorted set within a range of ranks.",
                "O(log(N)+M), M the members removed", c -> removeRange(c, BY_RANK));
        table.command("zremrangebyscore", "Removes the members of a sorted set within a range of scores.",
                "O(log(N)+M), M the members removed", c -> removeRange(c, BY_SCORE));
        table.command("zremrangebylex", "Removes the members of a sorted set within a range of members.",
                "O(log(N)+M), M the members removed", c -> removeRange(c, BY_LEX));
    }

    // ---------------------------------------------------------------- parsing

    static ScoreRange scoreRange(CommandContext c, int minIndex, int maxIndex) {
        RequestArguments a = c.arguments();
        ScoreRange range = SCORE_RANGES.get();
        if (!range.parse(a.array(minIndex), a.offset(minIndex), a.length(minIndex), a.array(maxIndex),
                a.offset(maxIndex), a.length(maxIndex))) {
            throw NOT_A_FLOAT_RANGE;
        }
        return range;
    }

    static LexRange lexRange(CommandContext c, int minIndex, int maxIndex) {
        RequestArguments a = c.arguments();
        LexRange range = LEX_RANGES.get();
        if (!range.parse(a.array(minIndex), a.offset(minIndex), a.length(minIndex), a.array(maxIndex),
                a.offset(maxIndex), a.length(maxIndex))) {
            throw NOT_A_LEX_RANGE;
        }
        return range;
    }

    // ---------------------------------------------------------------- reading ranges

    /**
     * ZRANGE and every older form of it: {@code <key> <min> <max> [BYSCORE|BYLEX] [REV] [WITHSCORES]
     * [LIMIT offset count]} from argument {@code keyIndex}; ZRANGESTORE's destination is argument 1.
     */
    private static void range(CommandContext c, int keyIndex, boolean store, int kind, int direction) {
        boolean withScores = false;
        long offset = 0;
        long limit = -1;
        int count = c.argumentCount();
        for (int j = keyIndex + 3; j < count; j++) {
            int left = count - j - 1;
            if (!store && c.isKeyword(j, WITHSCORES)) {
                withScores = true;
            } else if (c.isKeyword(j, LIMIT) && left >= 2) {
                offset = c.longArgument(j + 1);
                limit = c.longArgument(j + 2);
                j += 2;
            } else if (direction == AUTO && c.isKeyword(j, REV)) {
                direction = REVERSE;
            } else if (kind == AUTO && c.isKeyword(j, BYLEX)) {
                kind = BY_LEX;
            } else if (kind == AUTO && c.isKeyword(j, BYSCORE)) {
                kind = BY_SCORE;
            } else {
                throw Errors.SYNTAX;
            }
        }
        boolean reverse = direction == REVERSE;
        kind = kind == AUTO ? BY_RANK : kind;
        // A LIMIT whose count is -1 is no limit at all, even on a rank range, as in Redis.
        if (limit != -1 && kind == BY_RANK) {
            throw LIMIT_NEEDS_SCORE_OR_LEX;
        }
        if (withScores && kind == BY_LEX) {
            throw WITHSCORES_WITH_LEX;
        }
        int minIndex = keyIndex + 1;
        int maxIndex = keyIndex + 2;
        if (reverse && kind != BY_RANK) {
            minIndex = keyIndex + 2;
            maxIndex = keyIndex + 1;
        }
        long start = 0;
        long end = 0;
        ScoreRange scores = null;
        LexRange members = null;
        if (kind == BY_RANK) {
            start = c.longArgument(minIndex);
            end = c.longArgument(maxIndex);
        } else if (kind == BY_SCORE) {
            scores = scoreRange(c, minIndex, maxIndex);
        } else {
            members = lexRange(c, minIndex, maxIndex);
        }
        SortedSet set = SortedSetAccess.sortedSet(c.database().lookupRead(c.arguments(), keyIndex));
        if (store) {
            SortedSetBuilder builder = SortedSetBuilder.start(c);
            if (set != null) {
                emit(set, kind, start, end, scores, members, reverse, offset, limit, builder, null);
            }
            c.reply().integer(SortedSetAccess.store(c, 1, builder.result(), EventNames.ZRANGESTORE));
            return;
        }
        ElementReply reply = ElementReply.to(c.reply(), withScores);
        if (set == null) {
            reply.header(0);
            return;
        }
        emit(set, kind, start, end, scores, members, reverse, offset, limit, reply, reply);
    }

    /**
     * Visits the range's elements; a reply (when {@code header} is given) gets its array header:
     * known in advance for a rank range, written once the walk is done otherwise.
     */
    private static void emit(SortedSet set, int kind, long start, long end, ScoreRange scores, LexRange members,
            boolean reverse, long offset, long limit, ElementVisitor visitor, ElementReply header) {
        if (kind == BY_RANK) {
            int size = set.size();
            if (start < 0) {
                start += size;
            }
            if (end < 0) {
                end += size;
            }
            if (start < 0) {
                start = 0;
            }
            if (start > end || start >= size) {
                if (header != null) {
                    header.header(0);
                }
                return;
            }
            if (end >= size) {
                end = size - 1;
            }
            if (header != null) {
                header.header(end - start + 1);
            }
            set.visitRanks((int) start, (int) end, reverse, visitor);
            return;
        }
        int mark = header == null ? 0 : header.beginDeferred();
        int visited = kind == BY_SCORE ? set.visit(scores, reverse, offset, limit, visitor)
                : set.visit(members, reverse, offset, limit, visitor);
        if (header != null) {
            header.endDeferred(mark, visited);
        }
    }

    // ---------------------------------------------------------------- counts

    /** ZCOUNT key min max: the range is checked before the key, as in Redis. */
    static void zcount(CommandContext c) {
        ScoreRange range = scoreRange(c, 2, 3);
        SortedSet set = SortedSetAccess.sortedSet(c.database().lookupRead(c.arguments(), 1));
        c.reply().integer(set == null ? 0 : set.count(range));
    }

    static void zlexcount(CommandContext c) {
        LexRange range = lexRange(c, 2, 3);
        SortedSet set = SortedSetAccess.sortedSet(c.database().lookupRead(c.arguments(), 1));
        c.reply().integer(set == null ? 0 : set.count(range));
    }

    // ---------------------------------------------------------------- removing ranges

    private static void removeRange(CommandContext c, int kind) {
        long start = 0;
        long end = 0;
        ScoreRange scores = null;
        LexRange members = null;
        if (kind == BY_RANK) {
            start = c.longArgument(2);
            end = c.longArgument(3);
        } else if (kind == BY_SCORE) {
            scores = scoreRange(c, 2, 3);
        } else {
            members = lexRange(c, 2, 3);
        }
        Database database = c.database();
        KeyEntry entry = database.lookupWrite(c.arguments(), 1);
        SortedSet set = SortedSetAccess.sortedSet(entry);
        if (set == null) {
            c.reply().integer(0);
            return;
        }
        if (kind == BY_RANK) {
            int size = set.size();
            if (start < 0) {
                start += size;
            }
            if (end < 0) {
                end += size;
            }
            if (start < 0) {
                start = 0;
            }
            if (start > end || start >= size) {
                c.reply().integer(0);
                return;
            }
            if (end >= size) {
                end = size - 1;
            }
        } else if (kind == BY_SCORE ? !set.removesAny(scores) : !set.removesAny(members)) {
            c.reply().integer(0);
            return;
        }
        database.writableValue(entry);
        int removed = kind == BY_RANK ? set.removeRanks((int) start, (int) end)
                : kind == BY_SCORE ? set.remove(scores) : set.remove(members);
        SortedSetAccess.changed(database, entry, set);
        SortedSetAccess.notifyChange(c, kind == BY_RANK ? EventNames.ZREMRANGEBYRANK
                : kind == BY_SCORE ? EventNames.ZREMRANGEBYSCORE : EventNames.ZREMRANGEBYLEX, 1, set);
        c.reply().integer(removed);
    }
}
