package io.nuthatch.server.testing;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;

/** A plain socket to a server that sends requests and reads raw replies. */
public final class RawConnection implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final RespReplyReader replies;

    public RawConnection(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        out = socket.getOutputStream();
        replies = new RespReplyReader(new BufferedInputStream(socket.getInputStream()));
    }

    /** Sends a request and returns the raw reply (null if the server closed the connection). */
    public byte[] call(List<byte[]> arguments) throws IOException {
        send(Resp.request(arguments));
        return readReply();
    }

    public byte[] call(String... arguments) throws IOException {
        send(Resp.request(arguments));
        return readReply();
    }

    public void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    public byte[] readReply() throws IOException {
        return replies.readReply();
    }

    /** Whether the server has closed the connection (waits up to the given time for it). */
    public boolean isClosedByServer(int waitMillis) throws IOException {
        int previous = socket.getSoTimeout();
        socket.setSoTimeout(waitMillis);
        try {
            return socket.getInputStream().read() < 0;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        } finally {
            socket.setSoTimeout(previous);
        }
    }

    public Socket socket() {
        return socket;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
