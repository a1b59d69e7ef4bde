package io.nuthatch.server.introspection;

import io.nuthatch.server.NuthatchServer;
import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.ReferencePair;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A real Prometheus (Debian's) scrapes a running Nuthatch's exporter every second with the alert
 * rules of the fixture (shared/fixtures/seed-redis-alert-rules.yaml, as users run them against
 * redis_exporter) and the chart's; the test drives the server into the alerts' conditions and
 * reads the alerts' states from Prometheus's HTTP API, then runs the queries of Grafana dashboards
 * 763 and 11835 and expects data from each. Bounded: it gives up after {@link #BUDGET_MILLIS}.
 *
 * <p>The fixture's groups are evaluated every 30 s and their alerts wait 1 to 15 minutes before
 * firing, so within the budget they reach "pending" (RedisRejectedConnections, which has no wait,
 * fires); the chart's rules wait seconds and fire.
 */
class PrometheusAlertsTest {
    static final long BUDGET_MILLIS = 60_000;
    private static final String JOB = "alerthistory-redis";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /**
     * The queries of the dashboards' panels with their template variables filled for one
     * instance: 763 is redis_exporter's own dashboard (contrib/grafana_prometheus_redis_dashboard.json),
     * 11835 its helm stable/redis-ha variant, which selects by instance.
     */
    static final List<String> DASHBOARD_QUERIES = List.of(
            "max(max_over_time(redis_uptime_in_seconds{job=\"JOB\"}[1m]))",
            "redis_connected_clients{job=\"JOB\"}",
            "100 * (redis_memory_used_bytes{job=\"JOB\"} / redis_memory_max_bytes{job=\"JOB\"})",
            "rate(redis_commands_processed_total{job=\"JOB\"}[1m])",
            "irate(redis_keyspace_hits_total{job=\"JOB\"}[5m])",
            "irate(redis_keyspace_misses_total{job=\"JOB\"}[5m])",
            "redis_memory_used_bytes{job=\"JOB\"}",
            "redis_memory_max_bytes{job=\"JOB\"}",
            "rate(redis_net_input_bytes_total{job=\"JOB\"}[5m])",
            "rate(redis_net_output_bytes_total{job=\"JOB\"}[5m])",
            "sum(redis_db_keys{job=\"JOB\"}) by (db)",
            "sum(redis_db_keys{job=\"JOB\"}) - sum(redis_db_keys_expiring{job=\"JOB\"})",
            "sum(redis_db_keys_expiring{job=\"JOB\"})",
            "sum(rate(redis_expired_keys_total{job=\"JOB\"}[5m])) by (instance)",
            "sum(rate(redis_evicted_keys_total{job=\"JOB\"}[5m])) by (instance)",
            "topk(5, irate(redis_commands_total{job=\"JOB\"}[1m]))",
            "redis_up{job=\"JOB\"}",
            "redis_memory_used_bytes{instance=~\".+\"} / redis_memory_max_bytes{instance=~\".+\"} * 100",
            "sum(rate(redis_commands_duration_seconds_total{instance=~\".+\"}[1m])) by (cmd)"
                    + " / sum(rate(redis_commands_total{instance=~\".+\"}[1m])) by (cmd)",
            "redis_total_system_memory_bytes{instance=~\".+\"}",
            "redis_mem_fragmentation_ratio{instance=~\".+\"}",
            "redis_rdb_last_save_timestamp_seconds{instance=~\".+\"}",
            "redis_instance_info{instance=~\".+\"}");

    private static final Pattern ALERT = Pattern.compile(
            "\\{\"labels\":\\{[^}]*\"alertname\":\"(\\w+)\"[^}]*\\},\"annotations\":\\{[^}]*\\},\"state\":\"(\\w+)\"");

    @Test
    void alertsGoPendingAndFireAndDashboardsGetData() throws Exception {
        long deadline = System.currentTimeMillis() + BUDGET_MILLIS;
        Path work = Files.createTempDirectory("prometheus");
        NuthatchServer server = ReferencePair.startNuthatch();
        Process prometheus = null;
        List<RawConnection> held = new ArrayList<>();
        try (RawConnection admin = new RawConnection(server.port())) {
            int prometheusPort = freePort();
            prometheus = startPrometheus(work, server.exporterPort(), prometheusPort);
            String api = "http://127.0.0.1:" + prometheusPort;
            awaitSamples(api, "redis_up{job=\"" + JOB + "\"}", 2, deadline);

            // Memory above 90% of maxmemory.
            long used = Long.parseLong(infoField(admin, "used_memory"));
            admin.call("CONFIG", "SET", "maxmemory", Long.toString(used + used / 20));
            // Slow commands: every command is slow at a threshold of 0.
            admin.call("CONFIG", "SET", "slowlog-log-slower-than", "0");
            for (int i = 0; i < 15; i++) {
                admin.call("SET", "slow" + i, "v");
            }
            admin.call("CONFIG", "SET", "slowlog-log-slower-than", "-1");
            // Clients: above 80% of maxclients, then past it (rejected).
            admin.call("CONFIG", "SET", "maxclients", "20");
            for (int i = 0; i < 25; i++) {
                held.add(new RawConnection(server.port()));
            }
            for (RawConnection connection : held) {
                connection.call("PING");
            }
            // Misses: a hit rate far below 80%, across several scrapes.
            long missesUntil = System.currentTimeMillis() + 3000;
            while (System.currentTimeMillis() < missesUntil) {
                admin.call("GET", "missing");
            }

            Map<String, String> expected = new LinkedHashMap<>();
            expected.put("RedisOutOfMemory", "pending");
            expected.put("RedisHighMemoryUsage", "pending");
            expected.put("RedisRejectedConnections", "firing");
            expected.put("RedisSlowQueries", "pending");
            expected.put("RedisLowHitRate", "pending");
            expected.put("NuthatchMemoryNearMaxmemory", "firing");
            expected.put("NuthatchClientsNearMaxclients", "firing");
            expected.put("NuthatchRejectedConnections", "firing");
            expected.put("NuthatchSlowCommands", "firing");
            expected.put("NuthatchLowHitRate", "firing");
            Map<String, String> states = awaitAlerts(api, expected, deadline);
            assertEquals(expected, filter(states, expected), "alert states: " + states);
            assertTrue(!states.containsKey("RedisDown") && !states.containsKey("NuthatchDown")
                    && !states.containsKey("NuthatchPersistenceFailure"), "alerts that must stay quiet: " + states);

            List<String> empty = new ArrayList<>();
            for (String query : DASHBOARD_QUERIES) {
                String result = get(api + "/api/v1/query?query=" + URLEncoder.encode(query.replace("JOB", JOB),
                        StandardCharsets.UTF_8));
                if (!result.contains("\"status\":\"success\"") || result.contains("\"result\":[]")) {
                    empty.add(query + " -> " + result);
                }
            }
            assertEquals(List.of(), empty, "dashboard queries without data");
            String targets = get(api + "/api/v1/targets");
            assertTrue(targets.contains("\"health\":\"up\"") && targets.contains("\"lastError\":\"\""), targets);

            // Down: the scrape fails, up == 0, redis_up goes stale; the chart's rule fires.
            for (RawConnection connection : held) {
                connection.close();
            }
            held.clear();
            server.close();
            Map<String, String> down = awaitAlerts(api, Map.of("NuthatchDown", "firing"), deadline);
            assertEquals("firing", down.get("NuthatchDown"), "after the server stopped: " + down);
        } finally {
            for (RawConnection connection : held) {
                connection.close();
            }
            server.close();
            if (prometheus != null) {
                prometheus.destroy();
                if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                    prometheus.destroyForcibly();
                }
            }
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static Map<String, String> filter(Map<String, String> states, Map<String, String> expected) {
        Map<String, String> kept = new LinkedHashMap<>();
        for (String name : expected.keySet()) {
            kept.put(name, states.get(name));
        }
        return kept;
    }

    /** Polls the alerts until each expected one has its state (or the budget is spent); the last states read. */
    private static Map<String, String> awaitAlerts(String api, Map<String, String> expected, long deadline)
            throws IOException, InterruptedException {
        Map<String, String> states = Map.of();
        while (System.currentTimeMillis() < deadline) {
            states = alerts(api);
            if (expected.equals(filter(states, expected))) {
                return states;
            }
            Thread.sleep(500);
        }
        return states;
    }

    /** Alert name to state ("pending", "firing"): the alerts Prometheus has active now. */
    static Map<String, String> alerts(String api) throws IOException, InterruptedException {
        Map<String, String> states = new LinkedHashMap<>();
        Matcher alert = ALERT.matcher(get(api + "/api/v1/alerts"));
        while (alert.find()) {
            states.put(alert.group(1), alert.group(2));
        }
        return states;
    }

    private static void awaitSamples(String api, String query, int scrapes, long deadline)
            throws IOException, InterruptedException {
        String range = URLEncoder.encode("count_over_time(" + query + "[1m])", StandardCharsets.UTF_8);
        while (System.currentTimeMillis() < deadline) {
            try {
                String result = get(api + "/api/v1/query?query=" + range);
                Matcher count = Pattern.compile("\"value\":\\[[0-9.]+,\"(\\d+)\"\\]").matcher(result);
                if (count.find() && Integer.parseInt(count.group(1)) >= scrapes) {
                    return;
                }
            } catch (IOException notYetListening) {
                // Prometheus is starting.
            }
            Thread.sleep(250);
        }
        fail("Prometheus did not scrape the exporter " + scrapes + " times in time");
    }

    private static Process startPrometheus(Path work, int exporterPort, int prometheusPort) throws IOException {
        Path fixture = rules(work, "seed-redis-alert-rules.yaml",
                Path.of("..", "..", "shared", "fixtures", "seed-redis-alert-rules.yaml"));
        Path chart = rules(work, "chart-alert-rules.yaml", null);
        Path config = work.resolve("prometheus.yml");
        Files.writeString(config, String.join("\n",
                "global:",
                "  scrape_interval: 1s",
                "  evaluation_interval: 1s",
                "rule_files:",
                "  - " + fixture.toAbsolutePath(),
                "  - " + chart.toAbsolutePath(),
                "scrape_configs:",
                "  - job_name: " + JOB,
                "    scrape_interval: 1s",
                "    scrape_timeout: 1s",
                "    static_configs:",
                "      - targets: ['127.0.0.1:" + exporterPort + "']",
                ""));
        return new ProcessBuilder("prometheus", "--config.file=" + config, "--storage.tsdb.path=" + work.resolve("data"),
                "--web.listen-address=127.0.0.1:" + prometheusPort, "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(work.resolve("prometheus.log").toFile()).start();
    }

    /** The rules file: the shared original when it is beside the repository, else the test's copy. */
    private static Path rules(Path work, String name, Path shared) throws IOException {
        if (shared != null && Files.exists(shared)) {
            return shared;
        }
        Path copy = work.resolve(name);
        try (InputStream in = PrometheusAlertsTest.class.getResourceAsStream("/prometheus/" + name)) {
            Files.copy(in, copy);
        }
        return copy;
    }

    private static String infoField(RawConnection connection, String field) throws IOException {
        String info = new String(connection.call("INFO", "memory"), StandardCharsets.ISO_8859_1);
        Matcher value = Pattern.compile("\r\n" + field + ":(\\d+)\r\n").matcher(info);
        assertTrue(value.find(), field);
        return value.group(1);
    }

    private static String get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
