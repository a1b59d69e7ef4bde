package io.nuthatch.server.type.stream;

import io.nuthatch.server.type.Listpack;

/**
 * Reads a stream node by node and entry by entry, tombstones included, for the serializers that
 * write a stream in Redis's layout (DUMP, snapshots): each node gives its master ID, the counts of
 * live and deleted entries and its master fields; each entry its flags, ID and fields and values
 * as ranges of {@link #array()}. Reads only; the stream must not change while the cursor is used.
 */
public final class StreamNodeCursor {
    private final StreamValue stream;
    private int nodeIndex = -1;
    private StreamNode node;
    private int header = Listpack.NONE;
    private boolean entryStarted;
    private int pairs;
    private int[] fieldPositions = new int[8];
    private int[] valuePositions = new int[8];
    private int[] masterPositions = new int[8];

    public StreamNodeCursor(StreamValue stream) {
        this.stream = stream;
    }

    /** Moves to the next node; false past the last. */
    public boolean nextNode() {
        if (nodeIndex + 1 >= stream.nodeCount()) {
            return false;
        }
        node = stream.node(++nodeIndex);
        entryStarted = false;
        header = Listpack.NONE;
        masterPositions = ensure(masterPositions, node.masterFields);
        int position = node.data.first();
        for (int i = 0; i < node.masterFields; i++) {
            masterPositions[i] = position;
            position = node.data.next(position);
        }
        return true;
    }

    public long masterMs() {
        return node.masterMs;
    }

    public long masterSeq() {
        return node.masterSeq;
    }

    public int liveEntries() {
        return node.live;
    }

    public int deletedEntries() {
        return node.deleted;
    }

    public int masterFieldCount() {
        return node.masterFields;
    }

    /** The array the node's fields and values are ranges of. */
    public byte[] array() {
        return node.data.array();
    }

    public int masterFieldOffset(int index) {
        return node.data.dataOffset(masterPositions[index]);
    }

    public int masterFieldLength(int index) {
        return node.data.dataLength(masterPositions[index]);
    }

    /** Moves to the node's next entry, deleted or not; false past the last. */
    public boolean nextEntry() {
        header = entryStarted ? node.nextHeader(header) : node.entriesStart;
        entryStarted = true;
        if (header == Listpack.NONE || header >= node.data.byteSize()) {
            header = Listpack.NONE;
            return false;
        }
        pairs = node.pairs(header);
        fieldPositions = ensure(fieldPositions, pairs);
        valuePositions = ensure(valuePositions, pairs);
        boolean same = sameFields();
        int position = node.data.next(header);
        for (int i = 0; i < pairs; i++) {
            if (same) {
                fieldPositions[i] = masterPositions[i];
            } else {
                fieldPositions[i] = position;
                position = node.data.next(position);
            }
            valuePositions[i] = position;
            position = node.data.next(position);
        }
        return true;
    }

    public boolean deleted() {
        return (node.flags(header) & StreamNode.DELETED) != 0;
    }

    /** Whether the entry has the master's fields, in order (Redis's SAMEFIELDS flag). */
    public boolean sameFields() {
        return (node.flags(header) & StreamNode.SAME_FIELDS) != 0;
    }

    public long ms() {
        return node.idMs(header);
    }

    public long seq() {
        return node.idSeq(header);
    }

    public int pairs() {
        return pairs;
    }

    public int fieldOffset(int index) {
        return node.data.dataOffset(fieldPositions[index]);
    }

    public int fieldLength(int index) {
        return node.data.dataLength(fieldPositions[index]);
    }

    public int valueOffset(int index) {
        return node.data.dataOffset(valuePositions[index]);
    }

    public int valueLength(int index) {
        return node.data.dataLength(valuePositions[index]);
    }

    private static int[] ensure(int[] array, int size) {
        return array.length >= size ? array : new int[Math.max(size, array.length * 2)];
    }
}
