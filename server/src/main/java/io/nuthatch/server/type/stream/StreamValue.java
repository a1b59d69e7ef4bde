package io.nuthatch.server.type.stream;

import io.nuthatch.server.type.Listpack;
import io.nuthatch.server.type.MemoryLayout;
import io.nuthatch.server.type.SharedParts;
import io.nuthatch.server.type.StoredValue;
import io.nuthatch.server.type.UndoPoint;
import io.nuthatch.server.type.ValueType;

import java.util.Arrays;

/**
 * A stream: entries in ID order, packed into nodes of up to stream-node-max-entries entries
 * ({@link StreamNode}), with the counters Redis 7.0 keeps beside them and the consumer groups
 * ({@link StreamGroups}).
 *
 * <p><b>The node index.</b> Redis keeps its nodes in a radix tree keyed by master ID. Entries only
 * ever arrive at the tail, and trimming removes nodes from the head, so here the nodes sit in an
 * array in ID order with a movable start: appending a node, dropping the first one, and finding
 * the node of an ID (a binary search on master IDs) cost what the tree's operations cost, with one
 * reference per node. XDEL of the last live entry of a node in the middle shifts the references
 * after it, a copy of a few kilobytes for a stream of a million entries.
 *
 * <p><b>Nodes fill up as Redis's do.</b> A new entry goes into the tail node unless that node
 * holds stream-node-max-entries entries (tombstones counted) or its Redis listpack size plus the
 * new entry's fields and values reaches stream-node-max-bytes; then a new node starts. Trimming
 * with {@code ~} removes whole nodes only, so XLEN after {@code XADD ... MAXLEN ~ n} is the same
 * as Redis's, to the entry.
 *
 * <p><b>Counters (Redis 7.0).</b> Beside the length and last ID: the first live entry's ID (0-0
 * when empty), the largest ID ever deleted by XDEL, and the number of entries ever added. Consumer
 * group lag is computed from them.
 */
public final class StreamValue implements StoredValue {
    /** Redis's cap on a listpack, whatever stream-node-max-bytes says (STREAM_LISTPACK_MAX_SIZE). */
    public static final long LISTPACK_MAX_SIZE = 1L << 30;

    private static final StreamNode[] NO_NODES = new StreamNode[0];
    private static final long OBJECT_BYTES = MemoryLayout.align(MemoryLayout.OBJECT_HEADER + 9 * 8
            + 3 * MemoryLayout.REFERENCE + 2 * 4);

    private StreamNode[] nodes = NO_NODES;
    private int head;
    private int nodeCount;
    private long length;
    private long lastMs;
    private long lastSeq;
    private long firstMs;
    private long firstSeq;
    private long maxDeletedMs;
    private long maxDeletedSeq;
    private long entriesAdded;
    private StreamGroups groups;
    /** While a {@link #undoPoint} is kept: the nodes this stream may change in place; else null. */
    private SharedParts sharing;
    /** Memory of the nodes, kept current as they change. */
    private long nodesMemory;

    @Override
    public ValueType type() {
        return ValueType.STREAM;
    }

    @Override
    public String encoding() {
        return "stream";
    }

    @Override
    public long memoryUsage() {
        return OBJECT_BYTES + MemoryLayout.referenceArray(nodes.length) + nodesMemory
                + (groups == null ? 0 : groups.memoryUsage());
    }

    /** The memory counted afresh from the nodes, to compare with the running figure in tests. */
    long recountedMemory() {
        long bytes = OBJECT_BYTES + MemoryLayout.referenceArray(nodes.length)
                + (groups == null ? 0 : groups.memoryUsage());
        for (int i = 0; i < nodeCount; i++) {
            bytes += node(i).memoryUsage();
        }
        return bytes;
    }

    @Override
    public StreamValue copy() {
        StreamValue copy = new StreamValue();
        copy.nodes = new StreamNode[nodeCount];
        for (int i = 0; i < nodeCount; i++) {
            copy.nodes[i] = node(i).copy();
            copy.nodesMemory += copy.nodes[i].memoryUsage();
        }
        copy.nodeCount = nodeCount;
        copyCountersTo(copy);
        copy.groups = groups == null ? null : groups.copy();
        return copy;
    }

