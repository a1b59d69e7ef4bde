package io.nuthatch.server.codec;

import io.nuthatch.persistence.rdb.RdbFormat;
import io.nuthatch.persistence.rdb.RdbFormatException;
import io.nuthatch.persistence.rdb.RdbInput;
import io.nuthatch.persistence.rdb.RdbOutput;
import io.nuthatch.server.type.HashValue;
import io.nuthatch.server.type.ListValue;
import io.nuthatch.server.type.SetValue;
import io.nuthatch.server.type.StoredValue;
import io.nuthatch.server.type.sortedset.SortedSet;
import io.nuthatch.server.type.stream.ConsumerGroup;
import io.nuthatch.server.type.stream.EntryFields;
import io.nuthatch.server.type.stream.StreamValue;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every type and encoding, encoded and decoded back, compared element by element. */
class ValueCodecTest {
    private final ValueCodec codec = new ValueCodec(EncodingLimits.DEFAULTS);

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private byte[] encode(StoredValue value, boolean compression) {
        RdbOutput out = new RdbOutput(compression);
        codec.encode(value, out);
        return out.toByteArray();
    }

    private DecodedValue roundTrip(StoredValue value) throws Exception {
        for (boolean compression : new boolean[] {false, true}) {
            byte[] encoded = encode(value, compression);
            RdbInput in = new RdbInput(encoded);
            DecodedValue decoded = codec.decode(in);
            assertTrue(in.atEnd(), "the whole payload is read");
            if (!compression) {
                return decoded;
            }
        }
        throw new AssertionError();
    }

    @Test
    void stringsKeepTheirBytesInEveryForm() throws Exception {
        for (String s : new String[] {"", "0", "-5", "300", "70000", "-2147483648", "12345678901", "007",
            "a".repeat(100), "not compressible: q8#Zx!m2@Lw9$Vb", "x".repeat(70_000)}) {
            for (boolean compression : new boolean[] {false, true}) {
                RdbOutput out = new RdbOutput(compression);
                byte[] b = bytes(s);
                codec.encodeString(b, 0, b.length, out);
                DecodedValue decoded = codec.decode(new RdbInput(out.toByteArray()));
                assertTrue(decoded.isString());
                assertArrayEquals(b, decoded.string());
            }
        }
    }

