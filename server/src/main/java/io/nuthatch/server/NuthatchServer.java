package io.nuthatch.server;

import io.netty.util.ResourceLeakDetector;
import io.nuthatch.exporter.PrometheusEndpoint;
import io.nuthatch.server.acl.AclFile;
import io.nuthatch.server.command.CommandTable;
import io.nuthatch.server.config.ConfigApplier;
import io.nuthatch.server.config.ConfigDirective;
import io.nuthatch.server.config.ConfigException;
import io.nuthatch.server.config.ServerConfig;
import io.nuthatch.server.gate.ExecutionGate;
import io.nuthatch.server.introspection.ServerMetricsSource;
import io.nuthatch.server.log.ServerLog;
import io.nuthatch.server.network.NetworkServer;
import io.nuthatch.server.network.TlsConfigurationException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A running Nuthatch server, in this process. The same server the command line starts:
 *
 * <pre>{@code
 * ServerConfig config = new ServerConfig().useFreePort();
 * try (NuthatchServer server = NuthatchServer.start(config)) {
 *     int port = server.port();
 *     ...
 * }
 * }</pre>
 *
 * <p>Closing it (or a client's SHUTDOWN) stops it; nothing calls System.exit.
 */
public final class NuthatchServer implements AutoCloseable {
    /** JVM property choosing the execution model for measurement: "event-loop" (default) or "dedicated". */
    public static final String EXECUTION_PROPERTY = "nuthatch.execution";

    private final Engine engine;
    private final ServerCron cron;
    private final NetworkServer network;
    private volatile int port;
    private volatile int tlsPort = -1;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile int exitStatus;
    private volatile PrometheusEndpoint exporter;

    private NuthatchServer(Engine engine, ServerCron cron, NetworkServer network, int port) {
        this.engine = engine;
        this.cron = cron;
        this.network = network;
        this.port = port;
    }

    /** Starts a server with the given configuration; it listens before this returns. */
    public static NuthatchServer start(ServerConfig config) {
        return start(config, new ServerLog());
    }

    /** Starts a server with the defaults on a free port, logging nothing below warnings. */
    public static NuthatchServer startOnFreePort() {
        ServerLog log = new ServerLog();
        log.level(ServerLog.Level.WARNING);
        return start(new ServerConfig().useFreePort(), log);
    }

    /** Starts a server that logs to the given log. */
    public static NuthatchServer start(ServerConfig config, ServerLog log) {
        disableLeakDetectionUnlessAsked();
        CommandTable commands = StandardCommands.table();
        config.renamedCommands().forEach((name, newName) -> {
            if (!commands.rename(name, newName)) {
                throw new IllegalArgumentException("No such command in rename-command: " + name);
            }
        });
        Engine engine = new Engine(config, commands, log);
        loadUsers(engine);
        ServerCron cron = new ServerCron(engine);
        boolean dedicated = "dedicated".equals(System.getProperty(EXECUTION_PROPERTY));
        NetworkServer network = new NetworkServer(engine, config.ioThreads.intValue(), dedicated);
        int port = -1;
        int tlsPort = -1;
        // Clients that connect before the load below begins must see LOADING, not an empty keyspace.
        engine.gate().expectLoad();
        try {
            cron.start();
            if (config.usesFreePort() || config.port.intValue() != 0) {
                port = network.listen(config.usesFreePort() ? 0 : config.port.intValue(), config.bind.value());
            }
            tlsPort = listenTlsAtStartup(config, network, log);
        } catch (IOException | RuntimeException e) {
            cron.close();
            network.close();
            if (e instanceof IOException io) {
                throw new UncheckedIOException("Could not listen on port " + config.port.value() + ": " + e.getMessage(), io);
            }
            throw (RuntimeException) e;
        }
        engine.info().listeningPort(port > 0 ? port : tlsPort);
        if (config.usesFreePort() && port > 0) {
            showPort(config.port, port);
        }
        if (config.usesFreePort() && tlsPort > 0) {
            showPort(config.tls.tlsPort, tlsPort);
        }
        NuthatchServer server = new NuthatchServer(engine, cron, network, port);
        server.tlsPort = tlsPort;
        engine.shutdownAction(server::close);
        engine.persistence().startLoading(() -> {
            server.exitStatus = 1;
            engine.requestShutdown();
        });
        server.startExporter();
        config.loglevel.onChange(() -> log.level(ServerLog.Level.byName(config.loglevel.value())));
        config.port.onApply(() -> server.listenAgain("Unable to listen on this port. Check server logs."));
        config.bind.onApply(() -> server.listenAgain("Failed to bind to specified addresses."));
        ConfigApplier listenTls = server::listenTlsAgain;
        config.bind.onApply(listenTls);
        config.tls.tlsPort.onApply(listenTls);
        ConfigApplier reloadTls = server::reloadTls;
        config.tls.settingsReadByTls().forEach(directive -> directive.onApply(reloadTls));
        log.notice("Running mode=standalone, port=" + port + (tlsPort > 0 ? ", tls-port=" + tlsPort : "")
                + ", execution=" + (dedicated ? "dedicated" : "event-loop") + ", io-threads=" + config.ioThreads.value() + ".");
        if (port > 0) {
            log.notice("Ready to accept connections tcp");
        }
        if (tlsPort > 0) {
            log.notice("Ready to accept connections tls");
        }
        return server;
    }

    /** Thrown when the configuration cannot start a server; the message is what the log must say, a line per line. */
    public static final class StartupRefused extends RuntimeException {
        StartupRefused(String message) {
            super(message);
        }
    }

    /** The users of {@code user} lines and of the aclfile, before any client can connect. */
    private static void loadUsers(Engine engine) {
        ServerConfig config = engine.config();
        String aclfile = config.security.aclfile.value();
        try {
            engine.acl().loadAtStartup(config.declaredUsers(), aclfile.isEmpty() ? null : config.resolvePath(aclfile));
        } catch (AclFile.LoadError e) {
            throw new StartupRefused(e.getMessage());
        }
    }

    /**
     * tls-port at startup: the TLS settings are read first, and a file or setting that cannot be
     * used stops startup as it stops redis-server.
     *
     * @return the TLS port listened on, or -1 without tls-port
     */
    private static int listenTlsAtStartup(ServerConfig config, NetworkServer network, ServerLog log) throws IOException {
        int configured = config.tls.tlsPort.intValue();
        if (!usesTls(config)) {
            return -1;
        }
        try {
            network.tls().load(config);
        } catch (TlsConfigurationException e) {
            log.warning(e.getMessage());
            throw new StartupException("Failed to configure TLS. Check logs for more info.");
        }
        if (configured == 0) {
            return -1;
        }
        try {
            return network.listenTls(config.usesFreePort() ? 0 : configured, config.bind.value());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not listen on tls-port " + configured + ": " + e.getMessage(), e);
        }
    }

    /**
     * CONFIG SET of a tls-* setting: Redis re-reads the whole TLS configuration then, and so does
     * this; connections accepted from now on use it, open ones keep the one they shook hands with.
     */
    private void reloadTls() throws ConfigException {
        if (usesTls(engine.config())) {
            loadTls();
        }
    }

    /**
     * Whether the TLS settings must be usable: Redis reads them when tls-port, tls-replication or
     * tls-cluster is on (the last two change nothing else here, but a file they would need missing
     * is the same error).
     */
    private static boolean usesTls(ServerConfig config) {
        return config.tls.tlsPort.intValue() != 0 || config.tls.tlsReplication.value() || config.tls.tlsCluster.value();
    }

    private void loadTls() throws ConfigException {
        try {
            network.tls().load(engine.config());
        } catch (TlsConfigurationException e) {
            engine.log().warning(e.getMessage());
            throw new ConfigException("Unable to update TLS configuration. Check server logs.");
        }
    }

    /** CONFIG SET tls-port or bind: listens for TLS where the configuration now says. */
    private void listenTlsAgain() throws ConfigException {
        ServerConfig config = engine.config();
        int configured = config.tls.tlsPort.intValue();
        if (configured != 0 && !network.tls().isLoaded()) {
            loadTls();
        }
        network.stopListeningTls();
        tlsPort = -1;
        if (configured != 0) {
            try {
                tlsPort = network.listenTls(configured, config.bind.value());
            } catch (IOException | RuntimeException e) {
                network.stopListeningTls();
                engine.log().warning("Could not listen on tls-port " + configured + ": " + e.getMessage());
                throw new ConfigException("Unable to listen on this port. Check server logs.");
            }
        }
        engine.info().listeningPort(port > 0 ? port : tlsPort);
    }

    /**
     * The built-in Prometheus exporter on exporter-port (0: none); on a free port too when the
     * server listens on one, so that embedded servers and tests never collide on 9121.
     */
    private void startExporter() {
        ServerConfig config = engine.config();
        int exporterPort = config.exporter.exporterPort.intValue();
        if (exporterPort == 0) {
            return;
        }
        try {
            exporter = PrometheusEndpoint.start(new ServerMetricsSource(engine, network, closed::get),
                    config.exporter.exporterBind.value(), config.usesFreePort() ? 0 : exporterPort);
        } catch (IOException | RuntimeException e) {
            close();
            throw new UncheckedIOException("Could not listen on exporter-port " + exporterPort + ": " + e.getMessage(),
                    e instanceof IOException io ? io : new IOException(e));
        }
        engine.log().notice("Prometheus exporter listening on port " + exporter.port() + " (/metrics, /health, /ready)");
    }

    /** The port of the Prometheus exporter, or -1 when it is off. */
    public int exporterPort() {
        PrometheusEndpoint endpoint = exporter;
        return endpoint == null ? -1 : endpoint.port();
    }

    /** Makes a port directive say where a server on a free port listens (CONFIG GET port, CONFIG SET bind). */
    private static void showPort(ConfigDirective directive, int port) {
        try {
            directive.set(Integer.toString(port));
        } catch (ConfigException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** CONFIG SET port or bind: listens where the configuration now says, as Redis does at once. */
    private void listenAgain(String failure) throws ConfigException {
        ServerConfig config = engine.config();
        network.stopListening();
        port = -1;
        if (config.port.intValue() == 0) {
            engine.info().listeningPort(tlsPort);
            return;
        }
        try {
            port = network.listen(config.port.intValue(), config.bind.value());
        } catch (IOException | RuntimeException e) {
            network.stopListening();
            engine.log().warning("Could not listen on port " + config.port.value() + ": " + e.getMessage());
            throw new ConfigException(failure);
        } finally {
            engine.info().listeningPort(port > 0 ? port : tlsPort);
        }
    }

    /**
     * Netty samples buffers for leak detection by default, recording a stack trace for each sample:
     * that is most of what a request allocates (about 30 bytes per GET at pipeline 1, measured with
     * JFR). Our buffers have one owner each and tests run with detection on, so it is off unless
     * the io.netty.leakDetection.level property asks for it.
     */
    private static void disableLeakDetectionUnlessAsked() {
        if (System.getProperty("io.netty.leakDetection.level") == null
                && System.getProperty("io.netty.leakDetectionLevel") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
    }

    /** The TCP port the server listens on, or -1 when it listens on none (port 0). */
    public int port() {
        return port;
    }

    /** The TLS port the server listens on, or -1 when it listens on none (tls-port 0). */
    public int tlsPort() {
        return tlsPort;
    }

    /** The engine, for tests and embedding code that look at the server from inside. */
    public Engine engine() {
        return engine;
    }

    /**
     * The execution gate: where long work (a script, loading the dataset) is handed the engine on a
     * thread of its own while clients get Redis's -BUSY and -LOADING answers, and what tests hold
     * to put the server in those states.
     */
    public ExecutionGate gate() {
        return engine.gate();
    }

    /** 0, or 1 once the server stopped because the dataset could not be loaded. */
    public int exitStatus() {
        return exitStatus;
    }

    /** Waits until the server has stopped (SHUTDOWN, or {@link #close()} from another thread). */
    public boolean awaitStop(long timeout, TimeUnit unit) throws InterruptedException {
        return stopped.await(timeout, unit);
    }

    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    /**
     * The final snapshot a signal asks for (shutdown-on-sigterm, shutdown-on-sigint: SHUTDOWN's
     * rules, see {@link io.nuthatch.server.persistence.Snapshots#beforeShutdown}), written before
     * the server stops. None while the dataset is still loading (it would save part of it).
     *
     * @return whether the server may stop: false when the save failed without {@code force}
     */
    public boolean finalSnapshot(boolean save, boolean noSave, boolean force) {
        if (engine.persistence().isLoading() || engine.persistence().loadFailed()) {
            return true;
        }
        boolean[] mayStop = {true};
        engine.gate().runExclusive(() -> mayStop[0] = engine.persistence().snapshots().beforeShutdown(save, noSave,
                force), 60_000);
        return mayStop[0];
    }

    /** Writes and fsyncs the log's last batch once no connection runs commands any more. */
    private void closePersistence() {
        boolean held = false;
        try {
            held = engine.lock().tryLock(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            engine.persistence().close();
        } finally {
            if (held) {
                engine.lock().unlock();
            }
        }
    }

    /** Stops accepting connections, closes the clients and stops the server's threads. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            network.stopListening();
            network.stopListeningTls();
            cron.close();
            engine.gate().requestStop();
            network.close();
            closePersistence();
            engine.gate().close();
        } finally {
            PrometheusEndpoint endpoint = exporter;
            if (endpoint != null) {
                endpoint.close();
            }
            stopped.countDown();
        }
    }
}
