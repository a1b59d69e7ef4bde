package io.nuthatch.server.config;

import io.nuthatch.resp.InlineRequestSplitter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The lexical rules of redis.conf, as redis-server applies them: how a line splits into
 * arguments, how CONFIG REWRITE quotes a value, how CONFIG SET splits a value of several words.
 * Text is one char per byte (ISO-8859-1).
 */
public final class ConfigSyntax {
    private ConfigSyntax() {
    }

    /**
     * Splits a line into arguments as Redis's sdssplitargs, with the same splitter that reads inline
     * requests: blanks separate arguments; "..." may hold blanks and the escapes \n \r \t \b \a
     * \xHH and backslash-anything; '...' may hold blanks and \' only. A closing quote must be
     * followed by a blank or the end of the line. A NUL char ends the line, as in C.
     *
     * @return the arguments, or null when the quotes are unbalanced
     */
    public static List<String> splitArguments(String line) {
        List<byte[]> split = InlineRequestSplitter.splitLine(line.getBytes(StandardCharsets.ISO_8859_1));
        if (split == null) {
            return null;
        }
        List<String> arguments = new ArrayList<>(split.size());
        for (byte[] argument : split) {
            arguments.add(new String(argument, StandardCharsets.ISO_8859_1));
        }
        return arguments;
    }

    /**
     * The value in double quotes with the escapes {@link #splitArguments} reads back, as Redis's
     * sdscatrepr writes it: \\ \" \n \r \t \a \b, and \xHH for any other unprintable byte.
     */
    public static String quote(String value) {
        StringBuilder quoted = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\', '"' -> quoted.append('\\').append(c);
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '\t' -> quoted.append("\\t");
                case 7 -> quoted.append("\\a");
                case '\b' -> quoted.append("\\b");
                default -> {
                    if (c >= 0x20 && c <= 0x7e) {
                        quoted.append(c);
                    } else {
                        quoted.append(String.format("\\x%02x", c & 0xff));
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }

    /**
     * Splits at every single space, keeping empty pieces between two spaces, as Redis's
     * sdssplitlen: the empty string gives no piece at all.
     */
    public static List<String> splitOnSpaces(String value) {
        List<String> pieces = new ArrayList<>();
        if (value.isEmpty()) {
            return pieces;
        }
        int start = 0;
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) == ' ') {
                pieces.add(value.substring(start, i));
                start = i + 1;
            }
        }
        pieces.add(value.substring(start));
        return pieces;
    }

    /**
     * The text up to its first NUL char: what Redis's parsers that take a C string see of a value
     * (most do; plain integers, requirepass and masterauth are read with their length).
     */
    public static String cString(String text) {
        int nul = text.indexOf('\0');
        return nul < 0 ? text : text.substring(0, nul);
    }

    /** The line without the blanks Redis trims from both ends of each config line (" \t\r\n"). */
    public static String trim(String line) {
        int start = 0;
        int end = line.length();
        while (start < end && isTrimmed(line.charAt(start))) {
            start++;
        }
        while (end > start && isTrimmed(line.charAt(end - 1))) {
            end--;
        }
        return line.substring(start, end);
    }

    private static boolean isTrimmed(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    /** C's isspace in the C locale. */
    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0b || c == '\f' || c == '\r';
    }
}
