package io.nuthatch.server.keyspace;

import io.nuthatch.resp.RequestArguments;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The memory a walk holds beyond the live dataset: the old contents of the keys changed while it
 * runs, and a table FLUSHDB left to it. Measured on the real heap and compared with what the walk
 * says it holds ({@link KeyspaceWalk#heldBytes()}), then again once the walk has given them.
 */
class KeyspaceWalkMemoryTest {
    // Large enough that what the suite's other servers in this JVM free or allocate meanwhile
    // (their crons, their expiring keys) stays well inside the 5% the figures are held to: at 50k
    // changed keys the full suite measured 5.7% less than held.
    private static final int KEYS = 400_000;
    private static final int CHANGED = 200_000;
    private static final int VALUE = 100;

    @Test
    void keysChangedDuringAWalkAreKeptOnceAndReleasedWhenGiven() {
        Keyspace keyspace = new Keyspace(1, new MemoryAccountingCalibrationTest.CountingHooks());
        Database database = keyspace.database(0);
        for (int i = 0; i < KEYS; i++) {
            database.setString(null, set(i, 'a'), 1, 2, KeyEntry.NO_EXPIRY);
        }
        KeyspaceWalk walk = keyspace.startWalk();
        long before = settledHeap();
        assertEquals(0, walk.heldBytes(), "a walk that nothing changed under holds nothing");

        for (int i = 0; i < CHANGED; i++) {
            RequestArguments arguments = set(i, 'b');
            database.setString(database.lookupWrite(arguments, 1), arguments, 1, 2, KeyEntry.NO_EXPIRY);
        }
        long held = walk.heldBytes();
        long grown = settledHeap() - before;
        assertClose(held, grown, "kept contents of " + CHANGED + " keys");

        // Changed again and again, a key is still kept once: as it was at the start.
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < CHANGED; i += 10) {
                RequestArguments arguments = set(i, (char) ('c' + round));
                database.setString(database.lookupWrite(arguments, 1), arguments, 1, 2, KeyEntry.NO_EXPIRY);
            }
        }
        assertEquals(held, walk.heldBytes(), "a key changed again was kept again");

        int[] old = new int[1];
        walk.advance(CHANGED, (number, entry) -> {
            if (entry.stringArray()[entry.stringOffset()] == 'a') {
                old[0]++;
            }
        });
        assertEquals(CHANGED, old[0], "the first call gives the kept contents, as they were at the start");
        assertEquals(0, walk.heldBytes());
        long after = settledHeap() - before;
        assertTrue(after < held / 20, "the heap still holds " + after + " bytes of the " + held + " given");
        finish(walk);
        assertTrue(keyspace.size() == KEYS);
    }

    @Test
    void aTableFlushedDuringAWalkIsHeldUntilTheWalkHasReadIt() {
        Keyspace keyspace = new Keyspace(2, new MemoryAccountingCalibrationTest.CountingHooks());
        Database flushed = keyspace.database(1);
        for (int i = 0; i < KEYS; i++) {
            flushed.setString(null, set(i, 'a'), 1, 2, KeyEntry.NO_EXPIRY);
        }
        long dataset = flushed.usedMemory();
        KeyspaceWalk walk = keyspace.startWalk();
        long before = settledHeap();
        flushed.clear();
        assertEquals(dataset, walk.heldBytes(), "the flushed table is held by the walk");
        long stillHeld = settledHeap() - before;
        assertTrue(stillHeld > -dataset / 20, "the flushed table was released before the walk read it: "
                + stillHeld);

        int[] given = new int[1];
        while (walk.advance(10_000, (number, entry) -> given[0]++)) {
            // read it all
        }
        assertEquals(KEYS, given[0]);
        assertEquals(0, walk.heldBytes());
        long released = before - settledHeap();
        assertClose(dataset, released, "memory of the flushed table given back once read");
    }

    private static void finish(KeyspaceWalk walk) {
        while (walk.advance(10_000, (number, entry) -> { })) {
            // the rest
        }
    }

    private static RequestArguments set(int i, char fill) {
        byte[] value = new byte[VALUE];
        java.util.Arrays.fill(value, (byte) fill);
        return RequestArguments.of("SET".getBytes(StandardCharsets.US_ASCII),
                String.format("key:%012d", i).getBytes(StandardCharsets.US_ASCII), value);
    }

    private static void assertClose(long estimate, long measured, String what) {
        double ratio = (double) estimate / measured;
        assertTrue(ratio > 0.95 && ratio < 1.05, what + ": estimate " + estimate + " bytes, heap " + measured
                + " bytes (ratio " + ratio + ")");
    }

    /** Heap in use after collections have settled. */
    private static long settledHeap() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
