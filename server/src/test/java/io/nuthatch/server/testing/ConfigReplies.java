package io.nuthatch.server.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** CONFIG GET replies read into maps, for tests that compare configurations. */
public final class ConfigReplies {
    private ConfigReplies() {
    }

    /** CONFIG GET of a pattern on a new connection, as a sorted map (RESP2). */
    public static Map<String, String> configGet(int port, String pattern) throws IOException {
        try (RawConnection connection = new RawConnection(port)) {
            return configGet(connection, pattern);
        }
    }

    /** CONFIG GET of a pattern on the connection, as a sorted map (RESP2). */
    public static Map<String, String> configGet(RawConnection connection, String pattern) throws IOException {
        List<String> items = flatBulks(connection.call("CONFIG", "GET", pattern));
        Map<String, String> values = new TreeMap<>();
        for (int i = 0; i + 1 < items.size(); i += 2) {
            values.put(items.get(i), items.get(i + 1));
        }
        return values;
    }

    /** The bulk strings of a RESP2 array of bulk strings, one char per byte. */
    public static List<String> flatBulks(byte[] reply) {
        String text = new String(reply, StandardCharsets.ISO_8859_1);
        if (text.charAt(0) != '*') {
            throw new AssertionError("not an array: " + Resp.escape(reply));
        }
        int p = text.indexOf("\r\n") + 2;
        int count = Integer.parseInt(text.substring(1, p - 2));
        List<String> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int end = text.indexOf("\r\n", p);
            int length = Integer.parseInt(text.substring(p + 1, end));
            items.add(text.substring(end + 2, end + 2 + length));
            p = end + 2 + length + 2;
        }
        return items;
    }
}
