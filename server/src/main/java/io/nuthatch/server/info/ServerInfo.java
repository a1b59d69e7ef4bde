package io.nuthatch.server.info;

import io.netty.channel.epoll.Epoll;
import io.nuthatch.server.Engine;
import io.nuthatch.server.ServerIdentity;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;

/**
 * The sections about the process and its connections: server, clients, cpu.
 */
final class ServerInfo {
    /** Redis's PROTO_REPLY_CHUNK_BYTES: the reply list of old Redis versions held chunks of this size. */
    private static final long REPLY_CHUNK_BYTES = 16 * 1024;

    private final Engine engine;
    private final String runId;
    private final String buildId;
    private final String os;
    private final String executable;
    private volatile int listeningPort = -1;

    ServerInfo(Engine engine, String runId) {
        this.engine = engine;
        this.runId = runId;
        this.buildId = Long.toHexString(fnv1a(ServerIdentity.REDIS_VERSION + "-" + ServerIdentity.nuthatchVersion()));
        this.os = System.getProperty("os.name", "unknown") + " " + System.getProperty("os.version", "")
                + " " + machine(System.getProperty("os.arch", ""));
        this.executable = ProcessHandle.current().info().command().orElse("");
    }

    void listeningPort(int port) {
        this.listeningPort = port;
    }

    void server(InfoFields out) {
        long uptimeSeconds = engine.uptimeMillis() / 1000;
        Instant now = Instant.now();
        int hz = clampedHz();
        out.add("redis_version", ServerIdentity.REDIS_VERSION)
                .add("redis_git_sha1", "00000000")
                .add("redis_git_dirty", 0)
                .add("redis_build_id", buildId)
                .add("redis_mode", "standalone")
                .add("os", os)
                .add("arch_bits", 64)
                // System.nanoTime reads CLOCK_MONOTONIC through clock_gettime on Linux.
                .add("monotonic_clock", "POSIX clock_gettime")
                .add("multiplexing_api", Epoll.isAvailable() ? "epoll" : "nio")
                .add("atomicvar_api", "java.util.concurrent")
                .add("gcc_version", "0.0.0")
                .add("process_id", ProcessHandle.current().pid())
                .add("process_supervised", "no")
                .add("run_id", runId)
                .add("tcp_port", listeningPort >= 0 ? listeningPort : engine.config().port.value())
                .add("server_time_usec", now.getEpochSecond() * 1_000_000 + now.getNano() / 1000)
                .add("uptime_in_seconds", uptimeSeconds)
                .add("uptime_in_days", uptimeSeconds / 86400)
                .add("hz", hz)
                .add("configured_hz", hz)
                .add("lru_clock", engine.lruClock())
                .add("executable", executable)
                .add("config_file", engine.config().configFile() == null ? "" : engine.config().configFile().toString())
                .add("io_threads_active", 0)
                .add("nuthatch_version", ServerIdentity.nuthatchVersion());
    }

    void clients(InfoFields out, ClientFigures figures) {
        long maxInput = figures.recentMaxInput();
        long maxOutput = figures.recentMaxOutput();
        out.add("connected_clients", engine.clients().count())
                .add("cluster_connections", 0)
                .add("maxclients", engine.config().maxclients.value())
                .add("client_recent_max_input_buffer", maxInput)
                .add("client_recent_max_output_buffer", maxOutput)
                .add("blocked_clients", engine.clients().blockedCount())
                .add("tracking_clients", engine.tracking().trackingClients())
                .add("clients_in_timeout_table", engine.clients().blockedWithTimeoutCount())
                // Later Redis versions (7.2, 7.4) and older ones (<= 4.0) print these; redis_exporter reads them.
                .add("pubsub_clients", 0)
                .add("watching_clients", 0)
                .add("total_watched_keys", 0)
                .add("total_blocking_keys", engine.blocking().keyCount())
                .add("total_blocking_keys_on_nokey", engine.blocking().keysWakingOnDeletion())
                .add("client_longest_output_list", (maxOutput + REPLY_CHUNK_BYTES - 1) / REPLY_CHUNK_BYTES)
                .add("client_biggest_input_buf", maxInput);
    }

    /**
     * The process's CPU, and as the "main thread" the threads that run commands and the cron (the
     * event loops, or the execution thread): those do the work of Redis's main thread.
     */
    void cpu(InfoFields out) {
        long[] process = ProcessMetrics.processCpuMicros();
        long[] main = ProcessMetrics.threadCpuMicros(engine.stats().commandThreads());
        out.add("used_cpu_sys", ProcessMetrics.seconds(process[1]))
                .add("used_cpu_user", ProcessMetrics.seconds(process[0]))
                .add("used_cpu_sys_children", ProcessMetrics.seconds(0))
                .add("used_cpu_user_children", ProcessMetrics.seconds(0))
                .add("used_cpu_sys_main_thread", ProcessMetrics.seconds(main[1]))
                .add("used_cpu_user_main_thread", ProcessMetrics.seconds(main[0]));
    }

    /** Redis clamps hz to 1..500 (CONFIG_MIN_HZ, CONFIG_MAX_HZ), as the cron does. */
    int clampedHz() {
        return (int) Math.max(1, Math.min(500, engine.config().hz.value()));
    }

    /** uname's machine name for the JVM's os.arch. */
    private static String machine(String javaArch) {
        return switch (javaArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "x86_64";
            case "x86", "i386", "i486", "i586", "i686" -> "i686";
            case "arm64", "aarch64" -> "aarch64";
            default -> javaArch;
        };
    }

    private static long fnv1a(String text) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            hash = (hash ^ (b & 0xff)) * 0x100000001b3L;
        }
        return hash;
    }
}
