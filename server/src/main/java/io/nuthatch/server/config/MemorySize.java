package io.nuthatch.server.config;

/**
 * Sizes as redis.conf writes them: a number with an optional unit, where k/m/g are powers of 1000
 * and kb/mb/gb powers of 1024, in any case ("1gb" is 1073741824 bytes, "1g" 1000000000).
 */
public final class MemorySize {
    private MemorySize() {
    }

    /** The size in bytes, or -1 when the text is not a size. */
    public static long parse(String text) {
        String lower = text.toLowerCase(java.util.Locale.ROOT);
        long multiplier = 1;
        String digits = lower;
        String[][] units = {
            {"kb", "1024"}, {"mb", "1048576"}, {"gb", "1073741824"},
            {"k", "1000"}, {"m", "1000000"}, {"g", "1000000000"}, {"b", "1"}
        };
        for (String[] unit : units) {
            if (lower.endsWith(unit[0])) {
                multiplier = Long.parseLong(unit[1]);
                digits = lower.substring(0, lower.length() - unit[0].length());
                break;
            }
        }
        if (digits.isEmpty()) {
            return -1;
        }
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (!(c >= '0' && c <= '9') && !(i == 0 && c == '-' && digits.length() > 1)) {
                return -1;
            }
        }
        try {
            return Math.multiplyExact(Long.parseLong(digits), multiplier);
        } catch (ArithmeticException | NumberFormatException e) {
            return -1;
        }
    }
}
