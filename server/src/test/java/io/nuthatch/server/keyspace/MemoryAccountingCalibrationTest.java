package io.nuthatch.server.keyspace;

import io.nuthatch.resp.RequestArguments;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The keyspace's memory estimate (used_memory, what maxmemory is compared with) against what the
 * JVM heap really grows by when the keys are stored, for every shape an entry can take: a string in the entry's array or in an object of its own,
 * written whole or grown in place, with and without an expiry, small and 2 KB, and the tables
 * that index them. The estimate must be within 1% of the heap.
 */
class MemoryAccountingCalibrationTest {
    /** Where the garbage made beside the keys goes, so that the compiler cannot skip making it. */
    static volatile byte[] garbage;

    /** The shapes of string keys, each with the number of keys that makes a heap growth of tens of MB. */
    enum Shape {
        SMALL(200_000, 100, false),
        SMALL_WITH_EXPIRY(200_000, 100, true),
        TWO_KILOBYTES(20_000, 2048, false),
        TWO_KILOBYTES_WITH_EXPIRY(20_000, 2048, true),
        COUNTER(300_000, 0, false),
        GROWN_IN_PLACE(200_000, 100, false),
        GROWN_IN_PLACE_WITH_EXPIRY(200_000, 100, true),
        OWN_ARRAY(1_000, 40_000, false),
        OWN_ARRAY_WITH_EXPIRY(1_000, 40_000, true);

        final int keys;
        final int valueLength;
        final boolean expiry;

        Shape(int keys, int valueLength, boolean expiry) {
            this.keys = keys;
            this.valueLength = valueLength;
            this.expiry = expiry;
        }
    }

    @ParameterizedTest
    @EnumSource(Shape.class)
    void estimateIsWithinOnePercentOfTheHeap(Shape shape) {
        // Every argument is made before the first measurement, and stays until the last: the heap
        // then grows by what the keyspace keeps and nothing else. (Garbage left among kept objects
        // would count: G1's full collection does not compact a region that is over 95% live.)
        RequestArguments arguments = arguments(shape);
        // A first, small run loads and links every class the shape's code needs: what that keeps
        // on the heap (class mirrors, interned strings) is not the keyspace's.
        store(shape, shape.keys / 100, new Keyspace(1, new CountingHooks()), arguments);
        // Up to three measurements: the test JVM's own threads (compiler, collector, a test server
        // still winding down) can free or take memory between the two readings, which moves one reading; an
        // estimate that is wrong is wrong in all three.
        String failure = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            Keyspace keyspace = new Keyspace(1, new CountingHooks());
            long before = settledHeap();
            store(shape, shape.keys, keyspace, arguments);
            long heapGrowth = settledHeap() - before;
            Database database = keyspace.database(0);
            assertEquals(database.countMemory(), database.datasetMemory(), "the running total drifted");
            assertEquals(shape.keys, keyspace.size());
            double ratio = (double) keyspace.usedMemory() / heapGrowth;
            if (ratio > 0.99 && ratio < 1.01) {
                failure = null;
                break;
            }
            failure = shape + ": estimate " + keyspace.usedMemory() + " bytes, heap grew by " + heapGrowth
                    + " bytes (ratio " + ratio + ")";
        }
        assertNull(failure, failure);
        assertEquals(shape.keys * 2 + 1, arguments.count());
    }

    private static void store(Shape shape, int keys, Keyspace keyspace, RequestArguments arguments) {
        Database database = keyspace.database(0);
        long expiry = shape.expiry ? System.currentTimeMillis() + 3_600_000 : KeyEntry.NO_EXPIRY;
        for (int i = 0; i < keys; i++) {
            int key = 1 + 2 * i;
            KeyEntry entry;
            switch (shape) {
                case COUNTER -> entry = database.setInteger(null, arguments, key, i * 7919L);
                case OWN_ARRAY, OWN_ARRAY_WITH_EXPIRY -> entry = database.setString(null, arguments, key, key + 1, expiry);
                case GROWN_IN_PLACE, GROWN_IN_PLACE_WITH_EXPIRY -> {
                    // Written short, then appended to: a length field and spare room, as APPEND leaves it.
                    entry = database.setString(null, arguments, key, arguments.array(key + 1), arguments.offset(key + 1),
                            10, StringForm.WHOLE, expiry);
                    database.writableString(entry, shape.valueLength);
                    database.changed(entry);
                }
                default -> entry = database.setString(null, arguments, key, key + 1, expiry);
            }
            assertEquals(shape.expiry, entry.hasExpiry());
            // A little garbage beside each key: G1's full collection leaves a region that is over
            // 95% live as it is, with the unused ends of allocation buffers in it, which would count
            // as heap; with garbage in every region, every region is compacted.
            garbage = new byte[shape.valueLength / 5 + 16];
        }
    }

    /**
     * The keys and values of a shape as one request, MSET-like: key i at argument 1 + 2i, its value
     * after it. Values of 32 KB and more get arrays of their own, as the decoder gives them.
     */
    private static RequestArguments arguments(Shape shape) {
        byte[][] arguments = new byte[1 + 2 * shape.keys][];
        arguments[0] = "MSET".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < shape.keys; i++) {
            arguments[1 + 2 * i] = ("key:" + i).getBytes(StandardCharsets.US_ASCII);
            byte[] value = new byte[shape.valueLength];
            Arrays.fill(value, (byte) ('a' + i % 26));
            arguments[2 + 2 * i] = value;
        }
        return RequestArguments.of(arguments);
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
        public void accessed(Database database, KeyEntry entry) {
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
