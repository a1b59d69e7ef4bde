package io.nuthatch.server.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A raw reply read into Java values, for tests that look inside replies rather than compare them
 * byte for byte: strings (simple, bulk, verbatim without its format; ISO-8859-1), Long, Double,
 * Boolean, List (arrays, sets, pushes), Map (maps, in order), null, and {@link Error} for errors.
 */
public final class RespValue {

    /** An error reply. */
    public record Error(String message) {
    }

    private final byte[] bytes;
    private int position;

    private RespValue(byte[] bytes) {
        this.bytes = bytes;
    }

    public static Object parse(byte[] reply) {
        if (reply == null) {
            throw new IllegalArgumentException("no reply: the connection was closed");
        }
        RespValue parser = new RespValue(reply);
        Object value = parser.read();
        if (parser.position != reply.length) {
            throw new IllegalArgumentException("trailing bytes after a reply: " + Resp.escape(reply));
        }
        return value;
    }

    private Object read() {
        char type = (char) bytes[position++];
        String line = line();
        return switch (type) {
            case '+' -> line;
            case '-' -> new Error(line);
            case ':' -> Long.parseLong(line);
            case ',' -> Double.parseDouble(line);
            case '#' -> line.equals("t");
            case '_' -> null;
            case '(' -> line;
            case '$', '=', '!' -> {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    yield null;
                }
                String text = new String(bytes, position, length, StandardCharsets.ISO_8859_1);
                position += length + 2;
                yield type == '=' ? text.substring(4) : type == '!' ? new Error(text) : text;
            }
            case '*', '~', '>' -> {
                int count = Integer.parseInt(line);
                if (count < 0) {
                    yield null;
                }
                List<Object> elements = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    elements.add(read());
                }
                yield elements;
            }
            case '%' -> {
                int count = Integer.parseInt(line);
                Map<Object, Object> map = new LinkedHashMap<>();
                for (int i = 0; i < count; i++) {
                    Object key = read();
                    map.put(key, read());
                }
                yield map;
            }
            default -> throw new IllegalArgumentException("not a RESP type: " + type);
        };
    }

    private String line() {
        int start = position;
        while (bytes[position] != '\r') {
            position++;
        }
        String line = new String(bytes, start, position - start, StandardCharsets.ISO_8859_1);
        position += 2;
        return line;
    }
}
