package io.nuthatch.server.keyspace;

import io.nuthatch.server.testing.EmbeddedNuthatch;
import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.RespValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keys created while eviction runs reuse what the evicted keys leave ({@link RecycledEntries}):
 * every key written must still read back as its own value with its own expiry, whatever array and
 * entry it was given; the memory account must stay exact; and what hears of an eviction must name
 * the key evicted, not the one written over its array afterwards.
 */
class EvictionReuseTest {
    private static final int KEYS = 20_000;
    private static final int VALUE_LENGTH = 100;
    private static final int BATCH = 500;

    @RegisterExtension
    static final EmbeddedNuthatch nuthatch = new EmbeddedNuthatch();

    @AfterEach
    void restore() throws IOException {
        try (RawConnection connection = nuthatch.connect()) {
            connection.call("CONFIG", "SET", "maxmemory", "0");
            connection.call("CONFIG", "SET", "maxmemory-policy", "noeviction");
            connection.call("CONFIG", "SET", "maxmemory-policy-db", "");
            connection.call("CONFIG", "SET", "notify-keyspace-events", "");
            connection.call("FLUSHALL");
        }
    }

    @Test
    void keysWrittenWhileEvictingKeepTheirOwnValuesAndExpiries() throws IOException {
        try (RawConnection connection = nuthatch.connect()) {
            connection.call("FLUSHALL");
            connection.call("CONFIG", "SET", "maxmemory-policy", "allkeys-lru");
            limitToCurrentPlus(connection, 2 << 20);
            long recycledBefore = nuthatch.underLock(() -> keyspace().recycledBytes());
            long expiresAt = System.currentTimeMillis() / 1000 + 100_000;

            write(connection, i -> i % 3 == 0
                    ? command("SET", key(i), value(0, i), "EXAT", Long.toString(expiresAt + i))
                    : command("SET", key(i), value(0, i)));

            long recycled = nuthatch.underLock(() -> keyspace().recycledBytes()) - recycledBefore;
            assertTrue(recycled > 1 << 20, "only " + recycled + " bytes were reused: the test does not reach the reuse");
            int present = 0;
            for (int i = 0; i < KEYS; i++) {
                Object stored = RespValue.parse(connection.call("GET", key(i)));
                long expiry = (Long) RespValue.parse(connection.call("EXPIRETIME", key(i)));
                if (stored == null) {
                    assertEquals(-2, expiry, key(i));
                    continue;
                }
                present++;
                assertEquals(value(0, i), stored, key(i));
                assertEquals(i % 3 == 0 ? expiresAt + i : -1, expiry, key(i));
            }
            assertTrue(present > 1000 && present < KEYS, present + " keys present");
            assertMemoryAccountingIsExact();
        }
    }

    /**
     * Values a little shorter with every key, so that each new key finds no evicted array of its
     * exact length but one up to an eighth longer: the grown-in-place layout. They must read, grow
     * and say their encoding as any string does.
     */
    @Test
    void valuesOfManySizesReuseLongerArraysAndStayOrdinaryStrings() throws IOException {
        try (RawConnection connection = nuthatch.connect()) {
            connection.call("FLUSHALL");
            connection.call("CONFIG", "SET", "maxmemory-policy", "allkeys-lru");
            limitToCurrentPlus(connection, 2 << 20);
            long recycledBefore = nuthatch.underLock(() -> keyspace().recycledBytes());

            write(connection, i -> command("SET", key(i), shrinkingValue(i)));

            // About 13k keys evicted, of some 330 bytes each; exact lengths alone reuse under 1 MB here.
            long recycled = nuthatch.underLock(() -> keyspace().recycledBytes()) - recycledBefore;
            assertTrue(recycled > 2 << 20, "only " + recycled + " bytes were reused: the longer arrays were not");
            int present = 0;
            for (int i = 0; i < KEYS; i++) {
                Object stored = RespValue.parse(connection.call("GET", key(i)));
                if (stored == null) {
                    continue;
                }
                present++;
                String expected = shrinkingValue(i);
                assertEquals(expected, stored, key(i));
                assertEquals((long) expected.length(), RespValue.parse(connection.call("STRLEN", key(i))), key(i));
                assertEquals("raw", RespValue.parse(connection.call("OBJECT", "ENCODING", key(i))), key(i));
                if (i % 7 == 0) {
                    // Grown in place past the string, a gap of zero bytes between.
                    connection.call("APPEND", key(i), "tail");
                    connection.call("SETRANGE", key(i), Integer.toString(expected.length() + 10), "end");
                    String grown = expected + "tail" + "\0".repeat(6) + "end";
                    assertEquals(grown, RespValue.parse(connection.call("GET", key(i))), key(i));
                }
            }
            assertTrue(present > 1000 && present < KEYS, present + " keys present");
            assertMemoryAccountingIsExact();
        }
    }

    /** From 300 bytes down to 275 over the keys: an evicted key's array is a few bytes too long. */
    private static String shrinkingValue(int i) {
        return value(0, i).repeat(3).substring(0, 300 - i / 800);
    }

