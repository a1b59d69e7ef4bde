package io.nuthatch.server.codec;

import io.nuthatch.persistence.rdb.PackedElements;
import io.nuthatch.persistence.rdb.RdbFormat;
import io.nuthatch.persistence.rdb.RdbFormatException;
import io.nuthatch.persistence.rdb.RdbInput;
import io.nuthatch.persistence.rdb.RedisListpackReader;
import io.nuthatch.persistence.rdb.ZiplistReader;
import io.nuthatch.persistence.rdb.ZipmapReader;
import io.nuthatch.server.type.HashValue;
import io.nuthatch.server.type.ListValue;
import io.nuthatch.server.type.SetValue;
import io.nuthatch.server.type.StoredValue;
import io.nuthatch.server.type.sortedset.SortedSet;

import java.io.IOException;

/**
 * Reads values of every RDB type Redis 2.6 to 7.4 and Valkey 7 to 8 write, into this server's
 * types, in the layout Redis would load them in (see {@link ValueCodec}). Every structure is
 * checked as it is read (duplicate members, counts that disagree, scores that are not numbers):
 * a payload that fails is refused whole.
 */
final class ValueDecoder {
    private final RedisListpackReader listpack = new RedisListpackReader();
    private final ZiplistReader ziplist = new ZiplistReader();
    private final ZipmapReader zipmap = new ZipmapReader();

    /** The value of type {@code type}, or null when it is empty (Redis refuses or skips those). */
    DecodedValue decode(int type, RdbInput in, EncodingLimits limits) throws IOException {
        switch (type) {
            case RdbFormat.TYPE_STRING:
                return DecodedValue.ofString(in.readString());
            case RdbFormat.TYPE_LIST:
                return value(readLinkedList(in, limits));
            case RdbFormat.TYPE_LIST_ZIPLIST:
                return value(readPackedList(in, limits, ziplist));
            case RdbFormat.TYPE_LIST_QUICKLIST:
            case RdbFormat.TYPE_LIST_QUICKLIST_2:
                return value(readQuicklist(type, in, limits));
            case RdbFormat.TYPE_SET:
                return value(readSet(in, limits));
            case RdbFormat.TYPE_SET_INTSET:
                return value(readIntset(in, limits));
            case RdbFormat.TYPE_SET_LISTPACK:
                return value(readPackedSet(in, limits));
            case RdbFormat.TYPE_ZSET:
            case RdbFormat.TYPE_ZSET_2:
                return value(readSkipList(type, in, limits));
            case RdbFormat.TYPE_ZSET_ZIPLIST:
                return value(readPackedSortedSet(in, limits, ziplist));
            case RdbFormat.TYPE_ZSET_LISTPACK:
                return value(readPackedSortedSet(in, limits, listpack));
            case RdbFormat.TYPE_HASH:
                return value(readHash(in, limits));
            case RdbFormat.TYPE_HASH_ZIPMAP:
                return value(readPackedHash(in, limits, zipmap));
            case RdbFormat.TYPE_HASH_ZIPLIST:
                return value(readPackedHash(in, limits, ziplist));
            case RdbFormat.TYPE_HASH_LISTPACK:
                return value(readPackedHash(in, limits, listpack));
            case RdbFormat.TYPE_STREAM_LISTPACKS:
            case RdbFormat.TYPE_STREAM_LISTPACKS_2:
            case RdbFormat.TYPE_STREAM_LISTPACKS_3:
                return value(StreamEncoding.decode(type, in));
            case RdbFormat.TYPE_MODULE_PRE_GA:
            case RdbFormat.TYPE_MODULE_2:
                throw in.corrupt("a module type value (modules are not supported)");
            default:
                throw in.corrupt("an unknown value type " + type);
        }
    }

    private static DecodedValue value(StoredValue value) {
        return value == null ? null : DecodedValue.ofValue(value);
    }

    // ---------------------------------------------------------------- lists

