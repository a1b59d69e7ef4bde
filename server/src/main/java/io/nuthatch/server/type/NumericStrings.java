package io.nuthatch.server.type;

import java.nio.charset.StandardCharsets;

/**
 * Numbers written as strings, with Redis's rules for what counts as one. An integer is canonical
 * (string2ll): an optional '-', no '+', no leading zeros, no blanks, within 64 bits. Parsing works
 * on byte ranges, so arguments and stored values are read without making Strings.
 */
public final class NumericStrings {

    /** Thrown for text that is not a number; stackless and shared, as it is part of normal traffic. */
    public static final NumberFormatException NOT_A_NUMBER = new NumberFormatException("not a number") {
        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    };

    private static final byte[] MIN_LONG = Long.toString(Long.MIN_VALUE).getBytes(StandardCharsets.US_ASCII);

    private NumericStrings() {
    }

    /** Whether the bytes are a canonical 64-bit integer. */
    public static boolean isLong(byte[] bytes, int offset, int length) {
        if (length <= 0 || length > 20) {
            return false;
        }
        try {
            parseLong(bytes, offset, length);
            return true;
        } catch (NumberFormatException notANumber) {
            return false;
        }
    }

    /**
     * Parses a canonical 64-bit integer.
     *
     * @throws NumberFormatException ({@link #NOT_A_NUMBER}) if the bytes are not one
     */
    public static long parseLong(byte[] bytes, int offset, int length) {
        if (length <= 0 || length > 20) {
            throw NOT_A_NUMBER;
        }
        int p = offset;
        int end = offset + length;
        if (length == 1 && bytes[p] == '0') {
            return 0;
        }
        boolean negative = bytes[p] == '-';
        if (negative) {
            p++;
            if (p == end) {
                throw NOT_A_NUMBER;
            }
        }
        if (bytes[p] < '1' || bytes[p] > '9') {
            throw NOT_A_NUMBER;
        }
        // Accumulated as a negative number so that Long.MIN_VALUE fits.
        long limit = negative ? Long.MIN_VALUE : -Long.MAX_VALUE;
        long value = 0;
        for (; p < end; p++) {
            int digit = bytes[p] - '0';
            if (digit < 0 || digit > 9 || value < (limit + digit) / 10) {
                throw NOT_A_NUMBER;
            }
            value = value * 10 - digit;
        }
        return negative ? value : -value;
    }

    /** The canonical decimal form of a long. */
    public static byte[] toBytes(long value) {
        byte[] result = new byte[decimalLength(value)];
        writeDecimal(value, result, 0);
        return result;
    }

    /**
     * Writes the canonical decimal form of a long at {@code offset}, {@link #decimalLength} bytes,
     * so that a counter can be rewritten where it is stored.
     */
    public static void writeDecimal(long value, byte[] target, int offset) {
        if (value == Long.MIN_VALUE) {
            System.arraycopy(MIN_LONG, 0, target, offset, MIN_LONG.length);
            return;
        }
        long remaining = Math.abs(value);
        int position = offset + decimalLength(value);
        do {
            target[--position] = (byte) ('0' + remaining % 10);
            remaining /= 10;
        } while (remaining > 0);
        if (value < 0) {
            target[offset] = '-';
        }
    }

    /** Number of characters of a long in decimal, the sign included. */
    public static int decimalLength(long value) {
        if (value == Long.MIN_VALUE) {
            return 20;
        }
        int length = value < 0 ? 2 : 1;
        long remaining = Math.abs(value);
        while (remaining >= 10) {
            remaining /= 10;
            length++;
        }
        return length;
    }
}
