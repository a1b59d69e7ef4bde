package io.nuthatch.server.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The form of a reply in which chosen levels are put in one fixed order, so that two replies that
 * differ only in the order of those levels' elements become the same bytes.
 *
 * <p>Depth 1 is the elements of the reply itself, depth 2 the elements of each aggregate directly
 * inside it, and so on. At a free level the elements of every aggregate (array, set, map, push)
 * are sorted by their bytes; a map's entries move as key-value pairs, and so do an array's
 * elements at a level declared {@code pairs} (RESP2's flattened maps: HGETALL, CONFIG GET). Inner
 * levels are put in order first, so an element's bytes no longer depend on the order inside it
 * when the level above is sorted. Only the order changes: the count of every aggregate and every
 * byte of every element still take part in the comparison.
 */
public final class UnorderedReply {

    /**
     * The levels whose order is free: every level ({@code deep}) or the listed depths, of which
     * {@code pairedDepths} hold key-value pairs.
     */
    public record Levels(boolean deep, Set<Integer> depths, Set<Integer> pairedDepths) {

        /** The top level only: what a bare {@code [unordered]} means. */
        public static final Levels TOP = new Levels(false, Set.of(1), Set.of());

        /**
         * Reads the words after {@code unordered}: depths ({@code 1 2}), {@code deep}, and
         * {@code pairs}, which applies to the depth just before it, or to depth 1 when it comes first.
         * No words means depth 1.
         */
        public static Levels parse(List<String> words) {
            if (words.isEmpty()) {
                return TOP;
            }
            boolean deep = false;
            Set<Integer> depths = new TreeSet<>();
            Set<Integer> paired = new TreeSet<>();
            int last = 0;
            for (String word : words) {
                if (word.equals("deep")) {
                    deep = true;
                } else if (word.equals("pairs")) {
                    int depth = last == 0 ? 1 : last;
                    depths.add(depth);
                    paired.add(depth);
                } else if (word.matches("[1-9][0-9]?")) {
                    last = Integer.parseInt(word);
                    depths.add(last);
                } else {
                    throw new IllegalArgumentException("[unordered] takes depths (1, 2, ...), 'deep' and 'pairs',"
                            + " not '" + word + "'");
                }
            }
            return new Levels(deep, Set.copyOf(depths), Set.copyOf(paired));
        }

        boolean isFree(int depth) {
            return deep || depths.contains(depth);
        }
    }

    private UnorderedReply() {
    }

    /** The reply with its free levels sorted; null (a closed connection) stays null. */
    public static byte[] canonical(byte[] reply, Levels levels) {
        if (reply == null) {
            return null;
        }
        return ReplyTree.bytes(canonical(ReplyTree.parse(reply), 1, levels));
    }

    private static ReplyTree.Node canonical(ReplyTree.Node node, int depth, Levels levels) {
        if (!node.isAggregate() || node.children().isEmpty()) {
            return node;
        }
        List<ReplyTree.Node> children = new ArrayList<>(node.children().size());
        for (ReplyTree.Node child : node.children()) {
            children.add(canonical(child, depth + 1, levels));
        }
        if (!levels.isFree(depth)) {
            return node.withChildren(children);
        }
        // An attribute's last child is the value it annotates, not one of its entries.
        int entries = node.type() == '|' ? children.size() - 1 : children.size();
        int groupSize = node.isKeyValue() || levels.pairedDepths().contains(depth) ? 2 : 1;
        if (entries % groupSize != 0) {
            throw new IllegalArgumentException("[unordered] pairs at depth " + depth + ", but the aggregate has "
                    + entries + " elements: " + Resp.escape(ReplyTree.bytes(node)));
        }
        List<byte[]> groups = new ArrayList<>(entries / groupSize);
        for (int i = 0; i < entries; i += groupSize) {
            groups.add(ReplyTree.bytes(groupSize == 1 ? children.get(i)
                    : new ReplyTree.Node((byte) '*', "2", null, children.subList(i, i + 2))));
        }
        List<Integer> order = new ArrayList<>(groups.size());
        for (int i = 0; i < groups.size(); i++) {
            order.add(i);
        }
        order.sort((a, b) -> Arrays.compareUnsigned(groups.get(a), groups.get(b)));
        List<ReplyTree.Node> sorted = new ArrayList<>(children.size());
        for (int group : order) {
            sorted.addAll(children.subList(group * groupSize, group * groupSize + groupSize));
        }
        sorted.addAll(children.subList(entries, children.size()));
        return node.withChildren(sorted);
    }
}
