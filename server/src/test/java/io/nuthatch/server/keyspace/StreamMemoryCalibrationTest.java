package io.nuthatch.server.keyspace;

import io.nuthatch.server.type.stream.ConsumerGroup;
import io.nuthatch.server.type.stream.EntryFields;
import io.nuthatch.server.type.stream.StreamValue;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The memory estimate of streams (what used_memory and eviction count) against what the heap
 * really grows by: many small streams (the 10 entries of 2 fields), a few of 100k entries,
 * entries whose fields differ from their node's first, and a consumer group with many pending
 * entries. The issue asks for 25%; the layout's figures are exact enough for 5%.
 */
class StreamMemoryCalibrationTest {
    /** Garbage made beside the values, so that the collector compacts every region (see the string test). */
    static volatile byte[] garbage;

    enum Shape {
        SMALL_STREAMS(100_000, 10, false, 0),
        LARGE_STREAMS(4, 100_000, false, 0),
        MIXED_FIELDS(200, 1_000, true, 0),
        PENDING_ENTRIES(2, 50_000, false, 50_000);

        final int streams;
        final int entries;
        final boolean mixedFields;
        final int pending;

        Shape(int streams, int entries, boolean mixedFields, int pending) {
            this.streams = streams;
            this.entries = entries;
            this.mixedFields = mixedFields;
            this.pending = pending;
        }
    }

    @ParameterizedTest
    @EnumSource(Shape.class)
    void estimateIsWithinFivePercentOfTheHeap(Shape shape) {
        Fields fields = new Fields();
        store(shape, Math.max(1, shape.streams / 100), new Keyspace(1, new MemoryAccountingCalibrationTest.CountingHooks()),
                fields);
        Keyspace keyspace = new Keyspace(1, new MemoryAccountingCalibrationTest.CountingHooks());
        long before = settledHeap();
        store(shape, shape.streams, keyspace, fields);
        long heapGrowth = settledHeap() - before;
        Database database = keyspace.database(0);
        assertEquals(database.countMemory(), database.datasetMemory(), "the running total drifted");
        double ratio = (double) keyspace.usedMemory() / heapGrowth;
        assertTrue(ratio > 0.95 && ratio < 1.05, shape + ": estimate " + keyspace.usedMemory() + " bytes, heap grew by "
                + heapGrowth + " bytes (ratio " + ratio + ")");
        assertEquals(shape.streams, keyspace.size());
    }

    private static void store(Shape shape, int streams, Keyspace keyspace, Fields fields) {
        Database database = keyspace.database(0);
        byte[] scratch = new byte[64];
        for (int s = 0; s < streams; s++) {
            StreamValue stream = new StreamValue();
            for (int e = 0; e < shape.entries; e++) {
                fields.set(shape, e);
                stream.append(1_700_000_000_000L + e / 3, e % 3, fields, 4096, 100, scratch);
                if (e % 16 == 0) {
                    garbage = new byte[24];
                }
            }
            if (shape.pending > 0) {
                ConsumerGroup group = stream.groupsForWrite().create(bytes("workers"), 0, 7, 0, 0, ConsumerGroup.UNKNOWN);
                var consumer = group.createConsumer(bytes("consumer-1"), 0, 10, 0);
                for (int e = 0; e < shape.pending; e++) {
                    group.deliver(1_700_000_000_000L + e / 3, e % 3, consumer, 1_700_000_000_000L);
                    garbage = new byte[24];
                }
            }
            database.add(bytes("stream:" + s), stream);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** Two fields of an entry: a name and a short value, or varied names with {@code mixedFields}. */
    private static final class Fields implements EntryFields {
        private final byte[][] elements = new byte[4][];

        void set(Shape shape, int entry) {
            elements[0] = bytes(shape.mixedFields && entry % 2 == 1 ? "kind" : "event");
            elements[1] = bytes("value-" + entry);
            elements[2] = bytes(shape.mixedFields && entry % 3 == 1 ? "n" + entry : "jobId");
            elements[3] = bytes(Integer.toString(entry * 7));
        }

        @Override
        public int pairs() {
            return 2;
        }

        @Override
        public byte[] array(int element) {
            return elements[element];
        }

        @Override
        public int offset(int element) {
            return 0;
        }

        @Override
        public int length(int element) {
            return elements[element].length;
        }
    }

    private static long settledHeap() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
