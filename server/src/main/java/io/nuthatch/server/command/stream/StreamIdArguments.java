package io.nuthatch.server.command.stream;

import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.command.CommandError;
import io.nuthatch.server.type.NumericStrings;
import io.nuthatch.server.type.stream.StreamId;
import io.nuthatch.server.type.stream.StreamIds;

/**
 * Stream IDs given as arguments, read with Redis 7.0's rules, quirks included, since clients rely
 * on what Redis accepts.
 *
 * <p>An ID is {@code ms-seq} or {@code ms} (the sequence then defaults to 0, or to the largest
 * value for the end of a range); {@code -} and {@code +} are the smallest and largest IDs where
 * a range is read, and {@code (} before an ID excludes it from a range. Each part is read as
 * Redis's string2ull does: a canonical non-negative integer, or else what C's strtoull accepts
 * whole (leading blanks, a sign, leading zeros: {@code 007} is 7, and a minus sign wraps around:
 * {@code -05} is 2^64-5). Redis reads the argument as a C string, so it ends at a NUL byte, and
 * an argument longer than 127 bytes is invalid.
 */
final class StreamIdArguments {
    static final CommandError INVALID_ID =
            new CommandError("ERR Invalid stream ID specified as stream command argument");
    private static final int LONGEST = 127;

    private StreamIdArguments() {
    }

    /** {@code -} and {@code +} allowed: a bound of a range. */
    static void parse(CommandContext c, int index, StreamId id, long missingSeq) {
        parse(c, index, 0, id, missingSeq, false, false);
    }

    /** {@code -} and {@code +} refused: an ID of an entry. */
    static void parseStrict(CommandContext c, int index, StreamId id, long missingSeq) {
        parse(c, index, 0, id, missingSeq, true, false);
    }

    /**
     * An ID of an entry, where XADD also takes {@code ms-*}.
     *
     * @return false for {@code ms-*}: the sequence is to be chosen
     */
    static boolean parseForAdd(CommandContext c, int index, StreamId id) {
        return parse(c, index, 0, id, 0, true, true);
    }

    /** Whether the argument is a valid entry ID; for XCLAIM, whose options follow its IDs. */
    static boolean isStrictId(CommandContext c, int index, StreamId id) {
        try {
            parse(c, index, 0, id, 0, true, false);
            return true;
        } catch (CommandError invalid) {
            return false;
        }
    }

    /**
     * A bound of a range, which {@code (} makes exclusive (Redis's streamParseIntervalIDOrReply).
     *
     * @return whether the bound is exclusive; the caller moves it by one
     */
    static boolean parseInterval(CommandContext c, int index, StreamId id, long missingSeq) {
        int length = c.arguments().length(index);
        boolean exclusive = length > 1 && c.arguments().byteAt(index, 0) == '(';
        if (exclusive) {
            parse(c, index, 1, id, missingSeq, true, false);
        } else {
            parse(c, index, 0, id, missingSeq, false, false);
        }
        return exclusive;
    }

    private static boolean parse(CommandContext c, int index, int skip, StreamId id, long missingSeq, boolean strict,
            boolean sequenceMayBeChosen) {
        byte[] bytes = c.arguments().array(index);
        int start = c.arguments().offset(index) + skip;
        int length = c.arguments().length(index) - skip;
        if (length > LONGEST) {
            throw INVALID_ID;
        }
        int end = start;
        while (end < start + length && bytes[end] != 0) {
            end++;
        }
        if (end - start == 1 && (bytes[start] == '-' || bytes[start] == '+')) {
            if (strict) {
                throw INVALID_ID;
            }
            long part = bytes[start] == '-' ? 0 : StreamIds.MAX;
            id.set(part, part);
            return true;
        }
        int dash = start;
        while (dash < end && bytes[dash] != '-') {
            dash++;
        }
        long ms = parseUnsigned(bytes, start, dash);
        long seq = missingSeq;
        boolean sequenceGiven = true;
        if (dash < end) {
            if (sequenceMayBeChosen && end - dash == 2 && bytes[dash + 1] == '*') {
                seq = 0;
                sequenceGiven = false;
            } else {
                seq = parseUnsigned(bytes, dash + 1, end);
            }
        }
        id.set(ms, seq);
        return sequenceGiven;
    }

    /** Redis's string2ull over [from, to): see the class comment. */
    static long parseUnsigned(byte[] bytes, int from, int to) {
        if (to - from > 0 && to - from <= 20 && NumericStrings.isLong(bytes, from, to - from)) {
            long value = NumericStrings.parseLong(bytes, from, to - from);
            if (value < 0) {
                throw INVALID_ID;
            }
            return value;
        }
        int position = from;
        while (position < to && isSpace(bytes[position])) {
            position++;
        }
        boolean negative = false;
        if (position < to && (bytes[position] == '+' || bytes[position] == '-')) {
            negative = bytes[position] == '-';
            position++;
        }
        int digitsStart = position;
        long value = 0;
        while (position < to && bytes[position] >= '0' && bytes[position] <= '9') {
            int digit = bytes[position] - '0';
            // value * 10 + digit must stay within 64 unsigned bits.
            if (Long.compareUnsigned(value, Long.divideUnsigned(StreamIds.MAX - digit, 10)) > 0) {
                throw INVALID_ID;
            }
            value = value * 10 + digit;
            position++;
        }
        if (position == digitsStart || position != to) {
            throw INVALID_ID;
        }
        return negative ? -value : value;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || (b >= '\t' && b <= '\r');
    }
}
