package io.nuthatch.server.type.sortedset;

import io.nuthatch.server.type.Listpack;

import java.util.Arrays;

/**
 * The operations of a small sorted set on its {@link Listpack}: member and score alternate, pairs
 * sorted by score, then member, as in Redis's listpack encoding. Everything is a walk from one end,
 * O(n) for n at most {@code zset-max-listpack-entries} (128 by default), which at that size costs
 * less than the pointer chasing of a skiplist.
 *
 * <p><b>Scores.</b> A score is stored in as few bytes as it needs: an entry of 0 to 7 bytes is an
 * integer (two's complement, big-endian, sign-extended; no bytes is 0), and an entry of 8 bytes
 * holds the bits of an IEEE double. So a timestamp score costs 6 bytes and a small counter 1,
 * about what Redis's listpack integers cost, and reading one is a few shifts, not a strtod. Negative
 * zero is stored as the integer 0, which is what Redis's listpack does to it too (ZSCORE answers
 * "0" for a "-0" stored in a small set and "-0" in a large one).
 */
final class PackedSortedSet {
    private static final double INTEGER_LIMIT = 0x1p55;

    private PackedSortedSet() {
    }

    // ---------------------------------------------------------------- scores

    static double scoreAt(Listpack packed, int scorePosition) {
        byte[] bytes = packed.array();
        int offset = packed.dataOffset(scorePosition);
        int length = packed.dataLength(scorePosition);
        if (length == 0) {
            return 0;
        }
        long value = bytes[offset];
        for (int i = 1; i < length; i++) {
            value = (value << 8) | (bytes[offset + i] & 0xff);
        }
        return length == 8 ? Double.longBitsToDouble(value) : value;
    }

    private static int scoreLength(double score) {
        if (score == Math.rint(score) && score > -INTEGER_LIMIT && score < INTEGER_LIMIT) {
            long value = (long) score;
            if (value == 0) {
                return 0;
            }
            // The fewest bytes whose top bit, sign-extended, gives back the value's upper bits.
            int length = 1;
            while (value >> (8 * length - 1) != 0 && value >> (8 * length - 1) != -1) {
                length++;
            }
            return length;
        }
        return 8;
    }

    private static void writeScore(Listpack packed, int position, double score, int length) {
        long value = length == 8 ? Double.doubleToRawLongBits(score) : (long) score;
        byte[] bytes = packed.array();
        int offset = packed.dataOffset(position);
        for (int i = length - 1; i >= 0; i--) {
            bytes[offset + i] = (byte) value;
            value >>= 8;
        }
    }

    // ---------------------------------------------------------------- members

    /** The position of the member's entry, or NONE. */
    static int find(Listpack packed, byte[] member, int offset, int length) {
        return packed.find(packed.first(), 2, member, offset, length);
    }

    static int scorePosition(Listpack packed, int memberPosition) {
        return packed.next(memberPosition);
    }

    /** Inserts a member known to be absent at the place its score gives it. */
    static void insert(Listpack packed, byte[] member, int offset, int length, double score) {
        int position = packed.first();
        while (position != Listpack.NONE) {
            int scorePosition = packed.next(position);
            double current = scoreAt(packed, scorePosition);
            if (current > score || (current == score && packed.compareAt(position, member, offset, length) > 0)) {
                break;
            }
            position = packed.next(scorePosition);
        }
        int scoreLength = scoreLength(score);
        int scorePosition = packed.insertReserved(position, scoreLength);
        writeScore(packed, scorePosition, score, scoreLength);
        packed.insertBefore(scorePosition, member, offset, length);
    }

    /** Appends a pair that sorts after every other (building a set in order). */
    static void append(Listpack packed, byte[] member, double score) {
        packed.append(member);
        int scoreLength = scoreLength(score);
        writeScore(packed, packed.insertReserved(Listpack.NONE, scoreLength), score, scoreLength);
    }

    /** Deletes the pair whose member is at {@code memberPosition}. */
    static void delete(Listpack packed, int memberPosition) {
        packed.delete(memberPosition, 2);
    }

    /** The 0-based rank of the member at {@code memberPosition}. */
    static int rankOf(Listpack packed, int memberPosition) {
        int rank = 0;
        for (int position = packed.first(); position != memberPosition; position = packed.next(packed.next(position))) {
            rank++;
        }
        return rank;
    }

    /** The position of the member of the 0-based rank. */
    static int memberAt(Listpack packed, int rank) {
        return packed.positionOf(2L * rank);
    }

    static void visit(Listpack packed, int memberPosition, ElementVisitor visitor) {
        byte[] bytes = packed.array();
        visitor.element(bytes, packed.dataOffset(memberPosition), packed.dataLength(memberPosition),
                scoreAt(packed, packed.next(memberPosition)));
    }

    // ---------------------------------------------------------------- ranges

