package io.nuthatch.server.codec;

import io.nuthatch.persistence.rdb.RdbFormat;
import io.nuthatch.persistence.rdb.RdbFormatException;
import io.nuthatch.persistence.rdb.RdbInput;
import io.nuthatch.persistence.rdb.RdbOutput;
import io.nuthatch.persistence.rdb.RedisListpackWriter;
import io.nuthatch.server.type.HashValue;
import io.nuthatch.server.type.ListValue;
import io.nuthatch.server.type.SetValue;
import io.nuthatch.server.type.sortedset.SortedSet;
import io.nuthatch.server.type.stream.ConsumerGroup;
import io.nuthatch.server.type.stream.StreamValue;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Value types redis-server 7.0 no longer writes but older files hold (Redis 2.6 to 6.2: ziplists,
 * zipmaps, linked lists, text scores, streams of version 1) and those newer servers write (Redis
 * 7.2 / Valkey 8: listpack sets, streams of version 3). 7.0 cannot make them, so each payload is
 * built here from the formats' documentation (ziplist.c's and zipmap.c's header comments, rdb.h),
 * with a small writer of their layouts, and decoded.
 */
class LegacyEncodingsTest {
    private final ValueCodec codec = new ValueCodec(EncodingLimits.DEFAULTS);

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A ziplist: a 10-byte header, elements led by the previous element's size, 0xFF. */
    private static byte[] ziplist(Object... elements) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int previous = 0;
        int tail = 10;
        for (Object element : elements) {
            ByteArrayOutputStream entry = new ByteArrayOutputStream();
            if (previous < 254) {
                entry.write(previous);
            } else {
                entry.write(254);
                writeLittleEndian(entry, previous, 4);
            }
            if (element instanceof Long value) {
                long v = value;
                if (v >= 0 && v <= 12) {
                    entry.write(0xf1 + (int) v);
                } else if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
                    entry.write(0xfe);
                    writeLittleEndian(entry, v, 1);
                } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
                    entry.write(0xc0);
                    writeLittleEndian(entry, v, 2);
                } else if (v >= -(1 << 23) && v < (1 << 23)) {
                    entry.write(0xf0);
                    writeLittleEndian(entry, v, 3);
                } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                    entry.write(0xd0);
                    writeLittleEndian(entry, v, 4);
                } else {
                    entry.write(0xe0);
                    writeLittleEndian(entry, v, 8);
                }
            } else {
                byte[] s = bytes((String) element);
                if (s.length < 64) {
                    entry.write(s.length);
                } else if (s.length < 16384) {
                    entry.write(0x40 | (s.length >>> 8));
                    entry.write(s.length & 0xff);
                } else {
                    entry.write(0x80);
                    entry.write(s.length >>> 24);
                    entry.write(s.length >>> 16);
                    entry.write(s.length >>> 8);
                    entry.write(s.length);
                }
                entry.writeBytes(s);
            }
            tail = 10 + body.size();
            previous = entry.size();
            body.writeBytes(entry.toByteArray());
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        writeLittleEndian(all, 10 + body.size() + 1, 4);
        writeLittleEndian(all, tail, 4);
        writeLittleEndian(all, elements.length, 2);
        all.writeBytes(body.toByteArray());
        all.write(0xff);
        return all.toByteArray();
    }

    /** A zipmap: a count byte, then length, field, length, free byte, value for each pair, 0xFF. */
    private static byte[] zipmap(String... pairs) {
        ByteArrayOutputStream map = new ByteArrayOutputStream();
        map.write(pairs.length / 2);
        for (int i = 0; i < pairs.length; i += 2) {
            byte[] field = bytes(pairs[i]);
            byte[] value = bytes(pairs[i + 1]);
            map.write(field.length);
            map.writeBytes(field);
            map.write(value.length);
            map.write(1);
            map.writeBytes(value);
            map.write(0);
        }
        map.write(0xff);
        return map.toByteArray();
    }

    private static void writeLittleEndian(ByteArrayOutputStream out, long value, int size) {
        for (int i = 0; i < size; i++) {
            out.write((int) (value >>> (8 * i)) & 0xff);
        }
    }

    private DecodedValue decode(RdbOutput out) throws Exception {
        RdbInput in = new RdbInput(out.toByteArray());
        DecodedValue value = codec.decode(in);
        assertEquals(true, in.atEnd());
        return value;
    }

    private static List<String> elements(ListValue list) {
        List<String> out = new ArrayList<>();
        for (long p = list.first(); p != ListValue.NONE; p = list.next(p)) {
            out.add(new String(list.copyOf(p), StandardCharsets.US_ASCII));
        }
        return out;
    }

    @Test
    void aZiplistListAndAQuicklistOfZiplists() throws Exception {
        RdbOutput out = new RdbOutput(false);
        out.writeByte(RdbFormat.TYPE_LIST_ZIPLIST);
        byte[] zl = ziplist("a", 5L, -100L, 1000L, 100000L, 5000000000L, "x".repeat(300), "");
        out.writeString(zl, 0, zl.length);
        assertEquals(List.of("a", "5", "-100", "1000", "100000", "5000000000", "x".repeat(300), ""),
                elements((ListValue) decode(out).value()));

        out.reset();
        out.writeByte(RdbFormat.TYPE_LIST_QUICKLIST);
        out.writeLength(2);
        byte[] first = ziplist("1", 2L);
        byte[] second = ziplist("three");
        out.writeString(first, 0, first.length);
        out.writeString(second, 0, second.length);
        assertEquals(List.of("1", "2", "three"), elements((ListValue) decode(out).value()));
    }

    @Test
    void aLinkedListAndAListpackSet() throws Exception {
        RdbOutput out = new RdbOutput(true);
        out.writeByte(RdbFormat.TYPE_LIST);
        out.writeLength(3);
        out.writeString(bytes("a"));
        out.writeString(bytes("12"));
        out.writeString(bytes("c".repeat(100)));
        assertEquals(List.of("a", "12", "c".repeat(100)), elements((ListValue) decode(out).value()));

        out.reset();
        out.writeByte(RdbFormat.TYPE_SET_LISTPACK);
        RedisListpackWriter listpack = new RedisListpackWriter();
        listpack.append(bytes("apple"));
        listpack.append(bytes("7"));
        byte[] blob = listpack.toByteArray();
        out.writeString(blob, 0, blob.length);
        SetValue set = (SetValue) decode(out).value();
        assertEquals(2, set.size());
        assertEquals(true, set.contains(bytes("apple")) && set.contains(bytes("7")));
    }

    @Test
    void ziplistAndZipmapHashes() throws Exception {
        RdbOutput out = new RdbOutput(false);
        out.writeByte(RdbFormat.TYPE_HASH_ZIPLIST);
        byte[] zl = ziplist("name", "nuthatch", "count", 42L);
        out.writeString(zl, 0, zl.length);
        HashValue hash = (HashValue) decode(out).value();
        assertEquals(HashValue.LISTPACK, hash.encoding());
        assertEquals("42", value(hash, "count"));
        assertEquals("nuthatch", value(hash, "name"));

        out.reset();
        out.writeByte(RdbFormat.TYPE_HASH_ZIPMAP);
        byte[] zm = zipmap("f1", "v1", "f2", "value two");
        out.writeString(zm, 0, zm.length);
        HashValue old = (HashValue) decode(out).value();
        assertEquals("value two", value(old, "f2"));
        assertEquals(2, old.size());
    }

    private static String value(HashValue hash, String field) {
        int p = hash.find(bytes(field), 0, field.length());
        return new String(hash.valueArray(p), hash.valueOffset(p), hash.valueLength(p), StandardCharsets.US_ASCII);
    }

    @Test
    void ziplistAndTextScoreSortedSets() throws Exception {
        RdbOutput out = new RdbOutput(false);
        out.writeByte(RdbFormat.TYPE_ZSET_ZIPLIST);
        byte[] zl = ziplist("low", -3L, "mid", "1.5", "high", "inf");
        out.writeString(zl, 0, zl.length);
        SortedSet set = (SortedSet) decode(out).value();
        assertEquals(SortedSet.LISTPACK, set.encoding());
        assertEquals(1.5, set.score(bytes("mid")));
        assertEquals(Double.POSITIVE_INFINITY, set.score(bytes("high")));

        out.reset();
        out.writeByte(RdbFormat.TYPE_ZSET);
        out.writeLength(3);
        out.writeString(bytes("a"));
        out.writeByte(3);
        out.writeRaw(bytes("2.5"));
        out.writeString(bytes("b"));
        out.writeByte(255);
        out.writeString(bytes("c"));
        out.writeByte(254);
        SortedSet text = (SortedSet) decode(out).value();
        assertEquals(2.5, text.score(bytes("a")));
        assertEquals(Double.NEGATIVE_INFINITY, text.score(bytes("b")));
        assertEquals(Double.POSITIVE_INFINITY, text.score(bytes("c")));
    }

    /** One node (master ID 5-0, field f) of entries 5-0 and 6-0, the second deleted. */
    private static void streamNode(RdbOutput out) {
        out.writeLength(1);
        byte[] key = new byte[16];
        key[7] = 5;
        out.writeString(key, 0, 16);
        RedisListpackWriter lp = new RedisListpackWriter();
        lp.appendInteger(1);
        lp.appendInteger(1);
        lp.appendInteger(1);
        lp.append(bytes("f"));
        lp.appendInteger(0);
        lp.appendInteger(2);
        lp.appendInteger(0);
        lp.appendInteger(0);
        lp.append(bytes("a"));
        lp.appendInteger(4);
        lp.appendInteger(3);
        lp.appendInteger(1);
        lp.appendInteger(0);
        lp.append(bytes("b"));
        lp.appendInteger(4);
        byte[] blob = lp.toByteArray();
        out.writeString(blob, 0, blob.length);
        out.writeLength(1);
        out.writeLength(6);
        out.writeLength(0);
    }

    @Test
    void aVersionOneStreamGetsItsCountersFromItsEntries() throws Exception {
        RdbOutput out = new RdbOutput(false);
        out.writeByte(RdbFormat.TYPE_STREAM_LISTPACKS);
        streamNode(out);
        out.writeLength(1);
        out.writeString(bytes("g"));
        out.writeLength(6);
        out.writeLength(0);
        out.writeLength(0);
        out.writeLength(0);
        StreamValue stream = (StreamValue) decode(out).value();
        assertEquals(1, stream.length());
        assertEquals(5, stream.firstMs());
        assertEquals(1, stream.entriesAdded());
        assertEquals(1, stream.groups().find(bytes("g"), 0, 1).entriesRead());
    }

    @Test
    void aVersionThreeStreamReadsItsConsumersActiveTime() throws Exception {
        RdbOutput out = new RdbOutput(false);
        out.writeByte(RdbFormat.TYPE_STREAM_LISTPACKS_3);
        streamNode(out);
        out.writeLength(5);
        out.writeLength(0);
        out.writeLength(6);
        out.writeLength(0);
        out.writeLength(2);
        out.writeLength(1);
        out.writeString(bytes("g"));
        out.writeLength(5);
        out.writeLength(0);
        out.writeLength(1);
        out.writeLength(1);
        byte[] id = new byte[16];
        id[7] = 5;
        out.writeRaw(id);
        out.writeLongLittleEndian(1234);
        out.writeLength(3);
        out.writeLength(1);
        out.writeString(bytes("alice"));
        out.writeLongLittleEndian(1000);
        out.writeLongLittleEndian(2000);
        out.writeLength(1);
        out.writeRaw(id);
        StreamValue stream = (StreamValue) decode(out).value();
        ConsumerGroup group = stream.groups().find(bytes("g"), 0, 1);
        assertEquals(1, group.pending().size());
        assertEquals(3, group.pending().first().deliveryCount());
        assertEquals(1000, group.consumer(bytes("alice"), 0, 5).seenTime());
        assertEquals(2, stream.entriesAdded());
    }

    @Test
    void damagedZiplistsAreRefused() {
        byte[] zl = ziplist("hello", 300L, "world");
        for (int i = 0; i < zl.length; i++) {
            for (int delta : new int[] {1, 0x40, 0x80}) {
                byte[] damaged = zl.clone();
                damaged[i] += (byte) delta;
                RdbOutput out = new RdbOutput(false);
                out.writeByte(RdbFormat.TYPE_LIST_ZIPLIST);
                out.writeString(damaged, 0, damaged.length);
                try {
                    codec.decode(new RdbInput(out.toByteArray()));
                } catch (RdbFormatException refused) {
                    // the only failure allowed
                } catch (Exception other) {
                    throw new AssertionError("byte " + i + ": " + other, other);
                }
            }
        }
        byte[] cut = Arrays.copyOf(zl, zl.length - 2);
        RdbOutput out = new RdbOutput(false);
        out.writeByte(RdbFormat.TYPE_LIST_ZIPLIST);
        out.writeString(cut, 0, cut.length);
        assertThrows(RdbFormatException.class, () -> codec.decode(new RdbInput(out.toByteArray())));
    }
}
