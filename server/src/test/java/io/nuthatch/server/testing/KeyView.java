package io.nuthatch.server.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What a key holds, read over a connection with the commands of its type, in a form two servers'
 * keys can be compared with: type, encoding, contents (hash and set tables sorted, since their
 * order is each server's own), and whether it has a TTL; {@link #assertSameTtl} compares TTLs
 * within the time two reads may be apart.
 */
public final class KeyView {
    private KeyView() {
    }

    public static List<String> of(RawConnection connection, String key) throws IOException {
        return of(connection, key, true);
    }

    /**
     * As {@link #of(RawConnection, String)}; without {@code withTimes}, a stream is read without
     * the consumers' seen times and the deliveries' times (XINFO STREAM and XINFO GROUPS instead of
     * XINFO STREAM FULL), for data replayed at another moment than the one it is compared with.
     */
    public static List<String> of(RawConnection connection, String key, boolean withTimes) throws IOException {
        List<String> view = new ArrayList<>();
        String type = (String) RespValue.parse(connection.call("TYPE", key));
        view.add(type);
        view.add(String.valueOf(RespValue.parse(connection.call("OBJECT", "ENCODING", key))));
        switch (type) {
            case "string" -> view.add(text(connection.call("GET", key)));
            case "list" -> view.add(text(connection.call("LRANGE", key, "0", "-1")));
            case "set" -> view.add(sorted(connection.call("SMEMBERS", key)));
            case "hash" -> view.add(sorted(connection.call("HGETALL", key)));
            case "zset" -> view.add(text(connection.call("ZRANGE", key, "0", "-1", "WITHSCORES")));
            case "stream" -> {
                view.add(text(connection.call("XRANGE", key, "-", "+")));
                if (withTimes) {
                    view.add(text(connection.call("XINFO", "STREAM", key, "FULL")));
                } else {
                    view.add(text(connection.call("XINFO", "STREAM", key)));
                    view.add(text(connection.call("XINFO", "GROUPS", key)));
                }
            }
            default -> throw new AssertionError("no key " + key);
        }
        long ttl = (Long) RespValue.parse(connection.call("PTTL", key));
        view.add(ttl < 0 ? Long.toString(ttl) : "has a ttl");
        return view;
    }

    /** The two keys' TTLs are within two seconds of each other (both without one counts as the same). */
    public static void assertSameTtl(RawConnection first, RawConnection second, String key, String secondKey)
            throws IOException {
        long a = (Long) RespValue.parse(first.call("PTTL", key));
        long b = (Long) RespValue.parse(second.call("PTTL", secondKey));
        if (a < 0 || b < 0 ? a != b : Math.abs(a - b) > 2000) {
            throw new AssertionError("TTL of " + key + ": " + a + " against " + b);
        }
    }

    /** Every key of the connection's current database, by SCAN. */
    public static List<String> keys(RawConnection connection) throws IOException {
        List<String> keys = new ArrayList<>();
        String cursor = "0";
        do {
            @SuppressWarnings("unchecked")
            List<Object> reply = (List<Object>) RespValue.parse(connection.call("SCAN", cursor, "COUNT", "1000"));
            cursor = (String) reply.get(0);
            for (Object key : (List<?>) reply.get(1)) {
                keys.add((String) key);
            }
        } while (!cursor.equals("0"));
        keys.sort(null);
        return keys;
    }

    private static String sorted(byte[] reply) {
        List<String> texts = new ArrayList<>();
        for (Object element : (List<?>) RespValue.parse(reply)) {
            texts.add(String.valueOf(element));
        }
        texts.sort(null);
        return texts.toString();
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
