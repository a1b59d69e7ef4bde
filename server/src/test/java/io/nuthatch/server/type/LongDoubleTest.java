package io.nuthatch.server.type;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * INCRBYFLOAT arithmetic against redis-server 7.0.15 on x86-64. Every expected value below was
 * read from the real server (SET k a, INCRBYFLOAT k b, or INCRBYFLOAT on a missing key), not
 * computed by this code.
 */
class LongDoubleTest {

    private static LongDouble parse(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        return LongDouble.parse(bytes, 0, bytes.length);
    }

    private static String incrementMissing(String increment) {
        return LongDouble.ZERO.add(parse(increment)).toString();
    }

    private static String increment(String stored, String increment) {
        return parse(stored).add(parse(increment)).toString();
    }

    @ParameterizedTest(name = "INCRBYFLOAT missing {0} = {1}")
    @CsvSource(delimiter = '|', value = {
            "0.1|0.1",
            "0.2|0.2",
            "0x10|16",
            "0x1p3|8",
            "0x1.8|1.5",
            "0X1P-2|0.25",
            "0x.8|0.5",
            "0x1P+1|2",
            "+1|1",
            ".5|0.5",
            "5.|5",
            "1e5|100000",
            "1E+2|100",
            "1e-0|1",
            "10e-1|1",
            "00012|12",
            "1e0000000000000000000000000001|10",
            "0e99999999999999999999|0",
            "0000000000000000000000000000000000.5e-0000000000000000000|0.5",
            "-0|0",
            "1e-4950|0",
            "3.6e-4951|0",
            "1.9e-4951|0",
            "0x1p-16445|0",
            "0x1.8p-16446|0",
            "0x0.0000000000000000000001p2|0",
            "0xffffffffffffffffffffffffp-100|0.0625",
            "1.0000000000000000000000001|1",
            // ties in the conversion round to an even significand
            "0xfffffffffffffffe8p0|295147905179352825824",
            "0xfffffffffffffffe7p0|295147905179352825824",
            "0xfffffffffffffffe9p0|295147905179352825840",
            "0xfffffffffffffff18p0|295147905179352825632",
            // ties in "%.17Lf" round to an even last digit
            "0.000003814697265625|0.00000381469726562",
            "0.000011444091796875|0.00001144409179688",
            "1.5e-17|0.00000000000000002",
            "2.5e-17|0.00000000000000002",
    })
    void parsesAndFormatsAsRedis(String increment, String expected) {
        assertEquals(expected, incrementMissing(increment));
    }

    @ParameterizedTest(name = "not a valid float: \"{0}\"")
    @ValueSource(strings = {
            "", " 1", "1 ", "\t1", "\n1", "1\n", " ", "\u00001", "1\u0000", "1.5\u0000",
            "nan", "NaN(123)", "nan()", "infin", "abc", ".", "e5", "-", "-.e1", "1e", "1e+",
            "0x", "0x1p", "0x.p1", "0x1g", "0x1p1.5", "1e1.5", "--1", "+-1", "1..2", "1.2.3", "1_0",
            "0b1", "1d", "1f",
            // overflow to infinity and underflow to zero (ERANGE)
            "1e5000", "1.2e4932", "1.18973149535723176509e+4932", "0x1p16384", "1e-5000", "1e-4951",
            "1.8e-4951", "0x1p-16446", "0x1p-16446000000000000000000000000",
    })
    void rejectsWhatRedisRejects(String text) {
        assertThrows(NumberFormatException.class, () -> parse(text));
    }

    @Test
    void infinityIsReadButNeverFinite() {
        for (String text : new String[] {"inf", "-inf", "infinity", "+inFinITY", "-INF"}) {
            assertFalse(parse(text).isFinite(), text);
            assertFalse(LongDouble.ZERO.add(parse(text)).isFinite(), text);
        }
        assertTrue(parse("1").isFinite());
    }

    @Test
    void textLengthIsLimitedTo5119Bytes() {
        assertEquals("1", incrementMissing("1." + "0".repeat(5117)));
        assertThrows(NumberFormatException.class, () -> parse("1." + "0".repeat(5118)));
    }

