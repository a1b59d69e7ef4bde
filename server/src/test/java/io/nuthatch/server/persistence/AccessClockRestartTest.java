package io.nuthatch.server.persistence;

import io.nuthatch.server.testing.LfuCounters;
import io.nuthatch.server.testing.RawConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keys keep their access clocks across a restart, as Redis's RDB keeps them (IDLE and FREQ
 * records): under an LRU policy each key's idle time, counted again from the load so that the time
 * the server was down is not idleness; under an LFU one each key's counter. A key that brings no
 * clock is stamped with the load's time. Servers in processes of their own, stopped after SAVE,
 * started again on the same directory.
 */
class AccessClockRestartTest {
    /** Seconds the server stays down: more than the slack the idle times are allowed. */
    private static final int DOWNTIME_MILLIS = 5_000;
    /** Idle seconds a key may gain between the save and the check after the restart. */
    private static final long SLACK = 3;

    @TempDir
    Path dir;

    private static String text(byte[] reply) {
        return new String(reply, StandardCharsets.ISO_8859_1);
    }

    private static long integer(byte[] reply) {
        String text = text(reply);
        assertTrue(text.startsWith(":"), text);
        return Long.parseLong(text.substring(1, text.length() - 2));
    }

    /** Gives {@code key} (which must exist) the idle time {@code seconds}, through DUMP and RESTORE ... IDLETIME. */
    private static void makeIdle(RawConnection client, String key, long seconds) throws IOException {
        byte[] dump = client.call("DUMP", key);
        String header = text(dump).substring(0, text(dump).indexOf("\r\n"));
        int length = Integer.parseInt(header.substring(1));
        byte[] payload = Arrays.copyOfRange(dump, header.length() + 2, header.length() + 2 + length);
        List<byte[]> restore = new ArrayList<>();
        for (String word : List.of("RESTORE", key, "0")) {
            restore.add(word.getBytes(StandardCharsets.US_ASCII));
        }
        restore.add(payload);
        for (String word : List.of("REPLACE", "IDLETIME", Long.toString(seconds))) {
            restore.add(word.getBytes(StandardCharsets.US_ASCII));
        }
        assertEquals("+OK\r\n", text(client.call(restore)));
    }

    private ServerProcess start(String... directives) throws Exception {
        ServerProcess server = ServerProcess.start(dir.resolve("data"), dir.resolve("server.log"), directives);
        server.awaitReady(120_000);
        return server;
    }

    private static void saveAndStop(ServerProcess server, RawConnection client) throws Exception {
        assertEquals("+OK\r\n", text(client.call("SAVE")));
        server.kill();
    }

    @Test
    void underAllkeysLruKeysKeepTheirIdleOrderAndTheDowntimeIsNotCounted() throws Exception {
        java.nio.file.Files.createDirectories(dir.resolve("data"));
        long[] before = new long[4];
        String[] keys = {"ancient", "old", "recent", "fresh"};
        try (ServerProcess server = start("--maxmemory-policy", "allkeys-lru");
             RawConnection client = new RawConnection(server.port())) {
            for (String key : keys) {
                client.call("SET", key, "v");
            }
            client.call("RPUSH", "list", "a", "b");
            makeIdle(client, "ancient", 3_000_000);
            makeIdle(client, "old", 5_000);
            makeIdle(client, "recent", 30);
            makeIdle(client, "list", 700);
            for (int i = 0; i < keys.length; i++) {
                before[i] = integer(client.call("OBJECT", "IDLETIME", keys[i]));
            }
            assertTrue(before[0] >= 3_000_000 && before[1] >= 5_000 && before[2] >= 30 && before[3] <= SLACK,
                    Arrays.toString(before));
            saveAndStop(server, client);
        }
        Thread.sleep(DOWNTIME_MILLIS);
        try (ServerProcess server = start("--maxmemory-policy", "allkeys-lru");
             RawConnection client = new RawConnection(server.port())) {
            for (int i = 0; i < keys.length; i++) {
                long after = integer(client.call("OBJECT", "IDLETIME", keys[i]));
                assertTrue(after >= before[i] && after <= before[i] + SLACK,
                        keys[i] + " was idle " + before[i] + " s at the save and " + after + " s after the restart");
            }
            long list = integer(client.call("OBJECT", "IDLETIME", "list"));
            assertTrue(list >= 700 && list <= 700 + SLACK, "list: " + list);
        }
    }

