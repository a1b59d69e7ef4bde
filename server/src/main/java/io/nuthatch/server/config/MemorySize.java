package io.nuthatch.server.config;

import java.util.Locale;

/**
 * Sizes as redis.conf writes them: digits with an optional unit, where k/m/g are powers of 1000 and
 * kb/mb/gb powers of 1024, in any case ("1gb" is 1073741824 bytes, "1g" 1000000000).
 *
 * <p>The rules are those of Redis's memtoull, odd corners included, since clients see them through
 * CONFIG SET: no sign, no blanks, no fraction; "" and a bare unit are 0; a digit string beyond the
 * 64-bit range saturates at 2^64-1 (strtoull's overflow is not checked there) and the unit's
 * multiplication wraps around. Values are unsigned 64-bit numbers held in a long.
 */
public final class MemorySize {
    private static final long GB = 1024L * 1024 * 1024;
    private static final long MB = 1024L * 1024;
    private static final long KB = 1024L;

    private MemorySize() {
    }

    /**
     * The size in bytes, as an unsigned 64-bit number.
     *
     * @throws NumberFormatException when the text is not a size
     */
    public static long parse(String text) {
        if (text.startsWith("-")) {
            throw new NumberFormatException(text);
        }
        int unitStart = 0;
        while (unitStart < text.length() && text.charAt(unitStart) >= '0' && text.charAt(unitStart) <= '9') {
            unitStart++;
        }
        long multiplier = switch (text.substring(unitStart).toLowerCase(Locale.ROOT)) {
            case "", "b" -> 1;
            case "k" -> 1000;
            case "kb" -> 1024;
            case "m" -> 1000 * 1000;
            case "mb" -> 1024 * 1024;
            case "g" -> 1000L * 1000 * 1000;
            case "gb" -> 1024L * 1024 * 1024;
            default -> throw new NumberFormatException(text);
        };
        if (unitStart >= 128) {
            throw new NumberFormatException(text);
        }
        // Redis 7.0 multiplies without checking: a size beyond 2^64 wraps around.
        return parseUnsignedSaturating(text.substring(0, unitStart)) * multiplier;
    }

    private static long parseUnsignedSaturating(String digits) {
        long value = 0;
        for (int i = 0; i < digits.length(); i++) {
            int digit = digits.charAt(i) - '0';
            if (Long.compareUnsigned(value, Long.divideUnsigned(-1L - digit, 10)) > 0) {
                return -1L;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    /**
     * The size as CONFIG REWRITE writes it: in gb, mb or kb when it is a whole number of them
     * ("384mb"), else in bytes.
     */
    public static String format(long bytes) {
        if (bytes != 0 && bytes % GB == 0) {
            return bytes / GB + "gb";
        } else if (bytes != 0 && bytes % MB == 0) {
            return bytes / MB + "mb";
        } else if (bytes != 0 && bytes % KB == 0) {
            return bytes / KB + "kb";
        }
        return Long.toString(bytes);
    }
}
