package io.nuthatch.server.testing;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.List;

/** A plain socket to a server that sends requests and reads raw replies. */
public final class RawConnection implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final BufferedInputStream input;
    private final RespReplyReader replies;

    /** What a connection has to read after a wait: nothing yet, the start of a reply, or its end. */
    public enum Arrival { NOTHING, DATA, CLOSED }

    public RawConnection(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        out = socket.getOutputStream();
        input = new BufferedInputStream(socket.getInputStream());
        replies = new RespReplyReader(input);
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
        return awaitArrival(waitMillis) == Arrival.CLOSED;
    }

    /**
     * Waits up to the given time (at least a millisecond) for the server to send something or close
     * the connection, and consumes nothing: a reply that arrives is still there for
     * {@link #readReply}.
     */
    public Arrival awaitArrival(int waitMillis) throws IOException {
        int previous = socket.getSoTimeout();
        socket.setSoTimeout(Math.max(1, waitMillis));
        input.mark(1);
        try {
            int first = input.read();
            if (first < 0) {
                return Arrival.CLOSED;
            }
            input.reset();
            return Arrival.DATA;
        } catch (SocketTimeoutException nothingYet) {
            return Arrival.NOTHING;
        } catch (SocketException reset) {
            return Arrival.CLOSED;
        } finally {
            if (!socket.isClosed()) {
                socket.setSoTimeout(previous);
            }
        }
    }

    /** The port of this end of the connection, which the server shows in CLIENT LIST's addr. */
    public int localPort() {
        return socket.getLocalPort();
    }

    public Socket socket() {
        return socket;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
