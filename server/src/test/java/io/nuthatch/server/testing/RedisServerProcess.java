package io.nuthatch.server.testing;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's redis-server, started by a test on a free port with persistence off: the reference our
 * replies are compared with. A test that needs it fails, never skips, when it is not installed.
 */
public final class RedisServerProcess implements AutoCloseable {
    private static final String INSTALL_HINT =
            "redis-server is not installed: install Debian's packages with `apt-get install -y redis-server redis-tools`";

    private final Process process;
    private final int port;
    private final Path directory;

    private RedisServerProcess(Process process, int port, Path directory) {
        this.process = process;
        this.port = port;
        this.directory = directory;
    }

    /** The redis-server executable; fails the test with an install hint when there is none. */
    public static String executable() {
        return findOnPath("redis-server");
    }

    /** A tool of redis-tools (redis-cli, redis-benchmark); fails the test with an install hint when missing. */
    public static String tool(String name) {
        return findOnPath(name);
    }

    private static String findOnPath(String name) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : (path + ":/usr/bin:/usr/local/bin").split(File.pathSeparator)) {
            File candidate = new File(dir, name);
            if (candidate.canExecute()) {
                return candidate.getAbsolutePath();
            }
        }
        throw new AssertionError(INSTALL_HINT + " (" + name + " not found on PATH)");
    }

    /** Starts redis-server with extra directives ("--maxmemory", "10mb", ...). */
    public static RedisServerProcess start(String... extraArguments) throws IOException {
        String executable = executable();
        int port = freePort();
        Path directory = Files.createTempDirectory("redis-reference");
        List<String> command = new ArrayList<>(List.of(executable,
                "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--daemonize", "no",
                "--enable-debug-command", "yes", "--dir", directory.toString(),
                "--logfile", directory.resolve("redis.log").toString()));
        command.addAll(List.of(extraArguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(directory.resolve("stdout.log").toFile()).start();
        RedisServerProcess server = new RedisServerProcess(process, port, directory);
        server.awaitReady();
        return server;
    }

    private void awaitReady() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("redis-server exited: " + Files.readString(directory.resolve("stdout.log")));
            }
            try (RawConnection connection = new RawConnection(port)) {
                if (new String(connection.call("PING")).equals("+PONG\r\n")) {
                    return;
                }
            } catch (IOException notYet) {
                sleep(20);
            }
        }
        throw new IOException("redis-server did not start on port " + port);
    }

    public int port() {
        return port;
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
