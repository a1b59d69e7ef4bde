package io.nuthatch.server;

import io.nuthatch.server.eviction.MemoryBudget;
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
    void nuthatchDataDirReplacesDotDataAsTheDefault() throws Exception {
        Path volume = directory.resolve("volume");
        List<String> command = launch(Map.of("NUTHATCH_DATA_DIR", volume.toString()), "--port", "7777");
        assertEquals(List.of("--port", "7777", "--dir", volume.toString()), afterJar(command));
        assertTrue(Files.isDirectory(volume));
        assertFalse(Files.exists(directory.resolve("data")), "the image's /data, not /data/data");
        Path config = Files.writeString(directory.resolve("redis.conf"), "port 1\n");
        assertEquals(List.of(config.toString()),
                afterJar(launch(Map.of("NUTHATCH_DATA_DIR", volume.toString()), config.toString())),
                "a config file says where data goes");
    }

    @Test
    void nativeLibrariesBesideTheLauncherGoOnTheLibraryPath() throws Exception {
        // The image's layout: /opt/nuthatch/bin/nuthatch-server and /opt/nuthatch/lib/*.so.
        Path home = directory.resolve("opt");
        Path launcher = Files.createDirectories(home.resolve("bin")).resolve("nuthatch-server");
        Files.copy(LAUNCHER, launcher);
        List<String> withoutLib = launch(launcher, Map.of(), "--port", "1");
        assertTrue(withoutLib.stream().noneMatch(flag -> flag.startsWith("-Djava.library.path")), withoutLib.toString());

        Files.createDirectories(home.resolve("lib"));
        List<String> command = launch(launcher, Map.of(), "--port", "1");
        String libraryPath = command.stream().filter(flag -> flag.startsWith("-Djava.library.path=")).findFirst()
                .orElseThrow(() -> new AssertionError("no library path in " + command));
        List<String> entries = List.of(libraryPath.substring("-Djava.library.path=".length()).split(":"));
        assertEquals(home.resolve("lib").toString(), entries.get(0), "ours first: " + entries);
        assertTrue(entries.contains("/usr/lib"), "the JVM's default path kept after ours: " + entries);
        assertTrue(command.indexOf(libraryPath) < command.indexOf(jar.toString()), "a JVM flag: " + command);
    }

    @Test
    void aClassDataArchiveNewerThanTheJarIsMappedAndAStaleOneIsNot() throws Exception {
        String flag = "-XX:SharedArchiveFile=" + directory.resolve("nuthatch-server.jsa");
        assertFalse(launch(Map.of(), "--port", "1").contains(flag), "no archive yet");

        Path archive = Files.writeString(directory.resolve("nuthatch-server.jsa"), "archive");
        Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        assertTrue(launch(Map.of(), "--port", "1").contains(flag), "an archive newer than the jar");
        assertFalse(launch(Map.of("NUTHATCH_CDS_ARCHIVE", ""), "--port", "1").contains(flag), "turned off");

        Files.setLastModifiedTime(archive, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 120_000));
        assertFalse(launch(Map.of(), "--port", "1").contains(flag), "the jar was rebuilt after the archive");
    }

    @Test
    void javaOptsComeAfterOurFlagsSoTheyWin() throws Exception {
        List<String> command = launch(Map.of("JAVA_OPTS", "-Xmx64m -XX:-UseG1GC -XX:+UseSerialGC"), "--port", "1");
        assertTrue(command.indexOf("-XX:-UseG1GC") > command.indexOf("-XX:+UseG1GC"), command.toString());
        assertTrue(command.contains("-Xmx64m"), command.toString());
        assertFalse(command.contains("-XX:MaxRAMPercentage=75"), "JAVA_OPTS sized the heap: " + command);
    }

    @Test
    void inAContainerTheHeapFitsTheLimitBesideTheJvmsOwnMemory() throws Exception {
        long limit = 512L << 20;
        long heap = heapOf(launch(Map.of("NUTHATCH_MEMORY_LIMIT", Long.toString(limit)), "--port", "1"));
        assertTrue(heap + MemoryBudget.nonHeapBytes(heap) <= limit, heap + " bytes of heap");
        assertEquals(MemoryBudget.heapForContainer(limit), heap, "the server's account of the formula");
        long withMaxmemory = heapOf(launch(Map.of("NUTHATCH_MEMORY_LIMIT", Long.toString(limit)), "--port", "1",
                "--maxmemory", "384mb"));
        assertEquals(heap, withMaxmemory, "a maxmemory that does not fit leaves the heap at what the limit allows");
    }

    @Test
    void aSmallMaxmemoryInALargeContainerGetsTheHeapItNeedsOnly() throws Exception {
        long limit = 4L << 30;
        long maxmemory = 100L << 20;
        long heap = heapOf(launch(Map.of("NUTHATCH_MEMORY_LIMIT", Long.toString(limit)), "--port", "1",
                "--maxmemory", "100mb"));
        assertTrue(MemoryBudget.heapCeiling(heap) >= maxmemory, "the data fits: " + heap);
        assertTrue(heap < 2 * maxmemory, "no more than it needs: " + heap);
        Path config = Files.writeString(directory.resolve("redis.conf"), "port 1\nmaxmemory 100MB\n");
        assertEquals(heap, heapOf(launch(Map.of("NUTHATCH_MEMORY_LIMIT", Long.toString(limit)), config.toString())),
                "maxmemory read from the config file");
    }

    @Test
    void withoutAContainerLimitTheJvmSizesItsHeapItself() throws Exception {
        List<String> command = launch(Map.of("NUTHATCH_MEMORY_LIMIT", "max"), "--port", "1", "--maxmemory", "1gb");
        assertTrue(command.stream().noneMatch(flag -> flag.startsWith("-Xmx")), command.toString());
        command = launch(Map.of("NUTHATCH_MEMORY_LIMIT", "1073741824", "JAVA_OPTS", "-Xmx64m"), "--port", "1");
        assertEquals(1, command.stream().filter(flag -> flag.startsWith("-Xmx")).count(), "JAVA_OPTS sized it");
    }

    /** The -Xmx the launcher gave, in bytes. */
    private static long heapOf(List<String> command) {
        for (String flag : command) {
            if (flag.startsWith("-Xmx") && flag.endsWith("m")) {
                return Long.parseLong(flag.substring(4, flag.length() - 1)) << 20;
            }
        }
        throw new AssertionError("no -Xmx in " + command);
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
        return launch(LAUNCHER, environment, arguments);
    }

    private List<String> launch(Path launcher, Map<String, String> environment, String... arguments) throws Exception {
        Process process = process(launcher, environment, arguments);
        assertTrue(process.waitFor(20, TimeUnit.SECONDS));
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>(List.of(out.split("\n", -1)));
        lines.remove(lines.size() - 1);
        return lines;
    }

    private Process process(Map<String, String> environment, String... arguments) throws IOException {
        return process(LAUNCHER, environment, arguments);
    }

    private Process process(Path launcher, Map<String, String> environment, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of("sh", launcher.toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
        builder.environment().put("JAVA_HOME", javaHome.toString());
        builder.environment().put("NUTHATCH_JAR", jar.toString());
        builder.environment().remove("JAVA_OPTS");
        builder.environment().remove("NUTHATCH_DATA_DIR");
        builder.environment().putAll(environment);
        return builder.start();
    }
}
