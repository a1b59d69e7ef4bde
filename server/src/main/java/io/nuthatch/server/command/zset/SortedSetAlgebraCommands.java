package io.nuthatch.server.command.zset;

import io.nuthatch.server.pubsub.EventNames;
import io.nuthatch.server.pubsub.KeyspaceEvents;
import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.command.CommandError;
import io.nuthatch.server.command.CommandTable;
import io.nuthatch.server.command.Errors;
import io.nuthatch.server.keyspace.Database;
import io.nuthatch.server.keyspace.KeyEntry;
import io.nuthatch.server.type.DoubleStrings;
import io.nuthatch.server.type.MemberCollection;
import io.nuthatch.server.type.ValueType;
import io.nuthatch.server.type.sortedset.ElementVisitor;
import io.nuthatch.server.type.sortedset.SortedSet;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Sorted sets combined: ZUNION, ZINTER, ZDIFF, their STORE forms, and ZINTERCARD. Inputs may be
 * sorted sets or plain sets (whose members score 1), each score multiplied by its WEIGHT and the
 * scores of a member found in several inputs combined by AGGREGATE SUM (the default), MIN or MAX.
 *
 * <p>The arithmetic is Redis's, step for step, since floating-point sums depend on their order: the
 * inputs of a union or intersection are taken from the smallest to the largest (a stable order for
 * equal sizes), a weighted score that is NaN (0 times infinity) counts as 0, and so does a sum of
 * infinities of opposite signs. The result is built as a skiplist and packed into a listpack if
 * it fits the limits, as Redis converts its result.
 */
public final class SortedSetAlgebraCommands {
    private static final byte[] WEIGHTS = CommandContext.keyword("WEIGHTS");
    private static final byte[] AGGREGATE = CommandContext.keyword("AGGREGATE");
    private static final byte[] WITHSCORES = CommandContext.keyword("WITHSCORES");
    private static final byte[] LIMIT = CommandContext.keyword("LIMIT");
    private static final byte[] SUM = CommandContext.keyword("SUM");
    private static final byte[] MIN = CommandContext.keyword("MIN");
    private static final byte[] MAX = CommandContext.keyword("MAX");

    private static final CommandError WEIGHT_NOT_A_FLOAT = new CommandError("ERR weight value is not a float");
    private static final CommandError LIMIT_NEGATIVE = new CommandError("ERR LIMIT can't be negative");

    private static final int UNION = 0;
    private static final int INTER = 1;
    private static final int DIFF = 2;
    private static final int AGGREGATE_SUM = 0;
    private static final int AGGREGATE_MIN = 1;
    private static final int AGGREGATE_MAX = 2;

    private SortedSetAlgebraCommands() {
    }

    static void register(CommandTable.Registry table) {
        table.command("zunion", "Returns the union of sorted sets.", "O(N)+O(M*log(M)), N the members read, M the result",
                c -> combine(c, 1, false, UNION, false));
        table.command("zinter", "Returns the intersection of sorted sets.",
                "O(N*K)+O(M*log(M)), N the smallest input, K the inputs, M the result",
                c -> combine(c, 1, false, INTER, false));
        table.command("zdiff", "Returns the members of the first sorted set that are in none of the others.",
                "O(L + (N-K)log(N)), L the members read, N the first input, K the result",
                c -> combine(c, 1, false, DIFF, false));
        table.command("zunionstore", "Stores the union of sorted sets in a key.",
                "O(N)+O(M*log(M)), N the members read, M the result", c -> combine(c, 2, true, UNION, false));
        table.command("zinterstore", "Stores the intersection of sorted sets in a key.",
                "O(N*K)+O(M*log(M)), N the smallest input, K the inputs, M the result",
                c -> combine(c, 2, true, INTER, false));
        table.command("zdiffstore", "Stores the difference of sorted sets in a key.",
                "O(L + (N-K)log(N)), L the members read, N the first input, K the result",
                c -> combine(c, 2, true, DIFF, false));
        table.command("zintercard", "Counts the members of the intersection of sorted sets, up to a limit.",
                "O(N*K), N the smallest input, K the inputs", c -> combine(c, 1, false, INTER, true));
    }

    /** One input: a sorted set, a plain set, or nothing (a missing key), and its weight. */
    private static final class Input {
        final SortedSet sorted;
        final MemberCollection plain;
        double weight = 1;

        Input(SortedSet sorted, MemberCollection plain) {
            this.sorted = sorted;
            this.plain = plain;
        }

