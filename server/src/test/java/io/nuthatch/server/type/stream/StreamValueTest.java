package io.nuthatch.server.type.stream;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stream type on its own, against a plain sorted map of entries: walks in both directions over
 * random ranges, deletions and trims under random node limits, the memory figure kept current,
 * and copies that share nothing. (What Redis does with the same operations is the differential
 * tests' business; here the layout must hold what was put in.)
 */
class StreamValueTest {
    private static final byte[] SCRATCH = new byte[64];

    /** An entry of the model: its fields and values. */
    private record Model(List<String> pairs) {
    }

    @Test
    void walksMatchASortedMapUnderRandomChanges() {
        for (long seed = 1; seed <= 20; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            StreamValue stream = new StreamValue();
            TreeMap<StreamId, Model> model = new TreeMap<>(StreamId::compareTo);
            long maxBytes = new long[] {0, 40, 200, 4096}[random.nextInt(4)];
            long maxEntries = new long[] {0, 1, 3, 100}[random.nextInt(4)];
            long ms = 0;
            long seq = 0;
            for (int step = 0; step < 400; step++) {
                int choice = random.nextInt(10);
                if (choice < 6) {
                    if (random.nextBoolean()) {
                        ms += random.nextLong(1, 1L << random.nextInt(1, 40));
                        seq = random.nextInt(3);
                    } else {
                        seq++;
                    }
                    List<String> pairs = randomPairs(random);
                    StreamId id = new StreamId().set(ms, seq);
                    assertEquals(StreamValue.ID_ACCEPTED, stream.nextId(false, true, 0, new StreamId().set(id)));
                    stream.append(ms, seq, fields(pairs), maxBytes, maxEntries, SCRATCH);
                    model.put(id, new Model(pairs));
                } else if (choice < 8 && !model.isEmpty()) {
                    StreamId victim = pick(random, model);
                    boolean present = model.remove(victim) != null;
                    assertEquals(present, stream.delete(victim.ms, victim.seq));
                } else if (choice == 8) {
                    int keep = random.nextInt(0, model.size() + 2);
                    long removed = stream.trimToLength(keep, false, 0, false);
                    long expected = Math.max(0, model.size() - keep);
                    assertEquals(expected, removed);
                    while (model.size() > keep) {
                        model.pollFirstEntry();
                    }
                } else if (!model.isEmpty()) {
                    StreamId bound = pick(random, model);
                    long dry = stream.trimBefore(bound.ms, bound.seq, false, 0, true);
                    long removed = stream.trimBefore(bound.ms, bound.seq, false, 0, false);
                    assertEquals(dry, removed);
                    assertEquals(model.headMap(bound).size(), (int) removed);
                    model.headMap(bound).clear();
                }
                assertEquals(model.size(), stream.length());
                assertEquals(stream.recountedMemory(), stream.memoryUsage(), "the running memory figure drifted");
                compareWalks(random, stream, model);
            }
        }
    }

    private static void compareWalks(SplittableRandom random, StreamValue stream, TreeMap<StreamId, Model> model) {
        StreamId start = model.isEmpty() || random.nextInt(4) == 0 ? new StreamId() : pick(random, model);
        StreamId end = model.isEmpty() || random.nextInt(4) == 0 ? new StreamId().set(-1, -1) : pick(random, model);
        List<String> expected = new ArrayList<>();
        if (start.compareTo(end) <= 0) {
            model.subMap(start, true, end, true).forEach((id, entry) -> expected.add(id + " " + entry.pairs()));
        }
        assertEquals(expected, walk(new EntryCursor().forward(stream, start.ms, start.seq, end.ms, end.seq)));
        List<String> reversed = new ArrayList<>(expected);
        java.util.Collections.reverse(reversed);
        assertEquals(reversed, walk(new EntryCursor().backward(stream, start.ms, start.seq, end.ms, end.seq)));
        if (!model.isEmpty()) {
            StreamId last = new StreamId();
            assertTrue(stream.lastLiveId(last));
            assertEquals(model.lastKey().toString(), last.toString());
            assertEquals(model.firstKey().toString(), StreamIds.toString(stream.firstMs(), stream.firstSeq()));
        }
    }

    private static List<String> walk(EntryCursor cursor) {
        List<String> entries = new ArrayList<>();
        while (cursor.next()) {
            List<String> pairs = new ArrayList<>();
            while (cursor.nextField()) {
                pairs.add(new String(cursor.array(), cursor.fieldOffset(), cursor.fieldLength(), StandardCharsets.ISO_8859_1));
                pairs.add(new String(cursor.array(), cursor.valueOffset(), cursor.valueLength(), StandardCharsets.ISO_8859_1));
            }
            assertEquals(cursor.pairs() * 2, pairs.size());
            entries.add(StreamIds.toString(cursor.ms(), cursor.seq()) + " " + pairs);
        }
        return entries;
    }

    private static StreamId pick(SplittableRandom random, TreeMap<StreamId, Model> model) {
        List<StreamId> ids = new ArrayList<>(model.keySet());
        StreamId id = ids.get(random.nextInt(ids.size()));
        return random.nextInt(5) == 0 ? new StreamId().set(id.ms, id.seq + 1) : id;
    }

    private static List<String> randomPairs(SplittableRandom random) {
        List<String> pairs = new ArrayList<>();
        int count = random.nextInt(4) == 0 ? random.nextInt(1, 5) : 2;
        boolean usual = random.nextInt(3) != 0;
        for (int i = 0; i < count; i++) {
            pairs.add(usual ? "field" + i : "f" + random.nextInt(3));
            pairs.add(random.nextInt(10) == 0 ? "x".repeat(random.nextInt(100, 300)) : "v" + random.nextInt(1000));
        }
        return pairs;
    }

    private static EntryFields fields(List<String> pairs) {
        byte[][] elements = new byte[pairs.size()][];
        for (int i = 0; i < elements.length; i++) {
            elements[i] = pairs.get(i).getBytes(StandardCharsets.ISO_8859_1);
        }
        return new EntryFields() {
            @Override
            public int pairs() {
                return elements.length / 2;
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
        };
    }

    @Test
    void aCopySharesNothingWithItsOriginal() {
        StreamValue stream = new StreamValue();
        for (int i = 1; i <= 250; i++) {
            stream.append(i, 0, fields(List.of("f", "v" + i)), 4096, 100, SCRATCH);
        }
        ConsumerGroup group = stream.groupsForWrite().create(bytes("g"), 0, 1, 0, 0, ConsumerGroup.UNKNOWN);
        Consumer consumer = group.createConsumer(bytes("c"), 0, 1, 5);
        group.deliver(1, 0, consumer, 7);
        StreamValue copy = stream.copy();
        assertEquals(copy.recountedMemory(), copy.memoryUsage());

        stream.delete(1, 0);
        stream.trimToLength(10, false, 0, false);
        stream.append(1000, 0, fields(List.of("f", "new")), 4096, 100, SCRATCH);
        group.remove(group.pending(1, 0));
        group.createConsumer(bytes("d"), 0, 1, 5);

        assertEquals(250, copy.length());
        assertTrue(copy.contains(1, 0));
        assertFalse(copy.contains(1000, 0));
        ConsumerGroup copiedGroup = copy.groups().find(bytes("g"), 0, 1);
        assertNotNull(copiedGroup.pending(1, 0));
        assertEquals(1, copiedGroup.consumerCount());
        assertEquals(1, copiedGroup.consumer(bytes("c"), 0, 1).pending().size());
        assertNull(copiedGroup.consumer(bytes("d"), 0, 1));
        assertEquals(copy.recountedMemory(), copy.memoryUsage());
    }

    @Test
    void theRadixTreeShapeOfFewKeys() {
        assertEquals(1, RadixTreeShape.nodeCount(new long[0], 0));
        // One key: a compressed node over its 16 bytes, and the leaf.
        assertEquals(2, RadixTreeShape.nodeCount(new long[] {5, 0}, 1));
        // Parting at the last byte: the compressed root, a node with two children, two leaves.
        assertEquals(4, RadixTreeShape.nodeCount(new long[] {5, 0, 5, 1}, 2));
        // Parting at the first byte: the root has two children, each a compressed node and a leaf.
        assertEquals(5, RadixTreeShape.nodeCount(new long[] {0, 0, -1, 0}, 2));
    }

    @Test
    void idsPrintAsUnsignedNumbers() {
        byte[] text = new byte[StreamIds.MAX_TEXT_LENGTH];
        assertEquals("18446744073709551615-0", new String(text, 0, StreamIds.format(-1, 0, text, 0),
                StandardCharsets.US_ASCII));
        assertEquals("9223372036854775808-9999999999999999999", new String(text, 0,
                StreamIds.format(Long.MIN_VALUE, Long.parseUnsignedLong("9999999999999999999"), text, 0),
                StandardCharsets.US_ASCII));
        assertEquals("10000000000000000000-1", new String(text, 0,
                StreamIds.format(Long.parseUnsignedLong("10000000000000000000"), 1, text, 0), StandardCharsets.US_ASCII));
        assertEquals("0-0", new String(text, 0, StreamIds.format(0, 0, text, 0), StandardCharsets.US_ASCII));
        assertTrue(StreamIds.compare(-1, 0, Long.MAX_VALUE, 5) > 0);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
