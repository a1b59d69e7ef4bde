package io.nuthatch.server.codec;

import io.nuthatch.persistence.rdb.RdbFormat;
import io.nuthatch.persistence.rdb.RdbFormatException;
import io.nuthatch.persistence.rdb.RdbInput;
import io.nuthatch.persistence.rdb.RdbOutput;
import io.nuthatch.persistence.rdb.RedisListpackReader;
import io.nuthatch.persistence.rdb.RedisListpackWriter;
import io.nuthatch.server.type.stream.Consumer;
import io.nuthatch.server.type.stream.ConsumerGroup;
import io.nuthatch.server.type.stream.EntryFields;
import io.nuthatch.server.type.stream.PendingEntry;
import io.nuthatch.server.type.stream.StreamBuilder;
import io.nuthatch.server.type.stream.StreamGroups;
import io.nuthatch.server.type.stream.StreamIds;
import io.nuthatch.server.type.stream.StreamNodeCursor;
import io.nuthatch.server.type.stream.StreamValue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Streams in Redis's RDB layout (STREAM_LISTPACKS_2 written; 1, 2 and 3 read).
 *
 * <p><b>Written:</b> the number of nodes; for each, its master ID as a 16-byte big-endian string
 * (the radix tree key) and its listpack; the length, the last ID, then (version 2) the first ID,
 * the largest deleted ID and entries-added; the groups, each with its name, last-delivered ID,
 * entries-read (version 2), its pending entries (16-byte raw ID, delivery time in 8 little-endian
 * bytes, delivery count) and its consumers (name, seen time, the raw IDs of its pending entries).
 * Version 3 (Redis 7.2) adds each consumer's active time after its seen time; it is read and
 * dropped, since consumers here keep only the seen time.
 *
 * <p><b>A node's listpack</b> starts with its master entry (live count, deleted count, the number
 * of master fields, the fields, a 0), then each entry: flags (1 deleted, 2 same fields as the
 * master), the ID as deltas from the master ID, the number of fields and the fields when they
 * are not the master's, the values, and the entry's element count (lp-count) so it can be walked
 * backwards. Tombstones are kept, so node boundaries and counts come back as they were.
 */
final class StreamEncoding {
    private static final int FLAG_DELETED = 1;
    private static final int FLAG_SAME_FIELDS = 2;

    private final RedisListpackWriter listpack;
    private final byte[] masterId = new byte[16];

    StreamEncoding(RedisListpackWriter listpack) {
        this.listpack = listpack;
    }

    // ---------------------------------------------------------------- writing

    void encode(StreamValue stream, RdbOutput out) {
        out.writeByte(RdbFormat.TYPE_STREAM_LISTPACKS_2);
        out.writeLength(stream.nodes());
        StreamNodeCursor cursor = new StreamNodeCursor(stream);
        while (cursor.nextNode()) {
            putId(masterId, cursor.masterMs(), cursor.masterSeq());
            out.writeString(masterId, 0, 16);
            writeNode(cursor);
            out.writeString(listpack.finish(), 0, listpack.size());
        }
        out.writeLength(stream.length());
        out.writeLength(stream.lastMs());
        out.writeLength(stream.lastSeq());
        out.writeLength(stream.firstMs());
        out.writeLength(stream.firstSeq());
        out.writeLength(stream.maxDeletedMs());
        out.writeLength(stream.maxDeletedSeq());
        out.writeLength(stream.entriesAdded());
        StreamGroups groups = stream.groups();
        int groupCount = groups == null ? 0 : groups.size();
        out.writeLength(groupCount);
        for (int g = 0; g < groupCount; g++) {
            ConsumerGroup group = groups.group(g);
            out.writeString(group.name(), 0, group.name().length);
            out.writeLength(group.lastMs());
            out.writeLength(group.lastSeq());
            out.writeLength(group.entriesRead());
            out.writeLength(group.pending().size());
            for (PendingEntry entry : group.pending()) {
                writeRawId(out, entry.ms(), entry.seq());
                out.writeLongLittleEndian(entry.deliveryTime());
                out.writeLength(entry.deliveryCount());
            }
            out.writeLength(group.consumerCount());
            for (int c = 0; c < group.consumerCount(); c++) {
                Consumer consumer = group.consumer(c);
                out.writeString(consumer.name(), 0, consumer.name().length);
                out.writeLongLittleEndian(consumer.seenTime());
                out.writeLength(consumer.pending().size());
                for (PendingEntry entry : consumer.pending()) {
                    writeRawId(out, entry.ms(), entry.seq());
                }
            }
        }
    }

