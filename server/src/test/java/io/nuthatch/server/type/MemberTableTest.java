package io.nuthatch.server.type;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The open-addressing table against a plain Java set, through growth, shrinking and the
 * incremental migrations in between, and its scan cursor's guarantee across them.
 */
class MemberTableTest {

    private static byte[] member(int i) {
        return ("member:" + i).getBytes(StandardCharsets.US_ASCII);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    private static boolean contains(MemberTable table, byte[] key) {
        return table.find(key, 0, key.length) != MemberTable.NONE;
    }

    private static Set<String> contents(MemberTable table) {
        Set<String> contents = new HashSet<>();
        for (int p = table.first(); p != MemberTable.NONE; p = table.next(p)) {
            assertTrue(contents.add(text(table.elementAt(p))), "an element listed twice");
        }
        return contents;
    }

    @Test
    void randomInsertionsAndRemovalsMatchASetThroughMigrations() {
        MemberTable table = MemberTable.ofMembers(1);
        Set<String> model = new HashSet<>();
        SplittableRandom random = new SplittableRandom(42);
        boolean sawMigration = false;
        // Grows past the incremental threshold, shrinks back, grows again.
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 20_000; i++) {
                byte[] key = member(random.nextInt(30_000));
                if (!contains(table, key)) {
                    table.insert(key);
                }
                model.add(text(key));
                sawMigration |= table.isMigrating();
                if (i % 997 == 0) {
                    assertEquals(model, contents(table));
                }
            }
            for (int i = 0; i < 40_000; i++) {
                byte[] key = member(random.nextInt(30_000));
                int position = table.find(key, 0, key.length);
                assertEquals(model.contains(text(key)), position != MemberTable.NONE, text(key));
                if (position != MemberTable.NONE) {
                    table.removeAt(position);
                    model.remove(text(key));
                }
                sawMigration |= table.isMigrating();
                if (i % 997 == 0) {
                    assertEquals(model, contents(table));
                    assertEquals(model.size(), table.size());
                }
            }
        }
        assertTrue(sawMigration, "the test never ran while a migration was in progress");
        assertEquals(model, contents(table));
        for (int i = 0; i < 30_000; i++) {
            assertEquals(model.contains(text(member(i))), contains(table, member(i)));
        }
    }

    @Test
    void aTableShrinksWhenMostlyEmptied() {
        MemberTable table = MemberTable.ofMembers(1);
        for (int i = 0; i < 10_000; i++) {
            table.insert(member(i));
        }
        int full = table.capacity();
        for (int i = 0; i < 9_990; i++) {
            byte[] key = member(i);
            table.removeAt(table.find(key, 0, key.length));
        }
        for (int i = 0; i < 100 && table.isMigrating(); i++) {
            byte[] extra = member(100_000 + i);
            table.insert(extra);
            table.removeAt(table.find(extra, 0, extra.length));
        }
        assertTrue(table.capacity() < full / 100, "capacity " + table.capacity() + " of " + full);
        assertEquals(10, table.size());
    }

    @Test
    void pairsAreFoundByTheirField() {
        MemberTable table = MemberTable.ofPairs(1);
        byte[] field = "field".getBytes(StandardCharsets.US_ASCII);
        byte[] value = "value".getBytes(StandardCharsets.US_ASCII);
        table.insert(FieldValue.of(field, 0, field.length, value, 0, value.length));
        int position = table.find(field, 0, field.length);
        assertNotEquals(MemberTable.NONE, position);
        byte[] pair = table.elementAt(position);
        assertEquals("value", new String(pair, FieldValue.valueOffset(pair), FieldValue.valueLength(pair),
                StandardCharsets.US_ASCII));
        assertEquals(MemberTable.NONE, table.find(value, 0, value.length));
        byte[] longField = new byte[300];
        table.insert(FieldValue.of(longField, 0, longField.length, value, 0, 0));
        position = table.find(longField, 0, longField.length);
        assertEquals(300, FieldValue.fieldLength(table.elementAt(position)));
        assertEquals(0, FieldValue.valueLength(table.elementAt(position)));
    }

    /**
     * SCAN's guarantee: every element present from the start of an iteration to its end is
     * returned, whatever the table does between calls. Between calls here the table grows through
     * an incremental migration, then shrinks through another.
     */
    @Test
    void aFullScanReturnsEveryElementPresentThroughoutAcrossResizes() {
        MemberTable table = MemberTable.ofMembers(1);
        for (int i = 0; i < 2_000; i++) {
            table.insert(member(i));
        }
        Set<String> seen = new HashSet<>();
        long cursor = 0;
        int calls = 0;
        int next = 2_000;
        boolean sawMigration = false;
        do {
            cursor = table.scan(cursor, element -> seen.add(text(element)));
            calls++;
            // First grow well past the size (a migration), then remove the added ones again (shrink).
            int changes = 20;
            for (int i = 0; i < changes; i++) {
                if (calls < 300) {
                    table.insert(member(next++));
                } else if (next > 2_000) {
                    byte[] key = member(--next);
                    table.removeAt(table.find(key, 0, key.length));
                }
            }
            sawMigration |= table.isMigrating();
        } while (cursor != 0);
        assertTrue(sawMigration);
        for (int i = 0; i < 2_000; i++) {
            assertTrue(seen.contains(text(member(i))), "missed member:" + i + " after " + calls + " calls");
        }
    }

    @Test
    void randomPositionsCoverEveryElementEvenly() {
        MemberTable table = MemberTable.ofMembers(1);
        for (int i = 0; i < 1_500; i++) {
            table.insert(member(i));
        }
        // Mid-migration draws must stay uniform over both arrays too.
        for (int i = 1_500; !table.isMigrating(); i++) {
            table.insert(member(i));
        }
        int size = table.size();
        Map<String, Integer> counts = new HashMap<>();
        SplittableRandom random = new SplittableRandom(1);
        int draws = size * 200;
        for (int i = 0; i < draws; i++) {
            counts.merge(text(table.elementAt(table.randomPosition(random))), 1, Integer::sum);
        }
        assertEquals(size, counts.size());
        for (int count : counts.values()) {
            assertTrue(count > 100 && count < 300, "count " + count + " for an expected 200");
        }
    }

    @Test
    void aCopyIsIndependent() {
        MemberTable table = MemberTable.ofMembers(1);
        for (int i = 0; i < 3_000; i++) {
            table.insert(member(i));
        }
        MemberTable copy = table.copy();
        assertEquals(table.memoryUsage(), copy.memoryUsage());
        List<byte[]> removed = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            byte[] key = member(i);
            table.removeAt(table.find(key, 0, key.length));
            removed.add(key);
        }
        assertEquals(3_000, copy.size());
        for (byte[] key : removed) {
            assertTrue(contains(copy, key));
        }
    }
}