    @Test
    void underAllkeysLfuKeysKeepTheirCounters() throws Exception {
        java.nio.file.Files.createDirectories(dir.resolve("data"));
        // lfu-log-factor 0: every access increments the counter, so the counts are exact.
        String[] directives = {"--maxmemory-policy", "allkeys-lfu", "--lfu-log-factor", "0",
            "--maxmemory-policy-db", "2 allkeys-lru"};
        long firstAccess;
        try (ServerProcess server = start(directives);
             RawConnection client = new RawConnection(server.port())) {
            firstAccess = System.currentTimeMillis();
            client.call("SET", "hot", "v");
            client.call("SET", "warm", "v");
            client.call("SET", "cold", "v");
            client.call("HSET", "hash", "f", "v");
            for (int i = 0; i < 100; i++) {
                client.call("GET", "hot");
            }
            for (int i = 0; i < 20; i++) {
                client.call("GET", "warm");
                client.call("HGET", "hash", "f");
            }
            LfuCounters.assertUndecayedSince(105, integer(client.call("OBJECT", "FREQ", "hot")), firstAccess, "hot before the save");
            client.call("SELECT", "2");
            client.call("SET", "idle-in-lru-database", "v");
            makeIdle(client, "idle-in-lru-database", 4_000);
            saveAndStop(server, client);
        }
        Thread.sleep(DOWNTIME_MILLIS);
        try (ServerProcess server = start(directives);
             RawConnection client = new RawConnection(server.port())) {
            LfuCounters.assertUndecayedSince(105, integer(client.call("OBJECT", "FREQ", "hot")), firstAccess, "hot");
            LfuCounters.assertUndecayedSince(25, integer(client.call("OBJECT", "FREQ", "warm")), firstAccess, "warm");
            LfuCounters.assertUndecayedSince(5, integer(client.call("OBJECT", "FREQ", "cold")), firstAccess, "cold");
            LfuCounters.assertUndecayedSince(25, integer(client.call("OBJECT", "FREQ", "hash")), firstAccess, "hash");
            client.call("SELECT", "2");
            long idle = integer(client.call("OBJECT", "IDLETIME", "idle-in-lru-database"));
            assertTrue(idle >= 4_000 && idle <= 4_000 + SLACK, "a database of its own policy keeps idle times: " + idle);
        }
    }

    @Test
    void keysLoadedWithoutAStoredClockAreStampedWithTheLoadTime() throws Exception {
        java.nio.file.Files.createDirectories(dir.resolve("data"));
        try (ServerProcess server = start(); RawConnection client = new RawConnection(server.port())) {
            client.call("SET", "plain", "v");
            makeIdle(client, "plain", 9_000);
            saveAndStop(server, client);
        }
        Thread.sleep(1_000);
        try (ServerProcess server = start(); RawConnection client = new RawConnection(server.port())) {
            long idle = integer(client.call("OBJECT", "IDLETIME", "plain"));
            assertTrue(idle <= SLACK, "noeviction keeps no idle time: the key is new at the load, idle " + idle);
        }
        long beforeLoad = System.currentTimeMillis();
        try (ServerProcess server = start("--maxmemory-policy", "allkeys-lfu");
             RawConnection client = new RawConnection(server.port())) {
            LfuCounters.assertUndecayedSince(5, integer(client.call("OBJECT", "FREQ", "plain")), beforeLoad, "the initial counter");
        }
    }
}
