package io.nuthatch.chart;

import io.nuthatch.chart.HelmChart.Rendered;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pod the rendered StatefulSet describes, laid out in a directory standing for its filesystem:
 * each volume mount's content at root + mountPath (the ConfigMap's key at its subPath, the
 * Secret's items, an empty /data standing for the PVC, an empty /tmp), and the image's files
 * (the launcher and the jar, at the paths of the image contract) linked from this checkout.
 *
 * <p>Every absolute path the pod sees (in the command, the arguments, the environment and the
 * config file) becomes root + that path; nothing else is changed, so the server starts exactly as
 * the container would, minus the isolation a container adds.
 */
final class RenderedPod {
    /** The image contract: where the image keeps what this checkout builds. */
    static final Map<String, Path> IMAGE_FILES = Map.of(
            "/opt/nuthatch/bin/nuthatch-server", HelmChart.repositoryRoot().resolve("bin/nuthatch-server"),
            "/opt/nuthatch/nuthatch-server.jar", HelmChart.repositoryRoot().resolve("server/target/nuthatch-server.jar"));
    /** The image's WORKDIR. */
    static final String WORKING_DIRECTORY = "/data";

    final Path root;
    final JsonNode container;
    final JsonNode podSpec;
    private final List<String> mountPaths = new ArrayList<>();

    RenderedPod(Rendered rendered, Path root) throws IOException {
        this.root = root;
        JsonNode statefulSet = rendered.only("StatefulSet");
        podSpec = statefulSet.path("spec").path("template").path("spec");
        container = podSpec.path("containers").get(0);
        for (Map.Entry<String, Path> file : IMAGE_FILES.entrySet()) {
            if (!Files.isRegularFile(file.getValue())) {
                throw new IllegalStateException(file.getValue() + " is missing: build the server first"
                        + " (mvn -o -DskipTests package; the chart module comes after server in the reactor)");
            }
            Path inPod = inPod(file.getKey());
            Files.createDirectories(inPod.getParent());
            Files.deleteIfExists(inPod);
            Files.createSymbolicLink(inPod, file.getValue());
        }
        Map<String, JsonNode> volumes = new LinkedHashMap<>();
        for (JsonNode volume : podSpec.path("volumes")) {
            volumes.put(volume.path("name").asString(), volume);
        }
        for (JsonNode mount : container.path("volumeMounts")) {
            mountPaths.add(mount.path("mountPath").asString());
        }
        mountPaths.sort(Comparator.comparingInt(String::length).reversed());
        for (JsonNode mount : container.path("volumeMounts")) {
            String name = mount.path("name").asString();
            Path target = inPod(mount.path("mountPath").asString());
            JsonNode volume = volumes.get(name);
            if (volume == null) {
                // A volumeClaimTemplate: the PVC, kept across restarts of this pod.
                Files.createDirectories(target);
            } else if (volume.has("configMap")) {
                JsonNode data = rendered.named("ConfigMap", volume.path("configMap").path("name").asString()).path("data");
                String subPath = mount.path("subPath").asString();
                Files.createDirectories(target.getParent());
                Files.writeString(target, podPaths(data.path(subPath).asString()));
            } else if (volume.has("secret")) {
                JsonNode data = rendered.named("Secret", volume.path("secret").path("secretName").asString()).path("data");
                Files.createDirectories(target);
                for (JsonNode item : volume.path("secret").path("items")) {
                    Files.write(target.resolve(item.path("path").asString()),
                            Base64.getDecoder().decode(data.path(item.path("key").asString()).asString()));
                }
            } else if (volume.has("emptyDir")) {
                Files.createDirectories(target);
            } else {
                throw new IllegalStateException("a volume the test cannot lay out: " + volume);
            }
        }
    }

    /** Where the pod's path is in this directory. */
    Path inPod(String podPath) {
        return root.resolve(podPath.substring(1));
    }

