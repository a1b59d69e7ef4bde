package io.nuthatch.server;

import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.RedisCommandLine;
import io.nuthatch.server.testing.RedisServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The command line of nuthatch-server: what it prints and how it exits, next to redis-server's. */
class MainTest {
    @TempDir
    Path directory;

    /** What Main.run printed, and its status. */
    record Run(int status, String out, String err) {
    }

    static Run main(String standardInput, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, new ByteArrayInputStream(standardInput.getBytes(StandardCharsets.ISO_8859_1)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void versionIsOneLineNamingTheRedisVersion() {
        for (String option : List.of("--version", "-v")) {
            Run run = main("", option);
            assertEquals(0, run.status());
            assertTrue(run.out().startsWith("Nuthatch server v=" + ServerIdentity.nuthatchVersion()
                    + " redis-compatible=7.0.15 "), run.out());
            assertEquals(1, run.out().lines().count());
            assertEquals("", run.err());
        }
    }

    @Test
    void helpGoesToStandardErrorWithStatusOneAsRedis() throws Exception {
        RedisCommandLine.Exit redis = RedisCommandLine.run(directory, List.of("--help"), null);
        for (String option : List.of("--help", "-h")) {
            Run run = main("", option);
            assertEquals(redis.status(), run.status());
            assertEquals("", run.out());
            assertTrue(run.err().startsWith("Usage: nuthatch-server [/path/to/redis.conf] [options] [-]\n"), run.err());
            assertTrue(run.err().contains("nuthatch-server -v or --version"), run.err());
            assertTrue(run.err().contains("echo 'maxmemory 128mb' | nuthatch-server -"), run.err());
        }
    }

    @Test
    void memoryTestAndSentinelModeAreRefusedClearly() {
        Run memory = main("", "--test-memory", "4096");
        assertEquals(1, memory.status());
        assertTrue(memory.err().startsWith("Nuthatch has no memory test"), memory.err());
        Run sentinel = main("", "/etc/sentinel.conf", "--sentinel");
        assertEquals(1, sentinel.status());
        assertTrue(sentinel.err().contains("no sentinel mode"), sentinel.err());
    }

    @Test
    void aBadDirectiveExitsWithRedisMessage() throws Exception {
        for (List<String> arguments : List.of(List.of("--foo", "bar"), List.of("--port", "abc"),
                List.of("--maxmemory", "1gb", "2gb"), List.of("--save", "900"), List.of("--loglevel", "loud"))) {
            RedisCommandLine.Exit redis = RedisCommandLine.run(directory, arguments, null);
            Run run = main("", arguments.toArray(String[]::new));
            assertEquals(redis.status(), run.status(), arguments.toString());
            assertEquals(redis.err(), run.err(), arguments.toString());
            assertEquals("", run.out());
        }
    }

    @Test
    void aConfigFileThatCannotBeReadIsLoggedAsRedisLogsIt() throws Exception {
        String missing = directory.resolve("missing.conf").toString();
        RedisCommandLine.Exit redis = RedisCommandLine.run(directory, List.of(missing), null);
        Run run = main("", missing);
        assertEquals(1, run.status());
        assertEquals(withoutLogPrefix(redis.out()), withoutLogPrefix(run.out()));
    }

    @Test
    void aLogFileThatCannotBeOpenedStopsStartupAsInRedis() throws Exception {
        List<String> arguments = List.of("--logfile", "/nonexistent/dir/nuthatch.log");
        RedisCommandLine.Exit redis = RedisCommandLine.run(directory, arguments, null);
        Run run = main("", arguments.toArray(String[]::new));
        assertEquals(1, run.status());
        assertEquals(redis.err(), run.err());
    }

    @Test
    void configurationFromStandardInputIsAnnouncedAndRead() throws Exception {
        RedisCommandLine.Exit redis = RedisCommandLine.run(directory, List.of("-"), "port abc\n");
        Run run = main("port abc\n", "-");
        assertEquals(1, run.status());
        assertEquals(redis.err(), run.err());
        assertEquals(withoutLogPrefix(redis.out()), withoutLogPrefix(run.out()));
    }

    /**
     * The process as a container runs it: it logs where it was told, writes its pid file, serves,
     * and on SIGTERM logs as Redis does, removes the pid file and exits with status 0.
     */
    @Test
    void sigtermStopsTheProcessCleanly() throws Exception {
        int port = RedisServerProcess.freePort();
        Path log = directory.resolve("nuthatch.log");
        Path pidFile = directory.resolve("nuthatch.pid");
        Process process = startProcess("--port", Integer.toString(port), "--bind", "127.0.0.1", "--dir",
                directory.toString(), "--logfile", "nuthatch.log", "--pidfile", "nuthatch.pid", "--daemonize", "yes",
                "--save", "900", "1", "--maxmemory", "100");
        try {
            awaitLine(log, "Ready to accept connections", process);
            try (RawConnection connection = new RawConnection(port)) {
                assertEquals("+PONG\r\n", new String(connection.call("PING"), StandardCharsets.US_ASCII));
            }
            assertEquals(process.pid() + "\n", Files.readString(pidFile));
            String started = Files.readString(log);
            assertTrue(started.contains(":C "), "startup lines carry Redis's role letter C");
            assertTrue(started.contains("# oO0OoO0OoO0Oo Nuthatch is starting oO0OoO0OoO0Oo"), started);
            assertTrue(started.contains("pid=" + process.pid() + ", just started"), started);
            assertTrue(started.contains("# Accepted without effect (Nuthatch runs in the foreground; let the container"
                    + " runtime or supervisor run it): daemonize"), started);
            assertTrue(started.contains("# Accepted without effect (persistence is not implemented yet): save"), started);
            assertTrue(started.contains("# WARNING: You specified a maxmemory value that is less than 1MB (current"
                    + " value is 100 bytes). Are you sure this is what you really want?"), started);
            process.destroy();
            assertTrue(process.waitFor(20, TimeUnit.SECONDS), "exits after SIGTERM");
            assertEquals(0, process.exitValue());
            String stopped = Files.readString(log);
            assertTrue(stopped.contains("# Received SIGTERM scheduling shutdown..."), stopped);
            assertTrue(stopped.contains("# Nuthatch is now ready to exit, bye bye..."), stopped);
            assertFalse(Files.exists(pidFile), "the pid file is removed");
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void sigintStopsTheProcessToo() throws Exception {
        int port = RedisServerProcess.freePort();
        Path log = directory.resolve("nuthatch.log");
        Process process = startProcess("--port", Integer.toString(port), "--bind", "127.0.0.1", "--logfile",
                log.toString());
        try {
            awaitLine(log, "Ready to accept connections", process);
            new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor();
            assertTrue(process.waitFor(20, TimeUnit.SECONDS), "exits after SIGINT");
            assertEquals(0, process.exitValue());
            assertTrue(Files.readString(log).contains("# Received SIGINT scheduling shutdown..."));
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void noArgumentsWarnsThatTheDefaultsAreUsed() throws Exception {
        Path log = directory.resolve("stdout.log");
        Process process = new ProcessBuilder(javaCommand()).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try {
            awaitLine(log, "no config file specified", process);
            assertTrue(Files.readString(log).contains("# Warning: no config file specified, using the default config."
                    + " In order to specify a config file use nuthatch-server /path/to/redis.conf"));
        } finally {
            process.destroy();
            process.waitFor(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void theContainerMemoryLimitIsReadFromCgroupsVersionTwoThenOne() throws IOException {
        Path version2 = directory.resolve("memory.max");
        Path version1 = directory.resolve("memory.limit_in_bytes");
        assertEquals(-1, Main.containerMemoryLimit(version2, version1), "not in a cgroup");
        Files.writeString(version1, "9223372036854771712\n");
        assertEquals(-1, Main.containerMemoryLimit(version2, version1), "cgroup v1 without a limit");
        Files.writeString(version1, "536870912\n");
        assertEquals(536870912, Main.containerMemoryLimit(version2, version1));
        Files.writeString(version2, "max\n");
        assertEquals(-1, Main.containerMemoryLimit(version2, version1), "cgroup v2 without a limit");
        Files.writeString(version2, "1073741824\n");
        assertEquals(1073741824, Main.containerMemoryLimit(version2, version1));
    }

    private Process startProcess(String... arguments) throws IOException {
        List<String> command = javaCommand();
        command.addAll(List.of(arguments));
        return new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(directory.resolve("process.out").toFile()).start();
    }

    private static List<String> javaCommand() {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ArrayList<>(List.of(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
    }

    private void awaitLine(Path log, String text, Process process) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(text)) {
                return;
            }
            if (!process.isAlive()) {
                fail("exited: " + Files.readString(directory.resolve("process.out")) + readIfExists(log));
            }
            Thread.sleep(50);
        }
        fail("no '" + text + "' in " + readIfExists(log));
    }

    private static String readIfExists(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }

    /** A log's lines without "pid:role date time": the level mark and the message. */
    static String withoutLogPrefix(String log) {
        StringBuilder lines = new StringBuilder();
        for (String line : log.split("\n")) {
            String[] fields = line.split(" ", 6);
            lines.append(fields.length == 6 ? fields[5] : line).append('\n');
        }
        return lines.toString();
    }
}
