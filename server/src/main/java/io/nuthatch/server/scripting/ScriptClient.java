package io.nuthatch.server.scripting;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.nuthatch.server.client.ClientSession;
import io.nuthatch.server.client.DetachedTransport;

/**
 * The client the commands of scripts run as (Redis's "lua client"): it has no connection; its
 * replies go to a buffer that redis.call reads back and converts, then clears. Commands of scripts
 * never block, so nothing is ever run later for it.
 */
final class ScriptClient extends DetachedTransport {
    final ClientSession session;
    final ByteBuf replies = Unpooled.buffer(256);

    ScriptClient() {
        // MONITOR shows the commands of scripts as "[0 lua]", Redis's name for this client.
        super("lua");
        session = new ClientSession(0, this, System.currentTimeMillis());
        session.reply().target(replies);
        session.authenticated("default");
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
    public long bufferMemory() {
        return replies.capacity();
    }
}
