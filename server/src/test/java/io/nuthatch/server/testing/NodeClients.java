package io.nuthatch.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The Node.js clients of the end-to-end tests (BullMQ, ioredis), installed with npm into a scratch
 * folder under target/ the first time a test needs them, and the scripts of
 * {@code src/test/resources/e2e} run with node against a server.
 */
public final class NodeClients {
    private static final String[] FILES = {"package.json", "bullmq.mjs"};
    private static Path folder;

    private NodeClients() {
    }

    /** The scratch folder, with the clients installed. */
    public static synchronized Path folder() throws IOException, InterruptedException {
        if (folder != null) {
            return folder;
        }
        Path scratch = Path.of("target", "e2e-node").toAbsolutePath();
        Files.createDirectories(scratch);
        for (String file : FILES) {
            try (InputStream in = NodeClients.class.getResourceAsStream("/e2e/" + file)) {
                if (in == null) {
                    fail("missing test resource e2e/" + file);
                }
                Files.copy(in, scratch.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        if (!Files.isDirectory(scratch.resolve("node_modules/bullmq"))) {
            Result install = run(scratch, 300, "npm", "install", "--no-audit", "--no-fund", "--loglevel=error");
            if (install.exitCode != 0) {
                fail("npm install failed in " + scratch + " (Node 20 and npm are needed):\n" + install.output);
            }
        }
        folder = scratch;
        return folder;
    }

    /** What a process printed (stdout and stderr together) and how it ended. */
    public record Result(int exitCode, String output) {
    }

    /** Runs a script of the scratch folder with node. */
    public static Result node(long timeoutSeconds, String script, String... arguments)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("node", script));
        command.addAll(List.of(arguments));
        return run(folder(), timeoutSeconds, command.toArray(new String[0]));
    }

    private static Result run(Path directory, long timeoutSeconds, String... command)
            throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        } catch (IOException missing) {
            fail(command[0] + " is not installed: the end-to-end tests need Node.js 20 and npm ("
                    + missing.getMessage() + ")");
            throw missing;
        }
        StringBuilder output = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (InputStream in = process.getInputStream()) {
                output.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // The process ended; what it printed so far is kept.
            }
        });
        reader.start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            reader.join(5000);
            fail(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s:\n" + output);
        }
        reader.join(5000);
        return new Result(process.exitValue(), output.toString());
    }
}