    private void writeNode(StreamNodeCursor cursor) {
        listpack.reset();
        listpack.appendInteger(cursor.liveEntries());
        listpack.appendInteger(cursor.deletedEntries());
        int masterFields = cursor.masterFieldCount();
        listpack.appendInteger(masterFields);
        byte[] array = cursor.array();
        for (int i = 0; i < masterFields; i++) {
            listpack.append(array, cursor.masterFieldOffset(i), cursor.masterFieldLength(i));
        }
        listpack.appendInteger(0);
        while (cursor.nextEntry()) {
            boolean same = cursor.sameFields();
            int flags = (cursor.deleted() ? FLAG_DELETED : 0) | (same ? FLAG_SAME_FIELDS : 0);
            listpack.appendInteger(flags);
            listpack.appendInteger(cursor.ms() - cursor.masterMs());
            listpack.appendInteger(cursor.seq() - cursor.masterSeq());
            int pairs = cursor.pairs();
            if (!same) {
                listpack.appendInteger(pairs);
            }
            for (int i = 0; i < pairs; i++) {
                if (!same) {
                    listpack.append(array, cursor.fieldOffset(i), cursor.fieldLength(i));
                }
                listpack.append(array, cursor.valueOffset(i), cursor.valueLength(i));
            }
            listpack.appendInteger(same ? pairs + 3 : 2L * pairs + 4);
        }
    }

    private void writeRawId(RdbOutput out, long ms, long seq) {
        putId(masterId, ms, seq);
        out.writeRaw(masterId, 0, 16);
    }

    private static void putId(byte[] target, long ms, long seq) {
        for (int i = 0; i < 8; i++) {
            target[i] = (byte) (ms >>> (56 - 8 * i));
            target[8 + i] = (byte) (seq >>> (56 - 8 * i));
        }
    }

    // ---------------------------------------------------------------- reading

    /**
     * Reads a stream of RDB type 15, 19 or 21. Every ID is checked to rise, each node's listpack
     * against its declared counts and its master ID, and each consumer's pending entry against
     * the group's; any mismatch is a format error.
     */
    static StreamValue decode(int type, RdbInput in) throws IOException {
        RedisListpackReader reader = new RedisListpackReader();
        StreamBuilder builder = new StreamBuilder();
        LoadedFields fields = new LoadedFields();
        long nodes = in.readCount();
        for (long n = 0; n < nodes; n++) {
            byte[] key = in.readString();
            if (key.length != 16) {
                throw in.corrupt("a stream node key of " + key.length + " bytes");
            }
            long masterMs = bigEndian(key, 0);
            long masterSeq = bigEndian(key, 8);
            byte[] blob = in.readString();
            reader.open(blob);
            if (reader.count() == 0) {
                throw in.corrupt("an empty stream node");
            }
            builder.startNode();
            readNode(reader, masterMs, masterSeq, builder, fields, in);
        }
        long length = in.readLength();
        long lastMs = in.readLength();
        long lastSeq = in.readLength();
        long firstMs = 0;
        long firstSeq = 0;
        long maxDeletedMs = 0;
        long maxDeletedSeq = 0;
        long entriesAdded;
        if (type >= RdbFormat.TYPE_STREAM_LISTPACKS_2) {
            firstMs = in.readLength();
            firstSeq = in.readLength();
            maxDeletedMs = in.readLength();
            maxDeletedSeq = in.readLength();
            entriesAdded = in.readLength();
        } else {
            entriesAdded = length;
            if (fields.firstLive) {
                firstMs = fields.firstLiveMs;
                firstSeq = fields.firstLiveSeq;
            }
        }
        if (length != builder.liveEntries()) {
            throw in.corrupt("a stream of length " + length + " holding " + builder.liveEntries() + " entries");
        }
        if (fields.any && StreamIds.compare(fields.lastMs, fields.lastSeq, lastMs, lastSeq) > 0) {
            throw in.corrupt("a stream entry after the stream's last ID");
        }
        StreamValue stream = builder.finish(lastMs, lastSeq, firstMs, firstSeq, maxDeletedMs, maxDeletedSeq,
                entriesAdded);
        readGroups(type, in, stream);
        return stream;
    }

