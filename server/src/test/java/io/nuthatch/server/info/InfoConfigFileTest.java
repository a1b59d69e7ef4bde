package io.nuthatch.server.info;

import io.nuthatch.server.NuthatchServer;
import io.nuthatch.server.config.ServerConfig;
import io.nuthatch.server.log.ServerLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantLock;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** INFO server's config_file names the file the server started with, as Redis's does. */
class InfoConfigFileTest {

    @Test
    void configFileIsTheFileTheServerStartedWith(@TempDir Path directory) throws Exception {
        Path file = Files.writeString(directory.resolve("redis.conf"), "hz 10\n");
        ServerConfig config = new ServerConfig().useFreePort();
        config.configFile(file.toAbsolutePath());
        assertEquals(file.toAbsolutePath().toString(), configFileField(config));
    }

    @Test
    void configFileIsEmptyWithoutOne() {
        assertEquals("", configFileField(new ServerConfig().useFreePort()));
    }

    private static String configFileField(ServerConfig config) {
        ServerLog log = new ServerLog();
        log.level(ServerLog.Level.WARNING);
        try (NuthatchServer server = NuthatchServer.start(config, log)) {
            ReentrantLock lock = server.engine().lock();
            lock.lock();
            try {
                return server.engine().info().section("server").get("config_file");
            } finally {
                lock.unlock();
            }
        }
    }
}
