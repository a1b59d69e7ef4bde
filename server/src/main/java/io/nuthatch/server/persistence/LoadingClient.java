package io.nuthatch.server.persistence;

import io.nuthatch.server.client.ClientSession;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * The client records are replayed as while the dataset loads (Redis's fake client of the AOF
 * loader): no socket, replies dropped, never registered, so no CLIENT LIST shows it.
 */
final class LoadingClient implements ClientSession.Transport {
    @Override
    public void closeAfterReply() {
    }

    @Override
    public void closeNow() {
    }

    @Override
    public Future<?> runLater(long delayMillis, Runnable task) {
        // A record that would block (a BLPOP in a log) does not: the log holds the pop it made.
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