    private static void readNode(RedisListpackReader reader, long masterMs, long masterSeq, StreamBuilder builder,
            LoadedFields fields, RdbInput in) throws IOException {
        reader.nextRequired();
        long live = reader.integerValue();
        reader.nextRequired();
        long deleted = reader.integerValue();
        reader.nextRequired();
        long masterCount = reader.integerValue();
        if (masterCount < 1 || masterCount > reader.count()) {
            throw in.corrupt("a stream node with " + masterCount + " master fields");
        }
        List<byte[]> master = new ArrayList<>();
        for (long i = 0; i < masterCount; i++) {
            reader.nextRequired();
            master.add(reader.copyString());
        }
        reader.nextRequired();
        if (reader.integerValue() != 0) {
            throw in.corrupt("a stream node's master entry without its terminator");
        }
        long seenLive = 0;
        long seenDeleted = 0;
        boolean first = true;
        while (reader.next()) {
            int flags = (int) reader.integerValue();
            reader.nextRequired();
            long ms = masterMs + reader.integerValue();
            reader.nextRequired();
            long seq = masterSeq + reader.integerValue();
            if (first && (ms != masterMs || seq != masterSeq)) {
                throw in.corrupt("a stream node whose first entry is not its master ID");
            }
            first = false;
            boolean same = (flags & FLAG_SAME_FIELDS) != 0;
            long pairs;
            if (same) {
                pairs = masterCount;
            } else {
                reader.nextRequired();
                pairs = reader.integerValue();
                if (pairs < 1 || pairs > reader.count()) {
                    throw in.corrupt("a stream entry of " + pairs + " fields");
                }
            }
            fields.clear();
            for (int i = 0; i < pairs; i++) {
                if (same) {
                    fields.add(master.get(i));
                } else {
                    reader.nextRequired();
                    fields.add(reader.copyString());
                }
                reader.nextRequired();
                fields.add(reader.copyString());
            }
            reader.nextRequired();
            long count = reader.integerValue();
            if (count != (same ? pairs + 3 : 2 * pairs + 4)) {
                throw in.corrupt("a stream entry whose element count does not match it");
            }
            boolean deletedEntry = (flags & FLAG_DELETED) != 0;
            if (!builder.append(ms, seq, fields, deletedEntry)) {
                throw in.corrupt("stream entries out of ID order");
            }
            fields.seen(ms, seq, deletedEntry);
            if (deletedEntry) {
                seenDeleted++;
            } else {
                seenLive++;
            }
        }
        if (seenLive != live || seenDeleted != deleted) {
            throw in.corrupt("a stream node whose counts do not match its entries");
        }
    }