        int size() {
            return sorted != null ? sorted.size() : plain != null ? plain.memberCount() : 0;
        }

        boolean isSame(Input other) {
            return (sorted != null && sorted == other.sorted) || (plain != null && plain == other.plain);
        }

        /** The member's (unweighted) score, NaN when absent. */
        double score(byte[] member, int offset, int length) {
            if (sorted != null) {
                return sorted.score(member, offset, length);
            }
            return plain != null && plain.containsMember(member, offset, length) ? 1 : Double.NaN;
        }

        void forEach(ElementVisitor visitor) {
            if (sorted != null) {
                sorted.forEach(visitor);
            } else if (plain != null) {
                plain.forEachMember((array, offset, length) -> visitor.element(array, offset, length, 1));
            }
        }
    }

    /**
     * The whole family: {@code [destination] numkeys key [key ...] [WEIGHTS w ...] [AGGREGATE
     * SUM|MIN|MAX] [WITHSCORES] [LIMIT limit]}, each option only where the command has it. The keys
     * are looked up and type-checked before the options are read, as in Redis.
     */
    private static void combine(CommandContext c, int numkeysIndex, boolean store, int operation, boolean countOnly) {
        long numkeys = c.longArgument(numkeysIndex);
        if (numkeys < 1) {
            throw new CommandError("ERR at least 1 input key is needed for '" + c.command().name() + "' command");
        }
        if (numkeys > c.argumentCount() - (numkeysIndex + 1)) {
            throw Errors.SYNTAX;
        }
        int inputCount = (int) numkeys;
        Input[] inputs = new Input[inputCount];
        Database database = c.database();
        for (int i = 0; i < inputCount; i++) {
            KeyEntry entry = database.lookupRead(c.arguments(), numkeysIndex + 1 + i);
            if (entry == null) {
                inputs[i] = new Input(null, null);
            } else if (entry.type() == ValueType.ZSET) {
                inputs[i] = new Input((SortedSet) entry.value(), null);
            } else if (entry.type() == ValueType.SET && entry.value() instanceof MemberCollection members) {
                inputs[i] = new Input(null, members);
            } else {
                throw Errors.WRONG_TYPE;
            }
        }
        int aggregate = AGGREGATE_SUM;
        boolean withScores = false;
        long limit = 0;
        int j = numkeysIndex + 1 + inputCount;
        int count = c.argumentCount();
        while (j < count) {
            int remaining = count - j;
            if (operation != DIFF && !countOnly && remaining >= inputCount + 1 && c.isKeyword(j, WEIGHTS)) {
                j++;
                for (int i = 0; i < inputCount; i++, j++) {
                    try {
                        inputs[i].weight = DoubleStrings.parseStrict(c.arguments().array(j), c.arguments().offset(j),
                                c.arguments().length(j));
                    } catch (NumberFormatException notAFloat) {
                        throw WEIGHT_NOT_A_FLOAT;
                    }
                }
            } else if (operation != DIFF && !countOnly && remaining >= 2 && c.isKeyword(j, AGGREGATE)) {
                if (c.isKeyword(j + 1, SUM)) {
                    aggregate = AGGREGATE_SUM;
                } else if (c.isKeyword(j + 1, MIN)) {
                    aggregate = AGGREGATE_MIN;
                } else if (c.isKeyword(j + 1, MAX)) {
                    aggregate = AGGREGATE_MAX;
                } else {
                    throw Errors.SYNTAX;
                }
                j += 2;
            } else if (!store && !countOnly && c.isKeyword(j, WITHSCORES)) {
                withScores = true;
                j++;
            } else if (countOnly && remaining >= 2 && c.isKeyword(j, LIMIT)) {
                limit = c.longArgument(j + 1, LIMIT_NEGATIVE);
                if (limit < 0) {
                    throw LIMIT_NEGATIVE;
                }
                j += 2;
            } else {
                throw Errors.SYNTAX;
            }
        }
        if (operation != DIFF) {
            // Arrays.sort on objects is stable, as glibc's qsort (a merge sort) is in practice.
            Arrays.sort(inputs, Comparator.comparingInt(Input::size));
        }
        if (countOnly) {
            c.reply().integer(intersectionSize(inputs, limit));
            return;
        }
        SortedSet result = SortedSet.createSkipList();
        switch (operation) {
            case UNION -> union(inputs, aggregate, result);
            case INTER -> intersection(inputs, aggregate, result);
            default -> difference(inputs, result);
        }
        if (store) {
            result.packIfFits(SortedSetAccess.maxEntries(c), SortedSetAccess.maxValue(c));
            byte[] event = operation == UNION ? EventNames.ZUNIONSTORE
                    : operation == INTER ? EventNames.ZINTERSTORE : EventNames.ZDIFFSTORE;
            c.reply().integer(SortedSetAccess.store(c, 1, result, event));
            return;
        }
        ElementReply reply = ElementReply.to(c.reply(), withScores);
        reply.header(result.size());
        result.forEach(reply);
    }

