package io.nuthatch.server.introspection;

import io.nuthatch.exporter.InfoMetricTable;
import io.nuthatch.server.testing.EmbeddedNuthatch;
import io.nuthatch.server.testing.RawConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A running server's /metrics, /health and /ready, read over HTTP as Prometheus and the chart read them. */
class ExporterScrapeTest {
    @RegisterExtension
    static final EmbeddedNuthatch nuthatch = new EmbeddedNuthatch();

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String scrape() throws IOException, InterruptedException {
        HttpResponse<String> response = get(nuthatch.server().exporterPort(), "/metrics");
        assertEquals(200, response.statusCode());
        return response.body();
    }

    private static String info(RawConnection connection) throws IOException {
        return new String(connection.call("INFO", "everything"), StandardCharsets.ISO_8859_1);
    }

    /** The value of a sample without labels, or null. */
    static String sample(String scrape, String name) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(name + " ")) {
                return line.substring(name.length() + 1);
            }
        }
        return null;
    }

    @Test
    void everyMappedFieldThatInfoPrintsIsExportedWithItsType() throws Exception {
        String info;
        try (RawConnection connection = nuthatch.connect()) {
            info = info(connection);
        }
        String scrape = scrape();
        List<String> missing = new ArrayList<>();
        int checked = 0;
        for (InfoMetricTable.Row row : InfoMetricTable.rows()) {
            if (!info.contains("\r\n" + row.field() + ":")) {
                continue;
            }
            checked++;
            if (!scrape.contains("\n# TYPE " + row.metric() + " " + row.type().exposed() + "\n")
                    || sample(scrape, row.metric()) == null) {
                missing.add(row.field() + " -> " + row.metric());
            }
        }
        assertTrue(checked > 100, "INFO prints most mapped fields: " + checked);
        assertEquals(List.of(), missing);
    }

    @Test
    void labelledFamiliesFollowTheServer() throws Exception {
        try (RawConnection connection = nuthatch.connect()) {
            connection.call("SELECT", "3");
            connection.call("SET", "exported", "1", "EX", "100");
            connection.call("GET", "exported");
            connection.call("NOSUCHCOMMAND");
        }
        String scrape = scrape();
        assertTrue(scrape.contains("\nredis_db_keys{db=\"db3\"} 1\n"), scrape);
        assertTrue(scrape.contains("\nredis_db_keys_expiring{db=\"db3\"} 1\n"), scrape);
        assertTrue(scrape.contains("\nredis_db_keys{db=\"db15\"} 0\n"), "every database is listed");
        assertTrue(scrape.contains("\nredis_commands_total{cmd=\"set\"} "), scrape);
        assertTrue(scrape.contains("\nredis_latency_percentiles_usec{cmd=\"get\",quantile=\"50\"} "), scrape);
        assertTrue(scrape.contains("\nredis_errors_total{err=\"ERR\"} "), scrape);
        assertTrue(scrape.contains("\nredis_instance_info{role=\"master\",redis_version=\"7.0.15\""), scrape);
        assertTrue(scrape.contains("\njvm_memory_bytes_used{area=\"heap\","), "the JVM's families");
    }

    @Test
    void slowlogLengthIsTheSlowLogs() throws Exception {
        try (RawConnection connection = nuthatch.connect()) {
            connection.call("SLOWLOG", "RESET");
            connection.call("CONFIG", "SET", "slowlog-log-slower-than", "0");
            for (int i = 0; i < 12; i++) {
                connection.call("SET", "k" + i, "v");
            }
            connection.call("CONFIG", "SET", "slowlog-log-slower-than", "-1");
            String length = new String(connection.call("SLOWLOG", "LEN"), StandardCharsets.US_ASCII).trim();
            String scrape = scrape();
            assertEquals(length.substring(1), sample(scrape, "redis_slowlog_length"));
            assertTrue(Integer.parseInt(length.substring(1)) > 10);
            connection.call("CONFIG", "SET", "slowlog-log-slower-than", "10000");
            connection.call("SLOWLOG", "RESET");
        }
    }

    @Test
    void latencySpikesAreTheLatencyMonitors() throws Exception {
        try (RawConnection connection = nuthatch.connect()) {
            connection.call("LATENCY", "RESET");
            connection.call("CONFIG", "SET", "latency-monitor-threshold", "100");
            connection.call("DEBUG", "SLEEP", "0.2");
            connection.call("CONFIG", "SET", "latency-monitor-threshold", "0");
            String scrape = scrape();
            String prefix = "redis_latency_spike_duration_seconds{event_name=\"command\"} ";
            int at = scrape.indexOf("\n" + prefix);
            assertTrue(at >= 0, scrape);
            String value = scrape.substring(at + 1 + prefix.length(), scrape.indexOf('\n', at + 1));
            assertTrue(Double.parseDouble(value) >= 0.2, value);
            assertTrue(scrape.contains("\nredis_latency_spike_last{event_name=\"command\"} "), scrape);
            connection.call("LATENCY", "RESET");
        }
    }

    @Test
    void healthAndReadyAnswerOk() throws Exception {
        int port = nuthatch.server().exporterPort();
        assertEquals(200, get(port, "/health").statusCode());
        HttpResponse<String> ready = get(port, "/ready");
        assertEquals(200, ready.statusCode(), ready.body());
    }

    /**
     * promtool parses a scrape (exit 1 would be a parse error) and lints it (exit 3 for findings).
     * Its only findings may be the naming conventions that redis_exporter's own names break
     * (abbreviated units, "_total" on gauges and missing on counters): those names are the
     * contract, and redis_exporter's scrape draws the same findings.
     */
    @Test
    void promtoolParsesAScrapeAndFindsFaultOnlyWithRedisExporterNames() throws Exception {
        Set<String> contractNames = new HashSet<>();
        for (InfoMetricTable.Row row : InfoMetricTable.rows()) {
            contractNames.add(row.metric());
        }
        Path file = Files.createTempFile("scrape", ".txt");
        try {
            Files.writeString(file, scrape());
            Process promtool = new ProcessBuilder("promtool", "check", "metrics")
                    .redirectInput(file.toFile()).redirectErrorStream(true).start();
            String output = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(promtool.waitFor(30, TimeUnit.SECONDS));
            assertTrue(promtool.exitValue() == 0 || promtool.exitValue() == 3, "exit " + promtool.exitValue() + ": " + output);
            for (String finding : output.split("\n")) {
                if (finding.isEmpty()) {
                    continue;
                }
                String name = finding.substring(0, finding.indexOf(' '));
                String problem = finding.substring(name.length() + 1);
                assertTrue(contractNames.contains(name), "a finding on a name of our own: " + finding);
                assertTrue(problem.equals("metric names should not contain abbreviated units")
                        || problem.equals("counter metrics should have \"_total\" suffix")
                        || problem.equals("non-counter metrics should not have \"_total\" suffix"), finding);
            }
        } finally {
            Files.delete(file);
        }
    }
}
