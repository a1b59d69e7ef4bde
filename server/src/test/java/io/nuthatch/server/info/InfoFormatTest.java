package io.nuthatch.server.info;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Number formats as redis-server prints them (the expected texts are C printf's, checked with printf(1)). */
class InfoFormatTest {
    @Test
    void humanSizesFollowBytesToHuman() {
        assertEquals("0B", InfoFields.human(0));
        assertEquals("1023B", InfoFields.human(1023));
        assertEquals("1.00K", InfoFields.human(1024));
        assertEquals("967.45K", InfoFields.human(990_672));
        assertEquals("1024.00K", InfoFields.human(1024 * 1024 - 1));
        assertEquals("1.00M", InfoFields.human(1024 * 1024));
        assertEquals("6.39M", InfoFields.human(6_701_056));
        assertEquals("23.54G", InfoFields.human(25_276_063_744L));
        assertEquals("1.00T", InfoFields.human(1L << 40));
        assertEquals("1.00P", InfoFields.human(1L << 50));
        assertEquals((1L << 60) + "B", InfoFields.human(1L << 60));
    }

    @Test
    void decimalsRoundTheExactBinaryValueHalfToEven() {
        // 1152 bytes are exactly 1.125K: printf rounds the tie to even, String.format would say 1.13.
        assertEquals("1.12K", InfoFields.human(1152));
        assertEquals("1.38K", InfoFields.human(1408));
        assertEquals("1.12", InfoFields.fixed(1.125, 2));
        // 2.675 is stored just under 2.675, 5.0235 just over.
        assertEquals("2.67", InfoFields.fixed(2.675, 2));
        assertEquals("5.024", InfoFields.fixed(5.0235, 3));
        assertEquals("0.00", InfoFields.fixed(0, 2));
        assertEquals("100.00", InfoFields.fixed(100, 2));
        assertEquals("-1.50", InfoFields.fixed(-1.5, 2));
    }

    @Test
    void cpuSecondsHaveSixDecimals() {
        assertEquals("0.002770", ProcessMetrics.seconds(2_770));
        assertEquals("12.000001", ProcessMetrics.seconds(12_000_001));
        assertEquals("0.000000", ProcessMetrics.seconds(0));
    }
}
