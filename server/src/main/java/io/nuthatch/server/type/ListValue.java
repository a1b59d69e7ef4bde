package io.nuthatch.server.type;

/**
 * A list: a sequence of byte strings kept as a chain of {@link Listpack} nodes, as Redis keeps a
 * quicklist (OBJECT ENCODING says "quicklist" whatever the size, as Redis 7.0 does).
 *
 * <p><b>Layout.</b> The nodes sit in a ring of references, so pushing and popping at either end
 * are O(1): the end node takes the element while it has room, else a new node starts there. A
 * short list is one node: the list object, a one-slot ring, the node and its array, about what
 * Redis spends on a quicklist with one node and its listpack. How much a node holds is
 * {@code list-max-listpack-size}, read when the list is created, as Redis fixes a quicklist's
 * fill then: a negative value limits the node's bytes (-1: 4 KB, -2: 8 KB, -3: 16 KB, -4: 32 KB,
 * -5: 64 KB), a positive one its entries (and then, as in Redis, 8 KB still bounds the bytes). An
 * element larger than the limit gets a node of its own. A node is trimmed to the bytes it uses once
 * the next node starts beyond it, so a long list carries no room for appends but at its ends.
 * ({@code list-compress-depth} is accepted by the configuration and has no effect: nodes are never
 * compressed.)
 *
 * <p><b>Positions.</b> An element is named by a position that packs the node's index (counted from
 * the head) in the high 32 bits and the element's offset inside its node in the low ones;
 * {@link #first()}, {@link #next}, {@link #previous}, {@link #last()} and {@link #positionAt} move
 * between them and return {@link #NONE} past either end, so a command walks a range without
 * allocating anything. An index walk starts from the nearer end, node by node, then inside the
 * node. A position stays valid until the next change, except that {@link #remove} returns the
 * position of the element that followed, and positions before a removed element stay valid.
 *
 * <p><b>Memory.</b> The estimate is kept current by every change: each change to a node adds the
 * difference of that node's footprint before and after it.
 */
public final class ListValue implements StoredValue {
    public static final long NONE = -1;

    /** A positive fill still keeps nodes under this many bytes, as Redis's SIZE_SAFETY_LIMIT does. */
    private static final int SIZE_SAFETY_LIMIT = 8192;
    private static final int MAX_NODE_BYTES_SHIFT = 4;

    private Listpack[] nodes;
    /** Physical index in {@code nodes} of the head node. */
    private int head;
    private int nodeCount;
    private int size;
    /** list-max-listpack-size at creation. */
    private final int fill;
    /** Sum of the nodes' footprints. */
    private long nodesMemory;
    /** While a {@link #undoPoint} is kept: the nodes this list may change in place; else null. */
    private SharedParts sharing;

    /** An empty list whose nodes follow {@code list-max-listpack-size} {@code fill}. */
    public ListValue(int fill) {
        this.fill = fill;
        this.nodes = new Listpack[1];
    }

    private ListValue(ListValue source) {
        this.fill = source.fill;
        int capacity = 1;
        while (capacity < source.nodeCount) {
            capacity <<= 1;
        }
        this.nodes = new Listpack[capacity];
        for (int i = 0; i < source.nodeCount; i++) {
            Listpack copy = source.node(i).copy();
            nodes[i] = copy;
            nodesMemory += copy.memoryUsage();
        }
        this.nodeCount = source.nodeCount;
        this.size = source.size;
    }

    @Override
    public ValueType type() {
        return ValueType.LIST;
    }

    @Override
    public String encoding() {
        return "quicklist";
    }

    @Override
    public long memoryUsage() {
        return MemoryLayout.align(MemoryLayout.OBJECT_HEADER + 2 * MemoryLayout.REFERENCE + 4 * 4 + 8)
                + MemoryLayout.referenceArray(nodes.length) + nodesMemory;
    }

    @Override
    public ListValue copy() {
        return new ListValue(this);
    }

    /** The list as it is, sharing its nodes: each node is copied before this list next changes it. */
    private ListValue sharingCopy() {
        ListValue copy = new ListValue(fill);
        copy.nodes = nodes.clone();
        copy.head = head;
        copy.nodeCount = nodeCount;
        copy.size = size;
        copy.nodesMemory = nodesMemory;
        sharing = new SharedParts();
        return copy;
    }

    /** A copy sharing the nodes ({@link #undoPoint}), which this value keeps until released. */
    @Override
    public UndoPoint undoPoint() {
        if (sharing != null) {
            return null;
        }
        return SharedParts.point(sharingCopy(), () -> sharing = null);
    }

