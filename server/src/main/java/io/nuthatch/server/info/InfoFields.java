package io.nuthatch.server.info;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fields of one INFO section, in the order they are printed, and the number formats Redis
 * prints them with.
 *
 * <p>Redis formats with C's printf, which rounds the exact binary value of a double half to even
 * ("%.2f" of 1.125 is "1.12"); Java's String.format rounds half up ("1.13"). {@link #fixed} does
 * what printf does, so human sizes and ratios read the same as redis-server's.
 */
public final class InfoFields {
    private final List<String> names = new ArrayList<>();
    private final List<String> values = new ArrayList<>();

    public InfoFields add(String name, String value) {
        names.add(name);
        values.add(value);
        return this;
    }

    public InfoFields add(String name, long value) {
        return add(name, Long.toString(value));
    }

    /** A field printed with "%.2f". */
    public InfoFields addRatio(String name, double value) {
        return add(name, fixed(value, 2));
    }

    /** A byte count and, after it, the same count in Redis's human form under {@code name_human}. */
    public InfoFields addBytesWithHuman(String name, long bytes) {
        add(name, bytes);
        return add(name + "_human", human(bytes));
    }

    public int size() {
        return names.size();
    }

    /** Appends the section as INFO prints it: "# Title" then "name:value" lines, CRLF-terminated. */
    void appendTo(StringBuilder out, String title) {
        out.append("# ").append(title).append("\r\n");
        for (int i = 0; i < names.size(); i++) {
            out.append(names.get(i)).append(':').append(values.get(i)).append("\r\n");
        }
    }

    /** Field name to value, in order. */
    Map<String, String> asMap() {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            map.put(names.get(i), values.get(i));
        }
        return Collections.unmodifiableMap(map);
    }

    /** C's "%.Nf": the exact value of the double, rounded half to even. */
    public static String fixed(double value, int decimals) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return Double.isNaN(value) ? "nan" : value > 0 ? "inf" : "-inf";
        }
        return new BigDecimal(value).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
    }

    /**
     * Redis's bytesToHuman: bytes under 1 KB as "123B", then K, M, G, T, P with two decimals
     * ("967.45K", "1.00M"), and plain bytes again past the petabytes.
     */
    public static String human(long bytes) {
        if (bytes < 0) {
            // Redis takes the count as unsigned; a negative figure never reaches here in practice.
            return Long.toUnsignedString(bytes) + "B";
        }
        if (bytes < 1024) {
            return bytes + "B";
        }
        String units = "KMGTP";
        for (int i = 0; i < units.length(); i++) {
            if (bytes < (1L << (10 * (i + 2)))) {
                return fixed(bytes / (double) (1L << (10 * (i + 1))), 2) + units.charAt(i);
            }
        }
        return bytes + "B";
    }
}
