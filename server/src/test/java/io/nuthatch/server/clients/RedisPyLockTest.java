package io.nuthatch.server.clients;

import io.nuthatch.server.NuthatchServer;
import io.nuthatch.server.testing.ReferencePair;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * redis-py's Lock and Script objects, as Debian's python3-redis ships them, against Nuthatch
 * (src/test/resources/e2e/redis_py_lock.py says what it checks). The script passes against
 * redis-server 7.0.15 as it must here. Debian's python (/usr/bin/python3) is used, since
 * python3-redis installs into its packages.
 */
class RedisPyLockTest {
    private static final String PYTHON = "/usr/bin/python3";

    @Test
    void lockAcquireExtendReleaseAndScriptsWorkAsRedisPyUsesThem() throws Exception {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            fail(PYTHON + " is missing: install python3 and python3-redis (apt-get install python3-redis)");
        }
        Path script = Files.createTempFile("redis_py_lock", ".py");
        try (InputStream in = RedisPyLockTest.class.getResourceAsStream("/e2e/redis_py_lock.py");
             NuthatchServer server = ReferencePair.startNuthatch()) {
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
            Process python = new ProcessBuilder(PYTHON, script.toString(), String.valueOf(server.port()))
                    .redirectErrorStream(true).start();
            assertTrue(python.waitFor(60, TimeUnit.SECONDS), "redis_py_lock.py did not finish in 60 s");
            String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (output.contains("No module named 'redis'")) {
                fail("python3-redis is not installed (apt-get install python3-redis):\n" + output);
            }
            assertEquals(0, python.exitValue(), "redis_py_lock.py against Nuthatch:\n" + output);
        } finally {
            Files.deleteIfExists(script);
        }
    }
}
