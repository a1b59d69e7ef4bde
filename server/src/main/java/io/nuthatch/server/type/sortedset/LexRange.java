package io.nuthatch.server.type.sortedset;

import java.util.Arrays;

/**
 * A range of members as ZRANGEBYLEX, ZLEXCOUNT and ZREMRANGEBYLEX take it, for sets whose
 * elements share one score: each bound is "[member" (inclusive), "(member" (exclusive), "-" (below
 * everything) or "+" (above everything). Members compare as unsigned bytes, a prefix first.
 *
 * <p>The bounds refer to the bytes they were parsed from, which must outlive the range's use (a
 * command's arguments). Mutable, so that a command can keep one per thread.
 */
public final class LexRange {
    private static final int INCLUSIVE = 0;
    private static final int EXCLUSIVE = 1;
    private static final int LOWEST = 2;
    private static final int HIGHEST = 3;

    private byte[] minBytes;
    private int minOffset;
    private int minLength;
    private int minKind;
    private byte[] maxBytes;
    private int maxOffset;
    private int maxLength;
    private int maxKind;

    /**
     * Reads the two bounds from byte ranges, keeping references to them.
     *
     * @return false when either is not a valid bound (Redis: "min or max not valid string range item")
     */
    public boolean parse(byte[] minArray, int minStart, int minCount, byte[] maxArray, int maxStart, int maxCount) {
        minKind = kind(minArray, minStart, minCount);
        maxKind = kind(maxArray, maxStart, maxCount);
        if (minKind < 0 || maxKind < 0) {
            return false;
        }
        minBytes = minArray;
        minOffset = minStart + 1;
        minLength = minCount - 1;
        maxBytes = maxArray;
        maxOffset = maxStart + 1;
        maxLength = maxCount - 1;
        return true;
    }

    private static int kind(byte[] bytes, int offset, int length) {
        if (length == 0) {
            return -1;
        }
        switch (bytes[offset]) {
            case '+':
                return length == 1 ? HIGHEST : -1;
            case '-':
                return length == 1 ? LOWEST : -1;
            case '(':
                return EXCLUSIVE;
            case '[':
                return INCLUSIVE;
            default:
                return -1;
        }
    }

    /**
     * Whether no member can be in the range. "-" and "+" count as exclusive bounds, so "- -" and
     * "+ +" are empty, as in Redis.
     */
    public boolean isEmpty() {
        int compared = compareBounds();
        return compared > 0 || (compared == 0 && (minKind != INCLUSIVE || maxKind != INCLUSIVE));
    }

    private int compareBounds() {
        if (minKind == maxKind && (minKind == LOWEST || minKind == HIGHEST)) {
            return 0;
        }
        if (minKind == LOWEST || maxKind == HIGHEST) {
            return -1;
        }
        if (minKind == HIGHEST || maxKind == LOWEST) {
            return 1;
        }
        return Arrays.compareUnsigned(minBytes, minOffset, minOffset + minLength, maxBytes, maxOffset,
                maxOffset + maxLength);
    }

    public boolean aboveMin(byte[] member) {
        return aboveMin(member, 0, member.length);
    }

    public boolean aboveMin(byte[] member, int offset, int length) {
        switch (minKind) {
            case LOWEST:
                return true;
            case HIGHEST:
                return false;
            default:
                int compared = Arrays.compareUnsigned(member, offset, offset + length, minBytes, minOffset,
                        minOffset + minLength);
                return minKind == EXCLUSIVE ? compared > 0 : compared >= 0;
        }
    }

    public boolean belowMax(byte[] member) {
        return belowMax(member, 0, member.length);
    }

    public boolean belowMax(byte[] member, int offset, int length) {
        switch (maxKind) {
            case LOWEST:
                return false;
            case HIGHEST:
                return true;
            default:
                int compared = Arrays.compareUnsigned(member, offset, offset + length, maxBytes, maxOffset,
                        maxOffset + maxLength);
                return maxKind == EXCLUSIVE ? compared < 0 : compared <= 0;
        }
    }
}
