package io.nuthatch.server.persistence;

import io.nuthatch.server.NuthatchServer;
import io.nuthatch.server.config.ServerConfig;
import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.RedisServerProcess;
import io.nuthatch.server.testing.RespValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bytes of a segment are redis-server 7.0's incremental AOF for the same commands, once the
 * checksum lines are taken out: the same SELECTs, the same MULTI/EXEC, the same rewritten forms,
 * byte for byte. And aof-timestamp-enabled adds {@code #TS:} lines that the load skips.
 */
class LogFileDifferentialTest {
    private static final List<List<String>> COMMANDS = List.of(
            List.of("SET", "k", "v"), List.of("rpush", "list", "a", "b", "c"), List.of("HSET", "h", "f", "1", "g", "2"),
            List.of("SELECT", "2"), List.of("SET", "in2", "x"), List.of("MSET", "m1", "1", "m2", "2"),
            List.of("INCRBYFLOAT", "f", "1.5"), List.of("SELECT", "0"), List.of("DEL", "k", "missing"),
            List.of("LMOVE", "list", "other", "LEFT", "RIGHT"), List.of("SADD", "s", "x", "y"),
            List.of("ZADD", "z", "1", "a", "2", "b"), List.of("ZPOPMIN", "z"), List.of("SET", "missing-del", "1"),
            List.of("GETDEL", "missing-del"), List.of("SELECT", "5"), List.of("FLUSHDB"), List.of("SET", "last", "1"));

    @TempDir
    Path dir;

    @Test
    void segmentIsRedisServersIncrementalAofPlusChecksumLines() throws Exception {
        String redisLog;
        try (RedisServerProcess redis = RedisServerProcess.start("--appendonly", "yes", "--appendfsync", "always");
                RawConnection connection = new RawConnection(redis.port())) {
            for (List<String> command : COMMANDS) {
                connection.call(command.toArray(new String[0]));
            }
            String redisDir = ((List<?>) RespValue.parse(connection.call("CONFIG", "GET", "dir"))).get(1).toString();
            try (Stream<Path> files = Files.list(Path.of(redisDir, "appendonlydir"))) {
                Path incremental = files.filter(file -> file.getFileName().toString().endsWith(".incr.aof"))
                        .findFirst().orElseThrow();
                redisLog = Files.readString(incremental, StandardCharsets.ISO_8859_1);
            }
        }
        String ours;
        try (NuthatchServer server = start(false); RawConnection connection = new RawConnection(server.port())) {
            AwaitLoad.of(server);
            for (List<String> command : COMMANDS) {
                connection.call(command.toArray(new String[0]));
            }
            ours = Files.readString(dir.resolve("appendonlydir/appendonly.aof.1.segment.aof"), StandardCharsets.ISO_8859_1);
        }
        assertTrue(ours.contains("#C:"), ours);
        assertEquals(redisLog, ours.replaceAll("#C:[0-9a-f]{8}\r\n", ""));
    }

    @Test
    void timestampAnnotationsAreWrittenAndSkippedWhenLoading() throws Exception {
        try (NuthatchServer server = start(true); RawConnection connection = new RawConnection(server.port())) {
            AwaitLoad.of(server);
            connection.call("SET", "a", "1");
            connection.call("SET", "b", "2");
        }
        String segment = Files.readString(dir.resolve("appendonlydir/appendonly.aof.1.segment.aof"),
                StandardCharsets.ISO_8859_1);
        long now = System.currentTimeMillis() / 1000;
        String stamp = segment.substring(segment.indexOf("#TS:") + 4, segment.indexOf("\r\n", segment.indexOf("#TS:")));
        assertTrue(Math.abs(Long.parseLong(stamp) - now) < 120, segment);
        try (NuthatchServer server = start(true); RawConnection connection = new RawConnection(server.port())) {
            AwaitLoad.of(server);
            assertEquals(":2\r\n", new String(connection.call("DBSIZE"), StandardCharsets.ISO_8859_1));
        }
    }

    private NuthatchServer start(boolean timestamps) throws Exception {
        ServerConfig config = new ServerConfig().useFreePort();
        config.dir.set(dir.toString());
        config.persistence.appendonly.set("yes");
        config.persistence.aofTimestampEnabled.set(timestamps ? "yes" : "no");
        return NuthatchServer.start(config);
    }
}
