package io.nuthatch.server.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * The transport of a client that has no connection: the replay of the append-only log at startup
 * (Redis's fake AOF client), an in-process benchmark, a test driving the engine directly. It has no
 * buffers, so every CLIENT LIST figure is zero, and closing it does nothing.
 *
 * <p>Such a client is never parked: a command that would block runs to its non-blocking answer
 * (a BLPOP replayed from a log does not wait; the log holds the pop it made), so a task asked to
 * run later never runs.
 */
public class DetachedTransport implements ClientSession.Transport {
    private final String address;

    /** @param address what CLIENT LIST shows as both ends of the missing connection */
    public DetachedTransport(String address) {
        this.address = address;
    }

    @Override
    public void closeAfterReply() {
    }

    @Override
    public void closeNow() {
    }

    @Override
    public Future<?> runLater(long delayMillis, Runnable task) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public String remoteAddress() {
        return address;
    }

    @Override
    public String localAddress() {
        return address;
    }

    @Override
    public long queryBufferBytes() {
        return 0;
    }

    @Override
    public long outputBufferBytes() {
        return 0;
    }

    @Override
    public long queryBufferFree() {
        return 0;
    }

    @Override
    public long replyBufferLength() {
        return 0;
    }

    @Override
    public long replyBufferSize() {
        return 0;
    }

    @Override
    public long replyBufferPeak() {
        return 0;
    }

    @Override
    public long outputListLength() {
        return 0;
    }

    @Override
    public long bufferMemory() {
        return 0;
    }

    @Override
    public int fileDescriptor() {
        return -1;
    }

    @Override
    public boolean isLocal() {
        return true;
    }
}
