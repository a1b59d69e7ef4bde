package io.nuthatch.chart;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The smallest RESP2 client the pod-lifecycle test needs: commands of text arguments, replies as
 * their text (+OK, -ERR..., a bulk's content, :n), pipelined when sent before being read.
 */
final class RespClient implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    RespClient(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(30_000);
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream());
    }

    String call(String... arguments) throws IOException {
        send(arguments);
        flush();
        return read();
    }

    void send(String... arguments) throws IOException {
        StringBuilder command = new StringBuilder("*").append(arguments.length).append("\r\n");
        for (String argument : arguments) {
            command.append('$').append(argument.getBytes(StandardCharsets.UTF_8).length).append("\r\n")
                    .append(argument).append("\r\n");
        }
        out.write(command.toString().getBytes(StandardCharsets.UTF_8));
    }

    void flush() throws IOException {
        out.flush();
    }

    /** One reply: "+OK", "-ERR ...", ":1", a bulk string's content, or "(nil)". */
    String read() throws IOException {
        String line = line();
        switch (line.charAt(0)) {
            case '+', '-', ':' -> {
                return line;
            }
            case '$' -> {
                int length = Integer.parseInt(line.substring(1));
                if (length < 0) {
                    return "(nil)";
                }
                byte[] bulk = in.readNBytes(length + 2);
                return new String(bulk, 0, length, StandardCharsets.UTF_8);
            }
            default -> throw new IOException("unexpected reply " + line);
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int previous = -1;
        while (true) {
            int next = in.read();
            if (next < 0) {
                throw new IOException("connection closed");
            }
            if (previous == '\r' && next == '\n') {
                byte[] all = bytes.toByteArray();
                return new String(all, 0, all.length - 1, StandardCharsets.UTF_8);
            }
            bytes.write(next);
            previous = next;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
