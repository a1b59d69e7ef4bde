package io.nuthatch.bench.hitratio;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A Redis-protocol server as the cache: GET for a lookup, SET for a store, each window pipelined on
 * one connection. Keys are {@code key:%08d}, the bench/memory.sh format. Replies are read just far
 * enough to tell a hit from a miss and to fail loudly on an error (an -OOM would make every later
 * figure meaningless).
 */
final class RespServerCache implements CacheUnderTest {
    private final String name;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] value;
    private final byte[] keyBuffer = new byte[32];

    RespServerCache(String name, String host, int port, int valueSize) throws IOException {
        this.name = name;
        this.socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(host, port), 5_000);
        this.in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
        this.value = new byte[valueSize];
        Arrays.fill(value, (byte) 'v');
    }

    @Override
    public void lookup(int[] keys, int count, boolean[] hits) throws IOException {
        for (int i = 0; i < count; i++) {
            writeCommand("GET", keys[i], false);
        }
        out.flush();
        for (int i = 0; i < count; i++) {
            hits[i] = readBulkPresent();
        }
    }

    @Override
    public void store(int[] keys, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            writeCommand("SET", keys[i], true);
        }
        out.flush();
        for (int i = 0; i < count; i++) {
            String line = readLine();
            if (!line.equals("+OK")) {
                throw new IOException(name + " answered SET with " + line);
            }
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String finalState() throws IOException {
        String info = command("INFO", "all");
        return "keys=" + field(info, "db0:keys=", ',') + " used_memory=" + field(info, "used_memory:", '\r')
                + " evicted_keys=" + field(info, "evicted_keys:", '\r');
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private void writeCommand(String verb, int key, boolean withValue) throws IOException {
        int keyLength = formatKey(key);
        out.write('*');
        out.write(withValue ? '3' : '2');
        out.write(CRLF);
        writeBulk(verb.getBytes(StandardCharsets.US_ASCII), verb.length());
        writeBulk(keyBuffer, keyLength);
        if (withValue) {
            writeBulk(value, value.length);
        }
    }

    private void writeBulk(byte[] bytes, int length) throws IOException {
        out.write('$');
        out.write(Integer.toString(length).getBytes(StandardCharsets.US_ASCII));
        out.write(CRLF);
        out.write(bytes, 0, length);
        out.write(CRLF);
    }

    private static final byte[] CRLF = {'\r', '\n'};

    /** key:%08d into keyBuffer without String.format, which would dominate the replay's time. */
    private int formatKey(int key) {
        byte[] digits = Integer.toString(key).getBytes(StandardCharsets.US_ASCII);
        int width = Math.max(8, digits.length);
        keyBuffer[0] = 'k';
        keyBuffer[1] = 'e';
        keyBuffer[2] = 'y';
        keyBuffer[3] = ':';
        Arrays.fill(keyBuffer, 4, 4 + width - digits.length, (byte) '0');
        System.arraycopy(digits, 0, keyBuffer, 4 + width - digits.length, digits.length);
        return 4 + width;
    }

    /** Reads a bulk reply and skips its payload: true when present, false for the null bulk. */
    private boolean readBulkPresent() throws IOException {
        String header = readLine();
        if (header.charAt(0) != '$') {
            throw new IOException(name + " answered GET with " + header);
        }
        int length = Integer.parseInt(header, 1, header.length(), 10);
        if (length < 0) {
            return false;
        }
        long toSkip = length + 2L;
        while (toSkip > 0) {
            long skipped = in.skip(toSkip);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new IOException(name + " closed the connection");
                }
                skipped = 1;
            }
            toSkip -= skipped;
        }
        return true;
    }

    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException(name + " closed the connection");
            }
            if (b == '\r') {
                in.read();
                return line.toString();
            }
            line.append((char) b);
        }
    }

    /** A command with a bulk-string reply, for INFO. */
    private String command(String... arguments) throws IOException {
        out.write(('*' + Integer.toString(arguments.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (String argument : arguments) {
            byte[] bytes = argument.getBytes(StandardCharsets.US_ASCII);
            writeBulk(bytes, bytes.length);
        }
        out.flush();
        String header = readLine();
        if (header.charAt(0) != '$') {
            throw new IOException(name + " answered " + arguments[0] + " with " + header);
        }
        byte[] body = in.readNBytes(Integer.parseInt(header.substring(1)) + 2);
        return new String(body, StandardCharsets.US_ASCII);
    }

    private static String field(String info, String prefix, char end) {
        int start = info.indexOf(prefix);
        if (start < 0) {
            return "0";
        }
        start += prefix.length();
        int stop = start;
        while (stop < info.length() && info.charAt(stop) != end && info.charAt(stop) != '\r') {
            stop++;
        }
        return info.substring(start, stop);
    }
}
