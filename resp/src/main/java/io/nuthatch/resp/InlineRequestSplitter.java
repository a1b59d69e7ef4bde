package io.nuthatch.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits an inline request line ({@code SET "a b" 'c'}) into arguments the way redis-server and
 * redis-cli do: blanks separate arguments; double quotes allow the escapes \n \r \t \b \a \\ \" and
 * \xHH; single quotes allow \' only; a closing quote must be followed by a blank or the end of the
 * line. The line ends at its first NUL byte, as it does for Redis's C-string parser.
 */
public final class InlineRequestSplitter {
    private byte[] token = new byte[64];

    /**
     * Splits one line with these rules (redis.conf lines use them too).
     *
     * @return the arguments, or null when the quotes are unbalanced
     */
    public static List<byte[]> splitLine(byte[] line) {
        RequestArguments arguments = new RequestArguments();
        if (!new InlineRequestSplitter().split(Unpooled.wrappedBuffer(line), 0, line.length, arguments)) {
            return null;
        }
        List<byte[]> split = new ArrayList<>(arguments.count());
        for (int i = 0; i < arguments.count(); i++) {
            split.add(arguments.copy(i));
        }
        return split;
    }
    private int tokenLength;

    /**
     * Appends the arguments of {@code line[from, to)} to {@code arguments}.
     *
     * @return false if the quotes are unbalanced; the arguments are then partly filled
     */
    boolean split(ByteBuf line, int from, int to, RequestArguments arguments) {
        int end = line.indexOf(from, to, (byte) 0);
        if (end < 0) {
            end = to;
        }
        int p = from;
        while (true) {
            while (p < end && isBlank(line.getByte(p))) {
                p++;
            }
            if (p >= end) {
                return true;
            }
            tokenLength = 0;
            boolean inDoubleQuotes = false;
            boolean inSingleQuotes = false;
            boolean done = false;
            while (!done) {
                byte c = p < end ? line.getByte(p) : 0;
                if (inDoubleQuotes) {
                    if (c == '\\' && p + 3 < end && line.getByte(p + 1) == 'x'
                            && isHexDigit(line.getByte(p + 2)) && isHexDigit(line.getByte(p + 3))) {
                        append((byte) (hexValue(line.getByte(p + 2)) * 16 + hexValue(line.getByte(p + 3))));
                        p += 3;
                    } else if (c == '\\' && p + 1 < end) {
                        p++;
                        append(unescape(line.getByte(p)));
                    } else if (c == '"') {
                        if (p + 1 < end && !isBlank(line.getByte(p + 1))) {
                            return false;
                        }
                        done = true;
                    } else if (p >= end) {
                        return false;
                    } else {
                        append(c);
                    }
                } else if (inSingleQuotes) {
                    if (c == '\\' && p + 1 < end && line.getByte(p + 1) == '\'') {
                        p++;
                        append((byte) '\'');
                    } else if (c == '\'') {
                        if (p + 1 < end && !isBlank(line.getByte(p + 1))) {
                            return false;
                        }
                        done = true;
                    } else if (p >= end) {
                        return false;
                    } else {
                        append(c);
                    }
                } else {
                    switch (c) {
                        case ' ', '\n', '\r', '\t', 0 -> done = true;
                        case '"' -> inDoubleQuotes = true;
                        case '\'' -> inSingleQuotes = true;
                        default -> append(c);
                    }
                }
                if (p < end) {
                    p++;
                }
            }
            arguments.addSmall(token, 0, tokenLength);
        }
    }

    private void append(byte b) {
        if (tokenLength == token.length) {
            token = Arrays.copyOf(token, token.length * 2);
        }
        token[tokenLength++] = b;
    }

    private static byte unescape(byte c) {
        return switch (c) {
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'b' -> '\b';
            case 'a' -> 7;
            default -> c;
        };
    }

    /** C's isspace in the "C" locale. */
    static boolean isBlank(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0b || c == '\f';
    }

    private static boolean isHexDigit(byte c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static int hexValue(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        return (c | 0x20) - 'a' + 10;
    }
}
