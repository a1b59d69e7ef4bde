package io.nuthatch.persistence.rdb;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads the commands of a Redis append-only file: RESP arrays of bulk strings
 * ({@code *<n>\r\n} then {@code $<len>\r\n<bytes>\r\n} for each argument), and the annotation lines
 * Redis 7 writes between them ({@code #TS:...} with aof-timestamp-enabled), which are skipped.
 *
 * <p>A command cut off by the end of the file (a torn last write) is reported as
 * {@link Truncated}, with the offset where it started, so the caller can apply
 * {@code aof-load-truncated}; anything else malformed is an {@link RdbFormatException} with its
 * offset.
 */
public final class RedisAofReader {
    private static final int MAX_ARGUMENTS = 1 << 20;
    private static final int MAX_ARGUMENT = 512 * 1024 * 1024;

    /** The file ends inside a command that starts at {@link #commandOffset()}. */
    public static final class Truncated extends RdbFormatException {
        private static final long serialVersionUID = 1L;
        private final long commandOffset;

        Truncated(long commandOffset) {
            super("the append-only file ends inside the command at offset " + commandOffset);
            this.commandOffset = commandOffset;
        }

        public long commandOffset() {
            return commandOffset;
        }
    }

    private final InputStream in;
    private final byte[] buffer = new byte[64 * 1024];
    private int position;
    private int limit;
    private long consumed;
    private final long baseOffset;

    /** @param baseOffset where {@code in} starts in the file (after an RDB preamble), for messages */
    public RedisAofReader(InputStream in, long baseOffset) {
        this.in = in;
        this.baseOffset = baseOffset;
    }

    /** Offset in the file of the next byte. */
    public long offset() {
        return baseOffset + consumed + position;
    }

    /** The next command's arguments, or null at the end of the file. */
    public byte[][] next() throws IOException {
        while (true) {
            long start = offset();
            int first = read();
            if (first < 0) {
                return null;
            }
            if (first == '#') {
                skipLine(start);
                continue;
            }
            if (first == '\r' || first == '\n') {
                continue;
            }
            if (first != '*') {
                throw new RdbFormatException("a byte that starts no command ('" + (char) first + "') at offset " + start
                        + " of the append-only file");
            }
            long count = readNumber(start);
            if (count < 1 || count > MAX_ARGUMENTS) {
                throw new RdbFormatException("a command of " + count + " arguments at offset " + start);
            }
            byte[][] arguments = new byte[(int) count][];
            for (int i = 0; i < count; i++) {
                int dollar = read();
                if (dollar < 0) {
                    throw new Truncated(start);
                }
                if (dollar != '$') {
                    throw new RdbFormatException("an argument that is not a bulk string in the command at offset " + start);
                }
                long length = readNumber(start);
                if (length < 0 || length > MAX_ARGUMENT) {
                    throw new RdbFormatException("an argument of " + length + " bytes in the command at offset " + start);
                }
                byte[] argument = new byte[(int) length];
                readFully(argument, start);
                expect('\r', start);
                expect('\n', start);
                arguments[i] = argument;
            }
            return arguments;
        }
    }

    private long readNumber(long start) throws IOException {
        long value = 0;
        boolean negative = false;
        int digits = 0;
        while (true) {
            int b = read();
            if (b < 0) {
                throw new Truncated(start);
            }
            if (b == '\r') {
                expect('\n', start);
                break;
            }
            if (b == '-' && digits == 0 && !negative) {
                negative = true;
                continue;
            }
            if (b < '0' || b > '9' || digits > 18) {
                throw new RdbFormatException("a malformed length in the command at offset " + start);
            }
            value = value * 10 + (b - '0');
            digits++;
        }
        if (digits == 0) {
            throw new RdbFormatException("a malformed length in the command at offset " + start);
        }
        return negative ? -value : value;
    }

    private void skipLine(long start) throws IOException {
        int b;
        do {
            b = read();
        } while (b >= 0 && b != '\n');
    }

    private void expect(int wanted, long start) throws IOException {
        int b = read();
        if (b < 0) {
            throw new Truncated(start);
        }
        if (b != wanted) {
            throw new RdbFormatException("a command not ended by CRLF at offset " + start);
        }
    }

    private void readFully(byte[] target, long start) throws IOException {
        int done = 0;
        while (done < target.length) {
            if (position == limit && !fill()) {
                throw new Truncated(start);
            }
            int step = Math.min(target.length - done, limit - position);
            System.arraycopy(buffer, position, target, done, step);
            position += step;
            done += step;
        }
    }

    private int read() throws IOException {
        if (position == limit && !fill()) {
            return -1;
        }
        return buffer[position++] & 0xff;
    }

    private boolean fill() throws IOException {
        consumed += limit;
        position = 0;
        limit = 0;
        int read;
        do {
            read = in.read(buffer, 0, buffer.length);
        } while (read == 0);
        if (read < 0) {
            return false;
        }
        limit = read;
        return true;
    }

    /** The name of a command, for messages. */
    public static String name(byte[][] command) {
        return new String(command[0], StandardCharsets.UTF_8);
    }
}
