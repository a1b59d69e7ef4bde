package io.nuthatch.server.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One complete raw reply taken apart into its values, keeping every byte: for the comparisons that
 * reorder the elements of aggregates, and for showing a reply readably. {@link #bytes} of the tree
 * read from a reply gives that reply back exactly.
 *
 * <p>An attribute ({@code |}) is kept as a node whose children are its key-value pairs followed by
 * the value it annotates, which is how it travels on the wire.
 */
public final class ReplyTree {

    /**
     * A value: its type byte, its first line without the type byte and CRLF, the payload of a
     * string type (without the CRLF after it), and the elements of an aggregate.
     */
    public record Node(byte type, String line, byte[] payload, List<Node> children) {

        public boolean isAggregate() {
            return children != null;
        }

        /** Whether the elements of this aggregate go two by two: key then value. */
        public boolean isKeyValue() {
            return type == '%' || type == '|';
        }

        /** The same value with its elements in another order. */
        public Node withChildren(List<Node> reordered) {
            return new Node(type, line, payload, reordered);
        }
    }

    private final byte[] bytes;
    private int position;

    private ReplyTree(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The reply's value; fails when the bytes are not exactly one complete reply. */
    public static Node parse(byte[] reply) {
        ReplyTree parser = new ReplyTree(reply);
        Node node = parser.value();
        if (parser.position != reply.length) {
            throw new IllegalArgumentException("trailing bytes after a reply: " + Resp.escape(reply));
        }
        return node;
    }

    public static byte[] bytes(Node node) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(node, out);
        return out.toByteArray();
    }

    private static void write(Node node, ByteArrayOutputStream out) {
        out.write(node.type());
        out.writeBytes(node.line().getBytes(StandardCharsets.ISO_8859_1));
        out.write('\r');
        out.write('\n');
        if (node.payload() != null) {
            out.writeBytes(node.payload());
            out.write('\r');
            out.write('\n');
        }
        if (node.children() != null) {
            node.children().forEach(child -> write(child, out));
        }
    }

    private Node value() {
        if (position >= bytes.length) {
            throw new IllegalArgumentException("reply ends early: " + Resp.escape(bytes));
        }
        byte type = bytes[position++];
        String line = line();
        return switch (type) {
            case '+', '-', ':', ',', '(', '#', '_' -> new Node(type, line, null, null);
            case '$', '=', '!' -> {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    yield new Node(type, line, null, null);
                }
                byte[] payload = Arrays.copyOfRange(bytes, position, position + length);
                position += length + 2;
                yield new Node(type, line, payload, null);
            }
            case '*', '~', '>', '%', '|' -> {
                int count = Integer.parseInt(line);
                if (count < 0) {
                    yield new Node(type, line, null, null);
                }
                int values = type == '%' || type == '|' ? count * 2 : count;
                List<Node> children = new ArrayList<>(values + 1);
                for (int i = 0; i < values; i++) {
                    children.add(value());
                }
                if (type == '|') {
                    children.add(value());
                }
                yield new Node(type, line, null, children);
            }
            default -> throw new IllegalArgumentException("not a RESP type '" + (char) type + "' at byte "
                    + (position - 1) + " of " + Resp.escape(bytes));
        };
    }

    private String line() {
        int start = position;
        while (position + 1 < bytes.length && !(bytes[position] == '\r' && bytes[position + 1] == '\n')) {
            position++;
        }
        if (position + 1 >= bytes.length) {
            throw new IllegalArgumentException("a line without CRLF in " + Resp.escape(bytes));
        }
        String line = new String(bytes, start, position - start, StandardCharsets.ISO_8859_1);
        position += 2;
        return line;
    }
}
