package io.nuthatch.server.config;

/**
 * C's strtoll, which several of Redis's directive parsers use as is (save, client-output-buffer-limit,
 * replicaof's port, octal values): leading blanks and a sign are accepted, an overflow saturates,
 * and the caller decides from where parsing stopped whether the text was a number. Reproducing it
 * keeps our answers to odd values ("", " 5", "99999999999999999999") the same as Redis's.
 */
final class CLibraryNumbers {
    private CLibraryNumbers() {
    }

    /** What strtoll returns: the value, and the index where parsing stopped (0 when nothing was parsed). */
    record Parsed(long value, int end, boolean overflow) {
        /** Whether parsing stopped at the end of the C string, as Redis's {@code *endptr == '\0'} checks. */
        boolean consumedAll(String text) {
            return end == text.length() || text.charAt(end) == '\0';
        }
    }

    static Parsed strtoll(String text, int base) {
        int p = 0;
        int length = text.indexOf('\0') >= 0 ? text.indexOf('\0') : text.length();
        while (p < length && ConfigSyntax.isSpace(text.charAt(p))) {
            p++;
        }
        boolean negative = false;
        if (p < length && (text.charAt(p) == '+' || text.charAt(p) == '-')) {
            negative = text.charAt(p) == '-';
            p++;
        }
        int digitsStart = p;
        long magnitude = 0;
        boolean overflow = false;
        long limit = negative ? Long.MIN_VALUE : -Long.MAX_VALUE;
        while (p < length) {
            int digit = Character.digit(text.charAt(p), base);
            if (digit < 0 || text.charAt(p) > 0x7f) {
                break;
            }
            // Accumulate negatively, where the range reaches Long.MIN_VALUE.
            if (!overflow) {
                if (magnitude < (limit + digit) / base) {
                    overflow = true;
                } else {
                    magnitude = magnitude * base - digit;
                }
            }
            p++;
        }
        if (p == digitsStart) {
            return new Parsed(0, 0, false);
        }
        long value;
        if (overflow) {
            value = negative ? Long.MIN_VALUE : Long.MAX_VALUE;
        } else {
            value = negative ? magnitude : -magnitude;
        }
        return new Parsed(value, p, overflow);
    }
}
