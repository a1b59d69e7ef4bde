package io.nuthatch.server.persistence;

import io.nuthatch.persistence.Manifest;
import io.nuthatch.persistence.snapshot.SnapshotFormat;
import io.nuthatch.server.NuthatchServer;
import io.nuthatch.server.config.ConfigException;
import io.nuthatch.server.config.ServerConfig;
import io.nuthatch.server.log.ServerLog;
import io.nuthatch.server.testing.RawConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Loading a snapshot through real restarts: a snapshot of several files loads every key, with its
 * value, database and expiry, on the decoding threads; keys whose time passed while the server
 * was down are left out when no log follows the snapshot (as Redis loading dump.rdb), and kept
 * when one does (as Redis loading an AOF's preamble), because the log may still use them.
 */
class SnapshotLoadTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();

    private NuthatchServer start(String... directives) throws ConfigException, IOException, InterruptedException {
        ServerConfig config = new ServerConfig().useFreePort();
        config.dir.set(dir.toString());
        config.find("save").set("");
        config.find("exporter-port").set("0");
        for (int i = 0; i < directives.length; i += 2) {
            config.find(directives[i]).set(directives[i + 1]);
        }
        NuthatchServer server = NuthatchServer.start(config, new ServerLog(new PrintStream(logged, true,
                StandardCharsets.UTF_8)));
        long deadline = System.currentTimeMillis() + 120_000;
        try (RawConnection connection = new RawConnection(server.port())) {
            while (!text(connection.call("PING")).equals("+PONG\r\n")) {
                assertTrue(System.currentTimeMillis() < deadline, "still loading");
                Thread.sleep(10);
            }
        }
        return server;
    }

    private String log() {
        return logged.toString(StandardCharsets.UTF_8);
    }

    private static String text(byte[] reply) {
        return new String(reply, StandardCharsets.ISO_8859_1);
    }

    private static String info(RawConnection connection, String field) throws IOException {
        String info = text(connection.call("INFO", "persistence"));
        int at = info.indexOf("\r\n" + field + ":");
        assertTrue(at >= 0, field + " in " + info);
        int start = at + field.length() + 3;
        return info.substring(start, info.indexOf("\r\n", start));
    }

    private static void awaitNoSaveInProgress(RawConnection connection) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + 120_000;
        while (!info(connection, "rdb_bgsave_in_progress").equals("0")
                || !info(connection, "aof_rewrite_in_progress").equals("0")) {
            assertTrue(System.currentTimeMillis() < deadline, "the background save did not end");
            Thread.sleep(20);
        }
    }

    /** A value of {@code length} hex digits from {@code random}: RocksDB's LZ4 cannot shrink it much. */
    private static String value(Random random, int length) {
        StringBuilder text = new StringBuilder(length);
        while (text.length() < length) {
            text.append(Long.toHexString(random.nextLong()));
        }
        return text.substring(0, length);
    }

    /** Sends SETs pipelined, 1000 at a time. */
    private static void fill(RawConnection client, int database, String prefix, int keys, Random random,
            String... options) throws IOException {
        client.call("SELECT", Integer.toString(database));
        for (int from = 0; from < keys; from += 1000) {
            StringBuilder pipeline = new StringBuilder();
            int count = Math.min(1000, keys - from);
            for (int i = from; i < from + count; i++) {
                String[] parts = new String[3 + options.length];
                parts[0] = "SET";
                parts[1] = prefix + i;
                parts[2] = value(random, 300);
                System.arraycopy(options, 0, parts, 3, options.length);
                pipeline.append('*').append(parts.length).append("\r\n");
                for (String part : parts) {
                    pipeline.append('$').append(part.length()).append("\r\n").append(part).append("\r\n");
                }
            }
            client.send(pipeline.toString().getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < count; i++) {
                client.readReply();
            }
        }
        client.call("SELECT", "0");
    }

    private long snapshotFiles() throws IOException {
        Manifest manifest = Manifest.read(dir);
        assertNotNull(manifest.snapshot());
        try (Stream<Path> files = Files.list(dir.resolve(manifest.snapshot()))) {
            return files.filter(file -> file.toString().endsWith(".sst")).count();
        }
    }

    @Test
    void aSnapshotOfSeveralFilesLoadsEveryKeyWithItsValueDatabaseAndExpiry() throws Exception {
        int keys = 50_000;
        try (NuthatchServer server = start(); RawConnection client = new RawConnection(server.port())) {
            fill(client, 0, "plain:", keys, new Random(1));
            fill(client, 5, "volatile:", keys / 10, new Random(2), "PX", "3600000");
            client.call("SELECT", "5");
            client.call("RPUSH", "list", "a", "b", "c");
            client.call("HSET", "hash", "f", "v");
            client.call("SELECT", "0");
            assertEquals("+OK\r\n", text(client.call("SAVE")));
        }
        assertTrue(snapshotFiles() >= 2, "the snapshot should span several files: " + snapshotFiles());
        String marker = Files.readString(dir.resolve(Manifest.read(dir).snapshot()).resolve(SnapshotFormat.MARKER));
        assertTrue(marker.contains("\ndatabases 0:" + keys + " 5:" + (keys / 10 + 2) + "\n"), marker);

        try (NuthatchServer server = start(); RawConnection client = new RawConnection(server.port())) {
            assertEquals(":" + keys + "\r\n", text(client.call("DBSIZE")));
            Random plain = new Random(1);
            for (int i = 0; i < keys; i++) {
                String expected = value(plain, 300);
                if (i % 997 == 0) {
                    assertEquals("$300\r\n" + expected + "\r\n", text(client.call("GET", "plain:" + i)), "plain:" + i);
                    assertEquals(":-1\r\n", text(client.call("PTTL", "plain:" + i)));
                }
            }
            client.call("SELECT", "5");
            assertEquals(":" + (keys / 10 + 2) + "\r\n", text(client.call("DBSIZE")));
            long ttl = Long.parseLong(text(client.call("PTTL", "volatile:7")).substring(1).trim());
            assertTrue(ttl > 3_000_000 && ttl <= 3_600_000, "PTTL " + ttl);
            assertEquals("*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n", text(client.call("LRANGE", "list", "0", "-1")));
            assertEquals("$8\r\nlistpack\r\n", text(client.call("OBJECT", "ENCODING", "hash")));
            assertEquals(Integer.toString(keys + keys / 10 + 2), info(client, "rdb_last_load_keys_loaded"));
            assertEquals("0", info(client, "rdb_last_load_keys_expired"));
        }
        assertTrue(log().contains("Done loading RDB, keys loaded: " + (keys + keys / 10 + 2) + ", keys expired: 0."),
                log());
    }

    @Test
    void keysExpiredWhileTheServerWasDownAreLeftOutOfALoadWithoutLog() throws Exception {
        try (NuthatchServer server = start(); RawConnection client = new RawConnection(server.port())) {
            for (int i = 0; i < 100; i++) {
                client.call("SET", "short:" + i, "v", "PX", "1500");
            }
            client.call("SET", "long", "v", "EX", "3600");
            client.call("SET", "forever", "v");
            assertEquals("+OK\r\n", text(client.call("SAVE")));
        }
        Thread.sleep(2000);
        try (NuthatchServer server = start(); RawConnection client = new RawConnection(server.port())) {
            assertEquals(":2\r\n", text(client.call("DBSIZE")));
            assertEquals("2", info(client, "rdb_last_load_keys_loaded"));
            assertEquals("100", info(client, "rdb_last_load_keys_expired"));
            assertEquals("0", text(client.call("INFO", "stats")).replaceAll("(?s).*\r\nexpired_keys:(\\d+)\r\n.*", "$1"),
                    "keys left out at load were never in the keyspace");
        }
        assertTrue(log().contains("Done loading RDB, keys loaded: 2, keys expired: 100."), log());
    }

    @Test
    void keysExpiredWhileTheServerWasDownStayForTheLogThatFollowsTheSnapshot() throws Exception {
        try (NuthatchServer server = start("appendonly", "yes"); RawConnection client = new RawConnection(server.port())) {
            client.call("RPUSH", "source", "kept", "moved");
            client.call("PEXPIRE", "source", "1500");
            assertEquals("+Background append only file rewriting started\r\n", text(client.call("BGREWRITEAOF")));
            awaitNoSaveInProgress(client);
            // In the log after the snapshot, while source still lived: its element outlives it.
            assertEquals("$5\r\nmoved\r\n", text(client.call("RPOPLPUSH", "source", "destination")));
        }
        Thread.sleep(2000);
        try (NuthatchServer server = start("appendonly", "yes"); RawConnection client = new RawConnection(server.port())) {
            assertEquals("*1\r\n$5\r\nmoved\r\n", text(client.call("LRANGE", "destination", "0", "-1")));
            assertEquals(":0\r\n", text(client.call("EXISTS", "source")), "expired once the load is over");
            assertEquals("0", info(client, "rdb_last_load_keys_expired"));
        }
    }
}