    private void copyCountersTo(StreamValue copy) {
        copy.length = length;
        copy.lastMs = lastMs;
        copy.lastSeq = lastSeq;
        copy.firstMs = firstMs;
        copy.firstSeq = firstSeq;
        copy.maxDeletedMs = maxDeletedMs;
        copy.maxDeletedSeq = maxDeletedSeq;
        copy.entriesAdded = entriesAdded;
    }

    /**
     * The stream as it is, sharing its nodes: each node is copied before this stream next changes
     * it. A stream with consumer groups has none (its groups change in place everywhere).
     */
    private StreamValue sharingCopy() {
        if (groups != null) {
            return null;
        }
        StreamValue copy = new StreamValue();
        copy.nodes = Arrays.copyOfRange(nodes, head, head + nodeCount);
        copy.nodeCount = nodeCount;
        copy.nodesMemory = nodesMemory;
        copyCountersTo(copy);
        sharing = new SharedParts();
        return copy;
    }

    /** A copy sharing the nodes ({@link #undoPoint}), which this value keeps until released. */
    @Override
    public UndoPoint undoPoint() {
        if (sharing != null) {
            return null;
        }
        StreamValue copy = sharingCopy();
        return copy == null ? null : SharedParts.point(copy, () -> sharing = null);
    }

    // ---------------------------------------------------------------- counters

    /** Number of live entries (XLEN). */
    public long length() {
        return length;
    }

    public long lastMs() {
        return lastMs;
    }

    public long lastSeq() {
        return lastSeq;
    }

    /** The ID of the first live entry (recorded-first-entry-id), 0-0 when there is none. */
    public long firstMs() {
        return firstMs;
    }

    public long firstSeq() {
        return firstSeq;
    }

    public long maxDeletedMs() {
        return maxDeletedMs;
    }

    public long maxDeletedSeq() {
        return maxDeletedSeq;
    }

    public long entriesAdded() {
        return entriesAdded;
    }

    /** Whether the last ID is the largest there is, so that nothing can be added any more. */
    public boolean isExhausted() {
        return lastMs == StreamIds.MAX && lastSeq == StreamIds.MAX;
    }

    /**
     * XSETID: a new last ID and, when given (not negative), entries-added and the largest deleted
     * ID (0-0: keep). The caller has checked them against the stream.
     */
    public void setLastId(long ms, long seq, long entriesAdded, long maxDeletedMs, long maxDeletedSeq) {
        lastMs = ms;
        lastSeq = seq;
        if (entriesAdded >= 0) {
            this.entriesAdded = entriesAdded;
        }
        if (!StreamIds.isZero(maxDeletedMs, maxDeletedSeq)) {
            this.maxDeletedMs = maxDeletedMs;
            this.maxDeletedSeq = maxDeletedSeq;
        }
    }

    /** The consumer groups; null while the stream has never had one. */
    public StreamGroups groups() {
        return groups;
    }

    /** The consumer groups, created empty when there are none yet. */
    public StreamGroups groupsForWrite() {
        if (groups == null) {
            groups = new StreamGroups();
        }
        return groups;
    }

    // ---------------------------------------------------------------- adding

    /** {@link #nextId}: the ID is fine. */
    public static final int ID_ACCEPTED = 0;
    /** {@link #nextId}: the ID is not larger than the last one. */
    public static final int ID_NOT_GREATER = 1;
    /** {@link #nextId}: {@code ms-*} where the last ID has that time and the largest sequence. */
    public static final int SEQUENCE_EXHAUSTED = 2;

