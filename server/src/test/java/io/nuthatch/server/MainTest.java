package io.nuthatch.server;

import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.RedisCommandLine;
import io.nuthatch.server.testing.RedisServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

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
        Process process = startProcess("--port", Integer.toString(port), "--exporter-port", "0", "--bind", "127.0.0.1",
                "--dir", directory.toString(), "--logfile", "nuthatch.log", "--pidfile", "nuthatch.pid", "--daemonize", "yes",
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
            assertFalse(started.contains("without effect (persistence is not implemented yet): save"), started);
            assertTrue(started.contains("# WARNING: You specified a maxmemory value that is less than 1MB (current"
                    + " value is 100 bytes). Are you sure this is what you really want?"), started);
            process.destroy();
            assertTrue(process.waitFor(20, TimeUnit.SECONDS), "exits after SIGTERM");
            assertEquals(0, process.exitValue());
            String stopped = Files.readString(log);
            assertTrue(stopped.contains("# Received SIGTERM scheduling shutdown..."), stopped);
            // save 900 1 is set: SIGTERM writes a final snapshot, as SHUTDOWN would.
            assertTrue(stopped.contains("* Saving the final RDB snapshot before exiting."), stopped);
            assertTrue(stopped.contains("* DB saved on disk"), stopped);
            assertTrue(Files.exists(directory.resolve("nuthatch.manifest")), "the snapshot's manifest");
            assertTrue(stopped.contains("# Nuthatch is now ready to exit, bye bye..."), stopped);
            assertFalse(Files.exists(pidFile), "the pid file is removed");
        } finally {
            process.destroyForcibly();
        }
    }

    /**
     * A shell without job control (a script, CI, {@code cmd &}) starts a background job with SIGINT
     * ignored; redis-server still stops on it, and so must the launcher's server. The shell here
     * ignores SIGINT and SIGTERM explicitly, so the test does not depend on how mvn was started.
     */
    @Test
    void theLauncherStopsOnSigintOrSigtermEvenWhenTheyWereIgnored() throws Exception {
        Path jar = launcherJar();
        for (String signal : List.of("INT", "TERM")) {
            int port = RedisServerProcess.freePort();
            Path log = directory.resolve("launcher-" + signal + ".log");
            Process process = startWithSignalsIgnored("INT TERM", jar, launcher().toString(), "--port",
                    Integer.toString(port), "--exporter-port", "0", "--bind", "127.0.0.1", "--dir", directory.toString(),
                    "--logfile", log.toString());
            try {
                awaitLine(log, "Ready to accept connections", process);
                assertFalse(Files.readString(log).contains("as ignored"), Files.readString(log));
                new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor();
                assertTrue(process.waitFor(20, TimeUnit.SECONDS), "exits after SIG" + signal);
                assertEquals(0, process.exitValue());
                String stopped = Files.readString(log);
                assertTrue(stopped.contains("# Received SIG" + signal + " scheduling shutdown..."), stopped);
                assertTrue(stopped.contains("# Nuthatch is now ready to exit, bye bye..."), stopped);
            } finally {
                process.destroyForcibly();
            }
        }
    }

    /**
     * Without the launcher a JVM cannot take back an ignored SIGINT: the server says so in its
     * log instead of leaving the user to wait for a Ctrl-C that does nothing, and SIGTERM still
     * stops it cleanly.
     */
    @Test
    void aJvmThatInheritedSigintIgnoredSaysSoAndStopsOnSigterm() throws Exception {
        int port = RedisServerProcess.freePort();
        Path log = directory.resolve("ignored.log");
        List<String> command = javaCommand();
        command.addAll(List.of("--port", Integer.toString(port), "--exporter-port", "0", "--bind", "127.0.0.1", "--logfile",
                log.toString()));
        Process process = startWithSignalsIgnored("INT", null, command.toArray(String[]::new));
        try {
            awaitLine(log, "Ready to accept connections", process);
            assertTrue(ignoredSignals(process.pid()).contains(2), "the premise: SIGINT is ignored");
            assertTrue(Files.readString(log).contains("# WARNING: Nuthatch inherited SIGINT as ignored"),
                    Files.readString(log));
            process.destroy();
            assertTrue(process.waitFor(20, TimeUnit.SECONDS), "exits after SIGTERM");
            assertEquals(0, process.exitValue());
            assertTrue(Files.readString(log).contains("# Received SIGTERM scheduling shutdown..."));
        } finally {
            process.destroyForcibly();
        }
    }

    /** redis-server ignores SIGHUP, so that closing the terminal it was started from does not stop it. */
    @Test
    void sighupDoesNotStopTheServerAsItDoesNotStopRedisServer() throws Exception {
        RedisCommandLine.Started redis = RedisCommandLine.start(directory, List.of("--save", ""));
        try {
            long redisPid = Long.parseLong(infoField(redis.port(), "process_id"));
            new ProcessBuilder("kill", "-HUP", Long.toString(redisPid)).start().waitFor();
            Thread.sleep(200);
            assertEquals("+PONG\r\n", ping(redis.port()), "redis-server after SIGHUP");
        } finally {
            redis.close();
        }
        int port = RedisServerProcess.freePort();
        Path log = directory.resolve("hup.log");
        Process process = startProcess("--port", Integer.toString(port), "--exporter-port", "0", "--bind", "127.0.0.1",
                "--logfile", log.toString());
        try {
            awaitLine(log, "Ready to accept connections", process);
            new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).start().waitFor();
            Thread.sleep(200);
            assertEquals("+PONG\r\n", ping(port), "nuthatch after SIGHUP");
            // Caught rather than ignored: it reads requirepass-file again (RequirepassFileTest).
            assertFalse(ignoredSignals(process.pid()).contains(1), "SIGHUP is handled");
            assertTrue(process.isAlive());
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

    /**
     * Starts the command from a shell that ignores the signals first, as a shell without job
     * control does for a background job; the command inherits them ignored. With a jar, the
     * launcher runs it (NUTHATCH_JAR), with this JVM and a small heap.
     */
    private Process startWithSignalsIgnored(String signals, Path jar, String... command) throws IOException {
        List<String> shell = new ArrayList<>(List.of("sh", "-c", "trap '' " + signals + "; exec \"$@\"", "sh"));
        shell.addAll(List.of(command));
        ProcessBuilder builder = new ProcessBuilder(shell).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(directory.resolve("process.out").toFile());
        if (jar != null) {
            builder.environment().put("NUTHATCH_JAR", jar.toString());
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            builder.environment().put("JAVA_OPTS", "-Xmx128m");
        }
        return builder.start();
    }

    /** bin/nuthatch-server of this checkout (the tests run in server/). */
    private static Path launcher() {
        Path launcher = Path.of("").toAbsolutePath().getParent().resolve("bin/nuthatch-server");
        assertTrue(Files.isExecutable(launcher), launcher + " is not executable");
        return launcher;
    }

    /**
     * A jar for the launcher to run before mvn has packaged one: only a manifest, naming Main and
     * this test's class path, so the launcher's own {@code java -jar} line is what runs.
     */
    private Path launcherJar() throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, Main.class.getName());
        StringBuilder classPath = new StringBuilder();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            classPath.append(Path.of(entry).toAbsolutePath().toUri()).append(' ');
        }
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath.toString().trim());
        Path jar = directory.resolve("launcher-test.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            // the manifest is the whole jar
        }
        return jar;
    }

    /** The signal numbers a process ignores, from the SigIgn mask of /proc/pid/status. */
    private static Set<Integer> ignoredSignals(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("SigIgn:")) {
                long mask = Long.parseUnsignedLong(line.substring("SigIgn:".length()).trim(), 16);
                Set<Integer> signals = new TreeSet<>();
                for (int signal = 1; signal <= 64; signal++) {
                    if ((mask & (1L << (signal - 1))) != 0) {
                        signals.add(signal);
                    }
                }
                return signals;
            }
        }
        throw new AssertionError("no SigIgn line for " + pid);
    }

    private static String ping(int port) throws IOException {
        try (RawConnection connection = new RawConnection(port)) {
            return new String(connection.call("PING"), StandardCharsets.US_ASCII);
        }
    }

    private static String infoField(int port, String field) throws IOException {
        try (RawConnection connection = new RawConnection(port)) {
            String info = new String(connection.call("INFO", "server"), StandardCharsets.US_ASCII);
            for (String line : info.split("\r\n")) {
                if (line.startsWith(field + ":")) {
                    return line.substring(field.length() + 1);
                }
            }
        }
        throw new AssertionError("no " + field + " in INFO");
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
