package io.nuthatch.server.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * redis-server run with a command line of the test's choosing: to see how it exits (a
 * configuration error, --help), or to start it as a configuration would and ask it questions.
 */
public final class RedisCommandLine {
    private RedisCommandLine() {
    }

    /** How a process ended: its status and what it wrote. */
    public record Exit(int status, String out, String err) {
    }

    /**
     * Runs redis-server with the arguments in the directory and waits for it to exit.
     *
     * @throws AssertionError when it is still running after 20 seconds (it started)
     */
    public static Exit run(Path directory, List<String> arguments, String standardInput) throws IOException,
            InterruptedException {
        List<String> command = new ArrayList<>(List.of(RedisServerProcess.executable()));
        command.addAll(arguments);
        Path out = Files.createTempFile(directory, "redis", ".out");
        Path err = Files.createTempFile(directory, "redis", ".err");
        Process process = new ProcessBuilder(command).directory(directory.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (standardInput != null) {
            process.getOutputStream().write(standardInput.getBytes(StandardCharsets.ISO_8859_1));
        }
        process.getOutputStream().close();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("redis-server did not exit: " + arguments);
        }
        return new Exit(process.exitValue(), Files.readString(out, StandardCharsets.ISO_8859_1),
                Files.readString(err, StandardCharsets.ISO_8859_1));
    }

    /** A redis-server started with a command line, stopped on close. */
    public static final class Started implements AutoCloseable {
        private final Process process;
        private final int port;

        private Started(Process process, int port) {
            this.process = process;
            this.port = port;
        }

        public int port() {
            return port;
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /**
     * Starts redis-server with the arguments followed by {@code --port <free port>}, and waits until
     * it answers (with -NOAUTH if it wants a password).
     */
    public static Started start(Path directory, List<String> arguments) throws IOException, InterruptedException {
        int port = RedisServerProcess.freePort();
        List<String> command = new ArrayList<>(List.of(RedisServerProcess.executable()));
        command.addAll(arguments);
        command.addAll(List.of("--port", Integer.toString(port)));
        Path log = Files.createTempFile(directory, "redis", ".log");
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("redis-server exited: " + Files.readString(log));
            }
            try (RawConnection connection = new RawConnection(port)) {
                byte[] reply = connection.call("PING");
                if (reply != null) {
                    return new Started(process, port);
                }
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        process.destroyForcibly();
        throw new AssertionError("redis-server did not start: " + Files.readString(log));
    }
}
