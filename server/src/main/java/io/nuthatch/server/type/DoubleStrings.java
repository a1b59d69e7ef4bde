package io.nuthatch.server.type;

import java.nio.charset.StandardCharsets;

/**
 * Doubles written as strings, read as redis-server reads them with C's {@code strtod}: decimal and
 * hexadecimal forms ({@code 0x10}, {@code 0x1.8p3}), "inf" and "infinity" in any case, an optional
 * sign, and leading blanks, which the callers decide about. Two rule sets sit on top of it:
 * <ul>
 * <li>{@link #parseStrict}, Redis's string2d (ZADD's scores, GEOADD's coordinates, a radius): the
 *     whole argument is the number, no leading blank, not empty, not NaN, and no result that
 *     overflowed to infinity or underflowed to zero;</li>
 * <li>{@link #parseLenient}, the bare strtod the score ranges of ZRANGEBYSCORE and ZCOUNT use:
 *     leading blanks skipped, an empty string is 0, overflow gives infinity, and the text may stop
 *     at a NUL byte; only NaN and trailing characters are refused.</li>
 * </ul>
 *
 * <p><b>Without allocating, where it counts.</b> Scores are parsed on every ZADD, so the common
 * forms do not go through a String. A first pass finds where strtod would stop and what it read;
 * a second computes the value. An integer or a decimal of at most 19 significant digits whose
 * mantissa and power of ten are exact in a double (mantissa below 2^53, power up to 10^22) is one
 * multiplication or division, which IEEE arithmetic rounds correctly, as strtod's result is
 * (Clinger's fast path). Anything else (long mantissas, large exponents, hexadecimal) is handed to
 * {@link Double#parseDouble}, also correctly rounded, once the grammar has been checked here:
 * Java's own grammar differs (it trims blanks and accepts "1d").
 */
public final class DoubleStrings {
    /** Thrown for text that is not a number by the rules asked for; stackless and shared. */
    public static final NumberFormatException NOT_A_DOUBLE = NumericStrings.NOT_A_NUMBER;

    private static final int DECIMAL = 0;
    private static final int HEXADECIMAL = 1;
    private static final int INFINITY = 2;
    private static final int NAN = 3;
    private static final int KIND_SHIFT = 32;