    /** Number of elements. */
    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** Number of nodes (for tests and benchmarks of the layout). */
    public int nodeCount() {
        return nodeCount;
    }

    // ---------------------------------------------------------------- positions

    public long first() {
        return size == 0 ? NONE : position(0, 0);
    }

    public long last() {
        return size == 0 ? NONE : position(nodeCount - 1, node(nodeCount - 1).last());
    }

    public long next(long position) {
        int index = nodeIndex(position);
        int following = node(index).next(offset(position));
        if (following != Listpack.NONE) {
            return position(index, following);
        }
        return index + 1 < nodeCount ? position(index + 1, 0) : NONE;
    }

    public long previous(long position) {
        int index = nodeIndex(position);
        int preceding = node(index).previous(offset(position));
        if (preceding != Listpack.NONE) {
            return position(index, preceding);
        }
        return index > 0 ? position(index - 1, node(index - 1).last()) : NONE;
    }

    /** The position of the element at {@code index} (0-based, negative from the tail), or NONE. */
    public long positionAt(long index) {
        if (index < 0) {
            index += size;
        }
        if (index < 0 || index >= size) {
            return NONE;
        }
        if (index < size / 2) {
            long before = 0;
            for (int i = 0; ; i++) {
                int entries = node(i).size();
                if (index < before + entries) {
                    return position(i, node(i).positionOf(index - before));
                }
                before += entries;
            }
        }
        long after = 0;
        long fromTail = size - 1 - index;
        for (int i = nodeCount - 1; ; i--) {
            int entries = node(i).size();
            if (fromTail < after + entries) {
                return position(i, node(i).positionOf(entries - 1 - (fromTail - after)));
            }
            after += entries;
        }
    }

    // ---------------------------------------------------------------- reading an element

    /** The array holding the element; its bytes are at {@link #dataOffset} for {@link #dataLength}. */
    public byte[] array(long position) {
        return node(nodeIndex(position)).array();
    }

    public int dataOffset(long position) {
        return node(nodeIndex(position)).dataOffset(offset(position));
    }

    public int dataLength(long position) {
        return node(nodeIndex(position)).dataLength(offset(position));
    }

    /** Whether the element's bytes equal the given range. */
    public boolean equalsAt(long position, byte[] other, int offset, int length) {
        return node(nodeIndex(position)).equalsAt(offset(position), other, offset, length);
    }

    /** A copy of the element's bytes. */
    public byte[] copyOf(long position) {
        return node(nodeIndex(position)).copyOf(offset(position));
    }

    // ---------------------------------------------------------------- changes at the ends

    public void pushHead(byte[] data, int offset, int length) {
        if (nodeCount == 0 || !fits(node(0), length)) {
            if (nodeCount > 0) {
                trim(0);
            }
            insertNode(0, newEndNode());
        }
        Listpack node = writableNode(0);
        long before = node.memoryUsage();
        node.prepend(data, offset, length);
        nodesMemory += node.memoryUsage() - before;
        size++;
    }

    public void pushTail(byte[] data, int offset, int length) {
        if (nodeCount == 0 || !fits(node(nodeCount - 1), length)) {
            if (nodeCount > 0) {
                trim(nodeCount - 1);
            }
            insertNode(nodeCount, newEndNode());
        }
        Listpack node = writableNode(nodeCount - 1);
        long before = node.memoryUsage();
        node.append(data, offset, length);
        nodesMemory += node.memoryUsage() - before;
        size++;
    }

    /** Removes the first element; the list must not be empty. */
    public void removeHead() {
        removeAtEnd(0, 0);
    }

    /** Removes the last element; the list must not be empty. */
    public void removeTail() {
        removeAtEnd(nodeCount - 1, node(nodeCount - 1).last());
    }

    /**
     * A pop. In a list of several nodes the end node keeps its array as pops take it apart: it is
     * usually emptied and dropped soon (a queue), and giving back room pop after pop would copy the
     * node again and again. A list of one node gives room back, as a short list must stay small.
     */
    private void removeAtEnd(int index, int at) {
        Listpack node = node(index);
        size--;
        if (node.size() == 1) {
            removeNode(index);
            return;
        }
        node = writableNode(index);
        long before = node.memoryUsage();
        node.delete(at, 1, nodeCount == 1);
        nodesMemory += node.memoryUsage() - before;
    }

