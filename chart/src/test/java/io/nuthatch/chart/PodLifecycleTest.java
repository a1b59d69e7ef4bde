package io.nuthatch.chart;

import io.nuthatch.chart.HelmChart.Rendered;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static io.nuthatch.chart.HelmChart.render;
import static io.nuthatch.chart.HelmChart.sets;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pod's life without a cluster: the rendered StatefulSet's container started as the kubelet
 * would start it (RenderedPod), its probes, a password rotated by SIGHUP, a SIGTERM within the
 * grace period with status 0, a restart on the same /data that finds the data, and a kill -9 after
 * which the next start finds every acknowledged write (appendonly yes, the chart's default).
 *
 * <p>The ports are the render's own: the test renders with free ports as service.port and
 * exporter.port, so the config and the probes carry them as they would carry the defaults.
 */
class PodLifecycleTest {
    private static final int KEYS = 10_000;

    @TempDir
    Path directory;
    private Process process;

    @AfterEach
    void stop() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
    }

    @Test
    void thePodStartsIsProbedStopsCleanlyAndKeepsItsDataThroughRestartsAndKill9() throws Exception {
        Rendered rendered = render(List.of(), sets("service.port", freePort(), "exporter.port", freePort()));
        RenderedPod pod = new RenderedPod(rendered, directory.resolve("root"));
        Path log = directory.resolve("pod.log");
        int port = pod.containerPort("redis");
        long gracePeriodSeconds = pod.podSpec.path("terminationGracePeriodSeconds").asLong();

        long readyMillis = startAndProbe(pod, log);
        System.out.printf("first start: ready after %d ms%n", readyMillis);
        assertEquals("java", ProcessHandle.of(process.pid()).flatMap(h -> h.info().command())
                .map(c -> Path.of(c).getFileName().toString()).orElse("?"),
                "the launcher execs the JVM, so that SIGTERM reaches it");

        String password = pod.password();
        try (RespClient client = new RespClient(port)) {
            assertTrue(client.call("PING").startsWith("-NOAUTH"), "the Secret's password is required");
            assertEquals("+OK", client.call("AUTH", password));
            write(client, "first", KEYS);
        }

        // The Secret rotates: the kubelet swaps the file, SIGHUP makes the server read it.
        String rotated = password + "-rotated";
        Files.writeString(pod.inPod("/etc/nuthatch/secret/password"), rotated + "\n");
        new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).start().waitFor();
        assertTrue(authenticatesWithin(port, rotated, 10_000), "the rotated password after SIGHUP\n" + read(log));
        assertTrue(process.isAlive(), "SIGHUP does not stop the server");

        // SIGTERM: a clean exit well within the grace period.
        long stopStarted = System.nanoTime();
        process.destroy();
        assertTrue(process.waitFor(gracePeriodSeconds, TimeUnit.SECONDS), "no exit within the grace period\n" + read(log));
        long stopMillis = (System.nanoTime() - stopStarted) / 1_000_000;
        assertEquals(0, process.exitValue(), read(log));
        System.out.printf("SIGTERM: exited 0 after %d ms (grace period %d s)%n", stopMillis, gracePeriodSeconds);

        // The pod comes back on the same PVC.
        readyMillis = startAndProbe(pod, log);
        System.out.printf("restart with %d keys: ready after %d ms%n", KEYS, readyMillis);
        try (RespClient client = new RespClient(port)) {
            assertEquals("+OK", client.call("AUTH", rotated));
            check(client, "first", KEYS);
            write(client, "second", KEYS);
        }

        // kill -9: no shutdown at all; every acknowledged write is in the log.
        process.destroyForcibly();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertNotEquals(0, process.exitValue());
        readyMillis = startAndProbe(pod, log);
        System.out.printf("restart after kill -9 with %d keys: ready after %d ms%n", 2 * KEYS, readyMillis);
        try (RespClient client = new RespClient(port)) {
            assertEquals("+OK", client.call("AUTH", rotated));
            check(client, "first", KEYS);
            check(client, "second", KEYS);
        }
    }

    /** Starts the container and runs its probes as the kubelet orders them: startup, then readiness and liveness. */
    private long startAndProbe(RenderedPod pod, Path log) throws Exception {
        long started = System.nanoTime();
        process = pod.start(log);
        assertTrue(pod.probeUntilSuccess("startupProbe") >= 0, "startup probe never succeeded\n" + read(log));
        assertTrue(pod.probeUntilSuccess("readinessProbe") >= 0, "never ready\n" + read(log));
        assertEquals(200, pod.probe("livenessProbe"), read(log));
        return (System.nanoTime() - started) / 1_000_000;
    }

    private static void write(RespClient client, String prefix, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            client.send("SET", prefix + ":" + i, "value-" + prefix + "-" + i);
        }
        client.flush();
        for (int i = 0; i < count; i++) {
            assertEquals("+OK", client.read());
        }
    }

    private static void check(RespClient client, String prefix, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            client.send("GET", prefix + ":" + i);
        }
        client.flush();
        for (int i = 0; i < count; i++) {
            assertEquals("value-" + prefix + "-" + i, client.read(), prefix + ":" + i);
        }
    }

    private static boolean authenticatesWithin(int port, String password, long millis) throws Exception {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < deadline) {
            try (RespClient client = new RespClient(port)) {
                if (client.call("AUTH", password).equals("+OK")) {
                    return true;
                }
            }
            Thread.sleep(100);
        }
        return false;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String read(Path log) {
        try {
            return Optional.of(Files.readString(log)).orElse("");
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
