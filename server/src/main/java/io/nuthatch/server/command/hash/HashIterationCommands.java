package io.nuthatch.server.command.hash;

import io.nuthatch.resp.ReplyWriter;
import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.command.CommandError;
import io.nuthatch.server.command.CommandTable;
import io.nuthatch.server.command.Errors;
import io.nuthatch.server.command.key.CollectionScan;
import io.nuthatch.server.type.DistinctPositions;
import io.nuthatch.server.type.FieldValue;
import io.nuthatch.server.type.HashValue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Walking a hash other than whole: HRANDFIELD, random fields, and HSCAN, a few at a time.
 *
 * <p>HRANDFIELD with a count follows Redis 7.0's cases, which decide what the reply can contain
 * (which fields come is random, and so is their order): a negative count draws with repetition;
 * a count at least the size returns the whole hash in its order; a smaller positive count draws
 * distinct fields, by rejection while the count is under a third of the size and by a partial
 * shuffle of every position above that (rejection would keep drawing fields it already has).
 */
public final class HashIterationCommands {
    private static final byte[] WITHVALUES = CommandContext.keyword("WITHVALUES");
    private static final CommandError COUNT_OUT_OF_RANGE = new CommandError(
            "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");

    private HashIterationCommands() {
    }

    public static void register(CommandTable.Registry table) {
        table.command("hrandfield", "Returns random fields of a hash, with or without their values.",
                "O(N) where N is the number of fields returned", HashIterationCommands::hrandfield);
        table.command("hscan", "Iterates over the fields and values of a hash, a few at a time.",
                "O(1) per call, O(N) for a full iteration", HashIterationCommands::hscan);
    }

    /** HRANDFIELD key [count [WITHVALUES]] */
    static void hrandfield(CommandContext c) {
        if (c.argumentCount() >= 3) {
            hrandfieldWithCount(c);
            return;
        }
        HashValue hash = HashCommands.hashOf(c.database().lookupRead(c.arguments(), 1));
        if (hash == null) {
            c.reply().nullBulk();
            return;
        }
        int position = hash.randomPosition(c.random());
        c.reply().bulk(hash.fieldArray(position), hash.fieldOffset(position), hash.fieldLength(position));
    }

    private static void hrandfieldWithCount(CommandContext c) {
        long requested = rangedCount(c, 2);
        boolean withValues = false;
        if (c.argumentCount() == 4 && c.isKeyword(3, WITHVALUES)) {
            withValues = true;
        } else if (c.argumentCount() >= 4) {
            throw Errors.SYNTAX;
        }
        // A reply of field and value pairs counts twice the elements: Redis refuses what would overflow.
        if (withValues && Math.abs(requested) > Long.MAX_VALUE / 2) {
            throw Errors.OUT_OF_RANGE;
        }
        HashValue hash = HashCommands.hashOf(c.database().lookupRead(c.arguments(), 1));
        ReplyWriter reply = c.reply();
        if (hash == null || requested == 0) {
            reply.arrayHeader(0);
            return;
        }
        boolean flat = withValues && !reply.isResp3();
        SplittableRandom random = c.random();
        int size = hash.size();
        if (requested < 0 || requested == 1) {
            long draws = Math.abs(requested);
            reply.arrayHeader(flat ? draws * 2 : draws);
            for (long i = 0; i < draws; i++) {
                replyField(reply, hash, hash.randomPosition(random), withValues);
            }
            return;
        }
        if (requested >= size) {
            reply.arrayHeader(flat ? size * 2L : size);
            for (int position = hash.first(); position != HashValue.NONE; position = hash.next(position)) {
                replyField(reply, hash, position, withValues);
            }
            return;
        }
        int count = (int) requested;
        reply.arrayHeader(flat ? count * 2L : count);
        if (count * 3L <= size) {
            DistinctPositions drawn = new DistinctPositions(count);
            while (drawn.size() < count) {
                int position = hash.randomPosition(random);
                if (drawn.add(position)) {
                    replyField(reply, hash, position, withValues);
                }
            }
            return;
        }
        int[] positions = new int[size];
        int n = 0;
        for (int position = hash.first(); position != HashValue.NONE; position = hash.next(position)) {
            positions[n++] = position;
        }
        for (int i = 0; i < count; i++) {
            int pick = i + random.nextInt(size - i);
            int position = positions[pick];
            positions[pick] = positions[i];
            replyField(reply, hash, position, withValues);
        }
    }

    private static void replyField(ReplyWriter reply, HashValue hash, int position, boolean withValues) {
        if (withValues && reply.isResp3()) {
            reply.arrayHeader(2);
        }
        reply.bulk(hash.fieldArray(position), hash.fieldOffset(position), hash.fieldLength(position));
        if (withValues) {
            reply.bulk(hash.valueArray(position), hash.valueOffset(position), hash.valueLength(position));
        }
    }

    /**
     * A count between -LONG_MAX and LONG_MAX, as Redis's getRangeLongFromObjectOrReply reads the
     * counts of HRANDFIELD and SRANDMEMBER.
     */
    public static long rangedCount(CommandContext c, int index) {
        long count = c.longArgument(index);
        if (count == Long.MIN_VALUE) {
            throw COUNT_OUT_OF_RANGE;
        }
        return count;
    }

    /**
     * HSCAN key cursor [MATCH pattern] [COUNT count]. A listpack hash comes whole, with cursor 0,
     * as Redis returns it; a table is walked with its cursor until COUNT elements (a field and a
     * value count two, as in Redis) are gathered or ten times COUNT home slots visited, and only
     * then filtered by MATCH, on the field.
     */
    static void hscan(CommandContext c) {
        long cursor = CollectionScan.cursor(c);
        HashValue hash = HashCommands.hashOf(c.database().lookupRead(c.arguments(), 1));
        ReplyWriter reply = c.reply();
        if (hash == null) {
            reply.arrayHeader(2);
            reply.bulk(0);
            reply.arrayHeader(0);
            return;
        }
        CollectionScan options = CollectionScan.options(c);
        if (hash.isListpack()) {
            int matching = 0;
            for (int position = hash.first(); position != HashValue.NONE; position = hash.next(position)) {
                if (options.matches(hash.fieldArray(position), hash.fieldOffset(position), hash.fieldLength(position))) {
                    matching++;
                }
            }
            reply.arrayHeader(2);
            reply.bulk(0);
            reply.arrayHeader(matching * 2L);
            for (int position = hash.first(); position != HashValue.NONE; position = hash.next(position)) {
                if (options.matches(hash.fieldArray(position), hash.fieldOffset(position), hash.fieldLength(position))) {
                    reply.bulk(hash.fieldArray(position), hash.fieldOffset(position), hash.fieldLength(position));
                    reply.bulk(hash.valueArray(position), hash.valueOffset(position), hash.valueLength(position));
                }
            }
            return;
        }
        List<byte[]> pairs = new ArrayList<>();
        long slotsLeft = options.count * 10;
        do {
            cursor = hash.scan(cursor, pairs::add);
        } while (cursor != 0 && slotsLeft-- != 0 && pairs.size() * 2L < options.count);
        pairs.removeIf(pair -> !options.matches(pair, FieldValue.fieldOffset(pair), FieldValue.fieldLength(pair)));
        reply.arrayHeader(2);
        reply.bulk(cursor);
        reply.arrayHeader(pairs.size() * 2L);
        for (byte[] pair : pairs) {
            reply.bulk(pair, FieldValue.fieldOffset(pair), FieldValue.fieldLength(pair));
            reply.bulk(pair, FieldValue.valueOffset(pair), FieldValue.valueLength(pair));
        }
    }
}