    @Test
    void listsOfOneAndManyNodesComeBackInOrder() throws Exception {
        for (int size : new int[] {1, 5, 200, 20_000}) {
            ListValue list = new ListValue(-2);
            Random random = new Random(size);
            List<byte[]> expected = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                byte[] element = random.nextBoolean() ? bytes(Integer.toString(random.nextInt(100000) - 50000))
                        : bytes("element-" + "z".repeat(random.nextInt(80)) + i);
                list.pushTail(element, 0, element.length);
                expected.add(element);
            }
            ListValue back = (ListValue) roundTrip(list).value();
            assertEquals(size, back.size());
            assertEquals(list.nodeCount(), back.nodeCount());
            long position = back.first();
            for (byte[] element : expected) {
                assertArrayEquals(element, back.copyOf(position));
                position = back.next(position);
            }
            assertArrayEquals(encode(list, false), encode(back, false));
        }
    }

    @Test
    void setsComeBackAsIntsetsOrTables() throws Exception {
        SetValue ints = SetValue.emptyIntset();
        for (long v : new long[] {5, -3, 70000, 1L << 40}) {
            ints.addInteger(v, 512);
        }
        SetValue back = (SetValue) roundTrip(ints).value();
        assertEquals(SetValue.INTSET, back.encoding());
        assertArrayEquals(encode(ints, false), encode(back, false));

        SetValue table = SetValue.forFirstMember(bytes("a"), 0, 1);
        TreeSet<String> members = new TreeSet<>();
        for (int i = 0; i < 1000; i++) {
            String m = i % 3 == 0 ? Integer.toString(i) : "member" + i;
            table.add(bytes(m), 512);
            members.add(m);
        }
        SetValue tableBack = (SetValue) roundTrip(table).value();
        assertEquals(SetValue.HASHTABLE, tableBack.encoding());
        TreeSet<String> found = new TreeSet<>();
        for (int p = tableBack.first(); p != SetValue.NONE; p = tableBack.next(p)) {
            found.add(new String(tableBack.copyOfMemberAt(p), StandardCharsets.UTF_8));
        }
        assertEquals(members, found);
    }

    @Test
    void hashesComeBackAsListpacksOrTables() throws Exception {
        for (int size : new int[] {3, 2000}) {
            HashValue hash = HashValue.empty();
            for (int i = 0; i < size; i++) {
                byte[] field = bytes("f" + i);
                byte[] value = bytes(i % 2 == 0 ? Integer.toString(i * 7) : "value-" + i);
                hash.set(field, 0, field.length, value, 0, value.length, 512, 64);
            }
            HashValue back = (HashValue) roundTrip(hash).value();
            assertEquals(hash.encoding(), back.encoding());
            assertEquals(size, back.size());
            for (int i = 0; i < size; i++) {
                byte[] field = bytes("f" + i);
                int position = back.find(field, 0, field.length);
                byte[] value = bytes(i % 2 == 0 ? Integer.toString(i * 7) : "value-" + i);
                assertArrayEquals(value, Arrays.copyOfRange(back.valueArray(position), back.valueOffset(position),
                        back.valueOffset(position) + back.valueLength(position)));
            }
            if (hash.isListpack()) {
                assertArrayEquals(encode(hash, false), encode(back, false));
            }
        }
    }

    @Test
    void sortedSetsKeepEveryScoreExactly() throws Exception {
        double[] scores = {0, 1, -1, 2.5, 1e17, -1e300, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            0.1, 4503599627370496.0, 123456789012.0, Math.PI};
        for (int copies : new int[] {1, 20}) {
            SortedSet set = SortedSet.create(1, 128, 64);
            int n = 0;
            for (int c = 0; c < copies; c++) {
                for (double score : scores) {
                    set.add(bytes("m" + n++), score * (c + 1), 128, 64);
                }
            }
            SortedSet back = (SortedSet) roundTrip(set).value();
            assertEquals(set.encoding(), back.encoding());
            assertEquals(set.size(), back.size());
            set.forEach((member, offset, length, score) -> {
                byte[] m = Arrays.copyOfRange(member, offset, offset + length);
                assertEquals(Double.doubleToLongBits(score), Double.doubleToLongBits(back.score(m)));
            });
            assertArrayEquals(encode(set, false), encode(back, false));
        }
    }

    @Test
    void streamsKeepNodesTombstonesGroupsAndConsumers() throws Exception {
        StreamValue stream = new StreamValue();
        byte[] scratch = new byte[64];
        for (int i = 1; i <= 350; i++) {
            String[] pairs = i % 7 == 0 ? new String[] {"other", "v" + i} : new String[] {"name", "n" + i, "n", Integer.toString(i)};
            stream.append(1000 + i / 3, i % 3, fields(pairs), 4096, 100, scratch);
        }
        stream.delete(1000, 1);
        stream.delete(1000 + 50 / 3, 50 % 3);
        ConsumerGroup group = stream.groupsForWrite().create(bytes("g1"), 0, 2, 1010, 0, 30);
        var alice = group.createConsumer(bytes("alice"), 0, 5, 123456);
        var bob = group.createConsumer(bytes("bob"), 0, 3, 654321);
        group.deliver(1002, 0, alice, 5000);
        group.deliver(1003, 1, bob, 6000);
        group.deliver(1004, 2, alice, 7000);
        stream.groupsForWrite().create(bytes("empty"), 0, 5, 0, 0, ConsumerGroup.UNKNOWN);

        StreamValue back = (StreamValue) roundTrip(stream).value();
        assertEquals(stream.length(), back.length());
        assertEquals(stream.nodes(), back.nodes());
        assertEquals(stream.entriesAdded(), back.entriesAdded());
        assertEquals(stream.maxDeletedMs(), back.maxDeletedMs());
        assertEquals(2, back.groups().size());
        ConsumerGroup groupBack = back.groups().find(bytes("g1"), 0, 2);
        assertEquals(3, groupBack.pending().size());
        assertEquals(2, groupBack.consumer(bytes("alice"), 0, 5).pending().size());
        assertEquals(123456, groupBack.consumer(bytes("alice"), 0, 5).seenTime());
        assertEquals(ConsumerGroup.UNKNOWN, back.groups().find(bytes("empty"), 0, 5).entriesRead());
        assertArrayEquals(encode(stream, false), encode(back, false));
    }

    @Test
    void aLargeListStreamsToItsSinkAsItIsEncoded() {
        ListValue list = new ListValue(-2);
        byte[] element = bytes("0123456789abcdef");
        for (int i = 0; i < 200_000; i++) {
            list.pushTail(element, 0, element.length);
        }
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        RdbOutput out = new RdbOutput(sink, false);
        codec.encode(list, out);
        assertTrue(sink.size() > 0 && sink.size() < out.size(), "bytes left before the end of the value");
        out.flush();
        assertArrayEquals(encode(list, false), sink.toByteArray());
    }

    @Test
    void emptyAndDuplicateValuesAreRefused() throws Exception {
        RdbOutput out = new RdbOutput(false);
        out.writeByte(RdbFormat.TYPE_SET);
        out.writeLength(2);
        out.writeString(bytes("a"));
        out.writeString(bytes("a"));
        assertThrows(RdbFormatException.class, () -> codec.decode(new RdbInput(out.toByteArray())));
        out.reset();
        out.writeByte(RdbFormat.TYPE_LIST_QUICKLIST_2);
        out.writeLength(0);
        assertNull(codec.decode(new RdbInput(out.toByteArray())));
        out.reset();
        out.writeByte(RdbFormat.TYPE_MODULE_2);
        assertThrows(RdbFormatException.class, () -> codec.decode(new RdbInput(out.toByteArray())));
    }

    @Test
    void damagedPayloadsAreRefusedWithoutOtherExceptions() throws Exception {
        HashValue hash = HashValue.empty();
        for (int i = 0; i < 10; i++) {
            byte[] f = bytes("field" + i);
            hash.set(f, 0, f.length, f, 0, f.length, 512, 64);
        }
        SortedSet zset = SortedSet.create(1, 128, 64);
        for (int i = 0; i < 300; i++) {
            zset.add(bytes("m" + i), i * 1.5, 128, 64);
        }
        ListValue list = new ListValue(-2);
        for (int i = 0; i < 50; i++) {
            list.pushTail(bytes("e" + i), 0, 2);
        }
        Random random = new Random(11);
        for (StoredValue value : new StoredValue[] {hash, zset, list}) {
            byte[] good = encode(value, true);
            for (int round = 0; round < 3000; round++) {
                byte[] damaged = good.clone();
                int changes = 1 + random.nextInt(3);
                for (int c = 0; c < changes; c++) {
                    damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
                }
                if (random.nextInt(10) == 0) {
                    damaged = Arrays.copyOf(damaged, random.nextInt(damaged.length));
                }
                try {
                    codec.decode(new RdbInput(damaged));
                } catch (RdbFormatException refused) {
                    // the only acceptable failure
                }
            }
        }
    }

    private static EntryFields fields(String... pairs) {
        byte[][] elements = new byte[pairs.length][];
        for (int i = 0; i < pairs.length; i++) {
            elements[i] = bytes(pairs[i]);
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
}