    private static ListValue readLinkedList(RdbInput in, EncodingLimits limits) throws IOException {
        long length = in.readCount();
        ListValue list = new ListValue(limits.listMaxListpackSize());
        for (long i = 0; i < length; i++) {
            byte[] element = in.readString();
            list.pushTail(element, 0, element.length);
        }
        return list.isEmpty() ? null : list;
    }

    private static ListValue readPackedList(RdbInput in, EncodingLimits limits, ZiplistReader reader)
            throws IOException {
        reader.open(in.readString());
        ListValue list = new ListValue(limits.listMaxListpackSize());
        pushAll(list, reader);
        return list.isEmpty() ? null : list;
    }

    private ListValue readQuicklist(int type, RdbInput in, EncodingLimits limits) throws IOException {
        long nodes = in.readCount();
        ListValue list = new ListValue(limits.listMaxListpackSize());
        for (long n = 0; n < nodes; n++) {
            if (type == RdbFormat.TYPE_LIST_QUICKLIST) {
                ziplist.open(in.readString());
                pushAll(list, ziplist);
                continue;
            }
            long container = in.readLength();
            byte[] blob = in.readString();
            if (container == RdbFormat.QUICKLIST_NODE_PLAIN) {
                list.pushTail(blob, 0, blob.length);
            } else if (container == RdbFormat.QUICKLIST_NODE_PACKED) {
                listpack.open(blob);
                pushAll(list, listpack);
            } else {
                throw in.corrupt("a quicklist node container of " + container);
            }
        }
        return list.isEmpty() ? null : list;
    }

    private static void pushAll(ListValue list, PackedElements elements) throws RdbFormatException {
        while (elements.next()) {
            if (elements.isInteger()) {
                byte[] text = elements.copyString();
                list.pushTail(text, 0, text.length);
            } else {
                list.pushTail(elements.array(), elements.offset(), elements.length());
            }
        }
    }

    // ---------------------------------------------------------------- sets

    private static SetValue readSet(RdbInput in, EncodingLimits limits) throws IOException {
        long size = in.readCount();
        SetValue set = null;
        for (long i = 0; i < size; i++) {
            byte[] member = in.readString();
            if (set == null) {
                set = SetValue.forFirstMember(member, 0, member.length);
            }
            if (!set.add(member, limits.setMaxIntsetEntries())) {
                throw in.corrupt("a duplicate set member");
            }
        }
        return set;
    }

    private static SetValue readIntset(RdbInput in, EncodingLimits limits) throws IOException {
        byte[] blob = in.readString();
        if (blob.length < 8) {
            throw in.corrupt("an intset of " + blob.length + " bytes");
        }
        int width = (int) littleEndian(blob, 0, 4);
        long size = littleEndian(blob, 4, 4) & 0xffffffffL;
        if ((width != 2 && width != 4 && width != 8) || 8 + size * width != blob.length) {
            throw in.corrupt("an intset whose header does not match its size");
        }
        SetValue set = SetValue.emptyIntset();
        long previous = 0;
        for (int i = 0; i < size; i++) {
            long value = littleEndian(blob, 8 + i * width, width);
            if (i > 0 && value <= previous) {
                throw in.corrupt("an intset out of order or with a duplicate");
            }
            previous = value;
            set.addInteger(value, limits.setMaxIntsetEntries());
        }
        return set.isEmpty() ? null : set;
    }

    private SetValue readPackedSet(RdbInput in, EncodingLimits limits) throws IOException {
        listpack.open(in.readString());
        SetValue set = null;
        while (listpack.next()) {
            byte[] member = listpack.copyString();
            if (set == null) {
                set = SetValue.forFirstMember(member, 0, member.length);
            }
            if (!set.add(member, limits.setMaxIntsetEntries())) {
                throw in.corrupt("a duplicate set member");
            }
        }
        return set;
    }

    // ---------------------------------------------------------------- sorted sets

