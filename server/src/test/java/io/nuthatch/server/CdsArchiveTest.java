package io.nuthatch.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * image/cds-archive.sh, which the Dockerfile runs: the archive it writes must be one the JVM
 * accepts for the server's jar, given as the launcher gives it. {@code -Xshare:on} makes a JVM
 * refuse to start with an archive it cannot use, where the launcher's default would silently
 * start without it. Needs the packaged jar: run by failsafe after {@code package}.
 */
class CdsArchiveTest {
    private static final Path SCRIPT = Path.of("..", "image", "cds-archive.sh").toAbsolutePath().normalize();
    private static final Path JAR = Path.of("target", "nuthatch-server.jar").toAbsolutePath().normalize();

    @TempDir
    Path directory;

    @Test
    void theArchiveWrittenAtAStartAndStopServesTheJar() throws Exception {
        assertTrue(Files.isRegularFile(JAR), "run after package: " + JAR);
        Path archive = directory.resolve("nuthatch-server.jsa");
        String written = run(List.of("sh", SCRIPT.toString(), JAR.toString(), archive.toString()), 180);
        assertTrue(Files.size(archive) > 1_000_000, "no archive: " + written);

        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        String version = run(List.of(java.toString(), "-Xshare:on", "-XX:SharedArchiveFile=" + archive, "-jar",
                JAR.toString(), "--version"), 60);
        assertTrue(version.startsWith("Nuthatch server v="), version);
    }

    private String run(List<String> command, int seconds) throws Exception {
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        assertTrue(process.waitFor(seconds, TimeUnit.SECONDS), "did not end: " + command);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), command + ":\n" + output);
        return output;
    }
}
