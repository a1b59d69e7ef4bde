package io.nuthatch.server.network;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Checks a reply against the RESP2/RESP3 grammar more strictly than the reader that framed it:
 * every bulk ends with CRLF, lines hold no CR or LF, numbers are numbers, booleans are t or f,
 * aggregates hold exactly their announced count.
 */
final class StrictReply {
    private static final Pattern INTEGER = Pattern.compile("-?(0|[1-9][0-9]*)");
    private static final Pattern DOUBLE = Pattern.compile("-?(inf|nan|[0-9]+(\\.[0-9]+)?(e[-+][0-9]+)?)");

    private final byte[] bytes;
    private int position;

    private StrictReply(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Null when the bytes are exactly one well-formed reply, else what is wrong. */
    static String check(byte[] reply) {
        StrictReply parser = new StrictReply(reply);
        try {
            parser.value();
            if (parser.position != reply.length) {
                return "bytes after the reply at " + parser.position;
            }
            return null;
        } catch (IllegalStateException | IndexOutOfBoundsException e) {
            return "at " + parser.position + ": " + e.getMessage();
        }
    }

    private void value() {
        byte type = bytes[position++];
        String line = line();
        switch (type) {
            case '+', '-' -> require(!line.isEmpty() || type == '+', "empty error");
            case ':' -> require(INTEGER.matcher(line).matches() && fitsInLong(line), "integer " + line);
            case ',' -> require(DOUBLE.matcher(line).matches(), "double " + line);
            case '(' -> require(INTEGER.matcher(line).matches(), "big number " + line);
            case '#' -> require(line.equals("t") || line.equals("f"), "boolean " + line);
            case '_' -> require(line.isEmpty(), "null with content");
            case '$', '=', '!' -> {
                long length = length(line, type == '$');
                if (length >= 0) {
                    position += (int) length;
                    require(bytes[position] == '\r' && bytes[position + 1] == '\n', "bulk not ended by CRLF");
                    position += 2;
                }
            }
            case '*', '~', '>', '%', '|' -> {
                long count = length(line, type == '*');
                long elements = type == '%' || type == '|' ? count * 2 : count;
                for (long i = 0; i < elements; i++) {
                    value();
                }
                if (type == '|') {
                    value();
                }
            }
            default -> throw new IllegalStateException("no such type '" + (char) type + "'");
        }
    }

    private long length(String line, boolean mayBeNull) {
        require(INTEGER.matcher(line).matches() && fitsInLong(line), "length " + line);
        long length = Long.parseLong(line);
        require(length >= 0 || (mayBeNull && length == -1), "length " + line);
        return length;
    }

    private String line() {
        int start = position;
        while (bytes[position] != '\r') {
            require(bytes[position] != '\n', "LF inside a line");
            position++;
        }
        require(bytes[position + 1] == '\n', "CR without LF");
        String line = new String(bytes, start, position - start, StandardCharsets.ISO_8859_1);
        position += 2;
        return line;
    }

    private static boolean fitsInLong(String digits) {
        try {
            Long.parseLong(digits);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static void require(boolean condition, String problem) {
        if (!condition) {
            throw new IllegalStateException(problem);
        }
    }
}