    @Test
    void perDatabasePoliciesEvictFromBothWithoutMixingKeys() throws IOException {
        try (RawConnection connection = nuthatch.connect()) {
            connection.call("FLUSHALL");
            connection.call("CONFIG", "SET", "maxmemory-policy", "allkeys-lru");
            connection.call("CONFIG", "SET", "maxmemory-policy-db", "1 allkeys-random 2 volatile-ttl");
            limitToCurrentPlus(connection, 2 << 20);

            for (int database = 0; database < 3; database++) {
                int db = database;
                connection.call("SELECT", Integer.toString(db));
                write(connection, i -> db == 2
                        ? command("SET", key(i), value(db, i), "EX", "100000")
                        : command("SET", key(i), value(db, i)));
            }

            for (int database = 0; database < 3; database++) {
                connection.call("SELECT", Integer.toString(database));
                int present = 0;
                for (int i = 0; i < KEYS; i++) {
                    Object stored = RespValue.parse(connection.call("GET", key(i)));
                    if (stored != null) {
                        present++;
                        assertEquals(value(database, i), stored, database + ":" + key(i));
                    }
                }
                assertTrue(present < KEYS, "db" + database + " had nothing evicted");
            }
            assertMemoryAccountingIsExact();
        }
    }

    @Test
    void evictedEventsNameTheKeysEvicted() throws IOException {
        try (RawConnection connection = nuthatch.connect(); RawConnection subscriber = nuthatch.connect()) {
            connection.call("FLUSHALL");
            connection.call("CONFIG", "SET", "notify-keyspace-events", "Ee");
            subscriber.call("SUBSCRIBE", "__keyevent@0__:evicted");
            connection.call("CONFIG", "SET", "maxmemory-policy", "allkeys-lru");
            limitToCurrentPlus(connection, 1 << 20);
            long evictedBefore = nuthatch.underLock(() -> nuthatch.server().engine().stats().evictedKeys);

            write(connection, i -> command("SET", key(i), value(0, i)));

            long evicted = nuthatch.underLock(() -> nuthatch.server().engine().stats().evictedKeys) - evictedBefore;
            assertTrue(evicted > 1000, "only " + evicted + " keys were evicted");
            Set<String> named = new HashSet<>();
            for (long n = 0; n < evicted; n++) {
                @SuppressWarnings("unchecked")
                List<Object> message = (List<Object>) RespValue.parse(subscriber.readReply());
                String key = (String) message.get(2);
                assertTrue(named.add(key), key + " was evicted twice, though written once");
            }
            for (String key : named) {
                // Each key is written once: one named as evicted must be gone.
                assertNull(RespValue.parse(connection.call("GET", key)), key + " was named evicted but is present");
            }
        }
    }

    private interface Command {
        byte[] build(int index);
    }

    /** Sends the commands for keys 0 .. KEYS-1 in pipelined batches and checks no reply is an error. */
    private static void write(RawConnection connection, Command command) throws IOException {
        for (int start = 0; start < KEYS; start += BATCH) {
            ByteArrayOutputStream batch = new ByteArrayOutputStream();
            int end = Math.min(KEYS, start + BATCH);
            for (int i = start; i < end; i++) {
                batch.writeBytes(command.build(i));
            }
            connection.send(batch.toByteArray());
            for (int i = start; i < end; i++) {
                Object reply = RespValue.parse(connection.readReply());
                assertTrue(!(reply instanceof RespValue.Error), "reply to command " + i + ": " + reply);
            }
        }
    }

    private static byte[] command(String... arguments) {
        StringBuilder text = new StringBuilder("*").append(arguments.length).append("\r\n");
        for (String argument : arguments) {
            text.append('$').append(argument.length()).append("\r\n").append(argument).append("\r\n");
        }
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static String key(int i) {
        return String.format("key:%06d", i);
    }

    /** A value of one length for every key, that names its database and key. */
    private static String value(int database, int i) {
        String stem = database + "/" + key(i) + "/";
        return stem.repeat(VALUE_LENGTH / stem.length() + 1).substring(0, VALUE_LENGTH);
    }

    private static void limitToCurrentPlus(RawConnection connection, long room) throws IOException {
        long used = -1;
        String info = (String) RespValue.parse(connection.call("INFO", "memory"));
        for (String line : info.split("\r\n")) {
            if (line.startsWith("used_memory:")) {
                used = Long.parseLong(line.substring("used_memory:".length()));
            }
        }
        assertTrue(used > 0, "no used_memory in INFO");
        assertEquals("OK", RespValue.parse(connection.call("CONFIG", "SET", "maxmemory", Long.toString(used + room))));
    }

    private static void assertMemoryAccountingIsExact() {
        nuthatch.underLock(() -> {
            long dataset = 0;
            for (int i = 0; i < keyspace().count(); i++) {
                Database database = keyspace().database(i);
                assertEquals(database.countMemory(), database.datasetMemory(), "memory of db" + i);
                dataset += database.datasetMemory();
            }
            assertEquals(dataset, keyspace().datasetMemory(), "the keyspace's dataset total");
            return null;
        });
    }

    private static Keyspace keyspace() {
        return nuthatch.server().engine().keyspace();
    }
}
