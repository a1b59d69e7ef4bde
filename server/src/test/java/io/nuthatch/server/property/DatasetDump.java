package io.nuthatch.server.property;

import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.Resp;
import io.nuthatch.server.testing.RespValue;
import io.nuthatch.server.testing.UnorderedReply;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The whole dataset of a server's first database as text, the same for two servers holding the
 * same data however each orders its hash tables: keys sorted, then each key's type, encoding,
 * whether it has an expiry, and its contents read with the type's own commands (sets and hashes
 * in sorted order). Streams show their entries, the counters XINFO STREAM keeps (not the radix
 * tree's shape, which is Redis's internal business) and their consumer groups.
 */
final class DatasetDump {
    private static final Map<String, UnorderedReply.Levels> UNORDERED = Map.of(
            "set", UnorderedReply.Levels.TOP,
            "hash", UnorderedReply.Levels.parse(List.of("pairs")));

    private DatasetDump() {
    }

    static String of(RawConnection connection) throws IOException {
        List<String> keys = new ArrayList<>();
        for (Object key : (List<?>) RespValue.parse(connection.call("KEYS", "*"))) {
            keys.add((String) key);
        }
        keys.sort(null);
        StringBuilder dump = new StringBuilder();
        for (String key : keys) {
            String type = (String) RespValue.parse(call(connection, "TYPE", key));
            dump.append(Resp.escape(bytes(key))).append(" ").append(type)
                    .append(" ").append(text(call(connection, "OBJECT", "ENCODING", key)))
                    .append((Long) RespValue.parse(call(connection, "PTTL", key)) >= 0 ? " with expiry" : "")
                    .append("\n  ").append(contents(connection, type, key)).append('\n');
        }
        return dump.toString();
    }

    private static String contents(RawConnection connection, String type, String key) throws IOException {
        byte[] reply = switch (type) {
            case "string" -> call(connection, "GET", key);
            case "list" -> call(connection, "LRANGE", key, "0", "-1");
            case "set" -> call(connection, "SMEMBERS", key);
            case "zset" -> call(connection, "ZRANGE", key, "0", "-1", "WITHSCORES");
            case "hash" -> call(connection, "HGETALL", key);
            case "stream" -> null;
            default -> throw new AssertionError("a key of unknown type " + type);
        };
        if (reply != null) {
            UnorderedReply.Levels levels = UNORDERED.get(type);
            return text(levels == null ? reply : UnorderedReply.canonical(reply, levels));
        }
        return text(call(connection, "XRANGE", key, "-", "+")) + "\n  " + streamCounters(connection, key)
                + "\n  " + text(call(connection, "XINFO", "GROUPS", key));
    }

    /** XINFO STREAM without the radix tree's key and node counts. */
    private static String streamCounters(RawConnection connection, String key) throws IOException {
        List<?> fields = (List<?>) RespValue.parse(call(connection, "XINFO", "STREAM", key));
        StringBuilder text = new StringBuilder();
        for (int i = 0; i + 1 < fields.size(); i += 2) {
            String name = String.valueOf(fields.get(i));
            if (!name.startsWith("radix-tree")) {
                text.append(name).append('=').append(fields.get(i + 1)).append(' ');
            }
        }
        return text.toString();
    }

    private static byte[] call(RawConnection connection, String... command) throws IOException {
        List<byte[]> arguments = new ArrayList<>(command.length);
        for (String word : command) {
            arguments.add(bytes(word));
        }
        return connection.call(arguments);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String text(byte[] reply) {
        return Resp.escape(reply);
    }
}
