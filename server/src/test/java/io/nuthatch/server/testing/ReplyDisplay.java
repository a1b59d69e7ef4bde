package io.nuthatch.server.testing;

import java.nio.charset.StandardCharsets;

/**
 * A reply shown for a person reading a failed comparison: one value per line, the elements of an
 * aggregate indented under its header, string payloads quoted with their bytes escaped.
 *
 * <pre>
 * %2
 *   $"flags"
 *   ~1
 *     +off
 *   $"redirect"
 *   :-1
 * </pre>
 */
public final class ReplyDisplay {
    private ReplyDisplay() {
    }

    /** The reply as indented lines; bytes that are not one reply are shown escaped on one line. */
    public static String show(byte[] reply) {
        if (reply == null) {
            return "<connection closed>";
        }
        ReplyTree.Node root;
        try {
            root = ReplyTree.parse(reply);
        } catch (IllegalArgumentException notOneReply) {
            return Resp.escape(reply);
        }
        StringBuilder text = new StringBuilder();
        show(root, 0, text);
        return text.toString();
    }

    private static void show(ReplyTree.Node node, int depth, StringBuilder text) {
        if (depth > 0) {
            text.append('\n');
        }
        text.append("  ".repeat(depth)).append((char) node.type());
        if (node.payload() != null) {
            text.append('"').append(Resp.escape(node.payload())).append('"');
        } else {
            text.append(Resp.escape(node.line().getBytes(StandardCharsets.ISO_8859_1)));
        }
        if (node.isAggregate()) {
            for (ReplyTree.Node child : node.children()) {
                show(child, depth + 1, text);
            }
        }
    }
}
