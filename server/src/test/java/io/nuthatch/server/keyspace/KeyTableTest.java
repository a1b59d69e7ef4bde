package io.nuthatch.server.keyspace;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyTableTest {

    private static KeyEntry entry(String key) {
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        byte[] data = EntryData.newData(bytes, 0, bytes.length, bytes.length);
        System.arraycopy(bytes, 0, data, data.length - bytes.length, bytes.length);
        return new StringEntry(data, KeyEntry.tag(KeyHashing.hash(bytes)));
    }

    private static void insert(KeyTable table, KeyEntry entry) {
        table.insert(entry, KeyTable.hashOf(entry));
    }

    private static KeyEntry find(KeyTable table, String key) {
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        return table.find(bytes, 0, bytes.length, KeyHashing.hash(bytes));
    }

    private static String name(KeyEntry entry) {
        return new String(entry.key(), StandardCharsets.UTF_8);
    }

    /**
     * The SCAN guarantee: a key present from the start of a full iteration to its end is returned
     * at least once, while keys come and go between calls and the table grows, shrinks and sits
     * mid-rehash at the calls. 300 keys stay throughout; others are added until there are 3000,
     * deleted down to 350 (the table shrinks to an eighth), added up to 1500, then churn.
     * Several seeds, each driving the table through its own history.
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 1234, 98765})
    void fullScanReturnsEveryKeyPresentThroughoutWhileTheTableGrowsAndShrinks(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        KeyTable table = new KeyTable(new MemoryTotals());
        Set<String> permanent = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            KeyEntry e = entry("permanent:" + i);
            insert(table, e);
            permanent.add(name(e));
        }
        List<KeyEntry> transient_ = new ArrayList<>();
        int nextKey = 0;
        Set<String> returned = new HashSet<>();
        int callsWhileRehashing = 0;
        int grows = 0;
        int shrinks = 0;
        int capacity = table.capacity();
        int phase = 0;
        long cursor = 0;
        int calls = 0;
        do {
            if (table.isRehashing()) {
                callsWhileRehashing++;
            }
            cursor = table.scan(cursor, e -> returned.add(name(e)));
            calls++;
            int size = table.size();
            if (phase == 0 && size >= 3000 || phase == 1 && size <= 350 || phase == 2 && size >= 1500) {
                phase++;
            }
            int changes = 1 + random.nextInt(60);
            for (int c = 0; c < changes; c++) {
                boolean insert = switch (phase) {
                    case 0, 2 -> random.nextInt(10) < 8;
                    case 1 -> random.nextInt(10) < 1;
                    default -> random.nextBoolean();
                };
                if (insert) {
                    KeyEntry e = entry("transient:" + nextKey++);
                    insert(table, e);
                    transient_.add(e);
                } else if (!transient_.isEmpty()) {
                    int index = random.nextInt(transient_.size());
                    KeyEntry victim = transient_.get(index);
                    transient_.set(index, transient_.get(transient_.size() - 1));
                    transient_.remove(transient_.size() - 1);
                    assertTrue(table.remove(victim));
                }
            }
            if (random.nextInt(4) == 0) {
                table.shrinkIfSparse();
            }
            for (int steps = random.nextInt(3); steps > 0; steps--) {
                table.rehashStep();
            }
            if (!table.isRehashing()) {
                int now = table.capacity();
                if (now > capacity) {
                    grows++;
                } else if (now < capacity) {
                    shrinks++;
                }
                capacity = now;
            }
            assertTrue(calls < 100_000, "the iteration never ends");
        } while (cursor != 0);

        Set<String> missing = new HashSet<>(permanent);
        missing.removeAll(returned);
        assertTrue(missing.isEmpty(), missing.size() + " keys present throughout but never returned: " + missing);
        assertTrue(grows >= 2 && shrinks >= 1, "grows " + grows + ", shrinks " + shrinks + ", phase " + phase);
        assertTrue(callsWhileRehashing > 0, "no call came while rehashing");
        assertEquals(permanent.size() + transient_.size(), table.size());
    }

    @Test
    void scanOfAStableTableReturnsEachKeyExactlyOnce() {
        KeyTable table = new KeyTable(new MemoryTotals());
        for (int i = 0; i < 1000; i++) {
            insert(table, entry("key:" + i));
        }
        while (table.rehashStep()) {
            // finish any resize, so that no key can be seen twice
        }
        Map<String, Integer> seen = new HashMap<>();
        long cursor = 0;
        do {
            cursor = table.scan(cursor, e -> seen.merge(name(e), 1, Integer::sum));
        } while (cursor != 0);
        assertEquals(1000, seen.size());
        assertTrue(seen.values().stream().allMatch(n -> n == 1), "a key came twice from a stable table");
    }

    /**
     * Eviction's samples: entries of the table, as many as asked while the table holds them, and
     * over many rounds every key of a stable table comes up (the walk starts at a random bucket),
     * also in a table left sparse by deletions, and while it is mid-resize.
     */
    @Test
    void samplesAreEntriesOfTheTableAndReachEveryKey() {
        KeyTable table = new KeyTable(new MemoryTotals());
        List<KeyEntry> entries = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            KeyEntry e = entry("key:" + i);
            entries.add(e);
            insert(table, e);
        }
        java.util.Random random = new java.util.Random(7);
        KeyEntry[] drawn = new KeyEntry[5];
        assertEquals(0, new KeyTable(new MemoryTotals()).sample(random, drawn, 5), "an empty table gives none");
        Map<KeyEntry, Boolean> present = new IdentityHashMap<>();
        entries.forEach(e -> present.put(e, true));
        Map<KeyEntry, Boolean> seen = new IdentityHashMap<>();
        boolean midResize = false;
        for (int round = 0; round < 20_000; round++) {
            midResize |= table.isRehashing();
            int count = table.sample(random, drawn, 5);
            assertEquals(5, count, "a table of 2000 keys gives the five asked for");
            for (int i = 0; i < count; i++) {
                assertTrue(present.containsKey(drawn[i]), "a sample that is not in the table");
                seen.put(drawn[i], true);
            }
        }
        assertEquals(2000, seen.size(), "keys never sampled");

        // Deleted down to 10 keys (the table shrinks step by step): each round still finds one.
        for (int i = 10; i < 2000; i++) {
            table.remove(entries.get(i));
            present.remove(entries.get(i));
        }
        seen.clear();
        for (int round = 0; round < 5_000; round++) {
            midResize |= table.isRehashing();
            int count = table.sample(random, drawn, 5);
            assertTrue(count >= 1, "a non-empty table gave no sample");
            for (int i = 0; i < count; i++) {
                assertTrue(present.containsKey(drawn[i]), "a deleted entry was sampled");
                seen.put(drawn[i], true);
            }
        }
        assertEquals(10, seen.size(), "keys never sampled after the deletions");

        // Growing: a round between each two insertions, some of them while the table is mid-resize.
        KeyTable growing = new KeyTable(new MemoryTotals());
        Map<KeyEntry, Boolean> inserted = new IdentityHashMap<>();
        for (int i = 0; i < 5000; i++) {
            KeyEntry e = entry("grown:" + i);
            insert(growing, e);
            inserted.put(e, true);
            midResize |= growing.isRehashing();
            int count = growing.sample(random, drawn, 5);
            assertEquals(Math.min(5, i + 1), count);
            for (int d = 0; d < count; d++) {
                assertTrue(inserted.containsKey(drawn[d]), "a sample that is not in the growing table");
            }
        }
        assertTrue(midResize, "no round came while the table was resizing");
    }

    @Test
    void theKeyspacesTotalFollowsTheBucketArraysThroughGrowthShrinkingAndHandOver() {
        MemoryTotals totals = new MemoryTotals();
        KeyTable table = new KeyTable(totals);
        assertEquals(0, totals.index);
        List<KeyEntry> entries = new ArrayList<>();
        boolean sawRehash = false;
        for (int i = 0; i < 10_000; i++) {
            KeyEntry e = entry("counted:" + i);
            insert(table, e);
            entries.add(e);
            sawRehash |= table.isRehashing();
            assertEquals(table.bucketBytes(), totals.index, "after insertion " + i);
        }
        assertTrue(sawRehash, "no insertion came while the table was growing");
        for (int i = 0; i < 9_900; i++) {
            table.remove(entries.get(i));
        }
        table.shrinkIfSparse();
        assertTrue(table.isRehashing(), "a table a hundredth full shrinks");
        assertEquals(table.bucketBytes(), totals.index, "while both arrays live");
        table.rehashUntil(Long.MAX_VALUE);
        assertEquals(table.bucketBytes(), totals.index, "after the shrink");

        KeyTable loading = new KeyTable(totals);
        loading.reserve(5_000);
        assertEquals(table.bucketBytes() + loading.bucketBytes(), totals.index, "a reserved table counts its array");
        table.leaveTotals();
        assertEquals(loading.bucketBytes(), totals.index, "a table handed over no longer counts");
        insert(table, entry("after-hand-over"));
        assertEquals(loading.bucketBytes(), totals.index, "nor does what it does afterwards");
    }

    @Test
    void scanOfAnEmptyTableEndsAtOnce() {
        KeyTable table = new KeyTable(new MemoryTotals());
        assertEquals(0, table.scan(0, e -> { }));
        assertEquals(0, table.scan(12345, e -> { }));
        KeyEntry e = entry("a");
        insert(table, e);
        table.remove(e);
        assertEquals(0, table.scan(3, x -> { }));
    }

    @Test
    void scanAcceptsAnyCursorAndEnds() {
        KeyTable table = new KeyTable(new MemoryTotals());
        for (int i = 0; i < 100; i++) {
            insert(table, entry("k" + i));
        }
        for (long start : new long[] {-1L, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 40, 7}) {
            long cursor = start;
            int calls = 0;
            do {
                cursor = table.scan(cursor, e -> { });
                assertTrue(++calls <= table.capacity(), "cursor " + start + " did not end");
            } while (cursor != 0);
        }
    }

    /** Every bucket is drawn with the same probability, so every key must come up, none far too often. */
    @Test
    void randomEntryReachesEveryKeyWithoutGrossBias() {
        KeyTable table = new KeyTable(new MemoryTotals());
        int keys = 1000;
        for (int i = 0; i < keys; i++) {
            insert(table, entry("r" + i));
        }
        SplittableRandom random = new SplittableRandom(7);
        Map<KeyEntry, Integer> draws = new IdentityHashMap<>();
        int total = 300_000;
        for (int i = 0; i < total; i++) {
            draws.merge(table.randomEntry(random), 1, Integer::sum);
        }
        assertEquals(keys, draws.size(), "some keys were never drawn");
        double mean = (double) total / keys;
        int max = draws.values().stream().max(Integer::compare).orElseThrow();
        int min = draws.values().stream().min(Integer::compare).orElseThrow();
        assertTrue(max < 8 * mean, "a key was drawn " + max + " times, mean " + mean);
        assertTrue(min > mean / 16, "a key was drawn only " + min + " times, mean " + mean);
    }

    @Test
    void randomEntryReachesEveryKeyDuringARehash() {
        KeyTable table = new KeyTable(new MemoryTotals());
        List<KeyEntry> entries = new ArrayList<>();
        // 64 keys fill 64 buckets; the 65th starts a rehash into 128 that one step cannot finish.
        for (int i = 0; i < 65; i++) {
            KeyEntry e = entry("m" + i);
            entries.add(e);
            insert(table, e);
        }
        assertTrue(table.isRehashing());
        Set<KeyEntry> drawn = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 20_000; i++) {
            drawn.add(table.randomEntry(random));
        }
        assertEquals(65, drawn.size());
        assertNull(new KeyTable(new MemoryTotals()).randomEntry(random));
    }

    /** Each operation moves a bucket; between any two of them every key must still be found. */
    @Test
    void findStaysCorrectAtEveryRehashStep() {
        KeyTable table = new KeyTable(new MemoryTotals());
        List<String> inserted = new ArrayList<>();
        int rehashingChecks = 0;
        for (int i = 0; i < 1500; i++) {
            String key = "f" + i;
            insert(table, entry(key));
            inserted.add(key);
            if (table.isRehashing()) {
                rehashingChecks++;
                for (String k : inserted) {
                    assertNotNull(find(table, k), k + " lost while growing");
                }
            }
        }
        assertNull(find(table, "absent"));
        // Delete most keys, shrink, and check both the survivors and the deleted at every step.
        List<String> deleted = new ArrayList<>();
        for (int i = 0; i < 1400; i++) {
            String key = inserted.remove(inserted.size() - 1);
            assertTrue(table.remove(find(table, key)));
            deleted.add(key);
        }
        table.shrinkIfSparse();
        assertTrue(table.isRehashing(), "a sparse table did not start shrinking");
        int capacityBefore = table.capacity();
        while (table.isRehashing()) {
            rehashingChecks++;
            for (String k : inserted) {
                assertNotNull(find(table, k), k + " lost while shrinking");
            }
            for (int j = 0; j < deleted.size(); j += 50) {
                assertNull(find(table, deleted.get(j)));
            }
            table.rehashStep();
        }
        assertTrue(table.capacity() < capacityBefore);
        assertTrue(rehashingChecks > 10);
        assertEquals(100, table.size());
        for (String k : inserted) {
            KeyEntry e = find(table, k);
            assertNotNull(e);
            assertEquals(k, name(e));
        }
    }

    @Test
    void forEachVisitsEveryEntryOnceEvenMidRehash() {
        KeyTable table = new KeyTable(new MemoryTotals());
        for (int i = 0; i < 65; i++) {
            insert(table, entry("e" + i));
        }
        assertTrue(table.isRehashing());
        Map<String, Integer> seen = new HashMap<>();
        table.forEach(e -> seen.merge(name(e), 1, Integer::sum));
        assertEquals(65, seen.size());
        assertTrue(seen.values().stream().allMatch(n -> n == 1));
    }

    @Test
    void removeIsByIdentityAndReportsAbsence() {
        KeyTable table = new KeyTable(new MemoryTotals());
        KeyEntry a = entry("a");
        insert(table, a);
        assertFalse(table.remove(entry("a")), "an equal but different entry was removed");
        assertSame(a, find(table, "a"));
        assertTrue(table.remove(a));
        assertFalse(table.remove(a));
        assertEquals(0, table.size());
    }
}