    /** The member position of the first pair whose score is in the range, or NONE. */
    static int firstIn(Listpack packed, ScoreRange range) {
        if (range.isEmpty()) {
            return Listpack.NONE;
        }
        for (int position = packed.first(); position != Listpack.NONE; ) {
            int scorePosition = packed.next(position);
            double score = scoreAt(packed, scorePosition);
            if (range.aboveMin(score)) {
                return range.belowMax(score) ? position : Listpack.NONE;
            }
            position = packed.next(scorePosition);
        }
        return Listpack.NONE;
    }

    /** The member position of the last pair whose score is in the range, or NONE. */
    static int lastIn(Listpack packed, ScoreRange range) {
        if (range.isEmpty()) {
            return Listpack.NONE;
        }
        for (int scorePosition = packed.last(); scorePosition != Listpack.NONE; ) {
            int position = packed.previous(scorePosition);
            double score = scoreAt(packed, scorePosition);
            if (range.belowMax(score)) {
                return range.aboveMin(score) ? position : Listpack.NONE;
            }
            scorePosition = packed.previous(position);
        }
        return Listpack.NONE;
    }

    /**
     * Whether the range can hold anything: not empty, the last member not below it, the first not
     * above it. Redis checks this before a lex walk; on a set whose scores differ (where lex ranges
     * have no meaning, but still an answer) it decides what the walk finds.
     */
    private static boolean mayHold(Listpack packed, LexRange range) {
        if (range.isEmpty() || packed.isEmpty()) {
            return false;
        }
        byte[] bytes = packed.array();
        int last = packed.previous(packed.last());
        int first = packed.first();
        return range.aboveMin(bytes, packed.dataOffset(last), packed.dataLength(last))
                && range.belowMax(bytes, packed.dataOffset(first), packed.dataLength(first));
    }

    static int firstIn(Listpack packed, LexRange range) {
        if (!mayHold(packed, range)) {
            return Listpack.NONE;
        }
        byte[] bytes = packed.array();
        for (int position = packed.first(); position != Listpack.NONE; position = packed.next(packed.next(position))) {
            int offset = packed.dataOffset(position);
            int length = packed.dataLength(position);
            if (range.aboveMin(bytes, offset, length)) {
                return range.belowMax(bytes, offset, length) ? position : Listpack.NONE;
            }
        }
        return Listpack.NONE;
    }

    static int lastIn(Listpack packed, LexRange range) {
        if (!mayHold(packed, range)) {
            return Listpack.NONE;
        }
        byte[] bytes = packed.array();
        for (int scorePosition = packed.last(); scorePosition != Listpack.NONE; ) {
            int position = packed.previous(scorePosition);
            int offset = packed.dataOffset(position);
            int length = packed.dataLength(position);
            if (range.belowMax(bytes, offset, length)) {
                return range.aboveMin(bytes, offset, length) ? position : Listpack.NONE;
            }
            scorePosition = packed.previous(position);
        }
        return Listpack.NONE;
    }

    /** The member position of the pair after (or before, in reverse) the one at {@code memberPosition}. */
    static int step(Listpack packed, int memberPosition, boolean reverse) {
        if (reverse) {
            int previousScore = packed.previous(memberPosition);
            return previousScore == Listpack.NONE ? Listpack.NONE : packed.previous(previousScore);
        }
        return packed.next(packed.next(memberPosition));
    }

    static boolean memberBelowMax(Listpack packed, int memberPosition, LexRange range) {
        return range.belowMax(packed.array(), packed.dataOffset(memberPosition), packed.dataLength(memberPosition));
    }

    static boolean memberAboveMin(Listpack packed, int memberPosition, LexRange range) {
        return range.aboveMin(packed.array(), packed.dataOffset(memberPosition), packed.dataLength(memberPosition));
    }

    /** Deletes the pairs whose scores are in the range; returns how many. */
    static int deleteRange(Listpack packed, ScoreRange range) {
        int first = firstIn(packed, range);
        if (first == Listpack.NONE) {
            return 0;
        }
        int count = 0;
        for (int position = first; position != Listpack.NONE; position = packed.next(packed.next(position))) {
            if (!range.belowMax(scoreAt(packed, packed.next(position)))) {
                break;
            }
            count++;
        }
        packed.delete(first, 2 * count);
        return count;
    }

    static int deleteRange(Listpack packed, LexRange range) {
        int first = firstIn(packed, range);
        if (first == Listpack.NONE) {
            return 0;
        }
        int count = 0;
        for (int position = first; position != Listpack.NONE; position = packed.next(packed.next(position))) {
            if (!memberBelowMax(packed, position, range)) {
                break;
            }
            count++;
        }
        packed.delete(first, 2 * count);
        return count;
    }

    /** Whether the member at {@code memberPosition} has these bytes. */
    static boolean memberEquals(Listpack packed, int memberPosition, byte[] member, int offset, int length) {
        return packed.equalsAt(memberPosition, member, offset, length);
    }

    /** A copy of the member at {@code memberPosition}. */
    static byte[] memberCopy(Listpack packed, int memberPosition) {
        int offset = packed.dataOffset(memberPosition);
        return Arrays.copyOfRange(packed.array(), offset, offset + packed.dataLength(memberPosition));
    }
}
