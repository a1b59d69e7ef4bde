package io.nuthatch.server.type.stream;

/**
 * How many nodes Redis's radix tree (rax) has for a set of stream node keys: XINFO STREAM reports
 * it as radix-tree-nodes. Nodes here are not kept in a radix tree, so the figure is worked out
 * from the keys, each the 16 bytes of a master ID in big-endian order (milliseconds, then
 * sequence), as Redis keys its tree.
 *
 * <p>A rax is a compressed trie. Walking down from the root: a position where the keys below
 * continue with one byte only becomes a compressed node that spans the run of such positions and
 * points to one child where the run ends; a position where they continue with several bytes is a
 * node with one child per byte; the end of a key is a node of its own (a leaf). Counted over the
 * sorted keys, grouping them by their byte at each depth. An empty tree is its root alone.
 */
final class RadixTreeShape {
    private static final int KEY_BYTES = 16;

    private RadixTreeShape() {
    }

    /** {@code ids} holds {@code count} IDs in order, milliseconds and sequence alternately. */
    static long nodeCount(long[] ids, int count) {
        if (count == 0) {
            return 1;
        }
        return nodesFrom(ids, 0, count, 0);
    }

    /** Nodes of the subtree that starts at a node at {@code depth}, over keys [from, to). */
    private static long nodesFrom(long[] ids, int from, int to, int depth) {
        if (depth == KEY_BYTES) {
            return 1;
        }
        int end = depth;
        while (end < KEY_BYTES && byteAt(ids, from, end) == byteAt(ids, to - 1, end)) {
            end++;
        }
        if (end > depth) {
            // A compressed node over the bytes all keys share, then whatever starts where they part.
            return 1 + (end == KEY_BYTES ? 1 : branch(ids, from, to, end));
        }
        return branch(ids, from, to, depth);
    }

    /** A node whose keys continue with several different bytes at {@code depth}: one child per byte. */
    private static long branch(long[] ids, int from, int to, int depth) {
        long nodes = 1;
        int start = from;
        while (start < to) {
            int value = byteAt(ids, start, depth);
            int stop = start + 1;
            while (stop < to && byteAt(ids, stop, depth) == value) {
                stop++;
            }
            nodes += nodesFrom(ids, start, stop, depth + 1);
            start = stop;
        }
        return nodes;
    }

    private static int byteAt(long[] ids, int key, int depth) {
        long part = ids[2 * key + (depth >> 3)];
        return (int) (part >>> (8 * (7 - (depth & 7)))) & 0xFF;
    }
}
