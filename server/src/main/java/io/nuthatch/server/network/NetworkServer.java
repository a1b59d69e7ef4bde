package io.nuthatch.server.network;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.nuthatch.server.Engine;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The listening sockets and the event loops: native epoll on Linux, NIO elsewhere.
 *
 * <p>{@code bind} takes Redis's forms: addresses, "*" for every IPv4 address, "::*" for every IPv6
 * address, and a leading "-" for an address that may be unavailable without failing startup. When
 * both wildcards are asked for, one dual-stack IPv6 socket serves both families (falling back to
 * IPv4 alone where the machine has no IPv6).
 */
public final class NetworkServer implements AutoCloseable {
    private final Engine engine;
    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private final Class<? extends ServerChannel> serverChannelType;
    private final ExecutionModel execution;
    private final OutputBacklog outputBacklog = OutputBacklog.fromSystem();
    private final MemoryShortage memoryShortage;
    private final List<Channel> listeners = new ArrayList<>();
    private final List<Channel> tlsListeners = new ArrayList<>();
    private final boolean nativeTransport;
    private final TlsConfiguration tls = new TlsConfiguration();
    private final TlsHandshake.Failures tlsFailures;
    private int boundPort = -1;
    private int boundTlsPort = -1;

    /**
     * @param ioThreads         event loops for client connections
     * @param dedicatedExecution run all requests on one execution thread (design b) instead of on
     *                          the event loops (design a)
     */
    public NetworkServer(Engine engine, int ioThreads, boolean dedicatedExecution) {
        this.engine = engine;
        this.memoryShortage = new MemoryShortage(engine.log());
        this.tlsFailures = new TlsHandshake.Failures(engine.log(), engine.stats());
        this.nativeTransport = Epoll.isAvailable();
        IoHandlerFactory handlers = nativeTransport ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.bossGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("nuthatch-accept", true), handlers);
        this.workerGroup = new MultiThreadIoEventLoopGroup(ioThreads, new DefaultThreadFactory("nuthatch-io", true), handlers);
        this.serverChannelType = nativeTransport ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        this.execution = dedicatedExecution ? ExecutionModel.onDedicatedThread() : ExecutionModel.onEventLoop();
    }

    /** Whether the native epoll transport is in use. */
    public boolean isNativeTransport() {
        return nativeTransport;
    }

    /**
     * Listens on the given port (0: a free port chosen by the system) at the bind addresses.
     *
     * @return the port listened on
     */
    public int listen(int port, List<String> bindAddresses) throws IOException {
        ServerBootstrap bootstrap = bootstrap(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel channel) {
                configureKeepalive(channel);
                channel.pipeline().addLast(newConnection());
            }
        });
        boundPort = bindAll(bootstrap, port, bindAddresses, listeners, "TCP");
        return boundPort;
    }

    /**
     * Listens for TLS on the given port (0: a free port) at the bind addresses, with the settings
     * {@link #tls()} holds when each connection is accepted. Plain connections never see a TLS
     * handler: their pipeline is the client's connection alone.
     *
     * @return the port listened on
     */
    public int listenTls(int port, List<String> bindAddresses) throws IOException {
        if (!tls.isLoaded()) {
            throw new IllegalStateException("TLS settings are not loaded");
        }
        ServerBootstrap bootstrap = bootstrap(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel channel) throws SSLException {
                configureKeepalive(channel);
                channel.pipeline().addLast(tls.newHandler(channel.alloc()),
                        new TlsHandshake(NetworkServer.this::newConnection, tlsFailures));
            }
        });
        boundTlsPort = bindAll(bootstrap, port, bindAddresses, tlsListeners, "TLS");
        return boundTlsPort;
    }

    /** The TLS settings new connections on tls-port take. */
    public TlsConfiguration tls() {
        return tls;
    }

    private ClientConnection newConnection() {
        return new ClientConnection(engine, execution, outputBacklog, memoryShortage);
    }

    private ServerBootstrap bootstrap(ChannelInitializer<SocketChannel> initializer) {
        return new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(serverChannelType)
                .option(ChannelOption.SO_BACKLOG, Math.max(1, engine.config().tcpBacklog.intValue()))
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
                .childHandler(initializer);
    }

    private int bindAll(ServerBootstrap bootstrap, int port, List<String> bindAddresses, List<Channel> bound,
                        String kind) throws IOException {
        int actualPort = port;
        for (BindAddress address : BindAddress.resolve(bindAddresses)) {
            try {
                Channel channel = bindFirstAvailable(bootstrap, address, actualPort);
                bound.add(channel);
                actualPort = ((InetSocketAddress) channel.localAddress()).getPort();
            } catch (IOException e) {
                if (!address.optional()) {
                    throw e;
                }
                engine.log().warning("Could not create server " + kind + " listening socket " + address + ":" + port
                        + ": " + e.getMessage() + " (skipped: optional address)");
            }
        }
        return actualPort;
    }

    private static Channel bindFirstAvailable(ServerBootstrap bootstrap, BindAddress address, int port)
            throws IOException {
        IOException failure = null;
        for (String host : address.hosts()) {
            try {
                return bootstrap.bind(new InetSocketAddress(host, port)).sync().channel();
            } catch (Exception e) {
                failure = e instanceof IOException io ? io : new BindException(String.valueOf(e.getMessage()));
            }
        }
        throw failure;
    }

    private void configureKeepalive(SocketChannel channel) {
        int interval = engine.config().tcpKeepalive.intValue();
        if (interval <= 0) {
            return;
        }
        channel.config().setOption(ChannelOption.SO_KEEPALIVE, true);
        if (nativeTransport) {
            // As Redis's anetKeepAlive: probes after `interval` idle seconds, every interval/3, three times.
            channel.config().setOption(EpollChannelOption.TCP_KEEPIDLE, interval);
            channel.config().setOption(EpollChannelOption.TCP_KEEPINTVL, Math.max(1, interval / 3));
            channel.config().setOption(EpollChannelOption.TCP_KEEPCNT, 3);
        }
    }

    /** The port listened on, or -1 when not listening. */
    public int port() {
        return boundPort;
    }

    /** The TLS port listened on, or -1 when not listening for TLS. */
    public int tlsPort() {
        return boundTlsPort;
    }

    /**
     * Whether every event loop ran a task within the timeout: the exporter's /health. A loop stuck
     * in a command does not answer; one whose client waits for long work on the gate does.
     */
    public boolean eventLoopsRespond(long timeoutMillis) {
        List<Future<?>> pings = new ArrayList<>();
        for (EventExecutor loop : workerGroup) {
            pings.add(loop.submit(() -> { }));
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        for (Future<?> ping : pings) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !ping.awaitUninterruptibly(left, TimeUnit.NANOSECONDS)) {
                return false;
            }
        }
        return true;
    }

    /** Stops accepting plain TCP connections; clients stay connected. */
    public void stopListening() {
        close(listeners);
        boundPort = -1;
    }

    /** Stops accepting TLS connections; clients stay connected. */
    public void stopListeningTls() {
        close(tlsListeners);
        boundTlsPort = -1;
    }

    private static void close(List<Channel> bound) {
        for (Channel listener : bound) {
            listener.close().syncUninterruptibly();
        }
        bound.clear();
    }

    @Override
    public void close() {
        stopListening();
        stopListeningTls();
        workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        execution.shutdown();
    }
}
