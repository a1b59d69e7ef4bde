package io.nuthatch.server.type;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * A number of C's {@code long double} as redis-server on x86-64 computes with it: the x87 80-bit
 * extended format, a 64-bit significand and a binary exponent down to denormals. INCRBYFLOAT works
 * in this format, and its results show it ("0.1" plus "0.2" is "0.3" there, not the
 * "0.30000000000000004" of a double), so the server emulates it exactly rather than using double.
 *
 * <p>A finite value is {@code (-1)^negative * significand * 2^exponent} with the significand below
 * 2^64. Every operation computes the exact result with big integers and rounds it once to the
 * nearest representable value, ties to even, as the x87 unit does in its default mode:
 * <ul>
 * <li>{@link #parse} reads what glibc's strtold reads, with Redis's extra rules (string2ld):
 *     no leading blank, nothing after the number (not even a NUL byte), at most 5119 bytes, no
 *     NaN, and no result that overflowed to infinity or underflowed to zero. Decimal and
 *     hexadecimal ("0x1.8p3") forms and "inf"/"infinity" are accepted.</li>
 * <li>{@link #add} is the x87 addition; the result may be infinite, which callers reject.</li>
 * <li>{@link #toHumanBytes} is Redis's LD_STR_HUMAN form: printf's "%.17Lf" (exact decimal
 *     expansion rounded to 17 places, ties to even) without trailing zeros or a trailing point,
 *     and "-0" written as "0".</li>
 * </ul>
 * This is not on a hot path: INCRBYFLOAT is the only user, and big-integer arithmetic keeps the
 * code short and obviously exact.
 */
public final class LongDouble {
    /** Exponent of the least significant bit of the smallest denormal (2^-16445). */
    private static final int MIN_EXPONENT = -16445;
    /** Largest exponent of a finite value: values reach (2^64 - 1) * 2^16320, just below 2^16384. */
    private static final int MAX_EXPONENT = 16384 - 64;
    private static final int SIGNIFICAND_BITS = 64;
    /** string2ld copies the text into a buffer of this size, NUL included. */
    private static final int MAX_TEXT_LENGTH = 5 * 1024 - 1;
    /**
     * Decimal exponents beyond these bounds overflow (1e4933 is above the largest finite value) or
     * underflow (1e-4952 is below half the smallest denormal), so exact arithmetic stays bounded.
     */
    private static final int MAX_DECIMAL_MAGNITUDE = 4934;
    private static final int MIN_DECIMAL_MAGNITUDE = -4953;
    /** Exponents read from the text are clamped here: any larger one is overflow or underflow. */
    private static final int EXPONENT_CLAMP = 1_000_000;
    private static final int FRACTION_DIGITS = 17;
    private static final BigInteger TEN_TO_FRACTION_DIGITS = BigInteger.TEN.pow(FRACTION_DIGITS);
    private static final BigInteger[] SMALL_POWERS_OF_TEN = new BigInteger[64];

    static {
        SMALL_POWERS_OF_TEN[0] = BigInteger.ONE;
        for (int i = 1; i < SMALL_POWERS_OF_TEN.length; i++) {
            SMALL_POWERS_OF_TEN[i] = SMALL_POWERS_OF_TEN[i - 1].multiply(BigInteger.TEN);
        }
    }

    public static final LongDouble ZERO = new LongDouble(false, BigInteger.ZERO, 0, false);

    private final boolean negative;
    private final BigInteger significand;
    private final int exponent;
    private final boolean infinite;

    private LongDouble(boolean negative, BigInteger significand, int exponent, boolean infinite) {
        this.negative = negative;
        this.significand = significand;
        this.exponent = exponent;
        this.infinite = infinite;
    }

    private static LongDouble infinity(boolean negative) {
        return new LongDouble(negative, BigInteger.ZERO, 0, true);
    }

    public boolean isFinite() {
        return !infinite;
    }

    public boolean isNegative() {
        return negative;
    }

    // ---------------------------------------------------------------- parsing

    /**
     * Reads a number as Redis's string2ld does.
     *
     * @throws NumberFormatException ({@link NumericStrings#NOT_A_NUMBER}) when Redis would not
     *     accept the text as a float
     */
    public static LongDouble parse(byte[] bytes, int offset, int length) {
        if (length <= 0 || length > MAX_TEXT_LENGTH || isSpace(bytes[offset])) {
            throw NumericStrings.NOT_A_NUMBER;
        }
        int end = offset + length;
        int p = offset;
        boolean negative = false;
        if (bytes[p] == '+' || bytes[p] == '-') {
            negative = bytes[p] == '-';
            p++;
        }
        if (p == end) {
            throw NumericStrings.NOT_A_NUMBER;
        }
        byte first = lower(bytes[p]);
        if (first == 'i') {
            if (matchesWord(bytes, p, end, "inf") || matchesWord(bytes, p, end, "infinity")) {
                return infinity(negative);
            }
            throw NumericStrings.NOT_A_NUMBER;
        }
        if (first == 'n') {
            throw NumericStrings.NOT_A_NUMBER; // NaN in any spelling, or not a number at all
        }
        if (bytes[p] == '0' && p + 1 < end && lower(bytes[p + 1]) == 'x') {
            return parseHexadecimal(bytes, p + 2, end, negative);
        }
        return parseDecimal(bytes, p, end, negative);
    }

    private static LongDouble parseDecimal(byte[] bytes, int p, int end, boolean negative) {
        int start = p;
        int fractionDigits = 0;
        int significantDigits = 0;
        boolean sawDigit = false;
        boolean sawPoint = false;
        for (; p < end; p++) {
            byte b = bytes[p];
            if (b >= '0' && b <= '9') {
                sawDigit = true;
                if (significantDigits > 0 || b != '0') {
                    significantDigits++;
                }
                if (sawPoint) {
                    fractionDigits++;
                }
            } else if (b == '.' && !sawPoint) {
                sawPoint = true;
            } else {
                break;
            }
        }
        if (!sawDigit) {
            throw NumericStrings.NOT_A_NUMBER;
        }
        int digitsEnd = p;
        long exponent = p < end ? parseExponent(bytes, p, end, 'e') : 0;
        if (significantDigits == 0) {
            return new LongDouble(negative, BigInteger.ZERO, 0, false);
        }
        long decimalExponent = exponent - fractionDigits;
        // The value lies in [10^(magnitude-1), 10^magnitude).
        long magnitude = significantDigits + decimalExponent;
        if (magnitude > MAX_DECIMAL_MAGNITUDE || magnitude < MIN_DECIMAL_MAGNITUDE) {
            throw NumericStrings.NOT_A_NUMBER;
        }
        BigInteger mantissa = digitsValue(bytes, start, digitsEnd, significantDigits);
        BigInteger numerator = mantissa;
        BigInteger denominator = BigInteger.ONE;
        if (decimalExponent >= 0) {
            numerator = numerator.multiply(powerOfTen((int) decimalExponent));
        } else {
            denominator = powerOfTen((int) -decimalExponent);
        }
        return checkedParseResult(round(negative, numerator, denominator, 0));
    }

    /** The integer the decimal digits in [start, end) spell, the point skipped. */
    private static BigInteger digitsValue(byte[] bytes, int start, int end, int significantDigits) {
        if (significantDigits <= 18) {
            long value = 0;
            for (int p = start; p < end; p++) {
                if (bytes[p] != '.') {
                    value = value * 10 + (bytes[p] - '0');
                }
            }
            return BigInteger.valueOf(value);
        }
        StringBuilder digits = new StringBuilder(end - start);
        for (int p = start; p < end; p++) {
            if (bytes[p] != '.') {
                digits.append((char) bytes[p]);
            }
        }
        return new BigInteger(digits.toString());
    }

    private static BigInteger powerOfTen(int exponent) {
        return exponent < SMALL_POWERS_OF_TEN.length ? SMALL_POWERS_OF_TEN[exponent] : BigInteger.TEN.pow(exponent);
    }

    private static LongDouble parseHexadecimal(byte[] bytes, int p, int end, boolean negative) {
        BigInteger mantissa = BigInteger.ZERO;
        int fractionDigits = 0;
        boolean sawDigit = false;
        boolean sawPoint = false;
        for (; p < end; p++) {
            int digit = Character.digit(bytes[p], 16);
            if (digit >= 0) {
                sawDigit = true;
                mantissa = mantissa.shiftLeft(4).or(BigInteger.valueOf(digit));
                if (sawPoint) {
                    fractionDigits++;
                }
            } else if (bytes[p] == '.' && !sawPoint) {
                sawPoint = true;
            } else {
                break;
            }
        }
        if (!sawDigit) {
            // strtold reads just the "0" before the 'x', which leaves text unread.
            throw NumericStrings.NOT_A_NUMBER;
        }
        long exponent = p < end ? parseExponent(bytes, p, end, 'p') : 0;
        if (mantissa.signum() == 0) {
            return new LongDouble(negative, BigInteger.ZERO, 0, false);
        }
        long binaryExponent = exponent - 4L * fractionDigits;
        long topBit = mantissa.bitLength() + binaryExponent;
        if (topBit > 16384 + 1 || topBit < MIN_EXPONENT - 2) {
            throw NumericStrings.NOT_A_NUMBER;
        }
        return checkedParseResult(round(negative, mantissa, BigInteger.ONE, (int) binaryExponent));
    }

    /**
     * Reads what follows the digits: only an exponent ('e' or 'p', a sign, digits) running to the end
     * of the text is accepted. Anything else leaves text strtold did not read (a malformed exponent
     * too: strtold then stops before the letter), which string2ld rejects.
     */
    private static long parseExponent(byte[] bytes, int p, int end, char letter) {
        if (lower(bytes[p]) != letter) {
            throw NumericStrings.NOT_A_NUMBER;
        }
        p++;
        boolean negative = false;
        if (p < end && (bytes[p] == '+' || bytes[p] == '-')) {
            negative = bytes[p] == '-';
            p++;
        }
        if (p == end) {
            throw NumericStrings.NOT_A_NUMBER;
        }
        long value = 0;
        for (; p < end; p++) {
            byte b = bytes[p];
            if (b < '0' || b > '9') {
                throw NumericStrings.NOT_A_NUMBER;
            }
            value = Math.min(value * 10 + (b - '0'), EXPONENT_CLAMP);
        }
        return negative ? -value : value;
    }

    /** strtold reports overflow and underflow to zero with ERANGE, which string2ld rejects. */
    private static LongDouble checkedParseResult(LongDouble value) {
        if (value.infinite || value.significand.signum() == 0) {
            throw NumericStrings.NOT_A_NUMBER;
        }
        return value;
    }

    // ---------------------------------------------------------------- arithmetic

    /** The sum, rounded to the format; infinite when it overflows or an operand is infinite. */
    public LongDouble add(LongDouble other) {
        if (infinite || other.infinite) {
            // inf + -inf is NaN in C; callers reject it like infinity, so one answer serves both.
            return infinity(infinite ? negative : other.negative);
        }
        int lowest = Math.min(exponent, other.exponent);
        BigInteger a = signed().shiftLeft(exponent - lowest);
        BigInteger b = other.signed().shiftLeft(other.exponent - lowest);
        BigInteger sum = a.add(b);
        if (sum.signum() == 0) {
            // Round to nearest gives +0 for x + -x, and -0 only for -0 + -0.
            return new LongDouble(negative && other.negative, BigInteger.ZERO, 0, false);
        }
        return round(sum.signum() < 0, sum.abs(), BigInteger.ONE, lowest);
    }

    /**
     * The product with {@code factor}, rounded to the format as the x87 multiplication rounds it,
     * then rounded up to an integer (ceill) and converted to a 64-bit integer as x86-64 converts
     * one: an infinite or out-of-range result becomes {@link Long#MIN_VALUE}, the "integer
     * indefinite" value. This is how the blocking commands turn a timeout in seconds into
     * milliseconds, so that 1e30 seconds is "negative" there as it is in Redis.
     */
    public long ceilingOfProduct(long factor) {
        if (infinite) {
            return Long.MIN_VALUE;
        }
        if (significand.signum() == 0 || factor == 0) {
            return 0;
        }
        boolean productNegative = negative ^ (factor < 0);
        LongDouble product = round(productNegative, significand.multiply(BigInteger.valueOf(factor).abs()),
                BigInteger.ONE, exponent);
        if (product.infinite) {
            return Long.MIN_VALUE;
        }
        BigInteger whole;
        if (product.exponent >= 0) {
            whole = product.signed().shiftLeft(product.exponent);
        } else {
            // Shifting a negative number right floors it; ceiling(x) is -floor(-x).
            whole = product.signed().negate().shiftRight(-product.exponent).negate();
        }
        return whole.bitLength() < 64 ? whole.longValue() : Long.MIN_VALUE;
    }

    private BigInteger signed() {
        return negative ? significand.negate() : significand;
    }

    /**
     * Rounds {@code numerator / denominator * 2^shift} (positive) to the nearest value of the
     * format, ties to even. The exponent is chosen so the significand has 64 bits, or fewer when
     * the value is denormal; a significand that rounds up to 2^64 moves to the next exponent.
     */
    private static LongDouble round(boolean negative, BigInteger numerator, BigInteger denominator, int shift) {
        long exponent = (long) numerator.bitLength() - denominator.bitLength() + shift - SIGNIFICAND_BITS;
        BigInteger[] quotient = divideScaled(numerator, denominator, shift, exponent);
        if (quotient[0].bitLength() > SIGNIFICAND_BITS) {
            exponent++;
            quotient = divideScaled(numerator, denominator, shift, exponent);
        }
        if (exponent < MIN_EXPONENT) {
            exponent = MIN_EXPONENT;
            quotient = divideScaled(numerator, denominator, shift, exponent);
        }
        BigInteger significand = roundHalfEven(quotient[0], quotient[1], quotient[2]);
        if (significand.bitLength() > SIGNIFICAND_BITS) {
            significand = significand.shiftRight(1);
            exponent++;
        }
        if (exponent > MAX_EXPONENT) {
            return infinity(negative);
        }
        return new LongDouble(negative, significand, (int) exponent, false);
    }

    /** numerator / (denominator * 2^(exponent - shift)) as {quotient, remainder, divisor}. */
    private static BigInteger[] divideScaled(BigInteger numerator, BigInteger denominator, int shift, long exponent) {
        long scale = exponent - shift;
        BigInteger n = numerator;
        BigInteger d = denominator;
        if (scale >= 0) {
            d = d.shiftLeft((int) scale);
        } else {
            n = n.shiftLeft((int) -scale);
        }
        BigInteger[] qr = n.divideAndRemainder(d);
        return new BigInteger[] {qr[0], qr[1], d};
    }

    private static BigInteger roundHalfEven(BigInteger quotient, BigInteger remainder, BigInteger divisor) {
        int half = remainder.shiftLeft(1).compareTo(divisor);
        if (half > 0 || (half == 0 && quotient.testBit(0))) {
            return quotient.add(BigInteger.ONE);
        }
        return quotient;
    }

    // ---------------------------------------------------------------- formatting

    /** The value as Redis writes INCRBYFLOAT's result ("%.17Lf", trailing zeros removed). */
    public byte[] toHumanBytes() {
        if (infinite) {
            throw new ArithmeticException("infinite");
        }
        String digits;
        boolean hasFraction;
        if (exponent >= 0) {
            digits = significand.shiftLeft(exponent).toString();
            hasFraction = false;
        } else {
            int bits = -exponent;
            BigInteger scaled = significand.multiply(TEN_TO_FRACTION_DIGITS);
            BigInteger quotient = scaled.shiftRight(bits);
            BigInteger remainder = scaled.subtract(quotient.shiftLeft(bits));
            digits = roundHalfEven(quotient, remainder, BigInteger.ONE.shiftLeft(bits)).toString();
            hasFraction = true;
        }
        StringBuilder text = new StringBuilder(digits.length() + 20);
        if (negative) {
            text.append('-');
        }
        if (!hasFraction) {
            text.append(digits);
        } else {
            if (digits.length() <= FRACTION_DIGITS) {
                text.append("0.");
                text.append("0".repeat(FRACTION_DIGITS - digits.length()));
                text.append(digits);
            } else {
                int point = digits.length() - FRACTION_DIGITS;
                text.append(digits, 0, point).append('.').append(digits, point, digits.length());
            }
            int last = text.length();
            while (text.charAt(last - 1) == '0') {
                last--;
            }
            if (text.charAt(last - 1) == '.') {
                last--;
            }
            text.setLength(last);
        }
        if (text.length() == 2 && text.charAt(0) == '-' && text.charAt(1) == '0') {
            return new byte[] {'0'};
        }
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public String toString() {
        return infinite ? (negative ? "-inf" : "inf") : new String(toHumanBytes(), StandardCharsets.US_ASCII);
    }

    // ---------------------------------------------------------------- characters

    /** C's isspace in the C locale. */
    private static boolean isSpace(byte b) {
        return b == ' ' || (b >= '\t' && b <= '\r');
    }

    private static byte lower(byte b) {
        return b >= 'A' && b <= 'Z' ? (byte) (b + ('a' - 'A')) : b;
    }

    private static boolean matchesWord(byte[] bytes, int p, int end, String word) {
        if (end - p != word.length()) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            if (lower(bytes[p + i]) != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