    private static final double[] POWERS_OF_TEN = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
        1e19, 1e20, 1e21, 1e22,
    };
    private static final long EXACT_MANTISSA_LIMIT = 1L << 53;
    /** Digits a long always holds: a 19th could pass 2^63 and wrap the mantissa negative. */
    private static final int MAX_FAST_DIGITS = 18;

    private DoubleStrings() {
    }

    /**
     * Redis's string2d: the bytes are one double and nothing else.
     *
     * @throws NumberFormatException ({@link #NOT_A_DOUBLE}) when they are not
     */
    public static double parseStrict(byte[] bytes, int offset, int length) {
        int limit = offset + length;
        if (length == 0 || isSpace(bytes[offset])) {
            throw NOT_A_DOUBLE;
        }
        long scanned = scan(bytes, offset, limit);
        int end = (int) scanned;
        int kind = (int) (scanned >>> KIND_SHIFT);
        if (end != limit || kind == NAN) {
            throw NOT_A_DOUBLE;
        }
        double value = value(bytes, offset, end, kind);
        if (kind != INFINITY && (Double.isInfinite(value) || (value == 0 && hasNonZeroDigit(bytes, offset, end)))) {
            throw NOT_A_DOUBLE;
        }
        return value;
    }

    /**
     * The bare strtod of a score range bound: leading blanks skipped, the number may be empty (0)
     * and may overflow (infinity); what follows it must be nothing or a NUL byte.
     *
     * @throws NumberFormatException ({@link #NOT_A_DOUBLE}) for NaN or trailing characters
     */
    public static double parseLenient(byte[] bytes, int offset, int length) {
        int limit = offset + length;
        int start = offset;
        while (start < limit && isSpace(bytes[start])) {
            start++;
        }
        long scanned = scan(bytes, start, limit);
        int end = (int) scanned;
        int kind = (int) (scanned >>> KIND_SHIFT);
        if (end == start) {
            // strtod read nothing: the value is 0 and the end pointer is the text's start.
            return offset == limit || bytes[offset] == 0 ? 0 : fail();
        }
        if ((end != limit && bytes[end] != 0) || kind == NAN) {
            throw NOT_A_DOUBLE;
        }
        return value(bytes, start, end, kind);
    }

    /**
     * The strtod of SORT's numeric scores: {@link #parseLenient}, and also refused when strtod
     * reports a range error. glibc reports one for an overflow (not for "inf" written out), for a
     * result that underflowed to zero, and for a subnormal result that is not exact: every decimal
     * subnormal is taken as inexact (an exact one needs hundreds of digits), and a hexadecimal one
     * is exact when the text's own value is the result (a cold path: it allocates).
     *
     * @throws NumberFormatException ({@link #NOT_A_DOUBLE}) for NaN, trailing characters or a
     *     range error
     */
    public static double parseLenientInRange(byte[] bytes, int offset, int length) {
        double value = parseLenient(bytes, offset, length);
        int limit = offset + length;
        int start = offset;
        while (start < limit && isSpace(bytes[start])) {
            start++;
        }
        long scanned = scan(bytes, start, limit);
        int end = (int) scanned;
        int kind = (int) (scanned >>> KIND_SHIFT);
        boolean rangeError;
        if (Double.isInfinite(value)) {
            rangeError = kind != INFINITY;
        } else if (value == 0) {
            rangeError = end > start && hasNonZeroDigit(bytes, start, end);
        } else if (Math.abs(value) < Double.MIN_NORMAL) {
            rangeError = kind != HEXADECIMAL || !isExactHexadecimal(bytes, start, end, value);
        } else {
            rangeError = false;
        }
        if (rangeError) {
            throw NOT_A_DOUBLE;
        }
        return value;
    }

    /** Whether a hexadecimal text's significant bits all survive in the subnormal {@code value}. */
    private static boolean isExactHexadecimal(byte[] bytes, int start, int end, double value) {
        String text = new String(bytes, start, end - start, StandardCharsets.US_ASCII);
        java.math.BigDecimal exact = hexadecimalValue(text);
        return exact != null && exact.compareTo(new java.math.BigDecimal(value)) == 0;
    }

    /** The exact value of a hexadecimal floating-point text, or null when it cannot be read. */
    private static java.math.BigDecimal hexadecimalValue(String text) {
        String lower = text.toLowerCase(java.util.Locale.ROOT);
        boolean negative = lower.startsWith("-");
        String body = lower.replaceFirst("^[+-]", "").substring(2);
        int p = body.indexOf('p');
        long exponent = p < 0 ? 0 : Long.parseLong(body.substring(p + 1).replace("+", ""));
        String digits = p < 0 ? body : body.substring(0, p);
        int point = digits.indexOf('.');
        if (point >= 0) {
            exponent -= 4L * (digits.length() - point - 1);
            digits = digits.substring(0, point) + digits.substring(point + 1);
        }
        if (digits.isEmpty() || Math.abs(exponent) > 100_000) {
            return null;
        }
        java.math.BigDecimal magnitude = new java.math.BigDecimal(new java.math.BigInteger(digits, 16));
        java.math.BigDecimal two = java.math.BigDecimal.valueOf(2);
        magnitude = exponent >= 0 ? magnitude.multiply(two.pow((int) exponent))
                : magnitude.divide(two.pow((int) -exponent));
        return negative ? magnitude.negate() : magnitude;
    }

    private static double fail() {
        throw NOT_A_DOUBLE;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || (b >= '\t' && b <= '\r');
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static boolean isHexDigit(byte b) {
        return isDigit(b) || ((b | 0x20) >= 'a' && (b | 0x20) <= 'f');
    }

    // ---------------------------------------------------------------- where strtod stops

    /** Where strtod would stop reading from {@code start}, and what it read: end | kind << 32. */
    private static long scan(byte[] b, int start, int limit) {
        int p = start;
        if (p < limit && (b[p] == '+' || b[p] == '-')) {
            p++;
        }
        if (p < limit && ((b[p] | 0x20) == 'i' || (b[p] | 0x20) == 'n')) {
            return scanWord(b, start, p, limit);
        }
        if (p + 1 < limit && b[p] == '0' && (b[p + 1] | 0x20) == 'x') {
            int hexEnd = scanHex(b, p + 2, limit);
            // "0x" without hex digits: strtod reads the "0" alone.
            return hexEnd < 0 ? p + 1 : hexEnd | (long) HEXADECIMAL << KIND_SHIFT;
        }
        boolean anyDigit = false;
        while (p < limit && isDigit(b[p])) {
            anyDigit = true;
            p++;
        }
        if (p < limit && b[p] == '.') {
            p++;
            while (p < limit && isDigit(b[p])) {
                anyDigit = true;
                p++;
            }
        }
        if (!anyDigit) {
            return start;
        }
        if (p < limit && (b[p] | 0x20) == 'e') {
            int q = p + 1;
            if (q < limit && (b[q] == '+' || b[q] == '-')) {
                q++;
            }
            if (q < limit && isDigit(b[q])) {
                while (q < limit && isDigit(b[q])) {
                    q++;
                }
                p = q;
            }
        }
        return p;
    }

    /** "inf", "infinity" or "nan" with an optional "(chars)", any case, after an optional sign. */
    private static long scanWord(byte[] b, int start, int p, int limit) {
        if (matches(b, p, limit, "infinity")) {
            return p + 8 | (long) INFINITY << KIND_SHIFT;
        }
        if (matches(b, p, limit, "inf")) {
            return p + 3 | (long) INFINITY << KIND_SHIFT;
        }
        if (matches(b, p, limit, "nan")) {
            int q = p + 3;
            if (q < limit && b[q] == '(') {
                int r = q + 1;
                while (r < limit && (isDigit(b[r]) || ((b[r] | 0x20) >= 'a' && (b[r] | 0x20) <= 'z') || b[r] == '_')) {
                    r++;
                }
                if (r < limit && b[r] == ')') {
                    q = r + 1;
                }
            }
            return q | (long) NAN << KIND_SHIFT;
        }
        return start;
    }

    private static boolean matches(byte[] b, int p, int limit, String word) {
        if (limit - p < word.length()) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            if ((b[p + i] | 0x20) != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** End of a hexadecimal significand and its binary exponent from {@code p}; -1 without digits. */
    private static int scanHex(byte[] b, int p, int limit) {
        boolean anyDigit = false;
        while (p < limit && isHexDigit(b[p])) {
            anyDigit = true;
            p++;
        }
        if (p < limit && b[p] == '.') {
            p++;
            while (p < limit && isHexDigit(b[p])) {
                anyDigit = true;
                p++;
            }
        }
        if (!anyDigit) {
            return -1;
        }
        if (p < limit && (b[p] | 0x20) == 'p') {
            int q = p + 1;
            if (q < limit && (b[q] == '+' || b[q] == '-')) {
                q++;
            }
            if (q < limit && isDigit(b[q])) {
                while (q < limit && isDigit(b[q])) {
                    q++;
                }
                p = q;
            }
        }
        return p;
    }

    // ---------------------------------------------------------------- the value read

    private static double value(byte[] b, int start, int end, int kind) {
        boolean negative = b[start] == '-';
        if (kind == INFINITY) {
            return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (kind == HEXADECIMAL) {
            return viaJava(b, start, end, true);
        }
        int p = b[start] == '+' || b[start] == '-' ? start + 1 : start;
        long mantissa = 0;
        int significant = 0;
        boolean dropped = false;
        int scale = 0;
        boolean fraction = false;
        for (; p < end; p++) {
            byte c = b[p];
            if (c == '.') {
                fraction = true;
                continue;
            }
            if (!isDigit(c)) {
                break;
            }
            int digit = c - '0';
            if (significant < MAX_FAST_DIGITS) {
                if (mantissa != 0 || digit != 0) {
                    significant++;
                }
                mantissa = mantissa * 10 + digit;
                if (fraction) {
                    scale--;
                }
            } else if (!fraction || digit != 0) {
                dropped = true;
            }
        }
        if (mantissa == 0 && !dropped) {
            return negative ? -0.0 : 0.0;
        }
        int exponent = 0;
        if (p < end) {
            // An exponent the scan accepted: 'e', an optional sign, digits.
            int q = p + 1;
            boolean negativeExponent = b[q] == '-';
            if (b[q] == '+' || b[q] == '-') {
                q++;
            }
            for (; q < end; q++) {
                exponent = Math.min(exponent * 10 + (b[q] - '0'), 1_000_000);
            }
            exponent = negativeExponent ? -exponent : exponent;
        }
        int power = scale + exponent;
        if (!dropped && mantissa < EXACT_MANTISSA_LIMIT && power >= -22 && power <= 22) {
            double magnitude = power >= 0 ? mantissa * POWERS_OF_TEN[power] : mantissa / POWERS_OF_TEN[-power];
            return negative ? -magnitude : magnitude;
        }
        return viaJava(b, start, end, false);
    }

    /** Whether the significand (before any exponent) has a digit other than 0: a zero result then underflowed. */
    private static boolean hasNonZeroDigit(byte[] b, int start, int end) {
        int p = b[start] == '+' || b[start] == '-' ? start + 1 : start;
        boolean hex = p + 1 < end && b[p] == '0' && (b[p + 1] | 0x20) == 'x';
        if (hex) {
            p += 2;
        }
        for (; p < end; p++) {
            byte c = b[p];
            if (c == '.') {
                continue;
            }
            if (hex ? !isHexDigit(c) : !isDigit(c)) {
                return false;
            }
            if (c != '0') {
                return true;
            }
        }
        return false;
    }

    /**
     * The slow path: text the scan accepted, read by Java. A hexadecimal significand gets the "p0"
     * Java requires; an exponent too long for Java is clamped, which cannot change a result that is
     * already zero or infinite at that size.
     */
    private static double viaJava(byte[] b, int from, int to, boolean hex) {
        String text = new String(b, from, to - from, StandardCharsets.ISO_8859_1);
        if (hex) {
            if (text.indexOf('p') < 0 && text.indexOf('P') < 0) {
                text = text + "p0";
            }
            return Double.parseDouble(text);
        }
        int e = Math.max(text.indexOf('e'), text.indexOf('E'));
        if (e >= 0 && text.length() - e > 8) {
            int digits = text.charAt(e + 1) == '-' || text.charAt(e + 1) == '+' ? e + 2 : e + 1;
            long exponent = 0;
            for (int i = digits; i < text.length(); i++) {
                exponent = Math.min(exponent * 10 + (text.charAt(i) - '0'), 99_999);
            }
            text = text.substring(0, e) + (text.charAt(e + 1) == '-' ? "e-" : "e") + exponent;
        }
        return Double.parseDouble(text);
    }
}
