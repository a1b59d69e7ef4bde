package io.nuthatch.server.persistence;

import io.nuthatch.server.testing.RawConnection;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Nuthatch server in a process of its own (the test's classpath, Main), so that a test can kill
 * it with SIGKILL as a container runtime or the kernel's OOM killer would. Its output goes to a
 * log file in the data directory's parent, appended across restarts.
 */
final class ServerProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path logFile;

    private ServerProcess(Process process, int port, Path logFile) {
        this.process = process;
        this.port = port;
        this.logFile = logFile;
    }

    /** Starts a server on a free port with {@code dir} and the directives given in pairs. */
    static ServerProcess start(Path dir, Path logFile, String... directives) throws IOException {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), "io.nuthatch.server.Main",
                "--port", Integer.toString(port), "--bind", "127.0.0.1", "--dir", dir.toString(),
                "--save", ""));
        command.addAll(List.of(directives));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        return new ServerProcess(builder.start(), port, logFile);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    int port() {
        return port;
    }

    Process process() {
        return process;
    }

    /**
     * Waits until the server answers PING with PONG (not -LOADING); fails, with the log, when the
     * process exits first or the time runs out.
     */
    void awaitReady(long timeoutMillis) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("the server exited with status " + process.exitValue() + " before it was ready:\n"
                        + log());
            }
            try (RawConnection connection = new RawConnection(port)) {
                String reply = new String(connection.call("PING"), StandardCharsets.ISO_8859_1);
                if (reply.equals("+PONG\r\n")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the server was not ready within " + timeoutMillis + " ms:\n" + log());
    }

    /** SIGKILL: no shutdown hook, no flush, nothing. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Waits for the process to exit by itself; its status, or -1 if it did not. */
    int awaitExit(long timeoutMillis) throws InterruptedException {
        return process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    String log() throws IOException {
        return Files.exists(logFile) ? Files.readString(logFile, StandardCharsets.ISO_8859_1) : "";
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
