package io.nuthatch.server.scripting;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Numbers printed as C's printf prints them with {@code %.<precision>g}, which is how Lua 5.1 turns
 * a number into a string ({@code %.14g}: tostring, concatenation) and how Redis passes a Lua number
 * to a command ({@code %.17g}). Java has no such format: its {@code %g} never strips trailing zeros
 * and chooses the exponent form by other rules.
 *
 * <p>C's rule: round to {@code precision} significant digits; with X the decimal exponent of the
 * rounded value, use the exponent form when X < -4 or X >= precision, else the fixed form; then
 * drop trailing zeros and a trailing point. The exponent has at least two digits.
 */
public final class CNumberFormat {
    private CNumberFormat() {
    }

    public static String g(double value, int precision) {
        if (Double.isNaN(value)) {
            // glibc prints the sign bit of a NaN; 0/0 on x86 is the negative one Redis shows.
            return (Double.doubleToRawLongBits(value) < 0) ? "-nan" : "nan";
        }
        if (Double.isInfinite(value)) {
            return value < 0 ? "-inf" : "inf";
        }
        if (value == 0) {
            return (Double.doubleToRawLongBits(value) < 0) ? "-0" : "0";
        }
        BigDecimal rounded = new BigDecimal(value).round(new MathContext(precision, RoundingMode.HALF_EVEN));
        int exponent = rounded.precision() - rounded.scale() - 1;
        if (exponent < -4 || exponent >= precision) {
            BigDecimal mantissa = rounded.movePointLeft(exponent);
            String digits = stripZeros(mantissa.toPlainString());
            String sign = exponent < 0 ? "-" : "+";
            int magnitude = Math.abs(exponent);
            return digits + "e" + sign + (magnitude < 10 ? "0" : "") + magnitude;
        }
        return stripZeros(rounded.toPlainString());
    }

    private static String stripZeros(String plain) {
        if (plain.indexOf('.') < 0) {
            return plain;
        }
        int end = plain.length();
        while (plain.charAt(end - 1) == '0') {
            end--;
        }
        if (plain.charAt(end - 1) == '.') {
            end--;
        }
        return plain.substring(0, end);
    }
}
