package io.nuthatch.server.command.key;

import io.nuthatch.server.NuthatchServer;
import io.nuthatch.server.keyspace.KeyEntry;
import io.nuthatch.server.propagation.WritePropagation;
import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.ReferencePair;
import io.nuthatch.server.testing.Resp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the key and expiry commands propagate (the future AOF and replication stream), as Redis
 * 7.0 writes it: EXPIRE as PEXPIREAT with an absolute time, a past time as DEL, a lazily or
 * actively expired key as DEL, and nothing for a command that changed nothing.
 */
class ExpiryPropagationTest {
    private NuthatchServer server;
    private RawConnection connection;
    private final List<String> writes = new CopyOnWriteArrayList<>();
    private final WritePropagation.Listener listener = (database, arguments) -> {
        List<String> words = new ArrayList<>();
        for (byte[] argument : arguments) {
            words.add(new String(argument, StandardCharsets.ISO_8859_1));
        }
        writes.add(database + " " + String.join(" ", words));
    };

    @BeforeEach
    void start() throws IOException {
        start(new String[0]);
    }

    private void start(String... directives) throws IOException {
        if (server != null) {
            stop();
        }
        server = ReferencePair.startNuthatch(directives);
        // Lazy expiry only, unless a test turns the cycle back on: keys go when looked at.
        server.engine().activeExpiryEnabled(false);
        server.engine().propagation().addListener(listener);
        connection = new RawConnection(server.port());
        writes.clear();
    }

    @AfterEach
    void stop() throws IOException {
        connection.close();
        server.close();
        server = null;
    }

    private String call(String... arguments) throws IOException {
        return Resp.escape(connection.call(arguments));
    }

    /** Waits, touching nothing, until the key's expiry time is past (as the server reads its clock). */
    private void waitUntilExpired(int database, String key) throws InterruptedException {
        long expiresAt;
        server.engine().lock().lock();
        try {
            KeyEntry entry = server.engine().keyspace().database(database)
                    .peek(key.getBytes(StandardCharsets.ISO_8859_1));
            expiresAt = entry.expiresAt();
        } finally {
            server.engine().lock().unlock();
        }
        assertTrue(expiresAt > 0, key + " has no expiry");
        while (System.currentTimeMillis() <= expiresAt) {
            Thread.sleep(5);
        }
    }

    @Test
    void aKeyFoundExpiredByGetIsPropagatedAsDel() throws Exception {
        call("SET", "k", "v", "PX", "30");
        writes.clear();
        waitUntilExpired(0, "k");
        assertEquals("$-1\\r\\n", call("GET", "k"));
        assertEquals(List.of("0 DEL k"), writes);
    }

    @Test
    void aKeyExpiredInAnotherDatabaseIsPropagatedThere() throws Exception {
        call("SELECT", "7");
        call("SET", "k", "v", "PX", "30");
        writes.clear();
        waitUntilExpired(7, "k");
        assertEquals(":0\\r\\n", call("EXISTS", "k"));
        assertEquals(List.of("7 DEL k"), writes);
    }

    @Test
    void lazyfreeLazyExpirePropagatesUnlink() throws Exception {
        start("lazyfree-lazy-expire", "yes");
        call("SET", "k", "v", "PX", "30");
        call("SET", "past", "v");
        writes.clear();
        waitUntilExpired(0, "k");
        assertEquals(":-2\\r\\n", call("TTL", "k"));
        assertEquals(":1\\r\\n", call("EXPIRE", "past", "-1"));
        assertEquals(List.of("0 UNLINK k", "0 UNLINK past"), writes);
    }

    @Test
    void expirePropagatesAsPexpireatWithTheAbsoluteTime() throws Exception {
        call("SET", "k", "v");
        writes.clear();
        long before = System.currentTimeMillis();
        assertEquals(":1\\r\\n", call("EXPIRE", "k", "100"));
        assertEquals(":1\\r\\n", call("PEXPIRE", "k", "200000", "gt"));
        long after = System.currentTimeMillis();
        assertEquals(":1\\r\\n", call("EXPIREAT", "k", "99999999999", "XX"));
        assertEquals(":1\\r\\n", call("pexpireat", "k", "99999999999999"));
        assertEquals(4, writes.size(), writes.toString());
        assertAbsolute(writes.get(0), "0 PEXPIREAT k ", "", before + 100_000, after + 100_000);
        assertAbsolute(writes.get(1), "0 PEXPIREAT k ", " gt", before + 200_000, after + 200_000);
        assertEquals("0 PEXPIREAT k 99999999999000 XX", writes.get(2));
        assertEquals("0 pexpireat k 99999999999999", writes.get(3));
    }

    private static void assertAbsolute(String write, String prefix, String suffix, long low, long high) {
        assertTrue(write.startsWith(prefix) && write.endsWith(suffix), write);
        long time = Long.parseLong(write.substring(prefix.length(), write.length() - suffix.length()));
        assertTrue(time >= low && time <= high, write + " not within [" + low + ", " + high + "]");
    }

