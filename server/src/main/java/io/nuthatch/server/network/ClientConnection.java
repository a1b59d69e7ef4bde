package io.nuthatch.server.network;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.nuthatch.resp.RequestArguments;
import io.nuthatch.resp.RequestDecoder;
import io.nuthatch.server.Engine;
import io.nuthatch.server.command.ClientSession;
import io.nuthatch.server.command.CommandContext;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
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
 */
final class ClientConnection extends ChannelInboundHandlerAdapter
        implements RequestDecoder.RequestListener, ClientSession.Transport {
    private static final byte[] MAX_CLIENTS_REACHED =
            "-ERR max number of clients reached\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int OUTPUT_INITIAL_CAPACITY = 1024;
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
        pending = pending == null ? in : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(channel.alloc(), pending, in);
        if (paused) {
            if (!channel.channel().isWritable()) {
                return;
            }
            paused = false;
            channel.channel().config().setAutoRead(true);
        }
        while (!closeWhenFlushed) {
            if (output == null) {
                output = channel.alloc().ioBuffer(OUTPUT_INITIAL_CAPACITY);
            }
            session.reply().target(output);
            RequestDecoder.Outcome outcome = decoder.decode(pending, this);
            if (outcome == RequestDecoder.Outcome.PROTOCOL_ERROR) {
                protocolError();
            } else if (outcome == RequestDecoder.Outcome.NEEDS_MORE_INPUT
                    && pending.readableBytes() + decoder.bytesHeld() > engine.protocolLimits().queryBufferLimit()) {
                engine.log().warning("Closing client that reached max query buffer length: " + describe());
                decoder.failQueryBufferLimit();
                closeWhenFlushed = true;
            }
            if (outcome != RequestDecoder.Outcome.STOPPED || output.readableBytes() < OUTPUT_BATCH_LIMIT) {
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

    @Override
    public boolean onRequest(RequestArguments arguments) {
        ReentrantLock lock = engine.lock();
        lock.lock();
        try {
            engine.dispatcher().execute(context, arguments);
            decoder.authenticationRequired(engine.authenticationRequired(session));
        } finally {
            lock.unlock();
        }
        return !closeWhenFlushed && output.readableBytes() < OUTPUT_BATCH_LIMIT;
    }

    /** Sends the replies so far, in the middle of a batch whose replies grew large. */
    private void writeOutput() {
        ByteBuf replies = output;
        output = null;
        engine.stats().netOutputBytes.add(replies.readableBytes());
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
        if (replies != null && replies.isReadable()) {
            engine.stats().netOutputBytes.add(replies.readableBytes());
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
        if (session != null) {
            ReentrantLock lock = engine.lock();
            lock.lock();
            try {
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
        channel.channel().close();
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
        return buffer == null ? 0 : buffer.readableBytes();
    }

    @Override
    public long outputBufferBytes() {
        var outbound = channel.channel().unsafe().outboundBuffer();
        return outbound == null ? 0 : outbound.totalPendingWriteBytes();
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
