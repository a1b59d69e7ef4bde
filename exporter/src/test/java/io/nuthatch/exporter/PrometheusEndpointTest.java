package io.nuthatch.exporter;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The HTTP side: content negotiation, the JVM's families, the probes. */
class PrometheusEndpointTest {
    private final FakeSource source = new FakeSource();
    private PrometheusEndpoint endpoint;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws IOException {
        source.field("clients", "connected_clients", "3").field("persistence", "loading", "0")
                .field("persistence", "rdb_last_bgsave_status", "ok");
        endpoint = PrometheusEndpoint.start(source, "127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        endpoint.close();
    }

    private HttpResponse<String> get(String path, String accept) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + path));
        if (accept != null) {
            request.header("Accept", accept);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void metricsInTheTextFormatByDefault() throws Exception {
        HttpResponse<String> response = get("/metrics", null);
        assertEquals(200, response.statusCode());
        assertEquals(Exposition.TEXT_CONTENT_TYPE, response.headers().firstValue("Content-Type").orElse(""));
        assertTrue(response.body().contains("\nredis_connected_clients 3\n"), response.body());
        assertTrue(response.body().contains("\nredis_up 1\n"), response.body());
        assertTrue(response.body().contains("\njvm_threads_current "), "the JVM's families follow");
        assertTrue(!response.body().contains("# EOF"));
    }

    @Test
    void metricsInOpenMetricsWhenPrometheusAsks() throws Exception {
        HttpResponse<String> response = get("/metrics",
                "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1");
        assertEquals(Exposition.OPENMETRICS_CONTENT_TYPE, response.headers().firstValue("Content-Type").orElse(""));
        assertTrue(response.body().endsWith("# EOF\n"), response.body());
        assertEquals(1, response.body().split("# EOF", -1).length - 1, "one # EOF");
    }

    @Test
    void scrapesAreCounted() throws Exception {
        get("/metrics", null);
        assertTrue(get("/metrics", null).body().contains("\nredis_exporter_scrapes_total 2\n"));
    }

    @Test
    void healthFollowsTheEventLoops() throws Exception {
        assertEquals(200, get("/health", null).statusCode());
        source.responsive = false;
        HttpResponse<String> response = get("/health", null);
        assertEquals(503, response.statusCode());
    }

    @Test
    void readySaysWhyItIsNot() throws Exception {
        assertEquals(200, get("/ready", null).statusCode());
        source.field("persistence", "rdb_last_bgsave_status", "err");
        HttpResponse<String> failedSave = get("/ready", null);
        assertEquals(503, failedSave.statusCode());
        assertEquals("the last background save failed\n", failedSave.body());
        source.field("persistence", "loading", "1");
        assertEquals("loading the dataset\n", get("/ready", null).body());
        source.shuttingDown = true;
        assertEquals("shutting down\n", get("/ready", null).body());
    }

    @Test
    void onlyGetAndHead() throws Exception {
        HttpRequest post = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + "/metrics"))
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        assertEquals(405, http.send(post, HttpResponse.BodyHandlers.ofString()).statusCode());
        assertEquals(404, get("/nothing", null).statusCode());
    }
}