    /** Removes {@code count} elements from the head (all of them, if there are fewer). */
    public void removeHead(long count) {
        while (count > 0 && nodeCount > 0) {
            Listpack node = node(0);
            if (node.size() <= count) {
                count -= node.size();
                size -= node.size();
                removeNode(0);
            } else {
                node = writableNode(0);
                long before = node.memoryUsage();
                node.delete(0, (int) count);
                nodesMemory += node.memoryUsage() - before;
                size -= (int) count;
                count = 0;
            }
        }
    }

    /** Removes {@code count} elements from the tail (all of them, if there are fewer). */
    public void removeTail(long count) {
        while (count > 0 && nodeCount > 0) {
            Listpack node = node(nodeCount - 1);
            if (node.size() <= count) {
                count -= node.size();
                size -= node.size();
                removeNode(nodeCount - 1);
            } else {
                node = writableNode(nodeCount - 1);
                long before = node.memoryUsage();
                node.delete(node.positionOf(node.size() - count), (int) count);
                nodesMemory += node.memoryUsage() - before;
                size -= (int) count;
                count = 0;
            }
        }
    }

    // ---------------------------------------------------------------- changes inside

    /** Removes the element at {@code position}; returns the position of the one that followed, or NONE. */
    public long remove(long position) {
        int index = nodeIndex(position);
        Listpack node = node(index);
        size--;
        if (node.size() == 1) {
            removeNode(index);
            return index < nodeCount ? position(index, 0) : NONE;
        }
        node = writableNode(index);
        long before = node.memoryUsage();
        int following = node.delete(offset(position), 1);
        nodesMemory += node.memoryUsage() - before;
        if (following != Listpack.NONE) {
            return position(index, following);
        }
        return index + 1 < nodeCount ? position(index + 1, 0) : NONE;
    }

    /** Replaces the bytes of the element at {@code position}. */
    public void replace(long position, byte[] data, int offset, int length) {
        int index = nodeIndex(position);
        Listpack node = node(index);
        int at = offset(position);
        int grown = node.byteSize() - Listpack.entrySizeOf(node.dataLength(at)) + Listpack.entrySizeOf(length);
        if (node.size() == 1 || withinLimit(node.size(), grown)) {
            node = writableNode(index);
            long before = node.memoryUsage();
            node.replace(at, data, offset, length);
            nodesMemory += node.memoryUsage() - before;
            return;
        }
        // The node would outgrow its limit: the new element goes in by the insertion rules.
        long following = remove(position);
        if (following == NONE) {
            pushTail(data, offset, length);
        } else {
            insertBefore(following, data, offset, length);
        }
    }

    /** Inserts an element before the one at {@code position}. */
    public void insertBefore(long position, byte[] data, int offset, int length) {
        insertInNode(nodeIndex(position), offset(position), data, offset, length);
    }

    /** Inserts an element after the one at {@code position}. */
    public void insertAfter(long position, byte[] data, int offset, int length) {
        int index = nodeIndex(position);
        insertInNode(index, node(index).next(offset(position)), data, offset, length);
    }

    /**
     * Inserts before the entry at {@code at} of node {@code index}, or at the node's end for NONE.
     * A full node passes an element at its edge to the neighbour there when that one has room;
     * otherwise it is split at the insertion point, the element going to whichever half has room,
     * or to a node of its own between them.
     */
    private void insertInNode(int index, int at, byte[] data, int offset, int length) {
        Listpack node = node(index);
        size++;
        if (fits(node, length)) {
            change(index, at, data, offset, length);
            return;
        }
        if (at == 0 && index > 0 && fits(node(index - 1), length)) {
            change(index - 1, Listpack.NONE, data, offset, length);
            return;
        }
        if (at == Listpack.NONE && index + 1 < nodeCount && fits(node(index + 1), length)) {
            change(index + 1, 0, data, offset, length);
            return;
        }
        if (at != 0 && at != Listpack.NONE) {
            node = writableNode(index);
            long before = node.memoryUsage();
            Listpack tail = node.splitAt(at);
            nodesMemory += node.memoryUsage() - before;
            insertNode(index + 1, tail);
            if (fits(node, length)) {
                change(index, Listpack.NONE, data, offset, length);
                return;
            }
            if (fits(tail, length)) {
                change(index + 1, 0, data, offset, length);
                return;
            }
            index++;
        } else if (at == Listpack.NONE) {
            index++;
        }
        insertNode(index, new Listpack());
        change(index, Listpack.NONE, data, offset, length);
    }

    /** Inserts into node {@code index} before {@code at} (NONE: at its end), accounting its memory. */
    private void change(int index, int at, byte[] data, int offset, int length) {
        Listpack node = writableNode(index);
        long before = node.memoryUsage();
        node.insertBefore(at, data, offset, length);
        nodesMemory += node.memoryUsage() - before;
    }