    /** Text with each mount or image path the pod would see moved under root. */
    String podPaths(String text) {
        List<String> prefixes = new ArrayList<>(mountPaths);
        prefixes.addAll(IMAGE_FILES.keySet());
        prefixes.sort(Comparator.comparingInt(String::length).reversed());
        StringBuilder alternatives = new StringBuilder();
        for (String prefix : prefixes) {
            alternatives.append(alternatives.isEmpty() ? "" : "|").append(Pattern.quote(prefix));
        }
        Pattern path = Pattern.compile("(?<![\\w/.])(" + alternatives + ")(?=/|\\s|\"|$)", Pattern.MULTILINE);
        Matcher matcher = path.matcher(text);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(result, Matcher.quoteReplacement(inPod(matcher.group(1)).toString()));
        }
        matcher.appendTail(result);
        return result.toString();
    }

    /** The container's command and arguments, as the kubelet would run them. */
    List<String> commandLine() {
        List<String> line = new ArrayList<>();
        for (JsonNode word : container.path("command")) {
            line.add(podPaths(word.asString()));
        }
        for (JsonNode word : container.path("args")) {
            line.add(podPaths(word.asString()));
        }
        return line;
    }

    /** The container's environment: values, and the downward API's limits.memory in bytes. */
    Map<String, String> environment() {
        Map<String, String> environment = new LinkedHashMap<>();
        for (JsonNode variable : container.path("env")) {
            String name = variable.path("name").asString();
            if (variable.has("value")) {
                environment.put(name, podPaths(variable.path("value").asString()));
            } else if (variable.path("valueFrom").has("resourceFieldRef")) {
                String resource = variable.path("valueFrom").path("resourceFieldRef").path("resource").asString();
                if (!resource.equals("limits.memory")) {
                    throw new IllegalStateException("a resource the test cannot provide: " + resource);
                }
                environment.put(name, Long.toString(ChartRenderTest.quantityBytes(
                        container.path("resources").path("limits").path("memory").asString())));
            } else {
                throw new IllegalStateException("an environment variable the test cannot provide: " + variable);
            }
        }
        return environment;
    }

    Process start(Path log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(commandLine())
                .directory(inPod(WORKING_DIRECTORY).toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment());
        return builder.start();
    }

    int containerPort(String name) {
        for (JsonNode port : container.path("ports")) {
            if (port.path("name").asString().equals(name)) {
                return port.path("containerPort").asInt();
            }
        }
        throw new IllegalStateException("no port " + name);
    }

    /** The probe's HTTP GET, as the kubelet makes it: its status, or -1 when nothing answered in time. */
    int probe(String probeName) {
        JsonNode probe = container.path(probeName);
        JsonNode get = probe.path("httpGet");
        int port = get.path("port").isInt() ? get.path("port").asInt() : containerPort(get.path("port").asString());
        int timeoutMillis = probe.path("timeoutSeconds").asInt(1) * 1000;
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + port
                    + get.path("path").asString()).toURL().openConnection();
            connection.setConnectTimeout(timeoutMillis);
            connection.setReadTimeout(timeoutMillis);
            int status = connection.getResponseCode();
            connection.disconnect();
            return status;
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * Probes until one succeeds (2xx-3xx) or the kubelet would have given up (failureThreshold
     * periods): returns the milliseconds it took, or -1. It polls more often than periodSeconds to
     * keep the test short; the bound is the kubelet's.
     */
    long probeUntilSuccess(String probeName) throws InterruptedException {
        JsonNode probe = container.path(probeName);
        long budgetMillis = probe.path("failureThreshold").asInt(3) * probe.path("periodSeconds").asInt(10) * 1000L;
        long started = System.nanoTime();
        while (true) {
            int status = probe(probeName);
            long elapsed = (System.nanoTime() - started) / 1_000_000;
            if (status >= 200 && status < 400) {
                return elapsed;
            }
            if (elapsed > budgetMillis) {
                return -1;
            }
            Thread.sleep(200);
        }
    }

    String password() throws IOException {
        return new String(Files.readAllBytes(inPod("/etc/nuthatch/secret/password")), StandardCharsets.UTF_8);
    }
}
