package io.nuthatch.server.eviction;

import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.Resp;
import io.nuthatch.server.testing.RespValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A server in a process of its own, with the heap bin/nuthatch-server gives a container of
 * {@link #LIMIT} and a maxmemory larger than that heap can hold (as a user's 384mb in a 512Mi
 * container), is filled past it with 100 KB values under each of the eight policies in turn. It
 * must keep answering (no OutOfMemoryError: the JVM runs with -XX:+ExitOnOutOfMemoryError, as the
 * launcher starts it), refuse writes only with -OOM, and its peak resident memory (VmHWM) must stay
 * under the limit.
 *
 * <p>What this shows and what it does not: there is no cgroup here, so the kernel's OOM killer is
 * not in play; the peak RSS under the limit is what would keep it away. Peak RSS counts the heap
 * as far as G1 committed it, the JVM's own memory and Netty's buffers, for one client connection;
 * hundreds of connections with large pipelines need more room outside the heap than this.
 */
class ContainerMemoryTest {
    private static final long LIMIT = 256L << 20;
    private static final int VALUE_BYTES = 100_000;
    private static final int SMALL_VALUE_BYTES = 100;
    /** A container whose heap leaves the larger share its headroom. */
    private static final long SMALL_VALUES_LIMIT = 384L << 20;
    private static final int PIPELINE = 16;
    private static final List<String> POLICIES = List.of("noeviction", "allkeys-lru", "allkeys-lfu", "allkeys-random",
            "volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl");

    @TempDir
    Path directory;

    @Test
    void underEveryPolicyAServerFilledPastMaxmemoryKeepsAnsweringWithinTheContainersMemory() throws Exception {
        long heap = MemoryBudget.heapForContainer(LIMIT);
        int port = freePort();
        Path log = directory.resolve("server.log");
        Process server = start(heap, port, log);
        try {
            awaitStarted(port, server);
            // The JVM rounds -Xmx to its heap alignment, so the server's ceiling (from the heap the JVM
            // reports) may sit a region above the one computed from the -Xmx given.
            String warnings = Files.readString(log);
            java.util.regex.Matcher announced = java.util.regex.Pattern
                    .compile("keys are evicted \\(or writes refused\\) from (\\d+)").matcher(warnings);
            assertTrue(announced.find(), warnings);
            long ceiling = Long.parseLong(announced.group(1));
            long expected = MemoryBudget.heapCeiling(heap);
            assertTrue(Math.abs(ceiling - expected) <= (2L << 20), ceiling + " announced, " + expected + " expected");
            try (RawConnection connection = new RawConnection(port)) {
                for (String policy : POLICIES) {
                    connection.call("FLUSHALL");
                    connection.call("CONFIG", "SET", "maxmemory-policy", policy);
                    int refused = fill(port, heap * 5 / 4);
                    assertTrue(server.isAlive(), policy + ": the server is still running\n" + Files.readString(log));
                    assertEquals("PONG", RespValue.parse(connection.call("PING")), policy);
                    awaitOnlyThisConnection(connection, policy);
                    long used = infoField(connection, "memory", "used_memory");
                    assertTrue(used <= ceiling + 2 * VALUE_BYTES, policy + ": used_memory " + used + " over " + ceiling);
                    boolean alwaysEvictable = policy.startsWith("allkeys");
                    assertTrue(alwaysEvictable == (refused == 0), policy + ": " + refused + " writes refused");
                    long peak = peakResidentBytes(server);
                    System.out.println(policy + ": used_memory " + used + ", peak RSS " + peak + ", refused " + refused);
                    assertTrue(peak < LIMIT, policy + ": peak RSS " + peak + " over the limit " + LIMIT);
                }
            }
        } finally {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
            server.destroyForcibly();
        }
    }

