package io.nuthatch.server.keyspace;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Glob matching as Redis's stringmatchlen does it. KEYS replies are compared with redis-server in
 * scan.redis; these cover what KEYS cannot show: case-insensitive matching (CONFIG GET) and the
 * cases whose answer is surprising.
 */
class GlobPatternTest {

    private static boolean matches(String pattern, String subject) {
        return GlobPattern.matches(bytes(pattern), bytes(subject));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    @ParameterizedTest(name = "''{0}'' ~ ''{1}'' is {2}")
    @CsvSource(delimiter = '|', value = {
        "*|anything|true",
        "h?llo|hello|true",
        "h?llo|hllo|false",
        "h*llo|heeeello|true",
        "h[ae]llo|hallo|true",
        "h[ae]llo|hillo|false",
        "h[^e]llo|hallo|true",
        "h[^e]llo|hello|false",
        "h[a-b]llo|hbllo|true",
        "h[b-a]llo|hbllo|true",
        "h\\*llo|h*llo|true",
        "h\\*llo|hello|false",
        "a[|a|false",
        "a[|a[|false",
        "a[b|ab|true",
        "[]|]|false",
        "ab\\|ab\\|true",
        "a*b*c|aXbYc|true",
        "a*b*c|aXbY|false",
        "*a|a|true",
        "?*|a|true",
    })
    void matchesAsRedisDoes(String pattern, String subject, boolean expected) {
        assertEquals(expected, matches(pattern, subject));
    }

    @Test
    void theEmptySubjectMatchesOnlyTheEmptyPattern() {
        assertTrue(matches("", ""));
        assertFalse(matches("*", ""), "stringmatchlen's loop never runs for an empty subject");
        assertFalse(matches("**", ""));
        assertFalse(matches("?", ""));
        assertFalse(matches("", "a"));
        assertTrue(GlobPattern.matchesEverything(bytes("*")));
        assertFalse(GlobPattern.matchesEverything(bytes("**")));
    }

    @Test
    void ignoringCaseFoldsLettersAndRanges() {
        byte[] subject = bytes("MaxMemory-Policy");
        assertTrue(GlobPattern.matches(bytes("maxmemory-*"), subject, 0, subject.length, true));
        assertFalse(GlobPattern.matches(bytes("maxmemory-*"), subject, 0, subject.length, false));
        assertTrue(GlobPattern.matches(bytes("[l-n]AX*"), subject, 0, subject.length, true));
        assertTrue(GlobPattern.matches(bytes("[^a]ax*"), subject, 0, subject.length, true));
    }

    @Test
    void matchesARangeOfTheSubjectArray() {
        byte[] subject = bytes("xxkey:1yy");
        assertTrue(GlobPattern.matches(bytes("key:?"), subject, 2, 5, false));
        assertFalse(GlobPattern.matches(bytes("key:?"), subject, 2, 6, false));
    }

    @Test
    void bytesCompareAsSignedCharsInRanges() {
        // 0xe9 is negative as a C char, so it is below 'a' and inside [\x80-a] only signed.
        byte[] subject = {(byte) 0xe9};
        assertTrue(GlobPattern.matches(new byte[] {'[', (byte) 0x80, '-', 'a', ']'}, subject, 0, 1, false));
        assertFalse(GlobPattern.matches(bytes("[a-z]"), subject, 0, 1, false));
    }

    @Test
    void patternsNestedTooDeeplyDoNotMatch() {
        String subject = "a".repeat(1200);
        assertTrue(matches("*a".repeat(900), subject));
        assertFalse(matches("*a".repeat(1100), subject), "Redis gives up past 1000 nested stars");
    }

    @Test
    void manyStarsDoNotBacktrackExponentially() {
        // Without cutting the search short this would take longer than the universe's age.
        String subject = "a".repeat(60);
        assertFalse(matches("a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", subject));
    }
}
