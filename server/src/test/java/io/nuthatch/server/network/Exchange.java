package io.nuthatch.server.network;

import io.nuthatch.server.testing.Resp;
import io.nuthatch.server.testing.RespReplyReader;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a server answers to some bytes: every reply, parsed, then how the exchange ended. For
 * comparing two servers on hostile input, and for checking that no reply is ever malformed.
 */
record Exchange(List<String> replies, End end, String malformation) {

    enum End {
        /** The server closed the connection (FIN). */
        CLOSED,
        /** The server reset the connection. */
        RESET,
        /** The connection was still open, and quiet, when we stopped waiting. */
        OPEN,
        /** A reply could not be parsed: the protocol was broken. */
        MALFORMED
    }

    /** Whether the server ended the connection, by FIN or reset. */
    boolean closed() {
        return end == End.CLOSED || end == End.RESET;
    }

    @Override
    public String toString() {
        return replies + " then " + end + (malformation == null ? "" : " (" + malformation + ")");
    }

    /**
     * Sends the bytes on a new connection and reads replies until the server closes it or stays
     * quiet for {@code quietMillis}.
     */
    static Exchange of(int port, byte[] request, int quietMillis) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(quietMillis);
            try {
                socket.getOutputStream().write(request);
                socket.getOutputStream().flush();
            } catch (SocketException closedWhileSending) {
                // The server may close before it has read everything; its replies can still be read.
            }
            return readUntilEnd(socket.getInputStream(), quietMillis > 0);
        }
    }

    /** Reads and parses replies until the stream ends (or, if allowed, stays quiet past the socket timeout). */
    static Exchange readUntilEnd(InputStream stream, boolean quietMeansOpen) throws IOException {
        RespReplyReader reader = new RespReplyReader(new BufferedInputStream(stream));
        List<String> replies = new ArrayList<>();
        while (true) {
            byte[] reply;
            try {
                reply = reader.readReply();
            } catch (SocketTimeoutException quiet) {
                if (quietMeansOpen) {
                    return new Exchange(replies, End.OPEN, null);
                }
                throw quiet;
            } catch (EOFException truncated) {
                return new Exchange(replies, End.MALFORMED, "closed inside a reply: " + truncated.getMessage());
            } catch (SocketException reset) {
                return new Exchange(replies, End.RESET, null);
            } catch (IOException | NumberFormatException malformed) {
                return new Exchange(replies, End.MALFORMED, malformed.toString());
            }
            if (reply == null) {
                return new Exchange(replies, End.CLOSED, null);
            }
            replies.add(Resp.escape(reply));
            String malformation = StrictReply.check(reply);
            if (malformation != null) {
                return new Exchange(replies, End.MALFORMED, malformation);
            }
        }
    }
}
