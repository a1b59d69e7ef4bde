package io.nuthatch.server.type.sortedset;

import io.nuthatch.server.type.DoubleStrings;

/**
 * A range of scores as ZRANGEBYSCORE, ZCOUNT and ZREMRANGEBYSCORE take it: each bound a double,
 * inclusive, or exclusive when written with a leading '(' ("(1.5"); "-inf" and "+inf" for no bound.
 * A bound is read with C's bare strtod, as Redis reads it ({@link DoubleStrings#parseLenient}).
 *
 * <p>Mutable, so that a command can keep one per thread and parse into it without allocating.
 */
public final class ScoreRange {
    private double min;
    private double max;
    private boolean minExclusive;
    private boolean maxExclusive;

    public ScoreRange() {
    }

    public ScoreRange(double min, boolean minExclusive, double max, boolean maxExclusive) {
        set(min, minExclusive, max, maxExclusive);
    }

    public ScoreRange set(double min, boolean minExclusive, double max, boolean maxExclusive) {
        this.min = min;
        this.minExclusive = minExclusive;
        this.max = max;
        this.maxExclusive = maxExclusive;
        return this;
    }

    /**
     * Reads the two bounds from byte ranges.
     *
     * @return false when either is not a float (Redis: "min or max is not a float")
     */
    public boolean parse(byte[] minBytes, int minOffset, int minLength, byte[] maxBytes, int maxOffset, int maxLength) {
        try {
            minExclusive = minLength > 0 && minBytes[minOffset] == '(';
            int skip = minExclusive ? 1 : 0;
            min = DoubleStrings.parseLenient(minBytes, minOffset + skip, minLength - skip);
            maxExclusive = maxLength > 0 && maxBytes[maxOffset] == '(';
            skip = maxExclusive ? 1 : 0;
            max = DoubleStrings.parseLenient(maxBytes, maxOffset + skip, maxLength - skip);
            return true;
        } catch (NumberFormatException notAFloat) {
            return false;
        }
    }

    public double min() {
        return min;
    }

    public double max() {
        return max;
    }

    public boolean minExclusive() {
        return minExclusive;
    }

    public boolean maxExclusive() {
        return maxExclusive;
    }

    /** Whether no score can be in the range. */
    public boolean isEmpty() {
        return min > max || (min == max && (minExclusive || maxExclusive));
    }

    public boolean aboveMin(double score) {
        return minExclusive ? score > min : score >= min;
    }

    public boolean belowMax(double score) {
        return maxExclusive ? score < max : score <= max;
    }

    public boolean contains(double score) {
        return aboveMin(score) && belowMax(score);
    }
}
