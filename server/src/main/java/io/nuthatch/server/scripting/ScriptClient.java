package io.nuthatch.server.scripting;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.nuthatch.server.client.ClientSession;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * The client the commands of scripts run as (Redis's "lua client"): it has no connection; its
 * replies go to a buffer that redis.call reads back and converts, then clears.
 */
final class ScriptClient implements ClientSession.Transport {
    final ClientSession session;
    final ByteBuf replies = Unpooled.buffer(256);

    ScriptClient() {
        session = new ClientSession(0, this, System.currentTimeMillis());
        session.reply().target(replies);
        session.authenticated("default");
    }

    @Override
    public void closeAfterReply() {
    }

    @Override
    public void closeNow() {
    }

    @Override
    public Future<?> runLater(long delayMillis, Runnable task) {
        // Commands of scripts never block, so nothing is ever run later for this client.
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
        return replies.capacity();
    }

    @Override
    public long replyBufferPeak() {
        return replies.capacity();
    }

    @Override
    public long outputListLength() {
        return 0;
    }

    @Override
    public long bufferMemory() {
        return replies.capacity();
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
