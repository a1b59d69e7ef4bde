package io.nuthatch.server.keyspace;

import io.nuthatch.resp.RequestArguments;
import io.nuthatch.server.type.HashValue;
import io.nuthatch.server.type.SetValue;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The memory estimate of hashes and sets against what the heap really grows by: large values of
 * 100k members or fields (hash tables), and many small ones in each layout (listpack hashes,
 * intsets, small table sets), each built member by member through the database's change
 * brackets, so that the incremental accounting is what is measured. The issue asks for 25%; the
 * layouts are simple enough to hold 3%.
 */
class CollectionMemoryCalibrationTest {
    private static final long MAX_LISTPACK_ENTRIES = 512;
    private static final long MAX_LISTPACK_VALUE = 64;
    private static final long MAX_INTSET_ENTRIES = 512;

    /** Where the garbage made beside the values goes, so that the compiler cannot skip making it. */
    static volatile byte[] garbage;

    enum Shape {
        LARGE_SET(10, 100_000),
        LARGE_HASH(10, 100_000),
        SMALL_SETS(50_000, 10),
        SMALL_INTSETS(100_000, 10),
        SMALL_HASHES(50_000, 10);

        final int keys;
        final int elements;

        Shape(int keys, int elements) {
            this.keys = keys;
            this.elements = elements;
        }
    }

    @ParameterizedTest
    @EnumSource(Shape.class)
    void estimateIsWithinThreePercentOfTheHeap(Shape shape) {
        RequestArguments keys = keys(shape.keys);
        byte[][] members = new byte[shape.elements][];
        for (int i = 0; i < shape.elements; i++) {
            members[i] = (shape == Shape.SMALL_INTSETS ? Integer.toString(i * 37) : "member:" + i)
                    .getBytes(StandardCharsets.US_ASCII);
        }
        byte[] value = "value-of-twelve".getBytes(StandardCharsets.US_ASCII);
        // A first, small run loads the classes the shape's code needs.
        store(shape, new Keyspace(1, new MemoryAccountingCalibrationTest.CountingHooks()), keys, members, value, 1);
        // The heap is measured with the keyspace, then without it: what an earlier test left on the
        // heap (G1 does not always compact it away) is in both figures.
        Keyspace[] held = {new Keyspace(1, new MemoryAccountingCalibrationTest.CountingHooks())};
        store(shape, held[0], keys, members, value, shape.keys);
        Database database = held[0].database(0);
        assertEquals(database.countMemory(), database.datasetMemory(), "the running total drifted");
        assertEquals(shape.keys, held[0].size());
        long estimate = held[0].usedMemory();
        long with = settledHeap();
        held[0] = null;
        database = null;
        long heapGrowth = with - settledHeap();
        double ratio = (double) estimate / heapGrowth;
        assertTrue(ratio > 0.97 && ratio < 1.03, shape + ": estimate " + estimate
                + " bytes, heap grew by " + heapGrowth + " bytes (ratio " + ratio + ")");
    }

    private static void store(Shape shape, Keyspace keyspace, RequestArguments keys, byte[][] members, byte[] value,
            int count) {
        Database database = keyspace.database(0);
        for (int k = 0; k < count; k++) {
            boolean hash = shape == Shape.LARGE_HASH || shape == Shape.SMALL_HASHES;
            KeyEntry entry = database.add(keys, k, hash ? HashValue.empty() : SetValue.forFirstMember(members[0], 0,
                    members[0].length));
            for (byte[] member : members) {
                if (hash) {
                    HashValue hashValue = (HashValue) database.writableValue(entry);
                    hashValue.set(member, 0, member.length, value, 0, value.length, MAX_LISTPACK_ENTRIES,
                            MAX_LISTPACK_VALUE);
                } else {
                    SetValue set = (SetValue) database.writableValue(entry);
                    set.add(member, 0, member.length, MAX_INTSET_ENTRIES);
                }
                database.changed(entry);
            }
            // Garbage beside each key, so that G1's full collection compacts every region (see
            // MemoryAccountingCalibrationTest).
            garbage = new byte[64];
        }
    }

    private static RequestArguments keys(int count) {
        byte[][] arguments = new byte[count][];
        for (int i = 0; i < count; i++) {
            arguments[i] = ("collection:" + i).getBytes(StandardCharsets.US_ASCII);
        }
        return RequestArguments.of(arguments);
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
