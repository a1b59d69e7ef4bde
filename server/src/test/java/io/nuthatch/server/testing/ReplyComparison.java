package io.nuthatch.server.testing;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * How the two servers' replies to one step are compared: each reply is turned into the text that
 * must be equal. {@link Exact} keeps every byte; the others leave out, on purpose and visibly in
 * the script, what may differ between two correct servers (an order, a client's address).
 */
public sealed interface ReplyComparison {

    /** Which script connection, if any, a server lists under a client port (for CLIENT LIST lines). */
    @FunctionalInterface
    interface ConnectionNames {
        /** The script's name of the connection from this local port, or null if it is not one of the case's. */
        String nameOfPort(int port);
    }

    /** The text of the reply that takes part in the comparison. */
    String comparable(byte[] reply, ConnectionNames names);

    /** Whether the compared text is the reply's own bytes, so that showing both again adds nothing. */
    default boolean comparesAllBytes() {
        return false;
    }

    /** Reads the comparison of a {@code [word ...]} prefix, or returns null when the word names none. */
    static ReplyComparison parse(String word, List<String> rest) {
        return switch (word) {
            case "type" -> noArguments(new TypeOnly(), word, rest);
            case "any" -> noArguments(new Ignored(), word, rest);
            case "unordered" -> new Unordered(UnorderedReply.Levels.parse(rest));
            case "clients" -> {
                if (rest.isEmpty()) {
                    throw new IllegalArgumentException("[clients] needs the fields to compare, such as"
                            + " [clients name flags db]");
                }
                yield new ClientFields(List.copyOf(rest));
            }
            case "mask" -> {
                try {
                    yield new Masked(Pattern.compile(String.join(" ", rest)));
                } catch (PatternSyntaxException e) {
                    throw new IllegalArgumentException("[mask] needs a regular expression: " + e.getMessage());
                }
            }
            default -> null;
        };
    }

    private static ReplyComparison noArguments(ReplyComparison comparison, String word, List<String> rest) {
        if (!rest.isEmpty()) {
            throw new IllegalArgumentException("[" + word + "] takes no arguments");
        }
        return comparison;
    }

    /** Every byte. */
    record Exact() implements ReplyComparison {
        @Override
        public String comparable(byte[] reply, ConnectionNames names) {
            return Resp.escape(reply);
        }

        @Override
        public boolean comparesAllBytes() {
            return true;
        }
    }

    /** The type byte only, for values that depend on time or on the server's history. */
    record TypeOnly() implements ReplyComparison {
        @Override
        public String comparable(byte[] reply, ConnectionNames names) {
            return reply == null ? "<connection closed>" : String.valueOf((char) reply[0]);
        }
    }

    /** Nothing: the step is run on both servers for its effect. */
    record Ignored() implements ReplyComparison {
        @Override
        public String comparable(byte[] reply, ConnectionNames names) {
            return "";
        }
    }

    /** Every byte, once the free levels are sorted ({@link UnorderedReply}). */
    record Unordered(UnorderedReply.Levels levels) implements ReplyComparison {
        @Override
        public String comparable(byte[] reply, ConnectionNames names) {
            try {
                return ReplyDisplay.show(UnorderedReply.canonical(reply, levels));
            } catch (IllegalArgumentException e) {
                return "cannot sort: " + e.getMessage();
            }
        }
    }

    /**
     * CLIENT LIST and CLIENT INFO: the type byte, then for each line of a client that is one of the
     * case's connections, its script name and the chosen fields in the order asked. Lines of other
     * clients (another test's connection not gone yet, the harness's own) are left out, so are
     * ids, addresses, ages and buffer sizes unless asked for.
     */
    record ClientFields(List<String> fields) implements ReplyComparison {
        @Override
        public String comparable(byte[] reply, ConnectionNames names) {
            if (reply == null || (reply[0] != '$' && reply[0] != '=')) {
                return Resp.escape(reply);
            }
            ReplyTree.Node node = ReplyTree.parse(reply);
            if (node.payload() == null) {
                return Resp.escape(reply);
            }
            String text = new String(node.payload(), StandardCharsets.ISO_8859_1);
            if (reply[0] == '=') {
                text = text.substring(4);
            }
            StringBuilder shown = new StringBuilder().append((char) reply[0]);
            for (String line : text.split("\n")) {
                String name = connectionOf(field(line, "addr"), names);
                if (name == null) {
                    continue;
                }
                shown.append("\n@").append(name);
                for (String field : fields) {
                    String value = field(line, field);
                    shown.append(' ').append(field).append('=').append(value == null ? "<absent>" : value);
                }
            }
            return shown.toString();
        }

        private static String connectionOf(String address, ConnectionNames names) {
            if (address == null || address.lastIndexOf(':') < 0) {
                return null;
            }
            try {
                return names.nameOfPort(Integer.parseInt(address.substring(address.lastIndexOf(':') + 1)));
            } catch (NumberFormatException notAPort) {
                return null;
            }
        }

        private static String field(String line, String name) {
            for (String field : line.strip().split(" ")) {
                if (field.startsWith(name + "=")) {
                    return field.substring(name.length() + 1);
                }
            }
            return null;
        }
    }

    /** The escaped reply with every match of the pattern replaced, for values such as MONITOR's time stamps. */
    record Masked(Pattern pattern) implements ReplyComparison {
        @Override
        public String comparable(byte[] reply, ConnectionNames names) {
            return pattern.matcher(Resp.escape(reply)).replaceAll("<masked>");
        }
    }
}