    @Test
    void anExpireInThePastIsPropagatedAsDel() throws Exception {
        call("SET", "a", "v");
        call("SET", "b", "v");
        call("SET", "c", "v");
        writes.clear();
        assertEquals(":1\\r\\n", call("EXPIRE", "a", "0"));
        assertEquals(":1\\r\\n", call("PEXPIREAT", "b", "1"));
        assertEquals(":1\\r\\n", call("EXPIREAT", "c", "-5", "LT"));
        assertEquals(List.of("0 DEL a", "0 DEL b", "0 DEL c"), writes);
    }

    @Test
    void expiryCommandsThatChangeNothingPropagateNothing() throws Exception {
        call("SET", "k", "v", "EX", "100");
        call("SET", "plain", "v");
        writes.clear();
        assertEquals(":0\\r\\n", call("EXPIRE", "k", "50", "GT"));
        assertEquals(":0\\r\\n", call("EXPIRE", "k", "50", "NX"));
        assertEquals(":0\\r\\n", call("EXPIRE", "plain", "50", "XX"));
        assertEquals(":0\\r\\n", call("EXPIRE", "missing", "50"));
        assertEquals(":0\\r\\n", call("PERSIST", "plain"));
        assertEquals(":0\\r\\n", call("DEL", "missing"));
        assertEquals(":0\\r\\n", call("RENAMENX", "k", "plain"));
        assertEquals(":0\\r\\n", call("MOVE", "missing", "1"));
        assertEquals(":0\\r\\n", call("COPY", "k", "plain"));
        assertTrue(call("EXPIRE", "k", "abc").startsWith("-ERR"));
        assertEquals(List.of(), writes);
        assertEquals(":1\\r\\n", call("PERSIST", "k"));
        assertEquals(List.of("0 PERSIST k"), writes);
    }

    @Test
    void deletingAnExpiredKeyPropagatesTheExpiryOnly() throws Exception {
        call("SET", "gone", "v", "PX", "30");
        call("SET", "live", "v");
        writes.clear();
        waitUntilExpired(0, "gone");
        assertEquals(":1\\r\\n", call("DEL", "gone", "live"));
        assertEquals(List.of("0 DEL gone", "0 DEL gone live"), writes);
        writes.clear();
        call("SET", "gone", "v", "PX", "1");
        writes.clear();
        waitUntilExpired(0, "gone");
        assertEquals(":0\\r\\n", call("UNLINK", "gone"));
        assertEquals(List.of("0 DEL gone"), writes);
    }

    @Test
    void scanAndRandomkeyPropagateTheExpiredKeysTheyDelete() throws Exception {
        call("SET", "a", "v", "PX", "30");
        call("SET", "b", "v", "PX", "30");
        writes.clear();
        waitUntilExpired(0, "a");
        waitUntilExpired(0, "b");
        assertEquals("*2\\r\\n$1\\r\\n0\\r\\n*0\\r\\n", call("SCAN", "0", "MATCH", "x*"));
        assertEquals(List.of(), writes, "SCAN deleted a key MATCH left out");
        assertEquals("*2\\r\\n$1\\r\\n0\\r\\n*0\\r\\n", call("SCAN", "0", "COUNT", "100"));
        assertEquals(2, writes.size());
        assertTrue(writes.containsAll(List.of("0 DEL a", "0 DEL b")), writes.toString());

        call("SET", "c", "v", "PX", "30");
        writes.clear();
        waitUntilExpired(0, "c");
        assertEquals("$-1\\r\\n", call("RANDOMKEY"));
        assertEquals(List.of("0 DEL c"), writes);
    }

    @Test
    void keysLeavesExpiredKeysInPlace() throws Exception {
        call("SET", "a", "v", "PX", "30");
        writes.clear();
        waitUntilExpired(0, "a");
        assertEquals("*0\\r\\n", call("KEYS", "*"));
        assertEquals(":1\\r\\n", call("DBSIZE"));
        assertEquals(List.of(), writes);
    }

    @Test
    void moveOntoAnExpiredKeyPropagatesItsDeletionInTheTargetDatabase() throws Exception {
        call("SELECT", "2");
        call("SET", "k", "old", "PX", "30");
        call("SELECT", "0");
        call("SET", "k", "new");
        writes.clear();
        waitUntilExpired(2, "k");
        assertEquals(":1\\r\\n", call("MOVE", "k", "2"));
        assertEquals(List.of("2 DEL k", "0 MOVE k 2"), writes);
    }

    @Test
    void keyCommandsPropagateVerbatim() throws Exception {
        call("SET", "a", "1");
        writes.clear();
        call("RENAME", "a", "b");
        call("COPY", "b", "c", "DB", "3");
        call("SWAPDB", "0", "3");
        call("TOUCH", "c");
        call("EXISTS", "c");
        call("TYPE", "c");
        assertEquals(List.of("0 RENAME a b", "0 COPY b c DB 3", "0 SWAPDB 0 3"), writes);
    }

    @Test
    void theActiveCycleDeletesAndPropagates() throws Exception {
        call("SELECT", "4");
        call("SET", "k", "v", "PX", "10");
        writes.clear();
        server.engine().activeExpiryEnabled(true);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (writes.isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "the key was never expired by the cycle");
            Thread.sleep(10);
        }
        assertEquals(List.of("4 DEL k"), writes);
    }
}
