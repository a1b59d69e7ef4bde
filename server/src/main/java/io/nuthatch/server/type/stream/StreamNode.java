package io.nuthatch.server.type.stream;

import io.nuthatch.server.type.Listpack;
import io.nuthatch.server.type.MemoryLayout;

/**
 * One node of a stream: up to stream-node-max-entries consecutive entries packed in a
 * {@link Listpack}, as Redis packs them in the listpack of a radix-tree node.
 *
 * <p><b>Layout.</b> The ID of the node's first entry is its master ID. The listpack starts with the
 * master fields: the field names of the node's first entry. Each entry follows as
 * <pre>
 *   [header] [value]... [count]               same fields as the master, in the same order
 *   [header] [field] [value] ... [count]      other fields
 * </pre>
 * The header is one element of packed bytes: a flags byte (deleted, same fields), the ID as a
 * delta from the master ID (milliseconds as an unsigned varint; then the sequence, as a delta when
 * the milliseconds are the master's and as it is otherwise, since the sequence restarts at 0 each
 * millisecond), and, without the same-fields flag, the number of pairs. The count element closing
 * each entry is the number of elements from its header to its last value, so that iteration
 * from the tail can jump back to the header, as Redis's "lp-count" lets it. An entry with the
 * master's fields costs its values plus about ten bytes, where Redis spends eight.
 *
 * <p><b>Deletion.</b> XDEL and exact trimming only flag an entry deleted (a tombstone), as Redis
 * does; a node goes away whole when its last live entry is deleted or trimming drops it. So the
 * positions of elements never move once written.
 *
 * <p><b>Redis's size.</b> {@link #redisBytes()} is the size Redis's listpack would have for the
 * same entries ({@link RedisListpackSize}), which decides when the tail node is full.
 */
final class StreamNode {
    static final int DELETED = 1;
    static final int SAME_FIELDS = 2;

    private static final long OBJECT_BYTES = MemoryLayout.align(MemoryLayout.OBJECT_HEADER + 3 * 8
            + MemoryLayout.REFERENCE + 4 * 4);

    /** An entry's header and closing count, framing included, take at most this many bytes. */
    private static final int MAX_HEADER_AND_COUNT = 48;
    /** The most a listpack element's length and back-length take. */
    private static final int MAX_FRAMING = 10;

    final long masterMs;
    final long masterSeq;
    Listpack data;
    final int masterFields;
    /** Position of the first entry's header. */
    final int entriesStart;
    int live;
    int deleted;
    /** Redis's listpack size without its count and deleted elements (they change size as they count). */
    private long redisBytesFixed;

    private StreamNode(long masterMs, long masterSeq, Listpack data, int masterFields, int entriesStart,
            long redisBytesFixed) {
        this.masterMs = masterMs;
        this.masterSeq = masterSeq;
        this.data = data;
        this.masterFields = masterFields;
        this.entriesStart = entriesStart;
        this.redisBytesFixed = redisBytesFixed;
    }

    /** A node whose master fields are those of {@code fields}, to hold an entry of ID ms-seq first. */
    static StreamNode start(long ms, long seq, EntryFields fields) {
        Listpack data = new Listpack();
        int pairs = fields.pairs();
        long redis = RedisListpackSize.EMPTY + RedisListpackSize.ofInteger(pairs) + RedisListpackSize.ofInteger(0);
        for (int i = 0; i < pairs; i++) {
            int element = 2 * i;
            data.append(fields.array(element), fields.offset(element), fields.length(element));
            redis += RedisListpackSize.ofString(fields.array(element), fields.offset(element), fields.length(element));
        }
        return new StreamNode(ms, seq, data, pairs, data.byteSize(), redis);
    }

    /** Number of entries, tombstones included (what stream-node-max-entries limits). */
    int entries() {
        return live + deleted;
    }

    /** The size Redis's listpack for this node would have (lpBytes). */
    long redisBytes() {
        return redisBytesFixed + RedisListpackSize.ofInteger(live) + RedisListpackSize.ofInteger(deleted);
    }

    long memoryUsage() {
        return OBJECT_BYTES + data.memoryUsage();
    }

    /** An independent copy, its listpack trimmed. */
    StreamNode copy() {
        StreamNode copy = new StreamNode(masterMs, masterSeq, data.copy(), masterFields, entriesStart, redisBytesFixed);
        copy.live = live;
        copy.deleted = deleted;
        return copy;
    }

    /** Gives back the spare room of the listpack, once the node takes no more entries. */
    void seal() {
        if (data.array().length > data.byteSize()) {
            data = data.copy();
        }
    }

    // ---------------------------------------------------------------- appending

    /**
     * Appends an entry, which must be later than every entry of the node. {@code scratch} holds the
     * header while it is built (at least 32 bytes).
     */
    void append(long ms, long seq, EntryFields fields, byte[] scratch) {
        int pairs = fields.pairs();
        reserveFor(fields);
        boolean same = hasMasterFields(fields);
        long msDelta = ms - masterMs;
        scratch[0] = (byte) (same ? SAME_FIELDS : 0);
        int length = putVarLong(scratch, 1, msDelta);
        length = putVarLong(scratch, length, msDelta == 0 ? seq - masterSeq : seq);
        if (!same) {
            length = putVarLong(scratch, length, pairs);
        }
        data.append(scratch, 0, length);
        long redis = RedisListpackSize.ofInteger(same ? SAME_FIELDS : 0) + RedisListpackSize.ofInteger(msDelta)
                + RedisListpackSize.ofInteger(seq - masterSeq);
        if (!same) {
            redis += RedisListpackSize.ofInteger(pairs);
        }
        for (int element = same ? 1 : 0; element < 2 * pairs; element += same ? 2 : 1) {
            data.append(fields.array(element), fields.offset(element), fields.length(element));
            redis += RedisListpackSize.ofString(fields.array(element), fields.offset(element), fields.length(element));
        }
        int elements = 1 + (same ? pairs : 2 * pairs);
        data.append(scratch, 0, putVarLong(scratch, 0, elements));
        // Redis's lp-count counts the header's parts separately: flags, two ID deltas, the pair count.
        redis += RedisListpackSize.ofInteger(pairs + 3 + (same ? 0 : pairs + 1));
        redisBytesFixed += redis;
        live++;
    }