    /**
     * A cache of small values of one size, filled with half as much again as the heap can hold:
     * eviction frees arrays the new keys reuse, so the data is given the larger share of the heap
     * ({@link MemoryBudget#RECYCLING_HEAP_SHARE}), and with it the server must still answer and stay
     * under the container's memory.
     */
    @Test
    void aCacheOfSmallValuesOfOneSizeGetsTheLargerShareWithinTheContainersMemory() throws Exception {
        long heap = MemoryBudget.heapForContainer(SMALL_VALUES_LIMIT);
        // In LIMIT's heap the larger share would leave less than its headroom: none is given there.
        assertEquals(MemoryBudget.heapCeiling(MemoryBudget.heapForContainer(LIMIT)),
                MemoryBudget.recyclingHeapCeiling(MemoryBudget.heapForContainer(LIMIT)));
        int port = freePort();
        Path log = directory.resolve("small-values.log");
        Process server = start(heap, port, log);
        try {
            awaitStarted(port, server);
            try (RawConnection connection = new RawConnection(port)) {
                connection.call("CONFIG", "SET", "maxmemory-policy", "allkeys-lru");
                // About 170 bytes a key: half as many keys again as the larger share holds.
                long keys = MemoryBudget.recyclingHeapCeiling(heap) * 3 / 2 / 170;
                try {
                    fillSmall(port, keys);
                } catch (IOException closed) {
                    throw new AssertionError("the fill's connection failed, server alive: " + server.isAlive() + "\n"
                            + Files.readString(log), closed);
                }
                assertTrue(server.isAlive(), "the server is still running\n" + Files.readString(log));
                awaitOnlyThisConnection(connection, "allkeys-lru");
                long used = infoField(connection, "memory", "used_memory");
                long peak = peakResidentBytes(server);
                System.out.println("small values: used_memory " + used + ", peak RSS " + peak);
                assertTrue(used > MemoryBudget.heapCeiling(heap) + (2L << 20),
                        "used_memory " + used + " stayed at the smaller share's " + MemoryBudget.heapCeiling(heap));
                assertTrue(used <= MemoryBudget.recyclingHeapCeiling(heap) + (2L << 20), "used_memory " + used);
                assertTrue(peak < SMALL_VALUES_LIMIT, "peak RSS " + peak + " over the limit " + SMALL_VALUES_LIMIT);
            }
        } finally {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
            server.destroyForcibly();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }

    /** The server with the heap given, started as bin/nuthatch-server starts it, with maxmemory at the heap. */
    private Process start(long heap, int port, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + (heap >> 20) + "m", "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError", "-XX:+PerfDisableSharedMem"));
        if (kernelLeavesHugePagesToPrograms()) {
            command.add("-XX:+UseTransparentHugePages"); // as the launcher adds it
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.nuthatch.server.Main",
                "--port", Integer.toString(port), "--exporter-port", "0", "--save", "", "--dir", directory.toString(),
                "--maxmemory", Long.toString(heap)));
        ProcessBuilder serverProcess = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        serverProcess.environment().put("MALLOC_ARENA_MAX", "2"); // as the launcher sets them
        serverProcess.environment().put("MALLOC_MMAP_THRESHOLD_", "131072");
        return serverProcess.start();
    }

    /** SETs of {@code keys} distinct keys with 100-byte values, in pipelines of 64. */
    private static void fillSmall(int port, long keys) throws IOException {
        byte[] value = new byte[SMALL_VALUE_BYTES];
        Arrays.fill(value, (byte) 'v');
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = new java.io.BufferedOutputStream(socket.getOutputStream(), 1 << 16);
            InputStream in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
            for (long i = 0; i < keys; i += 64) {
                for (int j = 0; j < 64; j++) {
                    out.write(Resp.request(List.of(bytes("SET"), bytes(String.format("key:%010d", i + j)), value)));
                }
                out.flush();
                for (int j = 0; j < 64; j++) {
                    String line = readLine(in);
                    if (!line.equals("+OK")) {
                        throw new AssertionError("unexpected reply " + line);
                    }
                }
            }
        }
    }

    /**
     * Writes {@code bytes} of 100 KB values in pipelines, a quarter of them with an expiry (what the
     * volatile policies may evict: the rest alone is more than the heap holds), and returns how many were refused; any error but -OOM fails.
     */
    private static int fill(int port, long bytes) throws IOException {
        byte[] value = new byte[VALUE_BYTES];
        Arrays.fill(value, (byte) 'x');
        int refused = 0;
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            long count = bytes / VALUE_BYTES;
            for (long i = 0; i < count; i += PIPELINE) {
                for (int j = 0; j < PIPELINE; j++) {
                    long n = i + j;
                    List<byte[]> command = new ArrayList<>(List.of(bytes("SET"), bytes("key:" + n), value));
                    if (n % 4 == 1) {
                        command.add(bytes("EX"));
                        command.add(bytes(Long.toString(1000 + n)));
                    }
                    out.write(Resp.request(command));
                }
                out.flush();
                for (int j = 0; j < PIPELINE; j++) {
                    String line = readLine(in);
                    if (line.startsWith("-OOM ")) {
                        refused++;
                    } else if (!line.equals("+OK")) {
                        throw new AssertionError("unexpected reply " + line);
                    }
                }
            }
        }
        return refused;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\r'; c = in.read()) {
            if (c < 0) {
                throw new IOException("the server closed the connection");
            }
            line.append((char) c);
        }
        in.read();
        return line.toString();
    }

    /**
     * Waits until the filling connection is gone: until then its query buffer, which may still hold
     * a refused value, counts in used_memory as client buffers do in Redis's.
     */
    private static void awaitOnlyThisConnection(RawConnection connection, String policy)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (infoField(connection, "clients", "connected_clients") > 1) {
            assertTrue(System.nanoTime() < deadline, policy + ": the filling connection is still open");
            Thread.sleep(10);
        }
    }

    private static long infoField(RawConnection connection, String section, String field) throws IOException {
        for (String line : ((String) RespValue.parse(connection.call("INFO", section))).split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1));
            }
        }
        throw new AssertionError(field);
    }

    /** Whether the transparent huge pages mode is "madvise", where bin/nuthatch-server asks for them. */
    private static boolean kernelLeavesHugePagesToPrograms() throws IOException {
        Path mode = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
        return Files.isReadable(mode) && Files.readString(mode).contains("[madvise]");
    }

    private static long peakResidentBytes(Process process) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.substring(6).trim().split(" +")[0]) * 1024;
            }
        }
        throw new AssertionError("no VmHWM");
    }

    private static void awaitStarted(int port, Process server) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            assertTrue(server.isAlive(), "the server stopped while starting");
            try (RawConnection connection = new RawConnection(port)) {
                if ("PONG".equals(RespValue.parse(connection.call("PING")))) {
                    return;
                }
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("the server did not start");
    }
}
