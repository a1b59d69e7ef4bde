package io.nuthatch.server.type.stream;

import io.nuthatch.server.type.Listpack;

/**
 * Walks the entries of a stream between two IDs (both inclusive), forward or backward, and the
 * fields of each, reading them where they are stored: a caller replies straight from
 * {@link #array()}. One cursor is reused for walk after walk, so a range read allocates nothing.
 *
 * <pre>{@code
 * cursor.forward(stream, startMs, startSeq, endMs, endSeq);
 * while (cursor.next()) {
 *     ... cursor.ms(), cursor.seq(), cursor.pairs() ...
 *     while (cursor.nextField()) {
 *         ... cursor.array(), cursor.fieldOffset(), cursor.fieldLength(), cursor.valueOffset() ...
 *     }
 * }
 * }</pre>
 * The stream must not change during a walk. Deleted entries are skipped.
 */
public final class EntryCursor {
    private StreamValue stream;
    private boolean reverse;
    private long startMs;
    private long startSeq;
    private long endMs;
    private long endSeq;
    /** Index of the current node among the stream's nodes; -1 before the first. */
    private int nodeIndex;
    private StreamNode node;
    /** Header of the current entry; NONE when the walk must move to another node. */
    private int header;
    private boolean done;

    private long ms;
    private long seq;
    private int pairs;
    private boolean sameFields;

    private int pairsLeft;
    /** Position of the next field (in the master fields when the entry has the master's). */
    private int fieldPosition;
    /** Position of the next value, or of the next field-value pair for an entry with fields of its own. */
    private int valuePosition;
    private int currentField;
    private int currentValue;

    /** Starts a walk from the first entry at or after start to the last at or before end. */
    public EntryCursor forward(StreamValue stream, long startMs, long startSeq, long endMs, long endSeq) {
        return begin(stream, false, startMs, startSeq, endMs, endSeq);
    }

    /** Starts a walk from the last entry at or before end back to the first at or after start. */
    public EntryCursor backward(StreamValue stream, long startMs, long startSeq, long endMs, long endSeq) {
        return begin(stream, true, startMs, startSeq, endMs, endSeq);
    }

    private EntryCursor begin(StreamValue stream, boolean reverse, long startMs, long startSeq, long endMs,
            long endSeq) {
        this.stream = stream;
        this.reverse = reverse;
        this.startMs = startMs;
        this.startSeq = startSeq;
        this.endMs = endMs;
        this.endSeq = endSeq;
        this.node = null;
        this.header = Listpack.NONE;
        this.done = StreamIds.compare(startMs, startSeq, endMs, endSeq) > 0;
        if (!done) {
            // The node that may hold the first entry to return: the last one starting at or
            // before the bound the walk starts from (the first node if none does, going forward).
            int found = reverse ? stream.nodeAtOrBefore(endMs, endSeq)
                    : Math.max(0, stream.nodeAtOrBefore(startMs, startSeq));
            nodeIndex = reverse ? found + 1 : found - 1;
        }
        return this;
    }

    /** Moves to the next entry of the walk; false when there is none. */
    public boolean next() {
        while (!done) {
            if (header == Listpack.NONE || node == null) {
                if (!enterNextNode()) {
                    done = true;
                    return false;
                }
            } else {
                header = reverse ? node.previousHeader(header) : node.nextHeader(header);
                if (header == Listpack.NONE) {
                    continue;
                }
            }
            readHeader();
            int toStart = StreamIds.compare(ms, seq, startMs, startSeq);
            int toEnd = StreamIds.compare(ms, seq, endMs, endSeq);
            if (reverse ? toStart < 0 : toEnd > 0) {
                done = true;
                return false;
            }
            if ((reverse ? toEnd <= 0 : toStart >= 0) && (node.flags(header) & StreamNode.DELETED) == 0) {
                return true;
            }
        }
        return false;
    }

    private boolean enterNextNode() {
        nodeIndex += reverse ? -1 : 1;
        if (nodeIndex < 0 || nodeIndex >= stream.nodeCount()) {
            return false;
        }
        node = stream.node(nodeIndex);
        header = reverse ? node.lastHeader() : node.entriesStart;
        return true;
    }

    private void readHeader() {
        byte[] bytes = node.data.array();
        int offset = node.data.dataOffset(header);
        int flags = bytes[offset++];
        long msDelta = StreamNode.readVarLong(bytes, offset);
        offset += StreamNode.varLongSize(bytes, offset);
        long part = StreamNode.readVarLong(bytes, offset);
        offset += StreamNode.varLongSize(bytes, offset);
        ms = node.masterMs + msDelta;
        seq = msDelta == 0 ? node.masterSeq + part : part;
        sameFields = (flags & StreamNode.SAME_FIELDS) != 0;
        pairs = sameFields ? node.masterFields : (int) StreamNode.readVarLong(bytes, offset);
        pairsLeft = pairs;
        valuePosition = node.data.next(header);
        fieldPosition = sameFields ? node.data.first() : Listpack.NONE;
    }

    public long ms() {
        return ms;
    }

    public long seq() {
        return seq;
    }

    /** Number of field-value pairs of the current entry. */
    public int pairs() {
        return pairs;
    }

    /** Moves to the next field-value pair of the current entry; false after the last. */
    public boolean nextField() {
        if (pairsLeft == 0) {
            return false;
        }
        pairsLeft--;
        if (sameFields) {
            currentField = fieldPosition;
            fieldPosition = node.data.next(fieldPosition);
            currentValue = valuePosition;
        } else {
            currentField = valuePosition;
            currentValue = node.data.next(currentField);
        }
        valuePosition = node.data.next(currentValue);
        return true;
    }

    /** The array the current field and value are in. */
    public byte[] array() {
        return node.data.array();
    }

    public int fieldOffset() {
        return node.data.dataOffset(currentField);
    }

    public int fieldLength() {
        return node.data.dataLength(currentField);
    }

    public int valueOffset() {
        return node.data.dataOffset(currentValue);
    }

    public int valueLength() {
        return node.data.dataLength(currentValue);
    }
}
