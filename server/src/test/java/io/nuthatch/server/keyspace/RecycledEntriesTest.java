package io.nuthatch.server.keyspace;

import io.nuthatch.server.type.MemoryLayout;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecycledEntriesTest {
    private final RecycledEntries recycled = new RecycledEntries();

    private static StringEntry plain(int length) {
        return new StringEntry(new byte[length], 0);
    }

    @Test
    void anArrayIsGivenOnlyForItsExactLengthAndOnlyOnce() {
        StringEntry entry = plain(120);
        byte[] array = entry.data;
        recycled.offer(entry);
        assertNull(entry.data, "an offered entry keeps no array: a stale reader fails rather than reads another key");
        assertNull(recycled.take(119));
        assertNull(recycled.take(121));
        assertSame(array, recycled.take(120));
        assertNull(recycled.take(120));
        assertEquals(MemoryLayout.byteArray(120), recycled.reusedBytes());
    }

    @Test
    void entryObjectsComeBackByClass() {
        StringEntry plain = plain(10);
        ExpiringEntry expiring = new ExpiringEntry(new byte[10], null, 0, 123);
        recycled.offer(plain);
        recycled.offer(expiring);
        assertSame(expiring, recycled.takeExpiring());
        assertNull(recycled.takeExpiring());
        assertSame(plain, recycled.takePlain());
        assertNull(recycled.takePlain());
        assertEquals(StringEntry.BYTES + ExpiringEntry.BYTES, recycled.reusedBytes());
    }

    @Test
    void whatIsKeptIsBoundedAndLargeArraysAreLeftToTheCollector() {
        recycled.offer(plain(RecycledEntries.MAX_LENGTH + 1));
        assertNull(recycled.take(RecycledEntries.MAX_LENGTH + 1));
        long each = MemoryLayout.byteArray(RecycledEntries.MAX_LENGTH);
        long fits = RecycledEntries.MAX_KEPT_BYTES / each;
        for (long i = 0; i < fits; i++) {
            recycled.offer(plain(RecycledEntries.MAX_LENGTH));
        }
        assertEquals(fits * each, recycled.keptBytes());
        int entries = 0;
        while (recycled.takePlain() != null) {
            entries++;
        }
        assertEquals(Math.min(fits + 1, RecycledEntries.MAX_ENTRIES), entries);
    }

    @Test
    void aFullStoreOfLengthsNobodyTakesMakesRoomForNewOnes() {
        long fits = RecycledEntries.MAX_KEPT_BYTES / MemoryLayout.byteArray(100);
        for (long i = 0; i < fits; i++) {
            recycled.offer(plain(100));
        }
        // The values grew: the 100-byte arrays are never taken again.
        for (int i = 0; i < 10; i++) {
            recycled.offer(plain(180));
        }
        for (int i = 0; i < 10; i++) {
            assertNotNull(recycled.take(180), "a 180-byte array was refused by a store full of 100-byte ones");
        }
        assertTrue(recycled.keptBytes() <= RecycledEntries.MAX_KEPT_BYTES);
    }

    @Test
    void manyLengthsAreKeptSideBySide() {
        for (int length = 1; length <= 300; length++) {
            recycled.offer(plain(length));
            recycled.offer(plain(length));
        }
        for (int length = 300; length >= 1; length--) {
            assertEquals(length, recycled.take(length).length);
            assertEquals(length, recycled.take(length).length);
            assertNull(recycled.take(length));
        }
    }

    @Test
    void aRangeGivesTheShortestArrayInIt() {
        recycled.offer(plain(130));
        recycled.offer(plain(112));
        recycled.offer(plain(150));
        assertNull(recycled.takeBetween(100, 111));
        assertEquals(112, recycled.takeBetween(100, 140).length);
        assertEquals(130, recycled.takeBetween(100, 140).length);
        assertNull(recycled.takeBetween(100, 140));
        assertEquals(150, recycled.takeBetween(150, RecycledEntries.MAX_LENGTH + 100).length);
    }

    @Test
    void clearDropsEverything() {
        recycled.offer(plain(50));
        recycled.clear();
        assertNull(recycled.take(50));
        assertNull(recycled.takePlain());
        recycled.offer(plain(60));
        assertNotNull(recycled.take(60));
    }
}
