package io.nuthatch.server.testing;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads exactly one complete RESP2/RESP3 reply from a stream and returns its raw bytes, so that
 * replies can be compared byte for byte.
 */
public final class RespReplyReader {
    private final InputStream in;

    public RespReplyReader(InputStream in) {
        this.in = in;
    }

    /** The bytes of the next reply, or null when the connection was closed before one began. */
    public byte[] readReply() throws IOException {
        int first = in.read();
        if (first < 0) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        readValue(first, out);
        return out.toByteArray();
    }

    private void readValue(int type, ByteArrayOutputStream out) throws IOException {
        out.write(type);
        String line = readLine(out);
        switch (type) {
            case '+', '-', ':', ',', '(', '#', '_' -> { }
            case '$', '=', '!' -> {
                long length = Long.parseLong(line);
                if (length >= 0) {
                    copy(length + 2, out);
                }
            }
            case '*', '~', '>' -> {
                long count = Long.parseLong(line);
                for (long i = 0; i < count; i++) {
                    readValue(next(), out);
                }
            }
            case '%', '|' -> {
                long count = Long.parseLong(line);
                for (long i = 0; i < count * 2; i++) {
                    readValue(next(), out);
                }
                if (type == '|') {
                    readValue(next(), out);
                }
            }
            default -> throw new IOException("not a RESP type: '" + (char) type + "' after "
                    + Resp.escape(out.toByteArray()));
        }
    }

    private int next() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("connection closed inside a reply");
        }
        return b;
    }

    private String readLine(ByteArrayOutputStream out) throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int b = next();
            out.write(b);
            if (b == '\r') {
                int lf = next();
                out.write(lf);
                if (lf != '\n') {
                    throw new IOException("CR without LF in " + Resp.escape(out.toByteArray()));
                }
                return line.toString();
            }
            line.append((char) b);
        }
    }

    private void copy(long count, ByteArrayOutputStream out) throws IOException {
        byte[] buffer = new byte[8192];
        long left = count;
        while (left > 0) {
            int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (read < 0) {
                throw new EOFException("connection closed inside a bulk string");
            }
            out.write(buffer, 0, read);
            left -= read;
        }
    }
}
