package io.nuthatch.server.type.stream;

import io.nuthatch.server.type.NumericStrings;

/**
 * The bytes Redis 7.0's listpack encoding takes for the elements of a stream node. A stream node
 * here is not laid out as Redis's listpack is, yet it must fill up and give way to a new node at
 * exactly the entry where Redis's would (stream-node-max-bytes compares the listpack's size), or
 * XLEN after {@code XADD ... MAXLEN ~} would differ: trimming with {@code ~} removes whole nodes.
 * So each node keeps the size Redis's listpack for it would have, computed element by element
 * with these rules.
 *
 * <p>The rules, from the listpack format: a string that reads as a canonical 64-bit integer is
 * stored as an integer of 1, 2, 3, 4, 5 or 9 bytes by its magnitude (7-bit unsigned, then 13, 16,
 * 24, 32, 64-bit signed); any other string takes a 1, 2 or 5-byte header by its length (under 64,
 * under 4096, longer) and its bytes. Each element then ends with its "backlen", the size of
 * header and data again, in 1 to 5 bytes of 7 bits. A listpack starts with a 6-byte header and
 * ends with a 1-byte terminator.
 */
public final class RedisListpackSize {
    /** Total-bytes and element-count header, plus the end byte. */
    public static final int EMPTY = 7;

    private RedisListpackSize() {
    }

    /** Bytes of an integer element. */
    public static int ofInteger(long value) {
        int encoded;
        if (value >= 0 && value <= 127) {
            encoded = 1;
        } else if (value >= -4096 && value <= 4095) {
            encoded = 2;
        } else if (value >= -32768 && value <= 32767) {
            encoded = 3;
        } else if (value >= -8388608 && value <= 8388607) {
            encoded = 4;
        } else if (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) {
            encoded = 5;
        } else {
            encoded = 9;
        }
        return encoded + backLength(encoded);
    }

    /** Bytes of a string element: an integer when it reads as one, else header and bytes. */
    public static int ofString(byte[] bytes, int offset, int length) {
        if (length > 0 && length <= 20 && NumericStrings.isLong(bytes, offset, length)) {
            return ofInteger(NumericStrings.parseLong(bytes, offset, length));
        }
        long encoded;
        if (length < 64) {
            encoded = 1 + (long) length;
        } else if (length < 4096) {
            encoded = 2 + (long) length;
        } else {
            encoded = 5 + (long) length;
        }
        return (int) Math.min(Integer.MAX_VALUE, encoded + backLength(encoded));
    }

    private static int backLength(long encoded) {
        if (encoded <= 127) {
            return 1;
        } else if (encoded < 16383) {
            return 2;
        } else if (encoded < 2097151) {
            return 3;
        } else if (encoded < 268435455) {
            return 4;
        }
        return 5;
    }
}
