package io.nuthatch.server.migration;

import io.nuthatch.server.client.ClientSession;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * The transport of the client an append-only file is replayed as: there is no connection, nothing
 * to close or wake, and no buffers to report.
 */
final class DetachedTransport implements ClientSession.Transport {
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
        return "";
    }

    @Override
    public String localAddress() {
        return "";
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
