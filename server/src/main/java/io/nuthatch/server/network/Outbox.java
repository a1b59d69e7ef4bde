package io.nuthatch.server.network;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.nuthatch.server.config.ClientOutputBufferLimitDirective;

/**
 * Messages for one connection that are not replies to its own commands (pub/sub messages,
 * invalidations, keyspace events, MONITOR lines), queued by whichever thread produced them until
 * the connection's own thread moves them into its output.
 *
 * <p>Producers hold the engine (they run commands or the cron) but the receiving connection does
 * not, and may run on another event loop: the queue has a lock of its own, held only to copy bytes
 * in or take the buffer out, so a message costs one uncontended monitor and a copy, never a turn at
 * the engine's gate. The receiver takes the whole buffer at once; at most one drain task is
 * scheduled at a time however many messages arrive before it runs.
 *
 * <p>It also applies client-output-buffer-limit: the soft limit's clock is kept here, per
 * connection, as Redis keeps it per client (the time the soft limit was first found exceeded,
 * forgotten as soon as the client is found under it).
 */
final class Outbox {
    private static final int INITIAL_CAPACITY = 256;

    private ByteBuf queued;
    private volatile long queuedBytes;
    private boolean drainScheduled;
    private boolean closed;
    /** When the soft limit was first found exceeded, in Unix milliseconds; 0 when it is not. */
    private long softLimitSince;

    /**
     * Copies the readable bytes of {@code message} to the end of the queue.
     *
     * @return whether the caller must schedule a drain (none is pending)
     */
    synchronized boolean add(ByteBufAllocator allocator, ByteBuf message) {
        if (closed) {
            return false;
        }
        if (queued == null) {
            queued = allocator.ioBuffer(Math.max(INITIAL_CAPACITY, message.readableBytes()));
        }
        queued.writeBytes(message, message.readerIndex(), message.readableBytes());
        queuedBytes = queued.readableBytes();
        if (drainScheduled) {
            return false;
        }
        drainScheduled = true;
        return true;
    }

    /** Takes what is queued (null when nothing is); the next message schedules a drain again. */
    synchronized ByteBuf take() {
        ByteBuf taken = queued;
        queued = null;
        queuedBytes = 0;
        drainScheduled = false;
        return taken;
    }

    /** Bytes queued and not yet taken; any thread. */
    long bytes() {
        return queuedBytes;
    }

    /** The connection is gone or being closed: what is queued is dropped, and so is what comes later. */
    synchronized void close() {
        closed = true;
        if (queued != null) {
            queued.release();
            queued = null;
        }
        queuedBytes = 0;
    }

    /**
     * Redis's checkClientOutputBufferLimits: whether {@code pendingBytes} breaks the hard limit, or
     * the soft limit for longer than its seconds. Called with each message queued.
     */
    synchronized boolean overLimit(ClientOutputBufferLimitDirective.Limit limit, long pendingBytes, long nowMillis) {
        boolean hard = limit.hardBytes() > 0 && pendingBytes >= limit.hardBytes();
        boolean soft = limit.softBytes() > 0 && pendingBytes >= limit.softBytes();
        if (soft) {
            if (softLimitSince == 0) {
                softLimitSince = nowMillis;
                soft = false;
            } else if ((nowMillis - softLimitSince) / 1000 <= limit.softSeconds()) {
                soft = false;
            }
        } else {
            softLimitSince = 0;
        }
        return hard || soft;
    }
}
