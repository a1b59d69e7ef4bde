package io.nuthatch.persistence.rdb;

/**
 * Whether bytes are the canonical decimal text of a 64-bit integer (no sign but '-', no leading
 * zero, no "-0", at most 20 characters), which is when Redis stores a string as an integer: in an
 * RDB string's integer form and in a listpack's integer entries. Parsing and printing give back the
 * same bytes, so the integer form loses nothing.
 */
public final class CanonicalInteger {
    /** Returned for text that is not canonical (see {@link #parse} for the one integer it hides). */
    public static final long NOT_CANONICAL = Long.MIN_VALUE;
    private static final int MAX_TEXT = 20;

    private CanonicalInteger() {
    }

    /**
     * The integer the bytes are the canonical text of, or {@link #NOT_CANONICAL}. Long.MIN_VALUE's
     * own text is reported as not canonical, which costs nothing: no encoding needs it as an integer.
     */
    public static long parse(byte[] bytes, int offset, int length) {
        if (length == 0 || length > MAX_TEXT) {
            return NOT_CANONICAL;
        }
        int i = offset;
        int end = offset + length;
        if (length == 1 && bytes[i] == '0') {
            return 0;
        }
        boolean negative = bytes[i] == '-';
        if (negative) {
            i++;
            if (i == end) {
                return NOT_CANONICAL;
            }
        }
        if (bytes[i] < '1' || bytes[i] > '9') {
            return NOT_CANONICAL;
        }
        long value = 0;
        for (; i < end; i++) {
            int digit = bytes[i] - '0';
            if (digit < 0 || digit > 9) {
                return NOT_CANONICAL;
            }
            // Accumulated negatively, so that the most negative value parses without overflow.
            if (value < (Long.MIN_VALUE + digit) / 10) {
                return NOT_CANONICAL;
            }
            value = value * 10 - digit;
        }
        if (negative) {
            return value;
        }
        return value == Long.MIN_VALUE ? NOT_CANONICAL : -value;
    }
}
