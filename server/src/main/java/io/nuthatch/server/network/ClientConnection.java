package io.nuthatch.server.network;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.EventLoop;
import io.netty.channel.unix.UnixChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.nuthatch.resp.RequestArguments;
import io.nuthatch.resp.RequestDecoder;
import io.nuthatch.server.Engine;
import io.nuthatch.server.client.BlockedClient;
import io.nuthatch.server.client.ClientSession;
import io.nuthatch.server.command.CommandContext;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One client connection: turns the bytes Netty reads into requests, runs them, and sends the
 * replies.
 *
 * <p>All replies to the requests of one read batch go into one buffer, written and flushed once
 * when Netty reports the end of the batch, so a pipeline of N commands costs one write system call.
 * A client that does not read its replies stops being read from (the socket's send buffer and
 * Netty's high-water mark apply back pressure), rather than making the server hold its replies.
 *
 * <p>One read can hold thousands of pipelined requests, and their replies can be far larger than
 * the requests (GETs of a large value). So decoding also stops once the batch's replies reach
 * {@link #OUTPUT_BATCH_LIMIT}: they are written out, and if the connection is then over its
 * high-water mark, the requests not yet run wait in the input buffer and the socket is not read
 * until the client has read enough for the connection to become writable again.
 *
 * <p>A client a blocking command parked (see BlockedClient) keeps its connection: bytes it sends go
 * on accumulating in {@code pending}, undecoded, until the wait ends; the wake-up runs on this
 * connection's thread ({@link #runLater}), writes the reply and resumes decoding where it stopped.
 *
 * <p>CLIENT LIST reads the figures of other connections from the thread running CLIENT LIST: they
 * are read without synchronization, so they may be a moment stale, never invalid.
 */
final class ClientConnection extends ChannelInboundHandlerAdapter
        implements RequestDecoder.RequestListener, ClientSession.Transport {
    private static final byte[] MAX_CLIENTS_REACHED =
            "-ERR max number of clients reached\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int OUTPUT_INITIAL_CAPACITY = 1024;
    /** Redis forgets the peak of a client's reply buffer every 5 seconds; so does CLIENT LIST rbp here. */
    private static final long REPLY_PEAK_PERIOD_MILLIS = 5000;
    /** Replies held before they are written out in the middle of a batch. */
    private static final int OUTPUT_BATCH_LIMIT = 64 * 1024;

    private final Engine engine;
    private final ExecutionModel execution;
    private final RequestDecoder decoder;
    private ChannelHandlerContext channel;
    private ClientSession session;
    private CommandContext context;
    /** Bytes read and not yet decoded (an incomplete request, or requests after a stop). */
    private ByteBuf pending;
    /** Replies of the current read batch, not yet flushed. */
    private ByteBuf output;
    private boolean closeWhenFlushed;
    /** Whether this connection's thread is known to run commands (INFO cpu main thread). */
    private boolean threadRecorded;
    private boolean released;
    private volatile long replyPeak;
    private long replyPeakSince;
    private volatile int replyBufferCapacity;
    /** Decoding waits until the connection is writable again (its replies backed up). */
    private boolean paused;

    ClientConnection(Engine engine, ExecutionModel execution) {
        this.engine = engine;
        this.execution = execution;
        this.decoder = new RequestDecoder(engine.protocolLimits());
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.channel = ctx;
        ReentrantLock lock = engine.lock();
        lock.lock();
        try {
            if (engine.clients().count() >= engine.config().maxclients.value()) {
                engine.stats().rejectedConnections++;
                ctx.writeAndFlush(ctx.alloc().buffer().writeBytes(MAX_CLIENTS_REACHED))
                        .addListener(ChannelFutureListener.CLOSE);
                return;
            }
            session = new ClientSession(engine.clients().nextId(), this, System.currentTimeMillis());
            session.reply().errorListener(engine.stats()::errorReplied);
            context = engine.dispatcher().newContext(session);
            engine.clients().add(session);
            engine.stats().connectionsReceived++;
            decoder.authenticationRequired(engine.authenticationRequired(session));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        ByteBuf in = (ByteBuf) message;
        if (session == null || closeWhenFlushed) {
            in.release();
            return;
        }
        engine.stats().netInputBytes.add(in.readableBytes());
        execution.run(this, in);
    }

    /** Decodes and runs what has arrived; called by the execution model on its thread. */
    void process(ByteBuf in) {
        if (released) {
            in.release();
            return;
        }
        long started = System.nanoTime();
        if (!threadRecorded) {
            engine.stats().commandThread(Thread.currentThread());
            threadRecorded = true;
        }
        pending = pending == null ? in : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(channel.alloc(), pending, in);
        if (paused) {
            if (!channel.channel().isWritable()) {
                return;
            }
            paused = false;
            channel.channel().config().setAutoRead(true);
        }
        decodePending();
        engine.stats().readProcessed(System.nanoTime() - started);
    }

    /**
     * Runs the complete requests buffered, unless the client is parked, writing replies out in the
     * middle when they pass {@link #OUTPUT_BATCH_LIMIT} and pausing when the client is not reading.
     */
    private void decodePending() {
        if (pending == null) {
            return;
        }
        while (true) {
            prepareOutput();
            RequestDecoder.Outcome outcome = session.isBlocked() || closeWhenFlushed
                    ? RequestDecoder.Outcome.STOPPED : decoder.decode(pending, this);
            if (outcome == RequestDecoder.Outcome.PROTOCOL_ERROR) {
                protocolError();
            } else if (pending.readableBytes() + decoder.bytesHeld() > engine.protocolLimits().queryBufferLimit()) {
                engine.log().warning("Closing client that reached max query buffer length: " + describe());
                decoder.failQueryBufferLimit();
                engine.stats().queryBufferLimitDisconnections.increment();
                closeWhenFlushed = true;
            }
            if (outcome != RequestDecoder.Outcome.STOPPED || session.isBlocked() || closeWhenFlushed
                    || output.readableBytes() < OUTPUT_BATCH_LIMIT) {
                break;
            }
            writeOutput();
            if (!channel.channel().isWritable()) {
                paused = true;
                channel.channel().config().setAutoRead(false);
                break;
            }
        }
        if (!pending.isReadable()) {
            pending.release();
            pending = null;
        } else {
            pending.discardSomeReadBytes();
        }
    }

    private void prepareOutput() {
        if (output == null) {
            output = channel.alloc().ioBuffer(OUTPUT_INITIAL_CAPACITY);
        }
        session.reply().target(output);
    }

    @Override
    public boolean onRequest(RequestArguments arguments) {
        ReentrantLock lock = engine.lock();
        lock.lock();
        try {
            if (session.isClosing() && !closeWhenFlushed) {
                // Killed by another client while this batch waited for the lock.
                return false;
            }
            engine.dispatcher().execute(context, arguments);
            decoder.authenticationRequired(engine.authenticationRequired(session));
            return !closeWhenFlushed && !session.isBlocked() && output.readableBytes() < OUTPUT_BATCH_LIMIT;
        } finally {
            lock.unlock();
        }
    }

    /** Runs a task of {@link #runLater} on the execution thread: under the lock, then sends and resumes. */
    private void runWoken(Runnable task) {
        if (released || session == null) {
            return;
        }
        prepareOutput();
        ReentrantLock lock = engine.lock();
        lock.lock();
        try {
            task.run();
            decoder.authenticationRequired(engine.authenticationRequired(session));
        } finally {
            lock.unlock();
        }
        decodePending();
        flush();
    }

    /** Sends the replies so far, in the middle of a batch whose replies grew large. */
    private void writeOutput() {
        ByteBuf replies = output;
        output = null;
        notePeak(replies);
        engine.stats().netOutputBytes.add(replies.readableBytes());
        engine.stats().writesProcessed.increment();
        channel.writeAndFlush(replies, channel.voidPromise());
    }

    private void protocolError() {
        String reply = decoder.errorReply();
        if (reply != null) {
            ReentrantLock lock = engine.lock();
            lock.lock();
            try {
                session.reply().error("ERR " + reply);
            } finally {
                lock.unlock();
            }
            engine.log().verbose("Protocol error (" + reply + ") from client: " + describe());
        }
        closeWhenFlushed = true;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        execution.readComplete(this);
    }

    /** Sends the replies of the batch; closes the connection after them if it is closing. */
    void flush() {
        ByteBuf replies = output;
        output = null;
        if (replies != null) {
            notePeak(replies);
        }
        if (replies != null && replies.isReadable()) {
            engine.stats().netOutputBytes.add(replies.readableBytes());
            engine.stats().writesProcessed.increment();
            if (closeWhenFlushed) {
                channel.writeAndFlush(replies).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            channel.writeAndFlush(replies, channel.voidPromise());
            if (!channel.channel().isWritable()) {
                channel.channel().config().setAutoRead(false);
            }
        } else {
            if (replies != null) {
                replies.release();
            }
            if (closeWhenFlushed) {
                // After any replies already written in the middle of the batch, not before them.
                channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }

    private void notePeak(ByteBuf replies) {
        replyBufferCapacity = replies.capacity();
        long now = System.currentTimeMillis();
        if (now - replyPeakSince > REPLY_PEAK_PERIOD_MILLIS) {
            replyPeakSince = now;
            replyPeak = 0;
        }
        if (replies.readableBytes() > replyPeak) {
            replyPeak = replies.readableBytes();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            ctx.channel().config().setAutoRead(true);
            // Requests held back while paused are already read: run them without waiting for a read.
            // Later, as a task of its own, so that a write inside process() never re-enters it.
            ctx.executor().execute(() -> {
                if (ctx.channel().isActive() && session != null) {
                    execution.run(this, Unpooled.EMPTY_BUFFER);
                    execution.readComplete(this);
                }
            });
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        execution.closed(this);
    }

    /** Forgets the client and frees its buffers; called by the execution model on its thread. */
    void release() {
        released = true;
        if (session != null) {
            ReentrantLock lock = engine.lock();
            lock.lock();
            try {
                session.disconnected();
                engine.clients().remove(session);
            } finally {
                lock.unlock();
            }
        }
        if (pending != null) {
            pending.release();
            pending = null;
        }
        if (output != null) {
            output.release();
            output = null;
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        engine.log().verbose("Closing client after error: " + cause);
        ctx.close();
    }

    // ---------------------------------------------------------------- transport

    @Override
    public void closeAfterReply() {
        closeWhenFlushed = true;
    }

    @Override
    public void closeNow() {
        // Channel.close is safe from any thread: Netty runs it on the channel's event loop.
        channel.channel().close();
    }

    @Override
    public Future<?> runLater(long delayMillis, Runnable task) {
        EventLoop loop = channel.channel().eventLoop();
        Runnable step = () -> execution.execute(this, () -> runWoken(task));
        try {
            return delayMillis <= 0 ? loop.submit(step) : loop.schedule(step, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            return loop.newFailedFuture(shuttingDown);
        }
    }

    @Override
    public String remoteAddress() {
        return format(channel.channel().remoteAddress());
    }

    @Override
    public String localAddress() {
        return format(channel.channel().localAddress());
    }

    @Override
    public long queryBufferBytes() {
        ByteBuf buffer = pending;
        // The decoder keeps the arguments of an unfinished request (a large value arriving) itself.
        return (buffer == null ? 0 : buffer.readableBytes()) + decoder.bytesHeld();
    }

    @Override
    public long outputBufferBytes() {
        ChannelOutboundBuffer outbound = channel.channel().unsafe().outboundBuffer();
        return outbound == null ? 0 : outbound.totalPendingWriteBytes();
    }

    @Override
    public long queryBufferFree() {
        ByteBuf buffer = pending;
        return buffer == null ? 0 : buffer.writableBytes();
    }

    @Override
    public long replyBufferLength() {
        ByteBuf buffer = output;
        return buffer == null ? 0 : buffer.readableBytes();
    }

    @Override
    public long replyBufferSize() {
        ByteBuf buffer = output;
        return buffer == null ? replyBufferCapacity : buffer.capacity();
    }

    @Override
    public long replyBufferPeak() {
        ByteBuf buffer = output;
        return Math.max(replyPeak, buffer == null ? 0 : buffer.readableBytes());
    }

    @Override
    public long outputListLength() {
        ChannelOutboundBuffer outbound = channel.channel().unsafe().outboundBuffer();
        return outbound == null ? 0 : outbound.size();
    }

    @Override
    public long bufferMemory() {
        ByteBuf query = pending;
        ByteBuf replies = output;
        return (query == null ? 0 : query.capacity()) + decoder.bytesHeld()
                + (replies == null ? 0 : replies.capacity()) + outputBufferBytes();
    }

    @Override
    public int fileDescriptor() {
        return channel.channel() instanceof UnixChannel unix ? unix.fd().intValue() : -1;
    }

    @Override
    public boolean isLocal() {
        SocketAddress address = channel.channel().remoteAddress();
        return !(address instanceof InetSocketAddress inet) || inet.getAddress() == null
                || inet.getAddress().isLoopbackAddress();
    }

    private String describe() {
        return "id=" + session.id() + " addr=" + remoteAddress() + " laddr=" + localAddress() + " name=" + session.name();
    }

    /** Redis's "ip:port", with brackets around an IPv6 address. */
    static String format(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            String host = inet.getAddress().getHostAddress();
            int zone = host.indexOf('%');
            if (zone >= 0) {
                host = host.substring(0, zone);
            }
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }
}
