package io.nuthatch.server.keyspace;

import io.nuthatch.server.testing.EmbeddedNuthatch;
import io.nuthatch.server.testing.RawConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The point-in-time walk against a real server: clients change the keys over a socket between the
 * walk's slices, with every kind of change the server has, and the walk must still give exactly
 * the dataset of its start (each key once, with its value, encoding, expiry and database number).
 * A copy of the whole dataset taken at the start, under the same lock, is what it is compared
 * with.
 */
class KeyspaceWalkTest {
    private static final int DATABASES = 4;
    private static final int KEYS_PER_DATABASE = 400;

    @RegisterExtension
    static final EmbeddedNuthatch nuthatch = new EmbeddedNuthatch("databases", "16", "hz", "50");

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void aWalkGivesTheDatasetOfItsStartWhileClientsChangeEveryKindOfThing(long seed) throws IOException {
        try {
            walkWhileChanging(seed);
        } catch (AssertionError | RuntimeException failure) {
            throw new AssertionError("seed " + seed + ": " + failure.getMessage(), failure);
        }
    }

    /**
     * The same with maxmemory below the dataset, so that writes evict as the walk goes: an evicted
     * key the walk has not reached must be kept for it, never reused for a key created meanwhile
     * ({@link RecycledEntries}).
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 12, 13})
    void aWalkGivesTheDatasetOfItsStartWhileWritesEvict(long seed) throws IOException {
        try (RawConnection admin = nuthatch.connect()) {
            try {
                walkWhileChanging(seed, admin);
            } catch (AssertionError | RuntimeException failure) {
                throw new AssertionError("seed " + seed + ": " + failure.getMessage(), failure);
            } finally {
                admin.call("CONFIG", "SET", "maxmemory", "0");
                admin.call("CONFIG", "SET", "maxmemory-policy", "noeviction");
            }
        }
    }

    private void walkWhileChanging(long seed) throws IOException {
        walkWhileChanging(seed, null);
    }

    /** With {@code evicting}, a connection that sets maxmemory to half the dataset once the walk started. */
    private void walkWhileChanging(long seed, RawConnection evicting) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        try (RawConnection client = nuthatch.connect()) {
            client.call("FLUSHALL");
            populate(client, random);
            long evictedBefore = nuthatch.underLock(() -> nuthatch.server().engine().stats().evictedKeys);
            Map<String, String> expected = new TreeMap<>();
            KeyspaceWalk walk = nuthatch.underLock(() -> {
                KeyspaceWalk started = keyspace().startWalk();
                expected.putAll(contents());
                return started;
            });
            if (evicting != null) {
                // CONFIG SET evicts at once: half the keys go before the walk has given any.
                evicting.call("CONFIG", "SET", "maxmemory-policy", "allkeys-lru");
                long used = nuthatch.underLock(() -> keyspace().usedMemory());
                evicting.call("CONFIG", "SET", "maxmemory", Long.toString(used / 2));
            }
            Map<String, String> given = new TreeMap<>();
            KeyspaceWalk.Visitor visitor = (database, entry) -> {
                String previous = given.put(name(database, entry), describe(entry));
                assertNull(previous, "given twice: " + name(database, entry));
            };
            int slices = 0;
            int changes = 0;
            boolean more;
            do {
                int slice = 1 + random.nextInt(8);
                more = nuthatch.underLock(() -> walk.advance(slice, visitor));
                slices++;
                for (int n = random.nextInt(12); n > 0; n--) {
                    change(client, random);
                    changes++;
                }
                assertTrue(slices < 100_000, "the walk never ends");
            } while (more);

            // Evicting half the keys at the first write leaves the walk about half as long.
            int enoughChanges = evicting != null ? 400 : 1000;
            assertTrue(changes > enoughChanges, "only " + changes + " changes ran during the walk");
            if (evicting != null) {
                long evicted = nuthatch.underLock(() -> nuthatch.server().engine().stats().evictedKeys) - evictedBefore;
                assertTrue(evicted > 100, "only " + evicted + " keys were evicted during the walk");
            }
            assertEquals(expected, given);
            assertEquals(0, walk.heldBytes(), "the walk still holds memory after it ended");
            assertNull(nuthatch.underLock(() -> keyspace().walk()));
            assertMemoryAccountingIsExact();
            assertNextWalkGivesTheDatasetAsItIs();
        }
    }

    @Test
    void anAbandonedWalkIsFinishedSoThatTheNextWalkIsExact() throws IOException {
        SplittableRandom random = new SplittableRandom(99);
        try (RawConnection client = nuthatch.connect()) {
            client.call("FLUSHALL");
            populate(client, random);
            KeyspaceWalk walk = nuthatch.underLock(() -> keyspace().startWalk());
            nuthatch.underLock(() -> walk.advance(30, (database, entry) -> { }));
            for (int i = 0; i < 300; i++) {
                change(client, random);
            }
            nuthatch.underLock(() -> {
                walk.abandon();
                return null;
            });
            assertEquals(0, walk.heldBytes(), "an abandoned walk released what it kept");
            assertThrows(IllegalStateException.class, () -> walk.advance(1, (database, entry) -> { }));
            for (int i = 0; i < 300; i++) {
                change(client, random);
            }
            // The next walk finishes the abandoned one's scan first, then starts from a level field.
            assertNextWalkGivesTheDatasetAsItIs();
            assertTrue(walk.isFinished());
        }
    }

    @Test
    void theCronFinishesAnAbandonedWalk() throws Exception {
        SplittableRandom random = new SplittableRandom(5);
        try (RawConnection client = nuthatch.connect()) {
            client.call("FLUSHALL");
            populate(client, random);
            KeyspaceWalk walk = nuthatch.underLock(() -> keyspace().startWalk());
            nuthatch.underLock(() -> {
                walk.abandon();
                return null;
            });
            long deadline = System.currentTimeMillis() + 10_000;
            while (!nuthatch.underLock(walk::isFinished) && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(nuthatch.underLock(walk::isFinished), "the cron did not finish the abandoned walk");
            assertNull(nuthatch.underLock(() -> keyspace().walk()));
            assertNextWalkGivesTheDatasetAsItIs();
        }
    }

    @Test
    void onlyOneWalkRunsAtATime() throws IOException {
        try (RawConnection client = nuthatch.connect()) {
            client.call("FLUSHALL");
            client.call("SET", "a", "1");
            KeyspaceWalk walk = nuthatch.underLock(() -> keyspace().startWalk());
            assertThrows(IllegalStateException.class, () -> nuthatch.underLock(() -> keyspace().startWalk()));
            while (nuthatch.underLock(() -> walk.advance(100, (database, entry) -> { }))) {
                // drain
            }
            assertFalse(nuthatch.underLock(() -> walk.advance(100, (database, entry) -> { })));
            assertNextWalkGivesTheDatasetAsItIs();
        }
    }

    // ---------------------------------------------------------------- the dataset

    /**
     * Keys of every shape in the first databases: integers, short and 100-byte strings, strings
     * grown in place, values of 40 KB (an array of their own), with and without an expiry, some
     * expiring within the test.
     */
    private static void populate(RawConnection client, SplittableRandom random) throws IOException {
        for (int database = 0; database < DATABASES; database++) {
            client.call("SELECT", Integer.toString(database));
            for (int i = 0; i < KEYS_PER_DATABASE; i++) {
                String key = "k" + i;
                switch (random.nextInt(6)) {
                    case 0 -> client.call("SET", key, Integer.toString(random.nextInt(20_000)));
                    case 1 -> client.call("SET", key, text(random, 100));
                    case 2 -> {
                        client.call("SET", key, text(random, 10));
                        client.call("APPEND", key, text(random, 30));
                    }
                    case 3 -> client.call(List.of(bytes("SET"), bytes(key), bytes(text(random, 40_000))));
                    case 4 -> client.call("SET", key, text(random, 20), "EX", "1000");
                    default -> client.call("SET", key, text(random, 5), "PX", Integer.toString(1 + random.nextInt(300)));
                }
            }
        }
    }

    /** One change, chosen at random among every kind the server makes. */
    private static void change(RawConnection client, SplittableRandom random) throws IOException {
        String key = "k" + random.nextInt(KEYS_PER_DATABASE);
        String other = "k" + random.nextInt(KEYS_PER_DATABASE);
        String database = Integer.toString(random.nextInt(DATABASES));
        int choice = random.nextInt(32);
        if (choice == 0) {
            // Keep most changes in the databases that hold keys.
            client.call("SELECT", database);
            return;
        }
        switch (choice) {
            case 1 -> client.call("SET", key, text(random, random.nextInt(120)));
            case 2 -> client.call("SET", key, text(random, 30), "PX", Integer.toString(1 + random.nextInt(200)));
            case 3 -> client.call("APPEND", key, text(random, 1 + random.nextInt(50)));
            case 4 -> client.call("SETRANGE", key, Integer.toString(random.nextInt(60)), text(random, 5));
            case 5 -> client.call("SETBIT", key, Integer.toString(random.nextInt(500)), Integer.toString(random.nextInt(2)));
            case 6 -> client.call("INCR", key);
            case 7 -> client.call("INCRBYFLOAT", key, "1.5");
            case 8 -> client.call("BITFIELD", key, "SET", "u8", "#" + random.nextInt(20), Integer.toString(random.nextInt(256)));
            case 9 -> client.call("DEL", key);
            case 10 -> client.call("UNLINK", key, other);
            case 11 -> client.call("EXPIRE", key, "1000");
            case 12 -> client.call("PEXPIRE", key, Integer.toString(1 + random.nextInt(100)));
            case 13 -> client.call("PERSIST", key);
            case 14 -> client.call("PEXPIREAT", key, "1");
            case 15 -> client.call("RENAME", key, other);
            case 16 -> client.call("RENAMENX", key, other);
            case 17 -> client.call("MOVE", key, database);
            case 18 -> client.call("COPY", key, other, "DB", database, "REPLACE");
            case 19 -> client.call("SWAPDB", database, Integer.toString(random.nextInt(DATABASES)));
            case 20 -> client.call("FLUSHDB");
            case 21 -> {
                if (random.nextInt(8) == 0) {
                    client.call("FLUSHALL");
                } else {
                    client.call("GET", key);
                }
            }
            case 22 -> client.call("GETDEL", key);
            case 23 -> client.call("GETEX", key, random.nextBoolean() ? "PERSIST" : "PX", "50");
            case 24 -> client.call("GETSET", key, text(random, 8));
            case 25 -> client.call("MSET", key, text(random, 3), other, Integer.toString(random.nextInt(100)));
            case 26 -> client.call("SETNX", key, "new");
            case 27 -> client.call("BITOP", "OR", key, other, "k" + random.nextInt(KEYS_PER_DATABASE));
            case 28 -> client.call(List.of(bytes("SET"), bytes(key), bytes(text(random, 33_000))));
            case 29 -> client.call("DECRBY", key, "7");
            case 30 -> client.call("SET", key, text(random, 10), "KEEPTTL");
            default -> client.call("EXISTS", key, other); // lazy expiry of what has passed
        }
    }

    private void assertNextWalkGivesTheDatasetAsItIs() {
        Map<String, String> now = new HashMap<>();
        Map<String, String> given = new HashMap<>();
        nuthatch.underLock(() -> {
            KeyspaceWalk walk = keyspace().startWalk();
            now.putAll(contents());
            while (walk.advance(64, (database, entry) -> {
                assertNull(given.put(name(database, entry), describe(entry)), "given twice");
            })) {
                // all in one go: nothing changes in between
            }
            return null;
        });
        assertEquals(new TreeMap<>(now), new TreeMap<>(given));
    }

    private void assertMemoryAccountingIsExact() {
        nuthatch.underLock(() -> {
            long dataset = 0;
            long index = 0;
            for (int i = 0; i < keyspace().count(); i++) {
                Database database = keyspace().database(i);
                assertEquals(database.countMemory(), database.datasetMemory(), "memory of db" + i);
                dataset += database.datasetMemory();
                index += database.indexMemory();
            }
            // The running totals the maxmemory check reads, after flushes and swaps under a walk.
            assertEquals(dataset, keyspace().datasetMemory(), "the keyspace's dataset total");
            assertEquals(index, keyspace().indexMemory(), "the keyspace's index total");
            return null;
        });
    }

    /** Every key of every database, expired or not, as the walk describes it. */
    private static Map<String, String> contents() {
        Map<String, String> contents = new HashMap<>();
        Keyspace keyspace = keyspace();
        for (int i = 0; i < keyspace.count(); i++) {
            int database = i;
            keyspace.database(i).forEach(entry -> contents.put(name(database, entry), describe(entry)));
        }
        return contents;
    }

    private static String name(int database, KeyEntry entry) {
        return database + ":" + new String(entry.keyArray(), entry.keyOffset(), entry.keyLength(),
                StandardCharsets.ISO_8859_1);
    }

    private static String describe(KeyEntry entry) {
        String value = entry.isString()
                ? new String(entry.stringArray(), entry.stringOffset(), entry.stringLength(), StandardCharsets.ISO_8859_1)
                : entry.type().typeName();
        return entry.encoding() + " expires " + entry.expiresAt() + " " + value;
    }

    private static String text(SplittableRandom random, int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append((char) ('a' + random.nextInt(26)));
        }
        return text.toString();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static Keyspace keyspace() {
        return nuthatch.server().engine().keyspace();
    }
}
