package io.nuthatch.server.persistence;

import io.nuthatch.persistence.Manifest;
import io.nuthatch.persistence.snapshot.SnapshotCheck;
import io.nuthatch.persistence.snapshot.SnapshotFormat;
import io.nuthatch.server.NuthatchServer;
import io.nuthatch.server.config.ConfigException;
import io.nuthatch.server.config.ServerConfig;
import io.nuthatch.server.log.ServerLog;
import io.nuthatch.server.migration.RedisDataset;
import io.nuthatch.server.testing.KeyView;
import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.RespValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Snapshots on a real data directory, through real servers and restarts: every type, TTL and
 * database round-trips; a restart loads the snapshot then the log written after it; a damaged
 * snapshot falls back to the previous generation; a half-written snapshot directory is ignored;
 * BGSAVE saves the dataset as it was when it started while clients keep writing; a failed BGSAVE
 * makes writes fail with MISCONF until a save succeeds; SHUTDOWN SAVE and NOSAVE; CONFIG SET
 * appendonly yes at run time; --check-snapshot.
 */
class SnapshotTest {
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
        awaitServing(server);
        return server;
    }

    private String log() {
        return logged.toString(StandardCharsets.UTF_8);
    }

    private static void awaitServing(NuthatchServer server) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        try (RawConnection connection = new RawConnection(server.port())) {
            while (!text(connection.call("PING")).equals("+PONG\r\n")) {
                assertTrue(System.currentTimeMillis() < deadline, "still loading");
                Thread.sleep(10);
            }
        }
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

    /**
     * Every key of every database, as KeyView shows it, with its absolute expiry time. A string's
     * encoding is left out: a loaded string takes the one its length gives it (embstr up to 44
     * bytes), whatever command wrote it, as redis-server's own DEBUG RELOAD shows.
     */
    private static Map<String, List<String>> dataset(RawConnection connection) throws IOException {
        Map<String, List<String>> all = new LinkedHashMap<>();
        for (int db = 0; db < 16; db++) {
            connection.call("SELECT", Integer.toString(db));
            for (String key : KeyView.keys(connection)) {
                List<String> view = new ArrayList<>(KeyView.of(connection, key));
                if (view.get(0).equals("string")) {
                    view.set(1, "a string");
                }
                view.add(text(connection.call("PEXPIRETIME", key)));
                all.put(db + "/" + key, view);
            }
        }
        connection.call("SELECT", "0");
        return all;
    }

    private Path currentSnapshot() throws IOException {
        Manifest manifest = Manifest.read(dir);
        assertNotNull(manifest, "a manifest");
        assertNotNull(manifest.snapshot(), "a snapshot in " + manifest);
        return dir.resolve(manifest.snapshot());
    }

    @Test
    void everyTypeTtlAndDatabaseNumberRoundTripsThroughASnapshot() throws Exception {
        Map<String, List<String>> before;
        try (NuthatchServer server = start(); RawConnection client = new RawConnection(server.port())) {
            RedisDataset.fill(client, false);
            before = dataset(client);
            assertEquals("+OK\r\n", text(client.call("SAVE")));
            assertEquals("0", info(client, "rdb_changes_since_last_save"));
            assertEquals(text(client.call("LASTSAVE")), ":" + info(client, "rdb_last_save_time") + "\r\n");
        }
        assertTrue(before.size() >= 20, before.keySet().toString());
        assertTrue(before.keySet().stream().anyMatch(key -> key.startsWith("3/")), before.keySet().toString());
        assertEquals(0, SnapshotCheck.run(currentSnapshot(), new PrintStream(new ByteArrayOutputStream())));
        try (NuthatchServer server = start(); RawConnection client = new RawConnection(server.port())) {
            Map<String, List<String>> after = dataset(client);
            assertEquals(before.keySet(), after.keySet());
            for (String key : before.keySet()) {
                assertEquals(before.get(key), after.get(key), key);
            }
        }
        assertTrue(log().contains("DB loaded from snapshot dump.rdb."), log());
    }

    @Test
    void aRestartLoadsTheSnapshotThenTheLogWrittenAfterIt() throws Exception {
        Map<String, List<String>> before;
        try (NuthatchServer server = start("appendonly", "yes"); RawConnection client = new RawConnection(server.port())) {
            for (int i = 0; i < 5000; i++) {
                client.call("SET", "key:" + i, "first");
            }
            client.call("RPUSH", "list", "a", "b");
            assertEquals("+Background saving started\r\n", text(client.call("BGSAVE")));
            // Written while the snapshot is taken or after it: in the log's new segment only.
            client.call("SET", "key:1", "second");
            client.call("DEL", "key:2");
            client.call("RPUSH", "list", "c");
            awaitNoSaveInProgress(client);
            client.call("SET", "key:3", "third", "PX", "600000");
            client.call("SELECT", "7");
            client.call("SADD", "set", "x");
            before = dataset(client);
        }
        Manifest manifest = Manifest.read(dir);
        assertNotNull(manifest.snapshot());
        assertEquals(1, manifest.segments().size(), manifest.toString());
        assertEquals(1, manifest.previousSegments().size(), manifest.toString());
        try (NuthatchServer server = start("appendonly", "yes"); RawConnection client = new RawConnection(server.port())) {
            assertEquals(before, dataset(client));
            assertEquals("$6\r\nsecond\r\n", text(client.call("GET", "key:1")));
        }
        assertTrue(log().contains("DB loaded from snapshot " + manifest.snapshot() + " and the append only file"), log());
    }

    @Test
    void aDamagedSnapshotIsIgnoredForThePreviousOneAndTheLogSinceIt() throws Exception {
        Map<String, List<String>> before;
        try (NuthatchServer server = start("appendonly", "yes"); RawConnection client = new RawConnection(server.port())) {
            for (int i = 0; i < 3000; i++) {
                client.call("SET", "key:" + i, "value " + i + " ".repeat(40));
            }
            client.call("BGSAVE");
            awaitNoSaveInProgress(client);
            client.call("SET", "between", "snapshots");
            client.call("DEL", "key:5");
            assertEquals("+Background append only file rewriting started\r\n", text(client.call("BGREWRITEAOF")));
            awaitNoSaveInProgress(client);
            assertEquals("1", info(client, "aof_rewrites"));
            client.call("SET", "after", "both");
            before = dataset(client);
        }
        Manifest manifest = Manifest.read(dir);
        assertNotNull(manifest.previousSnapshot(), manifest.toString());
        flipBytesInTheMiddleOfEachTable(dir.resolve(manifest.snapshot()));
        assertEquals(1, SnapshotCheck.run(dir.resolve(manifest.snapshot()), new PrintStream(new ByteArrayOutputStream())));

        try (NuthatchServer server = start("appendonly", "yes"); RawConnection client = new RawConnection(server.port())) {
            assertEquals(before, dataset(client));
        }
        assertTrue(log().contains("Ignoring the snapshot " + manifest.snapshot() + ": loading the previous one ("
                + manifest.previousSnapshot() + ")"), log());
    }

    private static void flipBytesInTheMiddleOfEachTable(Path snapshot) throws IOException {
        List<Path> tables;
        try (Stream<Path> files = Files.list(snapshot)) {
            tables = files.filter(file -> file.toString().endsWith(".sst")).toList();
        }
        assertFalse(tables.isEmpty());
        for (Path table : tables) {
            try (FileChannel channel = FileChannel.open(table, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                long middle = channel.size() / 3;
                java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(16);
                channel.read(bytes, middle);
                for (int i = 0; i < 16; i++) {
                    bytes.put(i, (byte) ~bytes.get(i));
                }
                bytes.rewind();
                channel.write(bytes, middle);
            }
        }
    }

    @Test
    void aHalfWrittenSnapshotDirectoryIsIgnoredAndRemoved() throws Exception {
        try (NuthatchServer server = start(); RawConnection client = new RawConnection(server.port())) {
            client.call("SET", "kept", "1");
            client.call("SAVE");
            client.call("SET", "lost", "2");
            client.call("SAVE");
        }
        // A copy of the latest snapshot without its marker, under the next name: what a save that
        // died before completing leaves.
        Path latest = currentSnapshot();
        Path halfWritten = dir.resolve("dump.rdb.99.snapshot");
        Files.createDirectories(halfWritten);
        try (Stream<Path> files = Files.list(latest)) {
            for (Path file : files.toList()) {
                if (!file.getFileName().toString().equals(SnapshotFormat.MARKER)) {
                    Files.copy(file, halfWritten.resolve(file.getFileName()));
                }
            }
        }
        assertEquals(1, SnapshotCheck.run(halfWritten, new PrintStream(new ByteArrayOutputStream())));
        try (NuthatchServer server = start(); RawConnection client = new RawConnection(server.port())) {
            assertEquals(":2\r\n", text(client.call("DBSIZE")));
        }
        assertFalse(Files.exists(halfWritten));
        assertTrue(log().contains("Removing the snapshot directory " + halfWritten), log());
    }

    @Test
    void bgsaveSavesTheDatasetAsItWasWhenItStartedWhileClientsWrite() throws Exception {
        int keys = 100_000;
        try (NuthatchServer server = start(); RawConnection client = new RawConnection(server.port())) {
            StringBuilder pipeline = new StringBuilder();
            for (int i = 0; i < keys; i++) {
                pipeline.append("*3\r\n$3\r\nSET\r\n$").append(("key:" + i).length()).append("\r\nkey:").append(i)
                        .append("\r\n$6\r\nbefore\r\n");
            }
            client.send(pipeline.toString().getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < keys; i++) {
                client.readReply();
            }
            assertEquals("+Background saving started\r\n", text(client.call("BGSAVE")));
            int changed = 0;
            while (info(client, "rdb_bgsave_in_progress").equals("1") || changed < 1000) {
                client.call("SET", "key:" + (changed * 7 % keys), "after");
                client.call("DEL", "key:" + (changed * 13 % keys + 1) % keys);
                client.call("SET", "new:" + changed, "after");
                changed++;
            }
            awaitNoSaveInProgress(client);
            assertEquals("ok", info(client, "rdb_last_bgsave_status"));
            assertEquals(Integer.toString(changed * 3), info(client, "rdb_changes_since_last_save"),
                    "the changes made during the save are not in it");
        }
        try (NuthatchServer server = start(); RawConnection client = new RawConnection(server.port())) {
            assertEquals(":" + keys + "\r\n", text(client.call("DBSIZE")));
            assertEquals("$6\r\nbefore\r\n", text(client.call("GET", "key:0")));
            assertEquals("$6\r\nbefore\r\n", text(client.call("GET", "key:1")));
            assertEquals(":0\r\n", text(client.call("EXISTS", "new:0")));
        }
    }

    @Test
    void aFailedBgsaveStopsWritesWithMisconfUntilASaveSucceeds() throws Exception {
        try (NuthatchServer server = start("save", "3600 1"); RawConnection client = new RawConnection(server.port())) {
            client.call("SET", "a", "1");
            // A file where the next snapshot directory goes: RocksDB cannot create it.
            long next = Manifest.read(dir) == null ? 1 : Manifest.read(dir).sequence() + 1;
            Path blocker = dir.resolve("dump.rdb." + next + ".snapshot");
            Files.writeString(blocker, "in the way");
            text(client.call("BGSAVE"));
            awaitNoSaveInProgress(client);
            assertEquals("err", info(client, "rdb_last_bgsave_status"));
            assertEquals("-MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to"
                    + " disk. Commands that may modify the data set are disabled, because this instance is configured"
                    + " to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option)."
                    + " Please check the Redis logs for details about the RDB error.\r\n", text(client.call("SET", "b", "2")));
            assertEquals("$1\r\n1\r\n", text(client.call("GET", "a")), "reads still work");
            client.call("CONFIG", "SET", "stop-writes-on-bgsave-error", "no");
            assertEquals("+OK\r\n", text(client.call("SET", "b", "2")));
            client.call("CONFIG", "SET", "stop-writes-on-bgsave-error", "yes");
            Files.delete(blocker);
            assertEquals("+Background saving started\r\n", text(client.call("BGSAVE")));
            awaitNoSaveInProgress(client);
            assertEquals("ok", info(client, "rdb_last_bgsave_status"));
            assertEquals("+OK\r\n", text(client.call("SET", "c", "3")));
        }
    }

    @Test
    void shutdownSaveWritesAFinalSnapshotAndNosaveDoesNot() throws Exception {
        NuthatchServer server = start();
        try (RawConnection client = new RawConnection(server.port())) {
            client.call("SET", "saved", "1");
            client.send("*2\r\n$8\r\nSHUTDOWN\r\n$4\r\nSAVE\r\n".getBytes(StandardCharsets.US_ASCII));
            assertTrue(server.awaitStop(30, java.util.concurrent.TimeUnit.SECONDS));
        }
        assertTrue(log().contains("Saving the final RDB snapshot before exiting."), log());
        server = start();
        try (RawConnection client = new RawConnection(server.port())) {
            assertEquals("$1\r\n1\r\n", text(client.call("GET", "saved")));
            client.call("SET", "not-saved", "1");
            client.send("*2\r\n$8\r\nSHUTDOWN\r\n$6\r\nNOSAVE\r\n".getBytes(StandardCharsets.US_ASCII));
            assertTrue(server.awaitStop(30, java.util.concurrent.TimeUnit.SECONDS));
        }
        try (NuthatchServer again = start(); RawConnection client = new RawConnection(again.port())) {
            assertEquals(":1\r\n", text(client.call("DBSIZE")));
        }
    }

    @Test
    void appendonlyTurnedOnAtRunTimeCountsOnceItsRewriteCompleted() throws Exception {
        Map<String, List<String>> before;
        try (NuthatchServer server = start(); RawConnection client = new RawConnection(server.port())) {
            for (int i = 0; i < 2000; i++) {
                client.call("SET", "before:" + i, "v");
            }
            assertEquals("+OK\r\n", text(client.call("CONFIG", "SET", "appendonly", "yes")));
            client.call("SET", "during", "v");
            awaitNoSaveInProgress(client);
            assertEquals("1", info(client, "aof_rewrites"));
            assertEquals("1", info(client, "aof_enabled"));
            client.call("SET", "after", "v");
            client.call("DEL", "before:0");
            before = dataset(client);
        }
        // Closed without a final snapshot (save ""): what came after the rewrite is in the log only.
        try (NuthatchServer server = start("appendonly", "yes"); RawConnection client = new RawConnection(server.port())) {
            assertEquals(before, dataset(client));
        }
    }

    @Test
    void infoReportsTheSaveInProgressAndItsKeys() throws Exception {
        try (NuthatchServer server = start(); RawConnection client = new RawConnection(server.port())) {
            assertEquals("-1", info(client, "rdb_last_bgsave_time_sec"));
            assertEquals("0", info(client, "rdb_saves"));
            client.call("SET", "a", "1");
            client.call("BGSAVE");
            awaitNoSaveInProgress(client);
            assertEquals("1", info(client, "rdb_saves"));
            assertEquals("0", info(client, "rdb_last_bgsave_time_sec"));
            assertEquals("-ERR syntax error\r\n", text(client.call("BGSAVE", "NOW")));
            Object lastSave = RespValue.parse(client.call("LASTSAVE"));
            assertTrue((Long) lastSave >= System.currentTimeMillis() / 1000 - 60, String.valueOf(lastSave));
        }
    }
}