    @Test
    void largestFiniteValueIsPrintedInFull() {
        String largest = incrementMissing("1.18973149535723176502e+4932");
        assertTrue(largest.startsWith("118973149535723176502126385303097020516906332229462420044032373389173700552297072261641029033652888285354569780749557731442744315367028843419812557385374367867359320070697326320191591828296152436552951"),
                largest);
        String twoTo16383 = incrementMissing("0x1p16383");
        assertEquals(4932, twoTo16383.length());
        assertTrue(twoTo16383.startsWith("594865747678615882542879663314003565381722343548255118736337410616630679"), twoTo16383);
        assertEquals(4001, increment("1.1e4000", "1").length());
    }

    @ParameterizedTest(name = "{0} + {1} = {2}")
    @CsvSource(delimiter = '|', value = {
            "0.1|0.2|0.3",
            "1|0.1|1.1",
            "10.5|-5.0e3|-4989.5",
            "5.0e3|2.0e2|5200",
            "17179869184|1.5|17179869185.5",
            "1|1e19|10000000000000000001",
            "10000000000000000001|1e20|110000000000000000000",
            "110000000000000000000|-1.23456789012345678e3|109999999999999998768",
            "109999999999999998768|0.0000000000000000001|109999999999999998768",
            "-0.000000000000000001|0|0",
            "18446744073709551616|1|18446744073709551616",
            "18446744073709551618|1|18446744073709551620",
            "18446744073709551620|1|18446744073709551620",
            "0.1|0.7|0.8",
            "1.1|2.2|3.3",
            "3.3|-1.1|2.2",
            "0.3|-0.1|0.2",
            "123456789.123456789|0.000000001|123456789.12345678999554366",
            "-5.5|5.5|0",
            "1e-17|0|0.00000000000000001",
            "-1e-17|0|-0.00000000000000001",
            "5e-18|0|0",
            "-5e-18|0|0",
            "6e-18|0|0.00000000000000001",
            "-6e-18|0|-0.00000000000000001",
            "0.1|-0.1000000000000000000001|0",
            "9223372036854775807|1|9223372036854775808",
            "-9223372036854775808|-1|-9223372036854775809",
            "9223372036854775807|0.5|9223372036854775807.5",
            "1e-4940|1e-4940|0",
            "0x1p-16445|0x1p-16445|0",
            "2.5|1e-30|2.5",
            "1|-1e-30|1",
            "100|-0.00000000000000000001|100",
            "0.3333333333333333333333|0.3333333333333333333333|0.66666666666666667",
            "2|-3|-1",
            "1e18|0.1|1000000000000000000.125",
            "1e19|0.1|10000000000000000000",
            "12345678901234567890|0.5|12345678901234567890",
    })
    void addsAsRedis(String stored, String increment, String expected) {
        assertEquals(expected, increment(stored, increment));
    }

    @Test
    void sumOfTwoDoubleMaximaIsExactInExtendedRange() {
        assertEquals("359538626972463139991842093548208868096772893888658356970628841530353257046248792709403737216774171128857586838851041378617416726902272110715794556052955234146997955372576789671236326588091188869859074894581254961338834769297758245552436667197907705664206565009503223382416235440319971852753604933726679072768",
                increment("1.7976931348623157e308", "1.7976931348623157e308"));
    }

    @Test
    void overflowingSumIsInfinite() {
        assertFalse(parse("1e4932").add(parse("1e4932")).isFinite());
        assertFalse(parse("inf").add(parse("1")).isFinite());
        assertFalse(parse("inf").add(parse("-inf")).isFinite());
    }

    /**
     * Timeouts in seconds as the blocking commands read them. The expectations are what
     * redis-server 7.0.15 did with BLPOP on a missing key: 0.0001 and 1e-400 timed out at once
     * (rounded up to 1 ms), -0.0001 waited forever (rounded up to 0), inf, 1e30 and 1e400 were
     * refused as negative (Long.MIN_VALUE here), 0x10 waited 16 s.
     */
    @ParameterizedTest(name = "ceiling of {0} * 1000 = {1}")
    @CsvSource(delimiter = '|', value = {
            "0.001|1",
            "0.0001|1",
            "1e-400|1",
            "-0.0001|0",
            "0|0",
            "1.5|1500",
            "0.0015|2",
            "0x10|16000",
            "-1|-1000",
            "9223372036854775|9223372036854775000",
            "inf|-9223372036854775808",
            "-inf|-9223372036854775808",
            "1e30|-9223372036854775808",
            "1e400|-9223372036854775808",
    })
    void timeoutsInMilliseconds(String seconds, long expected) {
        assertEquals(expected, parse(seconds).ceilingOfProduct(1000));
    }
}
