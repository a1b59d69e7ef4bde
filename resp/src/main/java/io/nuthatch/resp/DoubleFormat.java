package io.nuthatch.resp;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Formats doubles as C's {@code printf("%.17g")} does, which is how Redis 7.0 writes every double
 * it replies with (ZSCORE, INCRBYFLOAT's RESP3 reply, GEODIST...). Java's own formatting differs in
 * the digits kept, the exponent form and the trailing zeros, so it cannot be used.
 */
public final class DoubleFormat {
    private static final int PRECISION = 17;
    private static final MathContext SEVENTEEN_DIGITS = new MathContext(PRECISION, RoundingMode.HALF_EVEN);
    private static final double INTEGER_FAST_PATH_LIMIT = 1e17;

    private DoubleFormat() {
    }

    public static String formatG17(double value) {
        if (Double.isNaN(value)) {
            return "nan";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        if (value == 0) {
            return 1 / value < 0 ? "-0" : "0";
        }
        if (value == Math.rint(value) && Math.abs(value) < INTEGER_FAST_PATH_LIMIT) {
            return Long.toString((long) value);
        }
        BigDecimal rounded = new BigDecimal(value).round(SEVENTEEN_DIGITS);
        int exponent = rounded.precision() - rounded.scale() - 1;
        if (exponent >= -4 && exponent < PRECISION) {
            String fixed = rounded.setScale(PRECISION - 1 - exponent, RoundingMode.HALF_EVEN).toPlainString();
            return stripFractionZeros(fixed);
        }
        String digits = rounded.unscaledValue().abs().toString();
        StringBuilder text = new StringBuilder(24);
        if (rounded.signum() < 0) {
            text.append('-');
        }
        text.append(digits.charAt(0));
        String fraction = stripTrailingZeros(digits.substring(1));
        if (!fraction.isEmpty()) {
            text.append('.').append(fraction);
        }
        text.append('e').append(exponent < 0 ? '-' : '+');
        int magnitude = Math.abs(exponent);
        if (magnitude < 10) {
            text.append('0');
        }
        return text.append(magnitude).toString();
    }

    private static String stripFractionZeros(String fixed) {
        if (fixed.indexOf('.') < 0) {
            return fixed;
        }
        int end = fixed.length();
        while (fixed.charAt(end - 1) == '0') {
            end--;
        }
        if (fixed.charAt(end - 1) == '.') {
            end--;
        }
        return fixed.substring(0, end);
    }

    private static String stripTrailingZeros(String digits) {
        int end = digits.length();
        while (end > 0 && digits.charAt(end - 1) == '0') {
            end--;
        }
        return digits.substring(0, end);
    }
}
