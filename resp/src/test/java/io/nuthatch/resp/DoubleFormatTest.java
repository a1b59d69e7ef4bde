package io.nuthatch.resp;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * DoubleFormat against C's printf("%.17g"), the format of every double Redis 7.0 replies with. The
 * expectations were printed by C once and stored (double-format-g17.tsv): subnormals, every power
 * of ten, integers from 1e16 to 1e18, negative zero, ties at the 17th digit, random bit patterns.
 */
class DoubleFormatTest {

    @Test
    void everyStoredValueIsFormattedAsCPrintfFormatsIt() throws IOException {
        List<String> mismatches = new ArrayList<>();
        int checked = 0;
        for (String line : resourceLines("/double-format-g17.tsv")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] columns = line.split("\t");
            double value = Double.parseDouble(columns[0]);
            String actual = DoubleFormat.formatG17(value);
            if (!actual.equals(columns[1])) {
                mismatches.add(columns[0] + " (" + value + "): printf gives " + columns[1] + ", we give " + actual);
            }
            checked++;
        }
        assertTrue(checked > 5000, "the stored table was read: " + checked + " values");
        if (!mismatches.isEmpty()) {
            fail(mismatches.size() + " of " + checked + " values differ from printf(\"%.17g\"):\n"
                    + String.join("\n", mismatches.subList(0, Math.min(40, mismatches.size()))));
        }
    }

    @Test
    void notableValues() {
        assertEquals("0.10000000000000001", DoubleFormat.formatG17(0.1));
        assertEquals("0.33333333333333331", DoubleFormat.formatG17(1.0 / 3));
        assertEquals("-0", DoubleFormat.formatG17(-0.0));
        assertEquals("0", DoubleFormat.formatG17(0.0));
        assertEquals("1e+17", DoubleFormat.formatG17(1e17));
        assertEquals("10000000000000000", DoubleFormat.formatG17(1e16));
        assertEquals("4.9406564584124654e-324", DoubleFormat.formatG17(Double.MIN_VALUE));
        assertEquals("1.7976931348623157e+308", DoubleFormat.formatG17(Double.MAX_VALUE));
        assertEquals("0.0001", DoubleFormat.formatG17(1e-4));
        assertEquals("1.0000000000000001e-05", DoubleFormat.formatG17(1e-5));
        // An exact tie at the 17th digit rounds to even, as glibc does.
        assertEquals("1125899906842624.2", DoubleFormat.formatG17(1125899906842624.25));
        assertEquals("1125899906842624.8", DoubleFormat.formatG17(1125899906842624.75));
    }

    /** Redis writes these itself rather than through printf; the texts are Redis's. */
    @Test
    void infinitiesAndNaN() {
        assertEquals("inf", DoubleFormat.formatG17(Double.POSITIVE_INFINITY));
        assertEquals("-inf", DoubleFormat.formatG17(Double.NEGATIVE_INFINITY));
        assertEquals("nan", DoubleFormat.formatG17(Double.NaN));
    }

    private static List<String> resourceLines(String name) throws IOException {
        try (InputStream in = DoubleFormatTest.class.getResourceAsStream(name)) {
            assertNotNull(in, name);
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).lines().toList();
        }
    }
}
