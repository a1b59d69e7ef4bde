package io.nuthatch.server;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bin/nuthatch-server, run by sh with a stand-in for java that prints the command line it was
 * given: which jar, which flags, and the arguments passed through.
 */
class MainLauncherTest {
    private static final Path LAUNCHER = Path.of("..", "bin", "nuthatch-server").toAbsolutePath().normalize();

    @TempDir
    Path directory;
    private Path javaHome;
    private Path jar;

    @BeforeEach
    void fakeJava() throws IOException {
        javaHome = directory.resolve("jdk");
        Path java = Files.createDirectories(javaHome.resolve("bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        jar = Files.writeString(directory.resolve("nuthatch-server.jar"), "not really a jar");
    }

    @Test
    void passesEveryArgumentThroughAfterTheJar() throws Exception {
        List<String> command = launch(Map.of(), "/etc/redis.conf", "--save", "", "--bind", "a b", "-");
        int jarAt = command.indexOf(jar.toString());
        assertEquals("-jar", command.get(jarAt - 1));
        assertEquals(List.of("/etc/redis.conf", "--save", "", "--bind", "a b", "-"),
                command.subList(jarAt + 1, command.size()));
        assertTrue(command.contains("-XX:+UseG1GC"), command.toString());
        assertTrue(command.contains("-XX:+ExitOnOutOfMemoryError"), command.toString());
        assertFalse(Files.exists(directory.resolve("data")), "a config file says where data goes");
    }

    @Test
    void withoutConfigFileOrDirDataGoesToDotData() throws Exception {
        List<String> command = launch(Map.of(), "--port", "7777");
        assertEquals(List.of("--port", "7777", "--dir", "./data"), afterJar(command));
        assertTrue(Files.isDirectory(directory.resolve("data")));
        assertEquals(List.of("--port", "1", "--dir", "/x"), afterJar(launch(Map.of(), "--port", "1", "--dir", "/x")));
        assertEquals(List.of("--version"), afterJar(launch(Map.of(), "--version")));
        assertEquals(List.of("-"), afterJar(launch(Map.of(), "-")));
    }

    @Test
    void javaOptsComeAfterOurFlagsSoTheyWin() throws Exception {
        List<String> command = launch(Map.of("JAVA_OPTS", "-Xmx64m -XX:-UseG1GC -XX:+UseSerialGC"), "--port", "1");
        assertTrue(command.indexOf("-XX:-UseG1GC") > command.indexOf("-XX:+UseG1GC"), command.toString());
        assertTrue(command.contains("-Xmx64m"), command.toString());
        assertFalse(command.contains("-XX:MaxRAMPercentage=75"), "JAVA_OPTS sized the heap: " + command);
    }

    @Test
    void aMissingJarIsReportedWithTheWayToBuildIt() throws Exception {
        Process process = process(Map.of("NUTHATCH_JAR", directory.resolve("missing.jar").toString()), "--port", "1");
        assertTrue(process.waitFor(20, TimeUnit.SECONDS));
        assertEquals(1, process.exitValue());
        String error = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(error.contains("no jar at") && error.contains("mvn -pl server -am package"), error);
    }

    private List<String> afterJar(List<String> command) {
        return command.subList(command.indexOf(jar.toString()) + 1, command.size());
    }

    private List<String> launch(Map<String, String> environment, String... arguments) throws Exception {
        Process process = process(environment, arguments);
        assertTrue(process.waitFor(20, TimeUnit.SECONDS));
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>(List.of(out.split("\n", -1)));
        lines.remove(lines.size() - 1);
        return lines;
    }

    private Process process(Map<String, String> environment, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of("sh", LAUNCHER.toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
        builder.environment().put("JAVA_HOME", javaHome.toString());
        builder.environment().put("NUTHATCH_JAR", jar.toString());
        builder.environment().remove("JAVA_OPTS");
        builder.environment().putAll(environment);
        return builder.start();
    }
}
