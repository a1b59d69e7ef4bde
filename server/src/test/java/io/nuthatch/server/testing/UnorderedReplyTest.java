package io.nuthatch.server.testing;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which differences in order each [unordered] form forgives, and that it forgives nothing else. */
class UnorderedReplyTest {

    /** A reply written with '|' for CRLF and '^' for the attribute type byte. */
    private static byte[] reply(String text) {
        return text.replace("|", "\r\n").replace('^', '|').getBytes(StandardCharsets.ISO_8859_1);
    }

    private static boolean same(String levels, String first, String second) {
        UnorderedReply.Levels parsed = UnorderedReply.Levels.parse(
                levels.isEmpty() ? List.of() : Arrays.asList(levels.split(" ")));
        return Arrays.equals(UnorderedReply.canonical(reply(first), parsed),
                UnorderedReply.canonical(reply(second), parsed));
    }

    @Test
    void theTopLevelMayComeInAnyOrderButEveryElementCounts() {
        assertTrue(same("", "*3|$1|a|$1|b|:1|", "*3|:1|$1|b|$1|a|"));
        assertFalse(same("", "*3|$1|a|$1|b|:1|", "*3|$1|a|$1|b|:2|"), "an element differs");
        assertFalse(same("", "*2|$1|a|$1|a|", "*3|$1|a|$1|a|$1|a|"), "a duplicate more");
        assertFalse(same("", "*2|$1|a|$1|b|", "~2|$1|b|$1|a|"), "an array is not a set");
    }

    @Test
    void aMapsEntriesMoveAsPairs() {
        assertTrue(same("", "%2|$1|a|:1|$1|b|:2|", "%2|$1|b|:2|$1|a|:1|"));
        assertFalse(same("", "%2|$1|a|:1|$1|b|:2|", "%2|$1|a|:2|$1|b|:1|"), "values swapped between keys");
    }

    @Test
    void pairsMakeAFlattenedMapMoveTwoByTwo() {
        String flat = "*4|$2|k1|$2|v1|$2|k2|$2|v2|";
        String reordered = "*4|$2|k2|$2|v2|$2|k1|$2|v1|";
        String valuesSwapped = "*4|$2|k1|$2|v2|$2|k2|$2|v1|";
        assertTrue(same("pairs", flat, reordered));
        assertFalse(same("pairs", flat, valuesSwapped));
        assertTrue(same("", flat, valuesSwapped), "element by element, the swap goes unseen: why pairs exist");
        IllegalArgumentException odd = assertThrows(IllegalArgumentException.class,
                () -> UnorderedReply.canonical(reply("*3|:1|:2|:3|"), UnorderedReply.Levels.parse(List.of("pairs"))));
        assertTrue(odd.getMessage().contains("3 elements"), odd.getMessage());
    }

    @Test
    void oneDepthLeavesTheOthersInOrder() {
        String arrays = "*2|*2|$1|a|$1|b|*2|$1|c|$1|d|";
        String innerSwapped = "*2|*2|$1|b|$1|a|*2|$1|d|$1|c|";
        String outerSwapped = "*2|*2|$1|c|$1|d|*2|$1|a|$1|b|";
        assertTrue(same("2", arrays, innerSwapped));
        assertFalse(same("2", arrays, outerSwapped));
        assertTrue(same("1", arrays, outerSwapped));
        assertFalse(same("1", arrays, innerSwapped));
        assertTrue(same("1 2", arrays, "*2|*2|$1|d|$1|c|*2|$1|b|$1|a|"));
    }

    @Test
    void deepFreesEveryLevelSoASetInsideAMapCompares() {
        String first = "*1|%2|$4|tags|~3|$1|x|$1|y|$1|z|$5|count|:3|";
        String second = "*1|%2|$5|count|:3|$4|tags|~3|$1|z|$1|x|$1|y|";
        assertTrue(same("deep", first, second));
        assertFalse(same("1", first, second));
        assertTrue(same("2 3", first, second));
        assertFalse(same("deep", first, "*1|%2|$5|count|:3|$4|tags|~3|$1|z|$1|x|$1|w|"));
    }

    @Test
    void pairsBindToTheDepthBeforeThem() {
        UnorderedReply.Levels levels = UnorderedReply.Levels.parse(List.of("1", "2", "pairs"));
        assertEquals(Set.of(1, 2), levels.depths());
        assertEquals(Set.of(2), levels.pairedDepths());
        assertEquals(Set.of(1), UnorderedReply.Levels.parse(List.of("pairs", "2")).pairedDepths());
        assertThrows(IllegalArgumentException.class, () -> UnorderedReply.Levels.parse(List.of("outer")));
    }

    @Test
    void anAttributeKeepsTheValueItAnnotatesLast() {
        String first = "^2|$1|a|:1|$1|b|:2|*2|:1|:2|";
        String second = "^2|$1|b|:2|$1|a|:1|*2|:1|:2|";
        assertTrue(same("", first, second));
        byte[] canonical = UnorderedReply.canonical(reply(second), UnorderedReply.Levels.TOP);
        assertArrayEquals(reply(first), canonical);
    }

    @Test
    void theBytesOfAReplyComeBackExactlyFromItsTree() {
        byte[] original = reply("*4|$3|a\u0000b|_|%1|+k|=8|txt:x|y|,1.5|");
        assertArrayEquals(original, ReplyTree.bytes(ReplyTree.parse(original)));
        assertThrows(IllegalArgumentException.class, () -> ReplyTree.parse(reply("*2|:1|")));
        assertThrows(IllegalArgumentException.class, () -> ReplyTree.parse(reply(":1|:2|")));
    }
}
