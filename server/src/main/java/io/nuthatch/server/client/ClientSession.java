package io.nuthatch.server.client;

import io.netty.buffer.ByteBuf;
import io.nuthatch.resp.ReplyWriter;
import io.nuthatch.server.command.CommandSpec;
import io.nuthatch.server.transaction.Transaction;

import java.util.concurrent.Future;

/**
 * The server-side state of one client connection that commands read and change: selected
 * database, protocol version, authentication, name, flags. It knows nothing of sockets; the
 * network layer behind it is reached through {@link Transport}.
 */
public final class ClientSession {

    /** What a session needs from the connection that carries it. */
    public interface Transport {
        /** Closes the connection once the replies written so far have been sent. */
        void closeAfterReply();

        /**
         * Closes the connection now, dropping unsent replies (CLIENT KILL of another client, the idle
         * timeout). Safe from any thread.
         */
        void closeNow();

        /**
         * Runs {@code task} on the connection's own thread after {@code delayMillis} (0: as soon as it
         * can), with the engine lock held and the reply writer pointed at the connection's output;
         * then sends what was written and, unless the client is still blocked, goes on with the
         * requests that arrived meanwhile. While long work holds the engine, the task waits until
         * the engine's gate is free. Nothing runs once the connection has closed. Safe from any
         * thread. This is how a blocked client is woken (see {@link BlockedClient}).
         *
         * @return a future that cancels the task
         */
        Future<?> runLater(long delayMillis, Runnable task);

        /** "ip:port" of the client. */
        String remoteAddress();

        /** "ip:port" the client connected to. */
        String localAddress();

        /** Bytes of requests received and not yet run (CLIENT LIST qbuf). */
        long queryBufferBytes();

        /** Bytes of replies not yet written to the socket (CLIENT LIST omem). */
        long outputBufferBytes();

        /** Unused capacity of the buffer holding received requests (CLIENT LIST qbuf-free). */
        long queryBufferFree();

        /** Bytes of replies of the current read batch, not yet handed to the socket (CLIENT LIST obl). */
        long replyBufferLength();

        /** Capacity of the buffer replies of the current batch are written to (CLIENT LIST rbs). */
        long replyBufferSize();

        /** The largest batch of replies lately (CLIENT LIST rbp). */
        long replyBufferPeak();

        /** Writes queued on the socket and not yet sent (CLIENT LIST oll). */
        long outputListLength();

        /** Memory the connection's buffers hold (part of CLIENT LIST tot-mem). */
        long bufferMemory();

        /** The socket's file descriptor, or -1 where the transport does not expose it (CLIENT LIST fd). */
        int fileDescriptor();

        /** Whether the client connected over loopback (enable-debug-command local, protected mode). */
        boolean isLocal();

        /**
         * Queues a message that is not a reply to this client's own command (a pub/sub message, an
         * invalidation, a MONITOR line) after everything queued for it so far; the readable bytes of
         * {@code message} are copied, the buffer is left as it was. Any thread, without the engine:
         * the message is sent from the connection's own thread. It counts against the client's
         * output buffer limit, and a client over its limit is closed. A transport with no peer
         * (a benchmark's, a test's) has nobody to send it to.
         */
        default void deliver(ByteBuf message) {
        }

        /**
         * Bytes queued for the client and not yet sent: delivered messages not yet handed to the
         * socket, and everything the socket has not taken yet. What output buffer limits apply to.
         * Any thread.
         */
        default long queuedOutputBytes() {
            return 0;
        }

        /**
         * Whether the connection is still open, as far as this thread can tell: a socket that closed
         * is reported before the client is forgotten in a turn of its own. Any thread.
         */
        default boolean isConnected() {
            return true;
        }
    }

    /** CLIENT REPLY modes. */
    public enum ReplyMode { ON, OFF, SKIP_NEXT, SKIP_THIS }

    /**
     * Heap of one idle connection: ClientSession, ReplyWriter, CommandContext, RequestDecoder and
     * its argument arena, the Netty channel with its pipeline. Measured as the heap growth of 500
     * connections that sent a PING, less the client side's own sockets: 4.0 to 6.4 KB. Counted in
     * used_memory, CLIENT LIST tot-mem and maxmemory-clients.
     */
    public static final long CONNECTION_HEAP_BYTES = 5_000;

    private final long id;
    private final Transport transport;
    private final ReplyWriter reply = new ReplyWriter();
    private final long createdMillis;