    /**
     * The ID XADD would give a new entry, into {@code id}: with {@code auto}, from the clock
     * ({@code now}, or the last ID's successor if the clock is behind it); with a time but no
     * sequence ({@code ms-*}), the next sequence of that time; else the ID given.
     *
     * @return {@link #ID_ACCEPTED}, {@link #ID_NOT_GREATER} or {@link #SEQUENCE_EXHAUSTED}
     */
    public int nextId(boolean auto, boolean sequenceGiven, long now, StreamId id) {
        if (auto) {
            if (Long.compareUnsigned(now, lastMs) > 0) {
                id.set(now, 0);
            } else {
                id.set(lastMs, lastSeq).increment();
            }
        } else if (!sequenceGiven) {
            if (id.ms == lastMs) {
                if (lastSeq == StreamIds.MAX) {
                    return SEQUENCE_EXHAUSTED;
                }
                id.seq = lastSeq + 1;
            } else {
                id.seq = 0;
            }
        }
        return id.compareTo(lastMs, lastSeq) > 0 ? ID_ACCEPTED : ID_NOT_GREATER;
    }

    /**
     * Appends an entry whose ID {@link #nextId} produced. {@code maxNodeBytes} and
     * {@code maxNodeEntries} are stream-node-max-bytes and stream-node-max-entries (0: no limit);
     * {@code scratch} is a buffer of at least 32 bytes.
     */
    public void append(long ms, long seq, EntryFields fields, long maxNodeBytes, long maxNodeEntries, byte[] scratch) {
        StreamNode tail = nodeCount == 0 ? null : writableNode(nodeCount - 1);
        if (tail != null && isFull(tail, fields, maxNodeBytes, maxNodeEntries)) {
            nodesMemory -= tail.memoryUsage();
            tail.seal();
            nodesMemory += tail.memoryUsage();
            tail = null;
        }
        if (tail == null) {
            tail = StreamNode.start(ms, seq, fields);
            addNode(tail);
        }
        nodesMemory -= tail.memoryUsage();
        tail.append(ms, seq, fields, scratch);
        nodesMemory += tail.memoryUsage();
        length++;
        entriesAdded++;
        lastMs = ms;
        lastSeq = seq;
        if (length == 1) {
            firstMs = ms;
            firstSeq = seq;
        }
    }

    private static boolean isFull(StreamNode tail, EntryFields fields, long maxNodeBytes, long maxNodeEntries) {
        long limit = maxNodeBytes == 0 || maxNodeBytes > LISTPACK_MAX_SIZE ? LISTPACK_MAX_SIZE : maxNodeBytes;
        long added = 0;
        for (int element = 0; element < 2 * fields.pairs(); element++) {
            added += fields.length(element);
        }
        return tail.redisBytes() + added >= limit || (maxNodeEntries != 0 && tail.entries() >= maxNodeEntries);
    }

    // ---------------------------------------------------------------- the node index

    int nodeCount() {
        return nodeCount;
    }

    StreamNode node(int index) {
        return nodes[head + index];
    }

    /** Node {@code index}, to be changed in place: a copy first when a sharing copy still holds it. */
    private StreamNode writableNode(int index) {
        StreamNode node = node(index);
        if (sharing == null || sharing.owns(node)) {
            return node;
        }
        StreamNode copy = node.copy();
        nodes[head + index] = copy;
        nodesMemory += copy.memoryUsage() - node.memoryUsage();
        sharing.own(copy);
        return copy;
    }

    /** Number of nodes (XINFO's radix-tree-keys). */
    public int nodes() {
        return nodeCount;
    }

    /** The node master IDs, in order, as Redis's radix tree keys them: for XINFO's radix-tree-nodes. */
    public long radixTreeNodes() {
        long[] masters = new long[2 * nodeCount];
        for (int i = 0; i < nodeCount; i++) {
            masters[2 * i] = node(i).masterMs;
            masters[2 * i + 1] = node(i).masterSeq;
        }
        return RadixTreeShape.nodeCount(masters, nodeCount);
    }