    /** Large sets: built as a skiplist, packed afterwards when they fit, as Redis loads them. */
    private static SortedSet readSkipList(int type, RdbInput in, EncodingLimits limits) throws IOException {
        long size = in.readCount();
        if (size == 0) {
            return null;
        }
        SortedSet set = SortedSet.createSkipList();
        for (long i = 0; i < size; i++) {
            byte[] member = in.readString();
            double score = type == RdbFormat.TYPE_ZSET_2 ? in.readBinaryDouble() : in.readTextDouble();
            if (Double.isNaN(score)) {
                throw in.corrupt("a sorted set score that is not a number");
            }
            if (set.add(member, score, Long.MAX_VALUE, Long.MAX_VALUE) != SortedSet.ADDED) {
                throw in.corrupt("a duplicate sorted set member");
            }
        }
        set.packIfFits(limits.zsetMaxListpackEntries(), limits.zsetMaxListpackValue());
        return set;
    }

    /** Small sets: kept packed unless they hold more members than zset-max-listpack-entries. */
    private static SortedSet readPackedSortedSet(RdbInput in, EncodingLimits limits, PackedElements reader)
            throws IOException {
        byte[] blob = in.readString();
        if (reader instanceof ZiplistReader zip) {
            zip.open(blob);
        } else {
            ((RedisListpackReader) reader).open(blob);
        }
        if ((reader.count() & 1) != 0) {
            throw in.corrupt("a packed sorted set with a member and no score");
        }
        int size = reader.count() / 2;
        if (size == 0) {
            return null;
        }
        SortedSet set = size > limits.zsetMaxListpackEntries() ? SortedSet.createSkipList()
                : SortedSet.create(0, Long.MAX_VALUE, Long.MAX_VALUE);
        set.reserve(blob.length);
        while (reader.next()) {
            byte[] member = reader.copyString();
            reader.nextRequired();
            double score = reader.doubleValue();
            if (set.add(member, score, Long.MAX_VALUE, Long.MAX_VALUE) != SortedSet.ADDED) {
                throw in.corrupt("a duplicate sorted set member");
            }
        }
        set.trimToSize();
        return set;
    }

    // ---------------------------------------------------------------- hashes

    private static HashValue readHash(RdbInput in, EncodingLimits limits) throws IOException {
        long size = in.readCount();
        HashValue hash = HashValue.empty();
        for (long i = 0; i < size; i++) {
            byte[] field = in.readString();
            byte[] value = in.readString();
            if (!hash.set(field, 0, field.length, value, 0, value.length, limits.hashMaxListpackEntries(),
                    limits.hashMaxListpackValue())) {
                throw in.corrupt("a duplicate hash field");
            }
        }
        hash.trimToSize();
        return hash.isEmpty() ? null : hash;
    }

    private static HashValue readPackedHash(RdbInput in, EncodingLimits limits, PackedElements reader)
            throws IOException {
        byte[] blob = in.readString();
        if (reader instanceof ZiplistReader zip) {
            zip.open(blob);
        } else if (reader instanceof ZipmapReader map) {
            map.open(blob);
        } else {
            ((RedisListpackReader) reader).open(blob);
        }
        if ((reader.count() & 1) != 0) {
            throw in.corrupt("a packed hash with a field and no value");
        }
        HashValue hash = HashValue.empty();
        if (reader.count() / 2 <= limits.hashMaxListpackEntries()) {
            hash.reserve(blob.length);
        }
        while (reader.next()) {
            byte[] field = reader.copyString();
            reader.nextRequired();
            byte[] value = reader.copyString();
            if (!hash.set(field, 0, field.length, value, 0, value.length, limits.hashMaxListpackEntries(),
                    limits.hashMaxListpackValue())) {
                throw in.corrupt("a duplicate hash field");
            }
        }
        hash.trimToSize();
        return hash.isEmpty() ? null : hash;
    }

    private static long littleEndian(byte[] bytes, int offset, int size) {
        long raw = 0;
        for (int i = 0; i < size; i++) {
            raw |= (bytes[offset + i] & 0xffL) << (8 * i);
        }
        int unused = 64 - 8 * size;
        return (raw << unused) >> unused;
    }
}
