package io.nuthatch.chart;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Just enough of a Kubernetes API server for the chart's one {@code lookup} (the Secret of an
 * earlier release): discovery of core/v1 Secrets, and GET of a Secret, found or 404.
 *
 * <p>Why it exists: Helm's CLI renders {@code helm template} without a cluster and lets lookup
 * return nothing, but helm-java's template connects to the cluster of KUBECONFIG for lookup and
 * fails without one. Surefire points KUBECONFIG at target/kubeconfig (the pom); this writes that
 * file with its own address. It also lets a test play the upgrade: a Secret "already in the
 * cluster" whose password the render must keep.
 */
final class FakeKubernetesApi {
    private static final Map<String, String> SECRETS = new ConcurrentHashMap<>();
    private static HttpServer server;

    private FakeKubernetesApi() {
    }

    /** Starts the server once per JVM and writes the kubeconfig that leads helm to it. */
    static synchronized void ensureStarted() {
        if (server != null) {
            return;
        }
        String kubeconfig = System.getenv("KUBECONFIG");
        if (kubeconfig == null || kubeconfig.isEmpty() || kubeconfig.equals("/dev/null")) {
            throw new IllegalStateException("KUBECONFIG must name a file the tests may write (see chart/pom.xml)");
        }
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", FakeKubernetesApi::handle);
            server.start();
            String address = "http://127.0.0.1:" + server.getAddress().getPort();
            Path file = Path.of(kubeconfig);
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, """
                    apiVersion: v1
                    kind: Config
                    clusters:
                      - name: fake
                        cluster:
                          server: %s
                    users:
                      - name: fake
                        user: {}
                    contexts:
                      - name: fake
                        context:
                          cluster: fake
                          user: fake
                    current-context: fake
                    """.formatted(address));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A Secret "in the cluster": namespace/name, its base64 data (key: value). */
    static void putSecret(String namespace, String name, String dataJson) {
        SECRETS.put(namespace + "/" + name, dataJson);
    }

    static void removeSecret(String namespace, String name) {
        SECRETS.remove(namespace + "/" + name);
    }

    private static void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (path.equals("/api/v1")) {
            respond(exchange, 200, """
                    {"kind":"APIResourceList","apiVersion":"v1","groupVersion":"v1","resources":[
                    {"name":"secrets","singularName":"secret","namespaced":true,"kind":"Secret","verbs":["get","list"]}]}""");
            return;
        }
        if (path.equals("/api")) {
            respond(exchange, 200, """
                    {"kind":"APIVersions","versions":["v1"],"serverAddressByClientCIDRs":[]}""");
            return;
        }
        String[] parts = path.split("/");
        // /api/v1/namespaces/{namespace}/secrets/{name}
        if (parts.length == 7 && parts[3].equals("namespaces") && parts[5].equals("secrets")) {
            String data = SECRETS.get(parts[4] + "/" + parts[6]);
            if (data != null) {
                respond(exchange, 200, """
                        {"kind":"Secret","apiVersion":"v1","metadata":{"name":"%s","namespace":"%s"},"type":"Opaque","data":%s}"""
                        .formatted(parts[6], parts[4], data));
                return;
            }
        }
        respond(exchange, 404, """
                {"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404,"message":"not found"}""");
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