    /**
     * Doubles the listpack's room when the entry may not fit: a tail node fills up in a few
     * steps instead of one copy every few appends, and {@link #seal} gives the rest back.
     */
    private void reserveFor(EntryFields fields) {
        long needed = data.byteSize() + MAX_HEADER_AND_COUNT;
        for (int element = 0; element < 2 * fields.pairs(); element++) {
            needed += fields.length(element) + MAX_FRAMING;
        }
        int capacity = data.array().length;
        if (needed > capacity) {
            data.reserve((int) Math.min(Integer.MAX_VALUE - 8, Math.max(needed, 2L * capacity)));
        }
    }

    private boolean hasMasterFields(EntryFields fields) {
        if (fields.pairs() != masterFields) {
            return false;
        }
        int position = data.first();
        for (int i = 0; i < masterFields; i++) {
            int element = 2 * i;
            if (!data.equalsAt(position, fields.array(element), fields.offset(element), fields.length(element))) {
                return false;
            }
            position = data.next(position);
        }
        return true;
    }

    // ---------------------------------------------------------------- entries in place

    /** The milliseconds of the ID of the entry whose header is at {@code header}. */
    long idMs(int header) {
        byte[] bytes = data.array();
        return masterMs + readVarLong(bytes, data.dataOffset(header) + 1);
    }

    /** The sequence of the ID of the entry whose header is at {@code header}. */
    long idSeq(int header) {
        byte[] bytes = data.array();
        int offset = data.dataOffset(header) + 1;
        long msDelta = readVarLong(bytes, offset);
        long part = readVarLong(bytes, offset + varLongSize(bytes, offset));
        return msDelta == 0 ? masterSeq + part : part;
    }

    /** Number of field-value pairs of the entry. */
    int pairs(int header) {
        byte[] bytes = data.array();
        int offset = data.dataOffset(header);
        if ((bytes[offset] & SAME_FIELDS) != 0) {
            return masterFields;
        }
        offset++;
        offset += varLongSize(bytes, offset);
        offset += varLongSize(bytes, offset);
        return (int) readVarLong(bytes, offset);
    }

    /** The header of the entry after the one at {@code header}, or {@link Listpack#NONE}. */
    int nextHeader(int header) {
        int pairs = pairs(header);
        int elements = (flags(header) & SAME_FIELDS) != 0 ? pairs : 2 * pairs;
        int position = header;
        // Past the header, the entry's elements and its closing count.
        for (int i = 0; i <= elements + 1 && position != Listpack.NONE; i++) {
            position = data.next(position);
        }
        return position;
    }

    /** The header of the first entry that is not deleted, or {@link Listpack#NONE}. */
    int firstLiveHeader() {
        int header = entriesStart;
        while (header != Listpack.NONE && (flags(header) & DELETED) != 0) {
            header = nextHeader(header);
        }
        return header;
    }

    /** The header of the last entry that is not deleted, or {@link Listpack#NONE}. */
    int lastLiveHeader() {
        int header = lastHeader();
        while (header != Listpack.NONE && (flags(header) & DELETED) != 0) {
            header = previousHeader(header);
        }
        return header;
    }

    /** The header of the last entry, tombstones included. */
    int lastHeader() {
        int trailer = data.last();
        return back(trailer, trailerCount(trailer));
    }

    /** The header of the entry before the one at {@code header}, or {@link Listpack#NONE}. */
    int previousHeader(int header) {
        if (header == entriesStart) {
            return Listpack.NONE;
        }
        int trailer = data.previous(header);
        return back(trailer, trailerCount(trailer));
    }

    private int back(int position, int steps) {
        for (int i = 0; i < steps; i++) {
            position = data.previous(position);
        }
        return position;
    }

    int trailerCount(int trailer) {
        return (int) readVarLong(data.array(), data.dataOffset(trailer));
    }

    int flags(int header) {
        return data.array()[data.dataOffset(header)];
    }

    /** Flags an entry deleted; its size does not change, so no position moves. */
    void markDeleted(int header) {
        data.array()[data.dataOffset(header)] |= DELETED;
        live--;
        deleted++;
    }

    // ---------------------------------------------------------------- varints

    /** Writes an unsigned varint (7 bits a byte, low groups first); returns the position after it. */
    static int putVarLong(byte[] target, int position, long value) {
        long remaining = value;
        while ((remaining & ~0x7FL) != 0) {
            target[position++] = (byte) ((remaining & 0x7F) | 0x80);
            remaining >>>= 7;
        }
        target[position++] = (byte) remaining;
        return position;
    }

    static long readVarLong(byte[] source, int position) {
        long value = 0;
        int shift = 0;
        byte b;
        do {
            b = source[position++];
            value |= (long) (b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        return value;
    }

    /** Number of bytes of the varint starting at {@code position}. */
    static int varLongSize(byte[] source, int position) {
        int size = 1;
        while ((source[position++] & 0x80) != 0) {
            size++;
        }
        return size;
    }
}
