package io.nuthatch.server.type;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ListValueTest {

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void anEmptyListHasNoPositions() {
        ListValue list = new ListValue(-2);
        assertEquals(0, list.size());
        assertEquals(ListValue.NONE, list.first());
        assertEquals(ListValue.NONE, list.last());
        assertEquals(ListValue.NONE, list.positionAt(0));
        assertEquals(ListValue.NONE, list.positionAt(-1));
    }

    @Test
    void pushesAtBothEndsReadBackInOrder() {
        ListValue list = new ListValue(-2);
        list.pushTail(bytes("b"), 0, 1);
        list.pushHead(bytes("a"), 0, 1);
        list.pushTail(bytes("c"), 0, 1);
        assertEquals(List.of("a", "b", "c"), contents(list));
        assertEquals("c", text(list, list.positionAt(-1)));
        assertEquals("a", text(list, list.positionAt(-3)));
        assertEquals(ListValue.NONE, list.positionAt(3));
        assertEquals(ListValue.NONE, list.positionAt(-4));
    }

    @Test
    void aCountFillStartsANewNodeEveryFewEntries() {
        ListValue list = new ListValue(3);
        for (int i = 0; i < 10; i++) {
            byte[] element = bytes("e" + i);
            list.pushTail(element, 0, element.length);
        }
        assertEquals(4, list.nodeCount());
    }

    @Test
    void aByteFillBoundsEachNode() {
        ListValue list = new ListValue(-1);
        byte[] element = new byte[100];
        for (int i = 0; i < 1000; i++) {
            list.pushHead(element, 0, element.length);
        }
        // 4 KB nodes of 102-byte entries hold 40 each.
        assertEquals(25, list.nodeCount());
    }

    @Test
    void anElementLargerThanTheLimitHasANodeOfItsOwn() {
        ListValue list = new ListValue(-1);
        list.pushTail(bytes("a"), 0, 1);
        byte[] large = new byte[10_000];
        list.pushTail(large, 0, large.length);
        list.pushTail(bytes("b"), 0, 1);
        assertEquals(3, list.nodeCount());
        assertEquals(3, list.size());
        assertEquals(10_000, list.dataLength(list.positionAt(1)));
    }

    /**
     * Every operation against a list of arrays, with fills that make nodes of one, two and a few
     * entries and of 4 KB, so that splits, neighbours taking an element and emptied nodes all
     * happen; the memory figure is checked against the nodes counted afresh after each step.
     */
    @ParameterizedTest(name = "fill {0}")
    @ValueSource(ints = {1, 2, 5, 0, -1, -2})
    void randomChangesMatchAListOfArrays(int fill) {
        for (long seed = 1; seed <= 10; seed++) {
            SplittableRandom random = new SplittableRandom(seed * 31 + fill);
            ListValue list = new ListValue(fill);
            List<byte[]> model = new ArrayList<>();
            for (int step = 0; step < 3000; step++) {
                byte[] element = element(random);
                int operation = random.nextInt(10);
                int index = model.isEmpty() ? 0 : random.nextInt(model.size());
                switch (operation) {
                    case 0 -> {
                        list.pushHead(element, 0, element.length);
                        model.add(0, element);
                    }
                    case 1 -> {
                        list.pushTail(element, 0, element.length);
                        model.add(element);
                    }
                    case 2 -> {
                        if (!model.isEmpty()) {
                            list.removeHead();
                            model.remove(0);
                        }
                    }
                    case 3 -> {
                        if (!model.isEmpty()) {
                            list.removeTail();
                            model.remove(model.size() - 1);
                        }
                    }
                    case 4 -> {
                        if (!model.isEmpty()) {
                            list.insertBefore(list.positionAt(index), element, 0, element.length);
                            model.add(index, element);
                        }
                    }
                    case 5 -> {
                        if (!model.isEmpty()) {
                            list.insertAfter(list.positionAt(index), element, 0, element.length);
                            model.add(index + 1, element);
                        }
                    }
                    case 6 -> {
                        if (!model.isEmpty()) {
                            long next = list.remove(list.positionAt(index));
                            model.remove(index);
                            if (index < model.size()) {
                                assertArrayEquals(model.get(index), list.copyOf(next));
                            } else {
                                assertEquals(ListValue.NONE, next);
                            }
                        }
                    }
                    case 7 -> {
                        if (!model.isEmpty()) {
                            list.replace(list.positionAt(index), element, 0, element.length);
                            model.set(index, element);
                        }
                    }
                    case 8 -> {
                        int count = random.nextInt(4);
                        list.removeHead(count);
                        model.subList(0, Math.min(count, model.size())).clear();
                    }
                    default -> {
                        int count = random.nextInt(4);
                        list.removeTail(count);
                        model.subList(Math.max(0, model.size() - count), model.size()).clear();
                    }
                }
                assertEquals(model.size(), list.size());
                assertEquals(list.countNodesMemory(), list.trackedNodesMemory(), "memory after step " + step);
            }
            assertMatches(model, list);
            assertMatches(model, list.copy());
        }
    }

    @Test
    void aCopyIsIndependent() {
        ListValue list = new ListValue(2);
        for (String s : new String[] {"a", "b", "c", "d", "e"}) {
            list.pushTail(bytes(s), 0, 1);
        }
        ListValue copy = list.copy();
        list.removeHead();
        copy.pushTail(bytes("f"), 0, 1);
        assertEquals(List.of("b", "c", "d", "e"), contents(list));
        assertEquals(List.of("a", "b", "c", "d", "e", "f"), contents(copy));
        assertEquals(copy.countNodesMemory(), copy.trackedNodesMemory());
    }

    @Test
    void memoryGrowsAndShrinksWithTheElements() {
        ListValue list = new ListValue(-2);
        long empty = list.memoryUsage();
        byte[] element = new byte[50];
        for (int i = 0; i < 10_000; i++) {
            list.pushTail(element, 0, element.length);
        }
        assertTrue(list.memoryUsage() > empty + 10_000 * 52, "at least the entries: " + list.memoryUsage());
        assertTrue(list.memoryUsage() < empty + 10_000 * 52 * 1.15, "at most 15% more: " + list.memoryUsage());
        list.removeHead(10_000);
        assertEquals(empty, list.memoryUsage());
    }

    private static byte[] element(SplittableRandom random) {
        int length = random.nextInt(10) == 0 ? random.nextInt(3000) : random.nextInt(20);
        byte[] element = new byte[length];
        random.nextBytes(element);
        return element;
    }

    private static void assertMatches(List<byte[]> model, ListValue list) {
        assertEquals(model.size(), list.size());
        long position = list.first();
        for (byte[] expected : model) {
            assertArrayEquals(expected, list.copyOf(position));
            position = list.next(position);
        }
        assertEquals(ListValue.NONE, position);
        position = list.last();
        for (int i = model.size() - 1; i >= 0; i--) {
            assertArrayEquals(model.get(i), list.copyOf(position));
            assertArrayEquals(model.get(i), list.copyOf(list.positionAt(i)));
            assertArrayEquals(model.get(i), list.copyOf(list.positionAt(i - model.size())));
            position = list.previous(position);
        }
        assertEquals(ListValue.NONE, position);
    }

    private static List<String> contents(ListValue list) {
        List<String> contents = new ArrayList<>();
        for (long position = list.first(); position != ListValue.NONE; position = list.next(position)) {
            contents.add(text(list, position));
        }
        return contents;
    }

    private static String text(ListValue list, long position) {
        return new String(list.array(position), list.dataOffset(position), list.dataLength(position),
                StandardCharsets.ISO_8859_1);
    }
}
