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
import io.nuthatch.server.client.ClientInfoLine;
import io.nuthatch.server.client.ClientSession;
import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.config.ClientOutputBufferLimitDirective;
import io.nuthatch.server.gate.ExecutionGate;
import io.nuthatch.server.gate.GateWaiter;
import io.nuthatch.server.propagation.WritePropagation;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

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
 * <p><b>Turns at the gate.</b> Everything this connection does to the engine (registering the
 * client, running its requests, waking it from a blocking command, forgetting it once the socket
 * closed) happens in a turn ({@link #serve}) taken through the engine's {@link ExecutionGate}: a
 * read batch's requests run in one turn, which yields early when another thread waits for the
 * engine. When long work holds the engine, the gate does not let the turn wait: the work stays
 * pending here (bytes undecoded in {@code pending}, a wake-up in {@code wakeups}) and the gate
 * admits the connection later, on this connection's thread, in a window of the long work (where
 * the dispatcher answers -BUSY or -LOADING) or once the gate is free.
 *
 * <p>A client a blocking command parked (see BlockedClient) keeps its connection: bytes it sends go
 * on accumulating in {@code pending}, undecoded, until the wait ends; the wake-up runs on this
 * connection's thread ({@link #runLater}), writes the reply and resumes decoding where it stopped.
 *
 * <p><b>Durability.</b> When write propagation awaits durability (appendfsync always), the replies
 * of a batch are held until the log is durable through the newest unit delivered when the batch's
 * last command ran; meanwhile the connection decodes nothing more, as a parked client does.
 *
 * <p><b>Messages from other clients</b> (pub/sub, invalidations) arrive from whichever thread
 * produced them through {@link #deliver} into an {@link Outbox}; this connection moves them into its
 * output on its own thread: at the start of each turn, so that they come before the replies of
 * commands that ran after them, and in a drain task, so that an idle subscriber gets them at once.
 *
 * <p>CLIENT LIST reads the figures of other connections from the thread running CLIENT LIST: they
 * are read without synchronization, so they may be a moment stale, never invalid.
 */
final class ClientConnection extends ChannelInboundHandlerAdapter
        implements RequestDecoder.RequestListener, ClientSession.Transport {
    private static final byte[] MAX_CLIENTS_REACHED =
            "-ERR max number of clients reached\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PROTECTED_MODE_DENIED = ("-DENIED Redis is running in protected mode because protected"
            + " mode is enabled and no password is set for the default user. In this mode connections are only"
            + " accepted from the loopback interface. If you want to connect from external computers to Redis you"
            + " may adopt one of the following solutions: 1) Just disable protected mode sending the command"
            + " 'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the same host"
            + " the server is running, however MAKE SURE Redis is not publicly accessible from internet if you do"
            + " so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively you can just disable the"
            + " protected mode by editing the Redis configuration file, and setting the protected mode option to"
            + " 'no', and then restarting the server. 3) If you started the server manually just for testing,"
            + " restart it with the '--protected-mode no' option. 4) Setup a an authentication password for the"
            + " default user. NOTE: You only need to do one of the above things in order for the server to start"
            + " accepting connections from the outside.\r\n").getBytes(StandardCharsets.US_ASCII);
    private static final int OUTPUT_INITIAL_CAPACITY = 1024;
    private static final ChannelFutureListener HALF_CLOSE = future -> {
        if (future.channel() instanceof io.netty.channel.socket.DuplexChannel duplex) {
            duplex.shutdownOutput();
        } else {
            future.channel().close();
        }
    };
    /** Retries of a registration at maxclients before the client is refused (see waitForSlot). */
    private static final int MAX_SLOT_WAITS = 4;
    /** Redis forgets the peak of a client's reply buffer every 5 seconds; so does CLIENT LIST rbp here. */
    private static final long REPLY_PEAK_PERIOD_MILLIS = 5000;
    /** Replies held before they are written out in the middle of a batch. */
    private static final int OUTPUT_BATCH_LIMIT = 64 * 1024;
    /**
     * Queued output past which a client that has not authenticated is closed, as redis-server
     * 7.0.15 closes it (so that NOAUTH errors to a client that never reads cost almost nothing).
     */
    private static final long UNAUTHENTICATED_OUTPUT_LIMIT = 1024;

    private final Engine engine;
    private final ExecutionGate gate;
    private final WritePropagation propagation;
    private final ExecutionModel execution;
    private final RequestDecoder decoder;
    private final GatePlace gateWaiter = new GatePlace();
    /** A turn resumed later on this connection's thread (admitted by the gate, or after yielding). */
    private final Runnable resumeTurn = this::resume;
    private final Runnable resumeStep = this::resumeOnExecutionThread;
    private final Runnable durableTurn = this::durable;
    private final Runnable durableStep = this::durableOnExecutionThread;
    private final RepliesAwaitingDurability durability;
    private final Outbox outbox = new Outbox();
    private final Runnable drainTurn = this::drainOutbox;
    private final Runnable drainStep = this::drainOnExecutionThread;
    private final OutputBacklog.Share backlog;
    private final MemoryShortage memoryShortage;
    /** An empty write is queued behind the backlog, to report it once the kernel took it all. */
    private final AtomicBoolean drainWatched = new AtomicBoolean();
    private final ChannelFutureListener backlogDrained = future -> backlogDrained();
    private final Runnable reportBacklog = this::reportBacklog;
    private ChannelHandlerContext channel;
    private ClientSession session;
    private CommandContext context;
    /** Bytes read and not yet decoded (an incomplete request, or requests after a stop). */
    private ByteBuf pending;
    /** Replies of the current read batch, not yet flushed. */
    private ByteBuf output;
    /** Wake-ups of a parked client waiting for the gate to be free; null when there are none. */
    private ArrayDeque<Runnable> wakeups;
    private boolean closeWhenFlushed;
    /** Closing ends only the output; input is read and dropped until the client closes. */
    private boolean halfCloseWhenFlushed;
    /**
     * The close was started after the last replies: a later flush (the reads of a half-closed
     * connection still complete) must not start a full one, which would reset the connection and
     * lose the error a client still sending has yet to read.
     */
    private boolean closeStarted;
    /** Whether this connection's thread is known to run commands (INFO cpu main thread). */
    private boolean threadRecorded;
    /** maxclients or protected mode refused the client: nothing more is read or run. */
    private boolean refused;
    /** Times registration found maxclients reached and waited for closing connections to be forgotten. */
    private int slotWaits;
    /** Registration waits for a retry scheduled on the event loop. */
    private boolean waitingForSlot;
    private boolean released;
    /** The socket closed while the client was registered: it is to be forgotten in the next turn. */
    private boolean forgetPending;
    private volatile long replyPeak;
    private long replyPeakSince;
    private volatile int replyBufferCapacity;
    /**
     * Decoding waits until the connection is writable again (its replies backed up). Not CLIENT
     * PAUSE: a client that pause holds is parked as a blocked client is (see ClientPause).
     */
    private boolean paused;
    /** A turn stopped to let another thread have the engine; it goes on in a task of its own. */
    private boolean yielded;
    /** The gate queued this connection: the socket is not read until it is admitted. */
    private boolean waitingAtGate;

    ClientConnection(Engine engine, ExecutionModel execution, OutputBacklog outputBacklog, MemoryShortage memoryShortage) {
        this.engine = engine;
        this.gate = engine.gate();
        this.propagation = engine.propagation();
        this.execution = execution;
        this.decoder = new RequestDecoder(engine.protocolLimits());
        this.durability = new RepliesAwaitingDurability(propagation, this::durableFromAnyThread);
        this.backlog = new OutputBacklog.Share(outputBacklog);
        this.memoryShortage = memoryShortage;
    }

    /** The connection's place in the gate's queue; admitted, it resumes on its own thread. */
    private final class GatePlace extends GateWaiter {
        @Override
        protected void admit() {
            onOwnThread(resumeStep);
        }
    }

    private void resumeOnExecutionThread() {
        execution.execute(this, resumeTurn);
    }

    private void durableOnExecutionThread() {
        execution.execute(this, durableTurn);
    }

    private void drainOnExecutionThread() {
        execution.execute(this, drainTurn);
    }

    private void durableFromAnyThread() {
        onOwnThread(durableStep);
    }

    /** Runs a step on the connection's event loop, from any thread; nothing once the loop has stopped. */
    private void onOwnThread(Runnable step) {
        try {
            channel.channel().eventLoop().execute(step);
        } catch (RejectedExecutionException shuttingDown) {
            // The server is stopping: nothing is left to run for this connection.
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.channel = ctx;
        execution.execute(this, resumeTurn);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        ByteBuf in = (ByteBuf) message;
        if (refused || closeWhenFlushed) {
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
            if (!waitingAtGate) {
                channel.channel().config().setAutoRead(true);
            }
        }
        serve();
        engine.stats().readProcessed(System.nanoTime() - started);
    }

    /** A turn the gate admitted, or one that yielded, goes on; then what it wrote is sent. */
    private void resume() {
        yielded = false;
        stopWaitingAtGate();
        if (!hasWorkForTheEngine()) {
            // Admitted with nothing left to do: the long work need not wait for this connection.
            gate.withdraw(gateWaiter);
        } else {
            serve();
        }
        flush();
    }

    /**
     * Takes turns at the gate while this connection has work for the engine: registering, a wake-up,
     * requests to run, being forgotten. Returns when the work is done, when the gate queued the
     * connection (it is resumed once admitted), when the client is parked or its replies wait, and
     * after yielding to another thread that waits for the engine.
     */
    private void serve() {
        while (!yielded && hasWorkForTheEngine()) {
            gateWaiter.needsFree(wakeups != null && !wakeups.isEmpty() && !forgetPending);
            if (!gate.enter(gateWaiter)) {
                // As Redis reads no socket while a script or a load holds it: the kernel's buffers
                // hold what the client sends next, not this connection's memory.
                waitingAtGate = true;
                if (!released) {
                    channel.channel().config().setAutoRead(false);
                }
                return;
            }
            stopWaitingAtGate();
            boolean writeAndGoOn;
            try {
                writeAndGoOn = turn();
            } finally {
                gate.exit();
            }
            if (yielded) {
                // Another thread waits for the engine: let it have it before the rest of the batch.
                onOwnThread(resumeStep);
                return;
            }
            if (!writeAndGoOn || !writeOutput()) {
                return;
            }
        }
    }

    /** Admitted, or in by itself: the socket is read again (unless the client does not read its replies). */
    private void stopWaitingAtGate() {
        if (waitingAtGate) {
            waitingAtGate = false;
            if (!paused && !released) {
                channel.channel().config().setAutoRead(true);
            }
        }
    }

    private boolean hasWorkForTheEngine() {
        if (released) {
            return forgetPending;
        }
        if (refused || waitingForSlot) {
            return false;
        }
        return session == null || (wakeups != null && !wakeups.isEmpty()) || mayDecode();
    }

    /** Whether buffered requests may run now (a parked client or a held batch runs none). */
    private boolean mayDecode() {
        return pending != null && pending.isReadable() && !session.isBlocked() && !session.isClosing()
                && !closeWhenFlushed && !paused && !durability.isHolding();
    }

    /**
     * One turn, with the engine held.
     *
     * @return whether decoding stopped because the replies reached the batch limit: they are to be
     *     written out before the next turn
     */
    private boolean turn() {
        if (released) {
            forget();
            return false;
        }
        if (session == null) {
            register();
            if (session == null) {
                return false;
            }
        }
        if (outbox.bytes() > 0) {
            takeOutbox();
        }
        if (wakeups != null && !wakeups.isEmpty() && gate.state() == ExecutionGate.State.FREE) {
            prepareOutput();
            for (Runnable wakeup; (wakeup = wakeups.poll()) != null; ) {
                wakeup.run();
            }
            durability.commandRan();
            decoder.authenticationRequired(engine.authenticationRequired(session));
        }
        return mayDecode() && decodePending();
    }

    private void register() {
        if (engine.clients().count() >= engine.config().maxclients.value()) {
            if (slotWaits < MAX_SLOT_WAITS) {
                waitForSlot();
                return;
            }
            refused = true;
            engine.stats().rejectedConnections++;
            channel.writeAndFlush(channel.alloc().buffer().writeBytes(MAX_CLIENTS_REACHED))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (deniedByProtectedMode()) {
            refused = true;
            engine.stats().rejectedConnections++;
            engine.log().verbose("Refused the connection of " + remoteAddress() + ": protected mode, and the default"
                    + " user has no password");
            channel.writeAndFlush(channel.alloc().buffer().writeBytes(PROTECTED_MODE_DENIED))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        session = new ClientSession(engine.clients().nextId(), this, System.currentTimeMillis());
        session.reply().errorListener(engine.stats()::errorReplied);
        context = engine.dispatcher().newContext(session);
        engine.clients().add(session);
        engine.stats().connectionsReceived++;
        decoder.authenticationRequired(engine.authenticationRequired(session));
    }

    /**
     * Redis's protected mode: while it is on and the default user needs no password, a client from
     * anywhere but this machine's loopback gets -DENIED and is closed, before it can send anything,
     * so that a server started without thought is not open to the network. Checked after
     * maxclients, as Redis does.
     */
    private boolean deniedByProtectedMode() {
        return engine.config().protectedMode.value() && engine.acl().defaultUser().isNopass() && !isLocal();
    }

    /**
     * A client that closed its connection is counted until its event loop has read the close, and
     * the accepting thread can hand a new connection to a loop before that: the client that closes
     * and reconnects at once would be refused a slot that is free (the probe: 144 refusals in 400,
     * redis-server none, its single loop reads the close first). So registration at the limit is
     * retried after the loops had their turn at the sockets, 1, 2, 4 then 8 ms later, and only
     * then refused; the client's bytes wait in {@code pending} meanwhile.
     */
    private void waitForSlot() {
        waitingForSlot = true;
        long delay = 1L << slotWaits++;
        try {
            channel.channel().eventLoop().schedule(() -> {
                waitingForSlot = false;
                resumeStep.run();
            }, delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            // The server is stopping: the connection closes with it.
        }
    }

    private void forget() {
        forgetPending = false;
        session.disconnected();
        engine.pubsub().clientClosed(session);
        engine.tracking().disable(session);
        engine.clients().remove(session);
    }

    /**
     * Runs the complete requests buffered, stopping when the replies reach
     * {@link #OUTPUT_BATCH_LIMIT} or another thread waits for the engine.
     *
     * @return whether it stopped for the batch limit
     */
    private boolean decodePending() {
        prepareOutput();
        RequestDecoder.Outcome outcome;
        while (true) {
            try {
                outcome = decoder.decode(pending, this);
                break;
            } catch (OutOfMemoryError shortage) {
                // No room for an argument (a large value). The client gets the error in the
                // request's place; the rest of the request is read and dropped, and the connection
                // goes on, as it does after any other refused command.
                memoryShortage.report(describe(), "reading a request", shortage);
                session.reply().error(MemoryShortage.REPLY);
                if (decoder.discardRequest()) {
                    continue;
                }
                // An inline request has no length to skip by: the client gets the end of the
                // stream after the error, and what it still sends is read and dropped, since
                // closing with unread input would reset the connection and lose the error.
                decoder.abandon();
                closeWhenFlushed = true;
                halfCloseWhenFlushed = true;
                outcome = RequestDecoder.Outcome.STOPPED;
                break;
            }
        }
        if (outcome == RequestDecoder.Outcome.PROTOCOL_ERROR) {
            protocolError();
        } else if (pending.readableBytes() + decoder.bytesHeld() > engine.protocolLimits().queryBufferLimit()) {
            engine.log().warning("Closing client that reached max query buffer length: " + describe());
            decoder.failQueryBufferLimit();
            engine.stats().queryBufferLimitDisconnections.increment();
            closeWhenFlushed = true;
        }
        boolean batchLimit = outcome == RequestDecoder.Outcome.STOPPED && !yielded && !session.isBlocked()
                && !closeWhenFlushed && output.readableBytes() >= OUTPUT_BATCH_LIMIT;
        if (!pending.isReadable()) {
            pending.release();
            pending = null;
        } else {
            pending.discardSomeReadBytes();
        }
        return batchLimit;
    }

    private void prepareOutput() {
        if (output == null) {
            output = channel.alloc().ioBuffer(OUTPUT_INITIAL_CAPACITY);
        }
        session.reply().target(output);
    }

    @Override
    public boolean onRequest(RequestArguments arguments) {
        if (session.isClosing() && !closeWhenFlushed) {
            // Killed by another client while this batch waited for the engine.
            return false;
        }
        durability.commandStarting();
        ByteBuf replies = output;
        int replyStart = replies.writerIndex();
        try {
            engine.dispatcher().execute(context, arguments);
        } catch (OutOfMemoryError shortage) {
            // The command or its reply found no memory: whatever it wrote of a reply is dropped
            // for an error in its place, and the connection goes on (the memory may come back).
            if (output == replies) {
                replies.writerIndex(replyStart);
            }
            memoryShortage.report(describe(), "running " + (arguments.count() > 0 ? arguments.toLatin1String(0) : "a request"), shortage);
            session.reply().error(MemoryShortage.REPLY);
        }
        durability.commandRan();
        decoder.authenticationRequired(engine.authenticationRequired(session));
        if (closeWhenFlushed || session.isBlocked() || output.readableBytes() >= OUTPUT_BATCH_LIMIT) {
            return false;
        }
        if (gate.hasContenders()) {
            yielded = true;
            return false;
        }
        return true;
    }

    /**
     * Sends the replies so far, in the middle of a batch whose replies grew large.
     *
     * @return whether decoding may go on: the replies left and the connection is still writable
     */
    private boolean writeOutput() {
        if (!durability.mayLeave()) {
            return false;
        }
        ByteBuf replies = output;
        output = null;
        notePeak(replies);
        engine.stats().netOutputBytes.add(replies.readableBytes());
        engine.stats().writesProcessed.increment();
        channel.writeAndFlush(replies, channel.voidPromise());
        afterWrite();
        if (!channel.channel().isWritable()) {
            paused = true;
            channel.channel().config().setAutoRead(false);
            return false;
        }
        return true;
    }

    private void protocolError() {
        String reply = decoder.errorReply();
        if (reply != null) {
            session.reply().error("ERR " + reply);
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
        if (durability.isHolding() || released) {
            return;
        }
        ByteBuf replies = output;
        if (replies != null && replies.isReadable() && !durability.mayLeave()) {
            return;
        }
        output = null;
        if (replies != null) {
            notePeak(replies);
        }
        if (replies != null && replies.isReadable()) {
            engine.stats().netOutputBytes.add(replies.readableBytes());
            engine.stats().writesProcessed.increment();
            if (closeWhenFlushed) {
                closeStarted = true;
                channel.writeAndFlush(replies).addListener(halfCloseWhenFlushed ? HALF_CLOSE : ChannelFutureListener.CLOSE);
                return;
            }
            channel.writeAndFlush(replies, channel.voidPromise());
            afterWrite();
            if (!channel.channel().isWritable()) {
                channel.channel().config().setAutoRead(false);
            }
        } else {
            if (replies != null) {
                replies.release();
            }
            if (closeWhenFlushed && !closeStarted) {
                // After any replies already written in the middle of the batch, not before them.
                closeStarted = true;
                channel.writeAndFlush(Unpooled.EMPTY_BUFFER)
                        .addListener(halfCloseWhenFlushed ? HALF_CLOSE : ChannelFutureListener.CLOSE);
            }
        }
    }

    /** The log became durable through the offset the held replies waited for: send them, go on. */
    private void durable() {
        if (!durability.release() || released) {
            return;
        }
        flush();
        serve();
        flush();
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

    /**
     * After a write: what the kernel did not take is reported to the server-wide sum, watched until
     * it drains, and held to the output limits. A write the kernel took whole costs one read of a
     * counter; the watch (an empty write with a listener) exists only while a backlog does.
     */
    private void afterWrite() {
        long queued = outputBufferBytes();
        backlog.report(queued);
        if (queued == 0) {
            return;
        }
        if (drainWatched.compareAndSet(false, true)) {
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(backlogDrained);
        }
        enforceOutputLimits(queued);
    }

    /**
     * On the event loop, once everything written before the watch has left (or the socket closed).
     * Netty completes the watch's promise before it subtracts the watch's own entry from the
     * pending bytes, so the backlog is read in a task of its own: read here, it would never be 0,
     * and re-arming on it would spin forever.
     */
    private void backlogDrained() {
        try {
            channel.channel().eventLoop().execute(reportBacklog);
        } catch (RejectedExecutionException shuttingDown) {
            backlog.report(0);
        }
    }

    private void reportBacklog() {
        drainWatched.set(false);
        long queued = released ? 0 : outputBufferBytes();
        backlog.report(queued);
        if (queued > 0 && channel.channel().isActive() && drainWatched.compareAndSet(false, true)) {
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(backlogDrained);
        }
    }

    /**
     * Closes the client when its queued output passes a limit: 1 KB before it authenticated (as
     * redis-server), its class's client-output-buffer-limit (normal or pubsub, hard at once, soft
     * after its seconds), or, being one of the large backlogs, the server-wide output budget.
     */
    private void enforceOutputLimits(long queued) {
        if (session == null || session.isClosing()) {
            return;
        }
        long now = System.currentTimeMillis();
        if ((queued > UNAUTHENTICATED_OUTPUT_LIMIT && engine.authenticationRequired(session))
                || outbox.overLimit(classLimit(), queued + outbox.bytes(), now)) {
            closeForOutputLimit();
        } else if (backlog.overBudget(queued)) {
            engine.stats().outputBufferLimitDisconnections.increment();
            engine.log().warning("Client " + ClientInfoLine.of(session)
                    + " closed: the replies queued for all clients passed the server's output budget");
            outbox.close();
            session.closeNow();
        }
    }

    private ClientOutputBufferLimitDirective.Limit classLimit() {
        ClientOutputBufferLimitDirective.ClientClass clientClass = session.subscriptions() != null
                ? ClientOutputBufferLimitDirective.ClientClass.PUBSUB
                : ClientOutputBufferLimitDirective.ClientClass.NORMAL;
        return engine.config().network.clientOutputBufferLimit.limit(clientClass);
    }

    /** Redis's words and counter for a client over its output buffer limit. */
    private void closeForOutputLimit() {
        engine.log().warning("Client " + ClientInfoLine.of(session)
                + " scheduled to be closed ASAP for overcoming of output buffer limits.");
        engine.stats().outputBufferLimitDisconnections.increment();
        outbox.close();
        session.closeNow();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        backlog.report(outputBufferBytes());
        if (ctx.channel().isWritable()) {
            if (!waitingAtGate) {
                ctx.channel().config().setAutoRead(true);
            }
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

    /** Frees the buffers and forgets the client (in a turn); called by the execution model on its thread. */
    void release() {
        released = true;
        backlog.report(0);
        wakeups = null;
        outbox.close();
        if (pending != null) {
            pending.release();
            pending = null;
        }
        if (output != null) {
            output.release();
            output = null;
        }
        if (session != null) {
            forgetPending = true;
            serve();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        engine.log().verbose("Closing client after error: " + cause);
        ctx.close();
    }

    /** A wake-up of {@link #runLater}: runs in a turn once the gate is free, then sends and resumes. */
    private void wake(Runnable task) {
        if (released || session == null) {
            return;
        }
        if (wakeups == null) {
            wakeups = new ArrayDeque<>(2);
        }
        wakeups.add(task);
        serve();
        flush();
    }

    // ---------------------------------------------------------------- messages from other clients

    /** Moves the messages delivered so far to the end of the output; on this connection's thread. */
    private void takeOutbox() {
        ByteBuf taken = outbox.take();
        if (taken == null) {
            return;
        }
        if (output == null) {
            output = taken;
        } else {
            output.writeBytes(taken);
            taken.release();
        }
    }

    /** Sends what was delivered while the connection had nothing else to do. */
    private void drainOutbox() {
        if (released) {
            return;
        }
        takeOutbox();
        flush();
    }

    @Override
    public void deliver(ByteBuf message) {
        if (released || channel == null || session == null || session.isClosing()) {
            return;
        }
        if (outbox.add(channel.alloc(), message)) {
            onOwnThread(drainStep);
        }
        if (outbox.overLimit(classLimit(), queuedOutputBytes(), System.currentTimeMillis())) {
            // The producer holds the engine, so the client's line is read consistently.
            closeForOutputLimit();
        }
    }

    @Override
    public long queuedOutputBytes() {
        return outbox.bytes() + outputBufferBytes();
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
        Runnable step = () -> execution.execute(this, () -> wake(task));
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
    public boolean isConnected() {
        return channel != null && channel.channel().isActive();
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
