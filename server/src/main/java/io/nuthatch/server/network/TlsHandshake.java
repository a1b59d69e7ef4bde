package io.nuthatch.server.network;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.nuthatch.server.info.ServerStats;
import io.nuthatch.server.log.ServerLog;

import javax.net.ssl.SSLException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Stands where the client's connection will be while a tls-port connection does its handshake:
 * the client exists (counts against maxclients, shows in CLIENT LIST) only once the handshake
 * succeeded, as in Redis, which creates its client after the TLS accept completes. A connection
 * whose handshake fails or times out is closed, counted and logged.
 *
 * <p>A port scanner, a load balancer's TCP probe or a plain-text client pointed at tls-port can
 * fail handshakes by the thousand, so the log says so at most once per {@link Failures#LOG_PERIOD_NANOS}
 * with how many failed since the last line, at the default level (Redis logs each one as a warning).
 */
final class TlsHandshake extends ChannelInboundHandlerAdapter {
    private final Supplier<ChannelHandler> connection;
    private final Failures failures;
    private boolean settled;

    TlsHandshake(Supplier<ChannelHandler> connection, Failures failures) {
        this.connection = connection;
        this.failures = failures;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // The client's connection becomes active when the handshake is done, not now.
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (!(event instanceof SslHandshakeCompletionEvent completion) || settled) {
            ctx.fireUserEventTriggered(event);
            return;
        }
        settled = true;
        if (completion.isSuccess()) {
            ctx.pipeline().addAfter(ctx.name(), null, connection.get());
            ctx.fireChannelActive();
            ctx.pipeline().remove(this);
        } else {
            failed(ctx, completion.cause());
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!settled) {
            settled = true;
            failed(ctx, cause);
        } else {
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!settled) {
            settled = true;
            failures.failed(ctx.channel().remoteAddress(), "connection closed during the handshake");
        }
    }

    private void failed(ChannelHandlerContext ctx, Throwable cause) {
        failures.failed(ctx.channel().remoteAddress(), describe(cause));
        ctx.close();
    }

    private static String describe(Throwable cause) {
        if (cause instanceof SslHandshakeTimeoutException) {
            return "handshake not completed within " + TlsConfiguration.HANDSHAKE_TIMEOUT_MILLIS / 1000 + " s";
        }
        Throwable reason = cause;
        while (reason.getCause() != null && !(reason instanceof SSLException)) {
            reason = reason.getCause();
        }
        String message = reason.getMessage();
        return message == null ? reason.getClass().getSimpleName() : message;
    }

    /** The failed handshakes of the server: counted in INFO, logged at most once a period. */
    static final class Failures {
        static final long LOG_PERIOD_NANOS = TimeUnit.SECONDS.toNanos(10);

        private final ServerLog log;
        private final ServerStats stats;
        private final AtomicLong nextLogAt = new AtomicLong(System.nanoTime());
        private final AtomicLong unlogged = new AtomicLong();

        Failures(ServerLog log, ServerStats stats) {
            this.log = log;
            this.stats = stats;
        }

        void failed(SocketAddress peer, String reason) {
            stats.tlsHandshakeFailures.increment();
            long now = System.nanoTime();
            long due = nextLogAt.get();
            if (now - due < 0 || !nextLogAt.compareAndSet(due, now + LOG_PERIOD_NANOS)) {
                unlogged.incrementAndGet();
                return;
            }
            long others = unlogged.getAndSet(0);
            String from = peer instanceof InetSocketAddress address
                    ? address.getAddress().getHostAddress() + ":" + address.getPort() : String.valueOf(peer);
            log.warning("Error accepting a client connection: " + reason + " (addr=" + from + ")"
                    + (others > 0 ? "; " + others + " more failed TLS handshakes not logged since the last line" : ""));
        }
    }
}
