package io.nuthatch.server.type;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ListpackTest {

    @Test
    void anEmptyListpackHasNoEntriesEitherWay() {
        Listpack pack = new Listpack();
        assertEquals(0, pack.size());
        assertEquals(Listpack.NONE, pack.first());
        assertEquals(Listpack.NONE, pack.last());
        assertEquals(Listpack.NONE, pack.positionOf(0));
    }

    @Test
    void entriesOfEveryLengthClassReadBackForwardAndBackward() {
        int[] lengths = {0, 1, 124, 125, 126, 127, 128, 129, 16381, 16382, 16383, 16384, 16385, 70000};
        Listpack pack = new Listpack();
        List<byte[]> model = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(7);
        for (int length : lengths) {
            byte[] data = randomBytes(random, length);
            pack.append(data);
            model.add(data);
        }
        assertMatches(model, pack);
    }

    @Test
    void findLooksAtEveryStrideEntryOnly() {
        Listpack pack = new Listpack();
        for (String s : new String[] {"f1", "v1", "f2", "v1", "f3", "f1"}) {
            pack.append(s.getBytes());
        }
        byte[] v1 = "v1".getBytes();
        byte[] f1 = "f1".getBytes();
        assertEquals(Listpack.NONE, pack.find(pack.first(), 2, v1, 0, 2), "values are not fields");
        int found = pack.find(pack.first(), 2, f1, 0, 2);
        assertEquals(pack.first(), found);
        assertEquals(Listpack.NONE, pack.find(pack.next(pack.next(found)), 2, f1, 0, 2));
    }

    @Test
    void randomChangesMatchAListOfArrays() {
        for (long seed = 1; seed <= 20; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            Listpack pack = new Listpack();
            List<byte[]> model = new ArrayList<>();
            for (int step = 0; step < 2000; step++) {
                int operation = random.nextInt(6);
                byte[] data = randomBytes(random, random.nextInt(4) == 0 ? random.nextInt(300) : random.nextInt(20));
                int index = model.isEmpty() ? 0 : random.nextInt(model.size());
                switch (operation) {
                    case 0 -> {
                        pack.append(data, 0, data.length);
                        model.add(data);
                    }
                    case 1 -> {
                        assertEquals(0, pack.prepend(data, 0, data.length));
                        model.add(0, data);
                    }
                    case 2 -> {
                        if (!model.isEmpty()) {
                            int position = pack.insertAfter(pack.positionOf(index), data, 0, data.length);
                            model.add(index + 1, data);
                            assertArrayEquals(data, pack.copyOf(position));
                        }
                    }
                    case 3 -> {
                        if (!model.isEmpty()) {
                            pack.replace(pack.positionOf(index), data, 0, data.length);
                            model.set(index, data);
                        }
                    }
                    case 4 -> {
                        if (!model.isEmpty()) {
                            int n = 1 + random.nextInt(3);
                            int following = pack.delete(pack.positionOf(index), n);
                            for (int i = 0; i < n && index < model.size(); i++) {
                                model.remove(index);
                            }
                            assertEquals(index < model.size() ? pack.positionOf(index) : Listpack.NONE, following);
                        }
                    }
                    default -> {
                        if (!model.isEmpty()) {
                            int position = pack.insertBefore(pack.positionOf(index), data, 0, data.length);
                            model.add(index, data);
                            assertEquals(pack.positionOf(index), position);
                        }
                    }
                }
            }
            assertMatches(model, pack);
            Listpack copy = pack.copy();
            pack.clear();
            assertTrue(pack.isEmpty());
            assertMatches(model, copy);
        }
    }

    @Test
    void memoryFollowsTheArrayAndShrinksAfterDeletes() {
        Listpack pack = new Listpack();
        byte[] data = new byte[100];
        for (int i = 0; i < 100; i++) {
            pack.append(data);
        }
        long full = pack.memoryUsage();
        assertTrue(full >= 100 * 102, "holds its entries");
        assertTrue(full <= 100 * 102 * 1.2 + 64, "and not much more: " + full);
        pack.delete(pack.first(), 95);
        assertTrue(pack.memoryUsage() < full / 4, "gives room back: " + pack.memoryUsage());
        assertFalse(pack.isEmpty());
    }

    private static void assertMatches(List<byte[]> model, Listpack pack) {
        assertEquals(model.size(), pack.size());
        int position = pack.first();
        for (byte[] expected : model) {
            assertArrayEquals(expected, pack.copyOf(position));
            assertTrue(pack.equalsAt(position, expected, 0, expected.length));
            position = pack.next(position);
        }
        assertEquals(Listpack.NONE, position);
        position = pack.last();
        for (int i = model.size() - 1; i >= 0; i--) {
            assertArrayEquals(model.get(i), pack.copyOf(position));
            position = pack.previous(position);
        }
        assertEquals(Listpack.NONE, position);
    }

    private static byte[] randomBytes(SplittableRandom random, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        return bytes;
    }
}
