package io.nuthatch.server.keyspace;

import io.nuthatch.server.type.StringValue;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The keyspace's memory estimate (used_memory, what maxmemory is compared with) against what the
 * JVM heap really grows by when the keys are stored.
 */
class MemoryAccountingCalibrationTest {
    private static final int KEYS = 200_000;

    @Test
    void estimateOfSmallStringsIsWithinFivePercentOfTheHeap() {
        assertEstimateMatchesHeap(16);
    }

    @Test
    void estimateOfTwoKilobyteValuesIsWithinFivePercentOfTheHeap() {
        assertEstimateMatchesHeap(2048);
    }

    @Test
    void estimateWithExpiriesIsWithinFivePercentOfTheHeap() {
        Keyspace keyspace = new Keyspace(1, new CountingHooks());
        long before = settledHeap();
        Database database = keyspace.database(0);
        for (int i = 0; i < KEYS; i++) {
            KeyEntry entry = database.add(("session:" + i).getBytes(StandardCharsets.US_ASCII),
                    StringValue.wrap(new byte[100]));
            database.setExpiry(entry, System.currentTimeMillis() + 3_600_000);
        }
        long heapGrowth = settledHeap() - before;
        assertClose(keyspace.usedMemory(), heapGrowth, keyspace);
    }

    private static void assertEstimateMatchesHeap(int valueSize) {
        Keyspace keyspace = new Keyspace(1, new CountingHooks());
        long before = settledHeap();
        Database database = keyspace.database(0);
        for (int i = 0; i < KEYS; i++) {
            database.add(("key:" + i).getBytes(StandardCharsets.US_ASCII), StringValue.wrap(new byte[valueSize]));
        }
        long heapGrowth = settledHeap() - before;
        assertClose(keyspace.usedMemory(), heapGrowth, keyspace);
    }

    private static void assertClose(long estimate, long heapGrowth, Keyspace keepAlive) {
        double ratio = (double) estimate / heapGrowth;
        assertTrue(ratio > 0.95 && ratio < 1.05, "estimate " + estimate + " bytes, heap grew by " + heapGrowth
                + " bytes (ratio " + ratio + ")");
        assertTrue(keepAlive.size() > 0);
    }

    /** Heap in use after collections have settled. */
    private static long settledHeap() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            long now = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            used = Math.min(used, now);
        }
        return used;
    }

    /** Hooks for a keyspace used without a server. */
    static final class CountingHooks implements KeyspaceHooks {
        @Override
        public long now() {
            return System.currentTimeMillis();
        }

        @Override
        public boolean expiryDeletesKeys() {
            return true;
        }

        @Override
        public void accessed(KeyEntry entry) {
        }

        @Override
        public void keyExpired(Database database, KeyEntry entry) {
        }

        @Override
        public void keyModified(Database database, KeyEntry entry) {
        }

        @Override
        public void lookedUp(boolean hit) {
        }
    }
}
