package io.nuthatch.exporter;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.common.TextFormat;
import io.prometheus.client.hotspot.BufferPoolsExports;
import io.prometheus.client.hotspot.ClassLoadingExports;
import io.prometheus.client.hotspot.GarbageCollectorExports;
import io.prometheus.client.hotspot.MemoryAllocationExports;
import io.prometheus.client.hotspot.MemoryPoolsExports;
import io.prometheus.client.hotspot.ThreadExports;
import io.prometheus.client.hotspot.VersionInfoExports;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The exporter's HTTP server: /metrics (redis_exporter's families, then the JVM's from
 * simpleclient_hotspot, in the text format or OpenMetrics by the Accept header), /health and
 * /ready, the probes of the chart.
 *
 * <p>It serves one request at a time on a thread of its own, so a scrape never runs on an event
 * loop and two scrapes never read the server at once; the server's side of a scrape is
 * {@link MetricsSource#infoSections()}, which takes the engine only for as long as reading the
 * figures takes and never waits behind long work.
 */
public final class PrometheusEndpoint implements AutoCloseable {
    /** How long /health waits for each event loop to run a task. */
    static final long HEALTH_TIMEOUT_MILLIS = 2000;

    private final MetricsSource source;
    private final HttpServer http;
    private final ExecutorService thread;
    /**
     * The JVM's collectors, one set per process: simpleclient_hotspot's allocation collector
     * listens to every GC, so each registration would add listeners that are never removed.
     */
    private static CollectorRegistry jvm;
    /** Touched by the endpoint's one thread only. */
    private long scrapes;
    private double lastScrapeSeconds;

    private PrometheusEndpoint(MetricsSource source, HttpServer http) {
        this.source = source;
        this.http = http;
        this.thread = Executors.newSingleThreadExecutor(task -> {
            Thread t = new Thread(task, "nuthatch-exporter");
            t.setDaemon(true);
            return t;
        });
        http.createContext("/metrics", this::metrics);
        http.createContext("/health", this::health);
        http.createContext("/ready", this::ready);
        http.createContext("/", this::index);
        http.setExecutor(thread);
    }

    private static synchronized CollectorRegistry jvmCollectors() {
        if (jvm == null) {
            jvm = new CollectorRegistry();
            // DefaultExports but for StandardExports, whose process_open_fds costs a listing of
            // every connection's descriptor (see ProcessCollector).
            new ProcessCollector().register(jvm);
            new MemoryPoolsExports().register(jvm);
            new MemoryAllocationExports().register(jvm);
            new BufferPoolsExports().register(jvm);
            new GarbageCollectorExports().register(jvm);
            new ThreadExports().register(jvm);
            new ClassLoadingExports().register(jvm);
            new VersionInfoExports().register(jvm);
        }
        return jvm;
    }

    /** Listens on the address and port (0: any free port) and serves until closed. */
    public static PrometheusEndpoint start(MetricsSource source, String bind, int port) throws IOException {
        InetSocketAddress address = bind == null || bind.isEmpty() || bind.equals("*")
                ? new InetSocketAddress(port) : new InetSocketAddress(bind, port);
        PrometheusEndpoint endpoint = new PrometheusEndpoint(source, HttpServer.create(address, 16));
        endpoint.http.start();
        return endpoint;
    }

    /** The port it listens on. */
    public int port() {
        return http.getAddress().getPort();
    }

    @Override
    public void close() {
        http.stop(0);
        thread.shutdownNow();
    }

    /** The text of one scrape in a format: what /metrics answers. */
    public String scrape(Exposition.Format format) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream(64 * 1024);
        try (Writer out = new OutputStreamWriter(body, StandardCharsets.UTF_8)) {
            writeScrape(format, out);
        }
        return body.toString(StandardCharsets.UTF_8);
    }

    private void writeScrape(Exposition.Format format, Writer out) throws IOException {
        long started = System.nanoTime();
        List<MetricFamily> families = new ArrayList<>(InfoCollector.collect(source));
        scrapes++;
        families.add(new MetricFamily("redis_up", MetricType.GAUGE, "Information about the Redis instance").add(1));
        families.add(new MetricFamily("redis_exporter_scrapes_total", MetricType.COUNTER, "Current total redis scrapes.")
                .add(scrapes));
        families.add(new MetricFamily("redis_exporter_last_scrape_error", MetricType.GAUGE, "The last scrape error status.")
                .add(0, "err", ""));
        families.add(new MetricFamily("redis_exporter_last_scrape_duration_seconds", MetricType.GAUGE,
                "Time the previous scrape took to read the server, in seconds").add(lastScrapeSeconds));
        Exposition.write(families, format, out);
        lastScrapeSeconds = (System.nanoTime() - started) / 1e9;
        // simpleclient writes OpenMetrics' "# EOF" itself, at the end of the JVM's families.
        TextFormat.writeFormat(format.contentType(), out, jvmCollectors().metricFamilySamples());
    }

    private void metrics(HttpExchange exchange) throws IOException {
        if (!allowed(exchange)) {
            return;
        }
        Exposition.Format format = Exposition.Format.forAccept(exchange.getRequestHeaders().getFirst("Accept"));
        byte[] body = scrape(format).getBytes(StandardCharsets.UTF_8);
        respond(exchange, 200, format.contentType(), body);
    }

    /** 200 while every event loop answers, 503 when one does not. */
    private void health(HttpExchange exchange) throws IOException {
        if (!allowed(exchange)) {
            return;
        }
        if (source.eventLoopsResponsive(HEALTH_TIMEOUT_MILLIS)) {
            respondText(exchange, 200, "OK\n");
        } else {
            respondText(exchange, 503, "event loops not responding\n");
        }
    }

    /** 200 when the server can serve its data: loaded, not stopping, its last persistence writes good. */
    private void ready(HttpExchange exchange) throws IOException {
        if (!allowed(exchange)) {
            return;
        }
        String reason = notReadyReason();
        if (reason == null) {
            respondText(exchange, 200, "OK\n");
        } else {
            respondText(exchange, 503, reason + "\n");
        }
    }

    /** Why the server is not ready, or null when it is. */
    String notReadyReason() {
        if (source.shuttingDown()) {
            return "shutting down";
        }
        Map<String, String> persistence = source.infoSections().getOrDefault("persistence", Map.of());
        if ("1".equals(persistence.get("loading")) || "1".equals(persistence.get("async_loading"))) {
            return "loading the dataset";
        }
        if ("err".equals(persistence.get("rdb_last_bgsave_status"))) {
            return "the last background save failed";
        }
        if ("err".equals(persistence.get("aof_last_write_status"))) {
            return "the last write to the append-only file failed";
        }
        if ("err".equals(persistence.get("aof_last_bgrewrite_status"))) {
            return "the last rewrite of the append-only file failed";
        }
        return null;
    }

    private void index(HttpExchange exchange) throws IOException {
        if (!allowed(exchange)) {
            return;
        }
        if (!exchange.getRequestURI().getPath().equals("/")) {
            respondText(exchange, 404, "not found\n");
            return;
        }
        respondText(exchange, 200, "Nuthatch exporter: /metrics /health /ready\n");
    }

    private static boolean allowed(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        if (method.equals("GET") || method.equals("HEAD")) {
            return true;
        }
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        respondText(exchange, 405, "method not allowed\n");
        return false;
    }

    private static void respondText(HttpExchange exchange, int status, String text) throws IOException {
        respond(exchange, status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    private static void respond(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            if (!head) {
                out.write(body);
            }
        }
    }
}