    private static void readGroups(int type, RdbInput in, StreamValue stream) throws IOException {
        long groupCount = in.readCount();
        for (long g = 0; g < groupCount; g++) {
            byte[] name = in.readString();
            long lastMs = in.readLength();
            long lastSeq = in.readLength();
            long entriesRead;
            if (type >= RdbFormat.TYPE_STREAM_LISTPACKS_2) {
                entriesRead = in.readLength();
            } else {
                entriesRead = lastMs == stream.lastMs() && lastSeq == stream.lastSeq()
                        ? stream.entriesAdded() : ConsumerGroup.UNKNOWN;
            }
            ConsumerGroup group = stream.groupsForWrite().create(name, 0, name.length, lastMs, lastSeq, entriesRead);
            if (group == null) {
                throw in.corrupt("a duplicate consumer group");
            }
            long pendingCount = in.readCount();
            long[] deliveryTimes = new long[(int) Math.min(pendingCount, 1 << 16)];
            long[] deliveryCounts = new long[deliveryTimes.length];
            List<PendingEntry> pending = new ArrayList<>();
            for (long p = 0; p < pendingCount; p++) {
                byte[] id = in.readRaw(16);
                long deliveryTime = in.readLongLittleEndian();
                long deliveryCount = in.readLength();
                long ms = bigEndian(id, 0);
                long seq = bigEndian(id, 8);
                if (group.pending(ms, seq) != null) {
                    throw in.corrupt("a duplicate pending entry");
                }
                PendingEntry entry = group.createPending(ms, seq);
                if (pending.size() == deliveryTimes.length) {
                    deliveryTimes = java.util.Arrays.copyOf(deliveryTimes, deliveryTimes.length * 2);
                    deliveryCounts = java.util.Arrays.copyOf(deliveryCounts, deliveryCounts.length * 2);
                }
                deliveryTimes[pending.size()] = deliveryTime;
                deliveryCounts[pending.size()] = deliveryCount;
                pending.add(entry);
            }
            long consumerCount = in.readCount();
            for (long c = 0; c < consumerCount; c++) {
                byte[] consumerName = in.readString();
                long seenTime = in.readLongLittleEndian();
                if (type >= RdbFormat.TYPE_STREAM_LISTPACKS_3) {
                    in.readLongLittleEndian();
                }
                Consumer consumer = group.createConsumer(consumerName, 0, consumerName.length, seenTime);
                if (consumer == null) {
                    throw in.corrupt("a duplicate consumer");
                }
                long owned = in.readCount();
                for (long o = 0; o < owned; o++) {
                    byte[] id = in.readRaw(16);
                    PendingEntry entry = group.pending(bigEndian(id, 0), bigEndian(id, 8));
                    if (entry == null || entry.consumer() != null) {
                        throw in.corrupt("a consumer's pending entry that the group does not hold, or holds for another");
                    }
                    int index = indexOf(pending, entry);
                    group.claim(entry, consumer, deliveryTimes[index], deliveryCounts[index]);
                }
            }
            for (PendingEntry entry : pending) {
                if (entry.consumer() == null) {
                    throw in.corrupt("a pending entry without a consumer");
                }
            }
        }
    }

    /** Pending entries were created in ID order, so a binary search finds one. */
    private static int indexOf(List<PendingEntry> pending, PendingEntry entry) {
        int low = 0;
        int high = pending.size() - 1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            PendingEntry candidate = pending.get(middle);
            int order = StreamIds.compare(candidate.ms(), candidate.seq(), entry.ms(), entry.seq());
            if (order == 0) {
                return middle;
            }
            if (order < 0) {
                low = middle + 1;
            } else {
                high = middle - 1;
            }
        }
        // Not created in order: fall back to a scan.
        return pending.indexOf(entry);
    }

    private static long bigEndian(byte[] bytes, int offset) {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (bytes[offset + i] & 0xff);
        }
        return value;
    }

    /** The fields and values of the entry being read, as {@link EntryFields}, and what was seen so far. */
    private static final class LoadedFields implements EntryFields {
        private final List<byte[]> elements = new ArrayList<>();
        boolean any;
        long lastMs;
        long lastSeq;
        boolean firstLive;
        long firstLiveMs;
        long firstLiveSeq;

        void clear() {
            elements.clear();
        }

        void add(byte[] element) {
            elements.add(element);
        }

        void seen(long ms, long seq, boolean deleted) {
            any = true;
            lastMs = ms;
            lastSeq = seq;
            if (!deleted && !firstLive) {
                firstLive = true;
                firstLiveMs = ms;
                firstLiveSeq = seq;
            }
        }

        @Override
        public int pairs() {
            return elements.size() / 2;
        }

        @Override
        public byte[] array(int element) {
            return elements.get(element);
        }

        @Override
        public int offset(int element) {
            return 0;
        }

        @Override
        public int length(int element) {
            return elements.get(element).length;
        }
    }
}