    private String name = "";
    private String libraryName = "";
    private String libraryVersion = "";
    private int database;
    private boolean authenticated;
    private String user = "default";
    private boolean noEvict;
    /** This connection's memory when client eviction last measured it (maxmemory-clients). */
    private long evictionMemory;
    /** Its buffers as the cron's clients walk last counted them ({@link ClientRegistry#accountBuffers}). */
    long accountedBufferBytes;
    private boolean noTouch;
    private ReplyMode replyMode = ReplyMode.ON;
    private boolean closing;
    private long lastInteractionMillis;
    private CommandSpec lastCommand;
    private BlockedClient blocked;
    private boolean monitoring;
    private Transaction transaction;
    /** Null while the client is subscribed to nothing. */
    private Subscriptions subscriptions;
    /** Null while CLIENT TRACKING is off. */
    private TrackingMode tracking;

    public ClientSession(long id, Transport transport, long nowMillis) {
        this.id = id;
        this.transport = transport;
        this.createdMillis = nowMillis;
        this.lastInteractionMillis = nowMillis;
    }

    public long id() {
        return id;
    }

    public Transport transport() {
        return transport;
    }

    public ReplyWriter reply() {
        return reply;
    }

    public long createdMillis() {
        return createdMillis;
    }

    public String name() {
        return name;
    }

    public void name(String name) {
        this.name = name;
    }

    public String libraryName() {
        return libraryName;
    }

    public void libraryName(String libraryName) {
        this.libraryName = libraryName;
    }

    public String libraryVersion() {
        return libraryVersion;
    }

    public void libraryVersion(String libraryVersion) {
        this.libraryVersion = libraryVersion;
    }

    /** The selected database number. */
    public int database() {
        return database;
    }

    public void database(int database) {
        this.database = database;
    }

    public boolean isAuthenticated() {
        return authenticated;
    }

    public void authenticated(String user) {
        this.authenticated = true;
        this.user = user;
    }

    public void deauthenticate() {
        this.authenticated = false;
        this.user = "default";
    }

    public String user() {
        return user;
    }

    public int protocol() {
        return reply.protocol();
    }

    /** This connection's memory when client eviction last measured it. */
    public long evictionMemory() {
        return evictionMemory;
    }

    public void evictionMemory(long bytes) {
        this.evictionMemory = bytes;
    }

    public boolean noEvict() {
        return noEvict;
    }

    public void noEvict(boolean noEvict) {
        this.noEvict = noEvict;
    }

    public boolean noTouch() {
        return noTouch;
    }

    public void noTouch(boolean noTouch) {
        this.noTouch = noTouch;
    }

    public ReplyMode replyMode() {
        return replyMode;
    }

    public void replyMode(ReplyMode replyMode) {
        this.replyMode = replyMode;
    }

    /** Whether the connection is to close once its replies are sent (QUIT, CLIENT KILL, errors). */
    public boolean isClosing() {
        return closing;
    }

    /** Closes the connection once the replies written so far have been sent. */
    public void closeAfterReply() {
        closing = true;
        transport.closeAfterReply();
    }

    /**
     * Closes the connection now (CLIENT KILL): the client runs no further command, even one it has
     * already sent. The caller holds the engine lock.
     */
    public void closeNow() {
        closing = true;
        transport.closeNow();
    }

    /** Whether a blocking command has parked the client (CLIENT LIST flag b). */
    public boolean isBlocked() {
        return blocked != null;
    }

    /** The wait the client is parked in, or null. */
    public BlockedClient blocked() {
        return blocked;
    }

    /** The connection closed: ends the wait the client was parked in, if any. Under the engine lock. */
    public void disconnected() {
        closing = true;
        if (blocked != null) {
            blocked.abandon();
        }
        if (transaction != null) {
            transaction.discard();
        }
    }

    /** The client's MULTI and WATCH state, or null if it never sent either. */
    public Transaction transaction() {
        return transaction;
    }

    public void transaction(Transaction transaction) {
        this.transaction = transaction;
    }

    public void blocked(BlockedClient blocked) {
        this.blocked = blocked;
    }

    /** Whether the client sent MONITOR (CLIENT LIST flag O): it receives a line per command run. */
    public boolean isMonitoring() {
        return monitoring;
    }

    public void monitoring(boolean monitoring) {
        this.monitoring = monitoring;
    }

    /** The client's subscriptions; null when it has none (then it is not a subscriber). */
    public Subscriptions subscriptions() {
        return subscriptions;
    }

    public void subscriptions(Subscriptions subscriptions) {
        this.subscriptions = subscriptions;
    }

    /** How the client tracks keys for its cache; null while CLIENT TRACKING is off. */
    public TrackingMode tracking() {
        return tracking;
    }

    public void tracking(TrackingMode tracking) {
        this.tracking = tracking;
    }

    public long lastInteractionMillis() {
        return lastInteractionMillis;
    }

    public void lastInteractionMillis(long millis) {
        this.lastInteractionMillis = millis;
    }

    /** The last command the client ran (CLIENT LIST cmd). */
    public CommandSpec lastCommand() {
        return lastCommand;
    }

    public void lastCommand(CommandSpec command) {
        this.lastCommand = command;
    }
}