    /** Index of the last node whose master ID is at or before the ID, -1 when none is. */
    int nodeAtOrBefore(long ms, long seq) {
        int low = 0;
        int high = nodeCount - 1;
        int found = -1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            StreamNode candidate = node(middle);
            if (StreamIds.compare(candidate.masterMs, candidate.masterSeq, ms, seq) <= 0) {
                found = middle;
                low = middle + 1;
            } else {
                high = middle - 1;
            }
        }
        return found;
    }

    /** {@link StreamBuilder}: a node it finished, appended whole. */
    void addLoadedNode(StreamNode node) {
        addNode(node);
    }

    /** {@link StreamBuilder}: the counters of the serialized form. */
    void loaded(long length, long lastMs, long lastSeq, long firstMs, long firstSeq, long maxDeletedMs,
            long maxDeletedSeq, long entriesAdded) {
        this.length = length;
        this.lastMs = lastMs;
        this.lastSeq = lastSeq;
        this.firstMs = firstMs;
        this.firstSeq = firstSeq;
        this.maxDeletedMs = maxDeletedMs;
        this.maxDeletedSeq = maxDeletedSeq;
        this.entriesAdded = entriesAdded;
    }

    private void addNode(StreamNode node) {
        if (head + nodeCount == nodes.length) {
            if (head > 0 && nodeCount < nodes.length / 2) {
                System.arraycopy(nodes, head, nodes, 0, nodeCount);
                Arrays.fill(nodes, nodeCount, head + nodeCount, null);
            } else {
                StreamNode[] grown = new StreamNode[Math.max(1, nodeCount + (nodeCount >> 1) + 1)];
                System.arraycopy(nodes, head, grown, 0, nodeCount);
                nodes = grown;
            }
            head = 0;
        }
        nodes[head + nodeCount] = node;
        nodeCount++;
        nodesMemory += node.memoryUsage();
        if (sharing != null) {
            sharing.own(node);
        }
    }

    private void removeNode(int index) {
        nodesMemory -= node(index).memoryUsage();
        if (index == 0) {
            nodes[head] = null;
            head++;
        } else {
            System.arraycopy(nodes, head + index + 1, nodes, head + index, nodeCount - index - 1);
            nodes[head + nodeCount - 1] = null;
        }
        nodeCount--;
        if (nodeCount == 0) {
            head = 0;
        }
        if (nodes.length > 8 && nodeCount < nodes.length / 4) {
            nodes = Arrays.copyOfRange(nodes, head, head + Math.max(nodeCount * 2, 1));
            head = 0;
        }
    }

    // ---------------------------------------------------------------- finding entries

    /** Whether a live entry has this ID. */
    public boolean contains(long ms, long seq) {
        int index = nodeAtOrBefore(ms, seq);
        return index >= 0 && findHeader(node(index), ms, seq, false) != Listpack.NONE;
    }

    /** The header of the entry with this ID in the node (a tombstone only when asked), or NONE. */
    private static int findHeader(StreamNode node, long ms, long seq, boolean tombstones) {
        for (int header = node.entriesStart; header != Listpack.NONE; header = node.nextHeader(header)) {
            int order = StreamIds.compare(node.idMs(header), node.idSeq(header), ms, seq);
            if (order == 0) {
                return tombstones || (node.flags(header) & StreamNode.DELETED) == 0 ? header : Listpack.NONE;
            }
            if (order > 0) {
                break;
            }
        }
        return Listpack.NONE;
    }

    /** The ID of the last live entry into {@code id}; false (and 0-0) when the stream is empty. */
    public boolean lastLiveId(StreamId id) {
        for (int index = nodeCount - 1; index >= 0; index--) {
            StreamNode node = node(index);
            int header = node.lastLiveHeader();
            if (header != Listpack.NONE) {
                id.set(node.idMs(header), node.idSeq(header));
                return true;
            }
        }
        id.set(0, 0);
        return false;
    }

    /** The ID of the first entry, tombstones included, into {@code id}; the largest ID when there is none. */
    public void firstIdWithTombstones(StreamId id) {
        if (nodeCount == 0) {
            id.set(StreamIds.MAX, StreamIds.MAX);
            return;
        }
        StreamNode first = node(0);
        id.set(first.idMs(first.entriesStart), first.idSeq(first.entriesStart));
    }

    private void recordFirstLiveId() {
        firstMs = 0;
        firstSeq = 0;
        for (int index = 0; index < nodeCount && length > 0; index++) {
            StreamNode node = node(index);
            int header = node.firstLiveHeader();
            if (header != Listpack.NONE) {
                firstMs = node.idMs(header);
                firstSeq = node.idSeq(header);
                return;
            }
        }
    }

    // ---------------------------------------------------------------- deleting

    /**
     * XDEL of one ID: flags the entry deleted, or drops its node when it was the node's last live
     * entry, as Redis does. Records the largest deleted ID and the new first entry.
     *
     * @return whether a live entry had the ID
     */
    public boolean delete(long ms, long seq) {
        int index = nodeAtOrBefore(ms, seq);
        if (index < 0) {
            return false;
        }
        StreamNode node = node(index);
        int header = findHeader(node, ms, seq, false);
        if (header == Listpack.NONE) {
            return false;
        }
        if (node.live == 1) {
            removeNode(index);
        } else {
            writableNode(index).markDeleted(header);
        }
        length--;
        if (StreamIds.compare(ms, seq, maxDeletedMs, maxDeletedSeq) > 0) {
            maxDeletedMs = ms;
            maxDeletedSeq = seq;
        }
        if (length == 0) {
            firstMs = 0;
            firstSeq = 0;
        } else if (ms == firstMs && seq == firstSeq) {
            recordFirstLiveId();
        }
        return true;
    }

    // ---------------------------------------------------------------- trimming

    /**
     * Trims to at most {@code maxLength} entries (XTRIM/XADD MAXLEN); see {@link #trim}. With
     * {@code dryRun}, changes nothing and answers how many entries would go.
     *
     * @return the number of entries removed
     */
    public long trimToLength(long maxLength, boolean approximate, long limit, boolean dryRun) {
        return trim(true, maxLength, 0, 0, approximate, limit, dryRun);
    }

    /** Trims the entries older than the ID (MINID); see {@link #trimToLength}. */
    public long trimBefore(long ms, long seq, boolean approximate, long limit, boolean dryRun) {
        return trim(false, 0, ms, seq, approximate, limit, dryRun);
    }

    /**
     * Redis's streamTrim. Whole nodes go first, from the oldest, while the stream stays at or above
     * the length asked (MAXLEN) or the node's last entry, tombstones included, is older than the
     * ID (MINID). With {@code approximate} that is all; otherwise the entries of the next node are
     * flagged deleted one by one until the condition holds. {@code limit} (0: none) stops before a
     * node whose live entries would take the count removed past it.
     */
    private long trim(boolean byLength, long maxLength, long minMs, long minSeq, boolean approximate, long limit,
            boolean dryRun) {
        long remaining = length;
        long removed = 0;
        int dropped = 0;
        while (dropped < nodeCount) {
            if (byLength && remaining <= maxLength) {
                break;
            }
            StreamNode node = node(dropped);
            long entries = node.live;
            if (limit != 0 && removed + entries > limit) {
                break;
            }
            boolean dropNode;
            if (byLength) {
                dropNode = remaining - entries >= maxLength;
            } else {
                int last = node.lastHeader();
                dropNode = StreamIds.compare(node.idMs(last), node.idSeq(last), minMs, minSeq) < 0;
            }
            if (dropNode) {
                remaining -= entries;
                removed += entries;
                dropped++;
                continue;
            }
            if (approximate) {
                break;
            }
            if (!dryRun) {
                node = writableNode(dropped);
            }
            for (int header = node.entriesStart; header != Listpack.NONE; header = node.nextHeader(header)) {
                boolean stop = byLength ? remaining <= maxLength
                        : StreamIds.compare(node.idMs(header), node.idSeq(header), minMs, minSeq) >= 0;
                if (stop) {
                    break;
                }
                if ((node.flags(header) & StreamNode.DELETED) == 0) {
                    if (!dryRun) {
                        node.markDeleted(header);
                    }
                    remaining--;
                    removed++;
                }
            }
            break;
        }
        if (dryRun) {
            return removed;
        }
        for (int i = 0; i < dropped; i++) {
            removeNode(0);
        }
        length = remaining;
        if (length == 0) {
            firstMs = 0;
            firstSeq = 0;
        } else if (removed > 0) {
            recordFirstLiveId();
        }
        return removed;
    }
}