    /** The nodes' footprint counted afresh, to compare with the running figure (tests). */
    long countNodesMemory() {
        long bytes = 0;
        for (int i = 0; i < nodeCount; i++) {
            bytes += node(i).memoryUsage();
        }
        return bytes;
    }

    long trackedNodesMemory() {
        return nodesMemory;
    }

    // ---------------------------------------------------------------- nodes

    /**
     * A node for an end of the list. When the list already has a node, it is long: the new node will
     * most likely be filled, so it gets its whole size at once (8 KB by default) rather than growing
     * there by steps, each a new array; it is trimmed to its content once another node starts
     * beyond it. A list's first node grows by steps, since a short list must stay small.
     */
    private Listpack newEndNode() {
        Listpack node = new Listpack();
        if (nodeCount > 0) {
            node.reserve(fill < 0 ? 4096 << Math.min(-fill - 1, MAX_NODE_BYTES_SHIFT)
                    : Math.min(SIZE_SAFETY_LIMIT, node(0).byteSize()));
        }
        return node;
    }

    /** Whether the node can take one more element of {@code length} bytes. */
    private boolean fits(Listpack node, int length) {
        return withinLimit(node.size() + 1, node.byteSize() + Listpack.entrySizeOf(length));
    }

    private boolean withinLimit(int entries, int bytes) {
        if (fill < 0) {
            int shift = Math.min(-fill - 1, MAX_NODE_BYTES_SHIFT);
            return bytes <= 4096 << shift;
        }
        return entries <= Math.max(1, fill) && bytes <= SIZE_SAFETY_LIMIT;
    }

    private Listpack node(int index) {
        return nodes[(head + index) & (nodes.length - 1)];
    }

    /** Node {@code index}, to be changed in place: a copy first when a sharing copy still holds it. */
    private Listpack writableNode(int index) {
        Listpack node = node(index);
        if (sharing == null || sharing.owns(node)) {
            return node;
        }
        Listpack copy = node.copy();
        nodes[(head + index) & (nodes.length - 1)] = copy;
        nodesMemory += copy.memoryUsage() - node.memoryUsage();
        sharing.own(copy);
        return copy;
    }

    /**
     * Gives back a node's room for appends: it is no longer at an end that grows. A node filled to
     * its limit has less than an element's room left, not worth the copy of the node.
     */
    private void trim(int index) {
        Listpack node = node(index);
        if (node.array().length - node.byteSize() <= node.byteSize() / 16) {
            return;
        }
        node = writableNode(index);
        long before = node.memoryUsage();
        node.trimToSize();
        nodesMemory += node.memoryUsage() - before;
    }

    private void insertNode(int index, Listpack node) {
        if (nodeCount == nodes.length) {
            Listpack[] grown = new Listpack[nodes.length * 2];
            for (int i = 0; i < nodeCount; i++) {
                grown[i] = node(i);
            }
            nodes = grown;
            head = 0;
        }
        int mask = nodes.length - 1;
        if (index == 0) {
            head = (head - 1) & mask;
        } else {
            for (int i = nodeCount; i > index; i--) {
                nodes[(head + i) & mask] = nodes[(head + i - 1) & mask];
            }
        }
        nodes[(head + index) & mask] = node;
        nodeCount++;
        nodesMemory += node.memoryUsage();
        if (sharing != null) {
            sharing.own(node);
        }
    }

    private void removeNode(int index) {
        int mask = nodes.length - 1;
        nodesMemory -= node(index).memoryUsage();
        if (index == 0) {
            nodes[head] = null;
            head = (head + 1) & mask;
        } else {
            for (int i = index; i < nodeCount - 1; i++) {
                nodes[(head + i) & mask] = nodes[(head + i + 1) & mask];
            }
            nodes[(head + nodeCount - 1) & mask] = null;
        }
        nodeCount--;
        if (nodes.length > 1 && nodeCount <= nodes.length / 4) {
            Listpack[] shrunk = new Listpack[nodes.length / 2];
            for (int i = 0; i < nodeCount; i++) {
                shrunk[i] = node(i);
            }
            nodes = shrunk;
            head = 0;
        }
    }

    private static long position(int node, int offset) {
        return ((long) node << 32) | offset;
    }

    private static int nodeIndex(long position) {
        return (int) (position >>> 32);
    }

    private static int offset(long position) {
        return (int) position;
    }
}