    /** Redis's zunionInterAggregate. */
    private static double aggregate(double target, double value, int aggregate) {
        switch (aggregate) {
            case AGGREGATE_SUM -> {
                double sum = target + value;
                // inf + -inf: Redis keeps the convention that the result is 0.
                return Double.isNaN(sum) ? 0 : sum;
            }
            case AGGREGATE_MIN -> {
                return value < target ? value : target;
            }
            default -> {
                return value > target ? value : target;
            }
        }
    }

    private static double weighted(double weight, double score) {
        double product = weight * score;
        return Double.isNaN(product) ? 0 : product;
    }

    private static void union(Input[] inputs, int aggregate, SortedSet result) {
        for (Input input : inputs) {
            if (input.size() == 0) {
                continue;
            }
            double weight = input.weight;
            input.forEach((member, offset, length, score) -> {
                double value = weighted(weight, score);
                double current = result.score(member, offset, length);
                double updated = Double.isNaN(current) ? value : aggregate(current, value, aggregate);
                if (updated == current && Double.doubleToRawLongBits(updated) != Double.doubleToRawLongBits(current)) {
                    // 0 and -0 compare equal, so ZADD's rule would keep the old one; an aggregate
                    // takes the new one, as Redis's accumulator does.
                    result.remove(member, offset, length);
                }
                result.add(member, offset, length, updated, 0, 0, 0);
            });
        }
    }

    private static void intersection(Input[] inputs, int aggregate, SortedSet result) {
        Input smallest = inputs[0];
        if (smallest.size() == 0) {
            return;
        }
        smallest.forEach((member, offset, length, score) -> {
            double combined = aggregateAcross(inputs, aggregate, member, offset, length, score);
            if (!Double.isNaN(combined)) {
                result.add(member, offset, length, combined, 0, 0, 0);
            }
        });
    }

    /**
     * The member's combined score over every input, NaN when an input lacks it. (A combined score
     * itself is never NaN: NaN weighted scores and sums count as 0.)
     */
    private static double aggregateAcross(Input[] inputs, int aggregate, byte[] member, int offset, int length,
            double firstScore) {
        double combined = weighted(inputs[0].weight, firstScore);
        for (int i = 1; i < inputs.length; i++) {
            double score = inputs[i].isSame(inputs[0]) ? firstScore : inputs[i].score(member, offset, length);
            if (Double.isNaN(score)) {
                return Double.NaN;
            }
            // Redis multiplies the other inputs' scores without the NaN-to-0 rule.
            combined = aggregate(combined, score * inputs[i].weight, aggregate);
        }
        return combined;
    }

    private static long intersectionSize(Input[] inputs, long limit) {
        Input smallest = inputs[0];
        if (smallest.size() == 0) {
            return 0;
        }
        long[] count = {0};
        // Members are visited to the end even past the limit; the count stops growing there.
        smallest.forEach((member, offset, length, score) -> {
            if (limit != 0 && count[0] >= limit) {
                return;
            }
            for (int i = 1; i < inputs.length; i++) {
                if (!inputs[i].isSame(smallest) && Double.isNaN(inputs[i].score(member, offset, length))) {
                    return;
                }
            }
            count[0]++;
        });
        return count[0];
    }

    private static void difference(Input[] inputs, SortedSet result) {
        Input first = inputs[0];
        if (first.size() == 0) {
            return;
        }
        for (int i = 1; i < inputs.length; i++) {
            if (inputs[i].isSame(first)) {
                return;
            }
        }
        first.forEach((member, offset, length, score) -> {
            for (int i = 1; i < inputs.length; i++) {
                if (!Double.isNaN(inputs[i].score(member, offset, length))) {
                    return;
                }
            }
            result.add(member, offset, length, score, 0, 0, 0);
        });
    }
}
