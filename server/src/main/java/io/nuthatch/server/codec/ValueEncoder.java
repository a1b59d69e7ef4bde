package io.nuthatch.server.codec;

import io.nuthatch.persistence.rdb.RdbFormat;
import io.nuthatch.persistence.rdb.RdbOutput;
import io.nuthatch.persistence.rdb.RedisListpackWriter;
import io.nuthatch.resp.DoubleFormat;
import io.nuthatch.server.type.HashValue;
import io.nuthatch.server.type.ListValue;
import io.nuthatch.server.type.SetValue;
import io.nuthatch.server.type.StoredValue;
import io.nuthatch.server.type.StringValue;
import io.nuthatch.server.type.sortedset.ElementVisitor;
import io.nuthatch.server.type.sortedset.SortedSet;
import io.nuthatch.server.type.stream.StreamValue;

import java.nio.charset.StandardCharsets;

/**
 * Writes values in the RDB layout Redis 7.0 gives them (see {@link ValueCodec} for the choices).
 * Holds scratch space reused from value to value; one per thread.
 */
final class ValueEncoder {
    private final RedisListpackWriter listpack = new RedisListpackWriter();
    private final StreamEncoding streams = new StreamEncoding(listpack);
    private RdbOutput zsetTarget;
    private final ElementVisitor skipListElement = this::skipListElement;
    private final ElementVisitor packedElement = this::packedElement;

    void encodeString(byte[] bytes, int offset, int length, RdbOutput out) {
        out.writeByte(RdbFormat.TYPE_STRING);
        out.writeString(bytes, offset, length);
    }

    void encode(StoredValue value, RdbOutput out) {
        if (value instanceof StringValue string) {
            encodeString(string.array(), 0, string.length(), out);
        } else if (value instanceof ListValue list) {
            encodeList(list, out);
        } else if (value instanceof SetValue set) {
            encodeSet(set, out);
        } else if (value instanceof HashValue hash) {
            encodeHash(hash, out);
        } else if (value instanceof SortedSet zset) {
            encodeSortedSet(zset, out);
        } else if (value instanceof StreamValue stream) {
            streams.encode(stream, out);
        } else {
            throw new IllegalArgumentException("no RDB encoding for " + value.getClass().getName());
        }
    }

    /**
     * A quicklist of listpack nodes, node for node: the nodes are cut where Redis would cut them
     * (same fill rule), so a list written here is the list Redis would have written.
     */
    private void encodeList(ListValue list, RdbOutput out) {
        out.writeByte(RdbFormat.TYPE_LIST_QUICKLIST_2);
        out.writeLength(list.nodeCount());
        long position = list.first();
        while (position != ListValue.NONE) {
            long node = position >>> 32;
            listpack.reset();
            while (position != ListValue.NONE && position >>> 32 == node) {
                listpack.append(list.array(position), list.dataOffset(position), list.dataLength(position));
                position = list.next(position);
            }
            out.writeLength(RdbFormat.QUICKLIST_NODE_PACKED);
            out.writeString(listpack.finish(), 0, listpack.size());
        }
    }

    private void encodeSet(SetValue set, RdbOutput out) {
        if (set.isIntset()) {
            out.writeByte(RdbFormat.TYPE_SET_INTSET);
            int width = set.intsetWidth();
            int size = set.size();
            byte[] blob = new byte[8 + width * size];
            putLittleEndian(blob, 0, width, 4);
            putLittleEndian(blob, 4, size, 4);
            int at = 8;
            for (int position = set.first(); position != SetValue.NONE; position = set.next(position)) {
                putLittleEndian(blob, at, set.integerAt(position), width);
                at += width;
            }
            out.writeString(blob, 0, blob.length);
            return;
        }
        out.writeByte(RdbFormat.TYPE_SET);
        out.writeLength(set.size());
        for (int position = set.first(); position != SetValue.NONE; position = set.next(position)) {
            byte[] member = set.memberAt(position);
            out.writeString(member, 0, member.length);
        }
    }

    private void encodeHash(HashValue hash, RdbOutput out) {
        if (hash.isListpack()) {
            out.writeByte(RdbFormat.TYPE_HASH_LISTPACK);
            listpack.reset();
            for (int position = hash.first(); position != HashValue.NONE; position = hash.next(position)) {
                listpack.append(hash.fieldArray(position), hash.fieldOffset(position), hash.fieldLength(position));
                listpack.append(hash.valueArray(position), hash.valueOffset(position), hash.valueLength(position));
            }
            out.writeString(listpack.finish(), 0, listpack.size());
            return;
        }
        out.writeByte(RdbFormat.TYPE_HASH);
        out.writeLength(hash.size());
        for (int position = hash.first(); position != HashValue.NONE; position = hash.next(position)) {
            out.writeString(hash.fieldArray(position), hash.fieldOffset(position), hash.fieldLength(position));
            out.writeString(hash.valueArray(position), hash.valueOffset(position), hash.valueLength(position));
        }
    }

    /**
     * A small set as a listpack of member and score, the score as Redis's d2string writes it (an
     * integer when it is one below 2^52 in magnitude, else "%.17g", which the listpack then stores
     * as an integer when it reads as one); a large one as member and binary score pairs from the
     * highest score down, the order Redis walks its skiplist in when it saves.
     */
    private void encodeSortedSet(SortedSet set, RdbOutput out) {
        if (set.isPacked()) {
            out.writeByte(RdbFormat.TYPE_ZSET_LISTPACK);
            listpack.reset();
            set.forEach(packedElement);
            out.writeString(listpack.finish(), 0, listpack.size());
            return;
        }
        out.writeByte(RdbFormat.TYPE_ZSET_2);
        out.writeLength(set.size());
        zsetTarget = out;
        try {
            set.visitRanks(0, set.size() - 1, true, skipListElement);
        } finally {
            zsetTarget = null;
        }
    }

    private void packedElement(byte[] member, int offset, int length, double score) {
        listpack.append(member, offset, length);
        if (score == Math.rint(score) && Math.abs(score) < 0x1p52) {
            listpack.appendInteger((long) score);
        } else {
            listpack.append(DoubleFormat.formatG17(score).getBytes(StandardCharsets.US_ASCII));
        }
    }

    private void skipListElement(byte[] member, int offset, int length, double score) {
        zsetTarget.writeString(member, offset, length);
        zsetTarget.writeBinaryDouble(score);
    }

    static void putLittleEndian(byte[] target, int at, long value, int bytes) {
        for (int i = 0; i < bytes; i++) {
            target[at + i] = (byte) (value >>> (8 * i));
        }
    }
}
