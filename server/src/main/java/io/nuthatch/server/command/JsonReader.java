package io.nuthatch.server.command;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the JSON of the command catalog into maps (insertion-ordered), lists, strings, longs and
 * booleans. Just enough JSON for our own resource file; not a general-purpose parser.
 */
final class JsonReader {
    private final String text;
    private int position;

    private JsonReader(String text) {
        this.text = text;
    }

    static Object parse(String text) {
        JsonReader reader = new JsonReader(text);
        Object value = reader.readValue();
        reader.skipBlanks();
        if (reader.position != text.length()) {
            throw reader.failure("trailing characters");
        }
        return value;
    }

    private Object readValue() {
        skipBlanks();
        char c = peek();
        switch (c) {
            case '{':
                return readObject();
            case '[':
                return readArray();
            case '"':
                return readString();
            case 't':
                expect("true");
                return Boolean.TRUE;
            case 'f':
                expect("false");
                return Boolean.FALSE;
            case 'n':
                expect("null");
                return null;
            default:
                return readNumber();
        }
    }

    private Map<String, Object> readObject() {
        Map<String, Object> object = new LinkedHashMap<>();
        position++;
        skipBlanks();
        if (peek() == '}') {
            position++;
            return object;
        }
        while (true) {
            skipBlanks();
            String key = readString();
            skipBlanks();
            expect(":");
            object.put(key, readValue());
            skipBlanks();
            char c = text.charAt(position++);
            if (c == '}') {
                return object;
            }
            if (c != ',') {
                throw failure("expected , or }");
            }
        }
    }

    private List<Object> readArray() {
        List<Object> array = new ArrayList<>();
        position++;
        skipBlanks();
        if (peek() == ']') {
            position++;
            return array;
        }
        while (true) {
            array.add(readValue());
            skipBlanks();
            char c = text.charAt(position++);
            if (c == ']') {
                return array;
            }
            if (c != ',') {
                throw failure("expected , or ]");
            }
        }
    }

    private String readString() {
        if (peek() != '"') {
            throw failure("expected a string");
        }
        position++;
        StringBuilder value = new StringBuilder();
        while (true) {
            char c = text.charAt(position++);
            if (c == '"') {
                return value.toString();
            }
            if (c != '\\') {
                value.append(c);
                continue;
            }
            char escaped = text.charAt(position++);
            switch (escaped) {
                case 'n' -> value.append('\n');
                case 't' -> value.append('\t');
                case 'r' -> value.append('\r');
                case 'b' -> value.append('\b');
                case 'f' -> value.append('\f');
                case 'u' -> {
                    value.append((char) Integer.parseInt(text.substring(position, position + 4), 16));
                    position += 4;
                }
                default -> value.append(escaped);
            }
        }
    }

    private Long readNumber() {
        int start = position;
        if (peek() == '-') {
            position++;
        }
        while (position < text.length() && Character.isDigit(text.charAt(position))) {
            position++;
        }
        if (start == position) {
            throw failure("unexpected character");
        }
        return Long.parseLong(text.substring(start, position));
    }

    private void expect(String word) {
        if (!text.startsWith(word, position)) {
            throw failure("expected " + word);
        }
        position += word.length();
    }

    private char peek() {
        if (position >= text.length()) {
            throw failure("unexpected end");
        }
        return text.charAt(position);
    }

    private void skipBlanks() {
        while (position < text.length() && Character.isWhitespace(text.charAt(position))) {
            position++;
        }
    }

    private IllegalArgumentException failure(String problem) {
        return new IllegalArgumentException("command catalog JSON: " + problem + " at offset " + position);
    }
}
