package io.nuthatch.server.eviction;

import io.nuthatch.server.Engine;
import io.nuthatch.server.testing.EmbeddedNuthatch;
import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.RespValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * maxmemory over a real socket, with a limit a little above what the empty server uses: each policy
 * keeps used_memory under it by evicting the keys it should, counts them, and answers -OOM when
 * nothing it may evict is left. (The replies that do not depend on memory figures are compared
 * with redis-server in eviction.redis.)
 */
class EvictionTest {
    @RegisterExtension
    static final EmbeddedNuthatch nuthatch = new EmbeddedNuthatch();

    /** The room given above the empty server's used_memory: about a thousand 1000-byte values. */
    private static final long ROOM = 1 << 20;
    private static final String VALUE = "v".repeat(1000);

    private RawConnection connection;

    @BeforeEach
    void connect() throws IOException {
        connection = nuthatch.connect();
        call("FLUSHALL");
    }

    @AfterEach
    void restore() throws IOException {
        call("CONFIG", "SET", "maxmemory", "0");
        call("CONFIG", "SET", "maxmemory-policy", "noeviction");
        call("CONFIG", "SET", "maxmemory-policy-db", "");
        call("CONFIG", "SET", "lfu-log-factor", "10");
        call("FLUSHALL");
        connection.close();
    }

    private Object call(String... arguments) throws IOException {
        return RespValue.parse(connection.call(arguments));
    }

    private long infoField(String section, String field) throws IOException {
        String text = (String) call("INFO", section);
        for (String line : text.split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1));
            }
        }
        throw new AssertionError(field + " not in INFO " + section);
    }

    /** Sets maxmemory to what the server uses now plus {@code room}, and returns it. */
    private long limitToCurrentPlus(long room) throws IOException {
        long limit = infoField("memory", "used_memory") + room;
        call("CONFIG", "SET", "maxmemory", Long.toString(limit));
        return limit;
    }

    private boolean exists(String key) throws IOException {
        return (Long) call("EXISTS", key) == 1;
    }

    private int countExisting(List<String> keys) throws IOException {
        int present = 0;
        for (String key : keys) {
            if (exists(key)) {
                present++;
            }
        }
        return present;
    }

    private List<String> write(String prefix, int count, String... options) throws IOException {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String key = prefix + i;
            List<String> command = new ArrayList<>(List.of("SET", key, VALUE));
            command.addAll(List.of(options));
            assertEquals("OK", call(command.toArray(String[]::new)), key);
            keys.add(key);
        }
        return keys;
    }

    @Test
    void allkeysLruKeepsUsedMemoryUnderMaxmemoryAndCountsTheEvictions() throws IOException {
        call("CONFIG", "SET", "maxmemory-policy", "allkeys-lru");
        call("CONFIG", "RESETSTAT");
        long limit = limitToCurrentPlus(ROOM);
        List<String> keys = write("k", 3000);
        long used = infoField("memory", "used_memory");
        assertTrue(used <= limit, "used_memory " + used + " over maxmemory " + limit);
        long keysLeft = (Long) call("DBSIZE");
        assertTrue(keysLeft < 3000 && keysLeft > 500, keysLeft + " keys left");
        assertEquals(3000 - keysLeft, infoField("stats", "evicted_keys"));
        assertTrue(exists(keys.get(keys.size() - 1)), "the key written last is kept");
    }

    @Test
    void allkeysLruEvictsTheKeysUsedLeastRecentlyFirst() throws Exception {
        call("CONFIG", "SET", "maxmemory-policy", "allkeys-lru");
        long limit = limitToCurrentPlus(ROOM);
        List<String> old = write("old", 400);
        List<String> touched = write("touched", 200);
        // The LRU clock counts seconds, as Redis's does: two apart, the old keys are older.
        Thread.sleep(2100);
        for (String key : touched) {
            call("GET", key);
        }
        call("CONFIG", "RESETSTAT");
        for (int i = 0; infoField("stats", "evicted_keys") < 200; i++) {
            call("SET", "new" + i, VALUE);
        }
        assertTrue(infoField("memory", "used_memory") <= limit);
        // Sampled, as in Redis: the clock counts seconds, so touched and new keys tie, and a cycle
        // whose pool and draws hold no old key takes one of them. Random eviction would take ~50.
        assertTrue(countExisting(touched) >= touched.size() - 5, "recently used keys stay while old ones remain");
        assertTrue(countExisting(old) <= old.size() - 150, "the old keys went first");
    }

    @Test
    void allkeysLfuKeepsTheKeysUsedMostOften() throws IOException {
        call("CONFIG", "SET", "maxmemory-policy", "allkeys-lfu");
        // Every access counts (no logarithmic damping), so three reads put a key well above a new one.
        call("CONFIG", "SET", "lfu-log-factor", "0");
        limitToCurrentPlus(ROOM);
        List<String> frequent = write("frequent", 200);
        List<String> rare = write("rare", 400);
        for (int round = 0; round < 3; round++) {
            for (String key : frequent) {
                call("GET", key);
            }
        }
        assertTrue((Long) call("OBJECT", "FREQ", frequent.get(0)) > (Long) call("OBJECT", "FREQ", rare.get(0)));
        call("CONFIG", "RESETSTAT");
        for (int i = 0; infoField("stats", "evicted_keys") < 600; i++) {
            call("SET", "new" + i, VALUE);
        }
        assertEquals(frequent.size(), countExisting(frequent), "the frequently used keys stay");
        // Rare keys and the new ones share the initial counter, so which of them go is the sampling's
        // draw: only that the evictions fell among them, not how they split, is the policy's.
        long rareLeft = countExisting(rare);
        assertTrue(rareLeft < rare.size(), "rarely used keys went: " + rareLeft + " of " + rare.size() + " left");
    }

    @Test
    void volatileTtlEvictsTheKeysNearestToExpiryFirst() throws IOException {
        call("CONFIG", "SET", "maxmemory-policy", "volatile-ttl");
        limitToCurrentPlus(ROOM);
        List<String> persistent = write("persistent", 200);
        List<String> soon = write("soon", 300, "EX", "1000");
        List<String> late = write("late", 300, "EX", "100000");
        call("CONFIG", "RESETSTAT");
        for (int i = 0; infoField("stats", "evicted_keys") < 250; i++) {
            call("SET", "new" + i, VALUE, "EX", "50000");
        }
        assertEquals(persistent.size(), countExisting(persistent), "keys without an expiry are never evicted");
        // Sampled, as in Redis: a cycle whose pool holds only late keys (five draws all late, after
        // the pool's better candidates were evicted) takes one of them. Random eviction would take
        // about a hundred.
        assertTrue(countExisting(late) >= late.size() - 5, "keys expiring later stay while sooner ones remain");
        assertTrue(countExisting(soon) <= soon.size() - 200, "the keys expiring soonest went first");
    }

    @Test
    void volatilePoliciesEvictOnlyKeysWithAnExpiryThenRefuseWrites() throws IOException {
        for (String policy : List.of("volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl")) {
            call("FLUSHALL");
            call("CONFIG", "SET", "maxmemory", "0");
            call("CONFIG", "SET", "maxmemory-policy", policy);
            long limit = limitToCurrentPlus(ROOM);
            List<String> persistent = write("persistent", 500);
            List<String> expiring = write("expiring", 400, "EX", "1000");
            Object refused = null;
            for (int i = 0; i < 2000 && !(refused instanceof RespValue.Error); i++) {
                refused = call("SET", "more" + i, VALUE);
            }
            assertEquals(persistent.size(), countExisting(persistent), policy + ": keys without expiry stay");
            assertEquals("OOM command not allowed when used memory > 'maxmemory'.",
                    assertInstanceOf(RespValue.Error.class, refused, policy).message(), policy);
            assertEquals(0, countExisting(expiring), policy + ": refused once no key with an expiry is left");
            // Within what the clients' buffers may have changed since the cron measured them for eviction.
            assertTrue(infoField("memory", "used_memory") > limit - 16 * 1024, policy + ": refused only at the limit");
            assertEquals(VALUE, call("GET", "persistent0"), "reads still work");
            assertEquals(1L, call("DEL", "persistent0"), "deletions still work");
        }
    }

    @Test
    void allkeysRandomEvictsFromEveryDatabaseItMay() throws IOException {
        call("CONFIG", "SET", "maxmemory-policy", "allkeys-random");
        long limit = limitToCurrentPlus(ROOM);
        call("SELECT", "1");
        List<String> other = write("other", 300);
        call("SELECT", "0");
        write("k", 3000);
        assertTrue(infoField("memory", "used_memory") <= limit);
        call("SELECT", "1");
        assertTrue(countExisting(other) < other.size(), "keys of other databases are evicted too");
        call("SELECT", "0");
    }

    @Test
    void aDatabaseWhosePolicyIsNoevictionKeepsItsKeysWhileOthersAreEvicted() throws IOException {
        call("CONFIG", "SET", "maxmemory-policy", "allkeys-lru");
        call("CONFIG", "SET", "maxmemory-policy-db", "1 noeviction");
        assertEquals(List.of("maxmemory-policy-db", "1 noeviction"), call("CONFIG", "GET", "maxmemory-policy-db"));
        limitToCurrentPlus(ROOM);
        call("SELECT", "1");
        List<String> queue = write("job", 300);
        call("SELECT", "0");
        write("cache", 3000);
        call("SELECT", "1");
        assertEquals(queue.size(), countExisting(queue), "the noeviction database lost nothing");
        assertEquals((long) queue.size(), call("DBSIZE"));
        // Once the cache is empty and the queue alone is over the limit, writes are refused. (A
        // pass that runs out of time lets its command run and continues in the background, as in
        // Redis: the cache empties over a few commands.)
        call("CONFIG", "SET", "maxmemory", Long.toString(infoField("memory", "used_memory") / 2));
        call("SELECT", "0");
        long deadline = System.currentTimeMillis() + 5000;
        while ((Long) call("DBSIZE") > 0 && System.currentTimeMillis() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(0L, call("DBSIZE"), "the cache is evicted whole");
        assertInstanceOf(RespValue.Error.class, call("SET", "cache-extra", VALUE));
        call("SELECT", "1");
        assertInstanceOf(RespValue.Error.class, call("SET", "job-extra", VALUE));
        assertEquals(queue.size(), countExisting(queue));
    }

    @Test
    void infoReportsThePolicyOfTheSelectedDatabase() throws IOException {
        call("CONFIG", "SET", "maxmemory-policy", "allkeys-lru");
        call("CONFIG", "SET", "maxmemory-policy-db", "2 noeviction 3 volatile-ttl");
        assertEquals("allkeys-lru", infoText("memory", "maxmemory_policy"));
        assertEquals("noeviction", infoText("keyspace", "maxmemory_policy_db2"));
        assertEquals("volatile-ttl", infoText("keyspace", "maxmemory_policy_db3"));
        assertTrue(!((String) call("INFO", "keyspace")).contains("maxmemory_policy_db0"), "db0 follows maxmemory-policy");
        call("SELECT", "2");
        assertEquals("noeviction", infoText("memory", "maxmemory_policy"));
        call("SELECT", "3");
        assertEquals("volatile-ttl", infoText("memory", "maxmemory_policy"));
        call("SELECT", "0");
        assertInstanceOf(RespValue.Error.class, call("CONFIG", "SET", "maxmemory-policy-db", "16 noeviction"));
        assertInstanceOf(RespValue.Error.class, call("CONFIG", "SET", "maxmemory-policy-db", "1 sometimes"));
        assertInstanceOf(RespValue.Error.class, call("CONFIG", "SET", "maxmemory-policy-db", "1"));
        assertEquals(List.of("maxmemory-policy-db", "2 noeviction 3 volatile-ttl"),
                call("CONFIG", "GET", "maxmemory-policy-db"), "a refused value changes nothing");
    }

    /** used_memory read under the engine's lock, without a command (which would evict first). */
    private static long usedMemoryUntouched() {
        Engine engine = nuthatch.server().engine();
        engine.lock().lock();
        try {
            return engine.info().usedMemoryForEviction();
        } finally {
            engine.lock().unlock();
        }
    }

    private String infoText(String section, String field) throws IOException {
        String text = (String) call("INFO", section);
        for (String line : text.split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1);
            }
        }
        throw new AssertionError(field + " not in INFO " + section);
    }

    @Test
    void loweringMaxmemoryEvictsAtOnce() throws Exception {
        call("CONFIG", "SET", "maxmemory-policy", "allkeys-random");
        write("k", 2000);
        long used = infoField("memory", "used_memory");
        long limit = used - ROOM;
        call("CONFIG", "SET", "maxmemory", Long.toString(limit));
        // What one pass could not evict in its time continues in the background, without any command.
        long deadline = System.currentTimeMillis() + 5000;
        while (System.currentTimeMillis() < deadline && usedMemoryUntouched() > limit) {
            Thread.sleep(10);
        }
        assertTrue(infoField("memory", "used_memory") <= limit);
        assertTrue((Long) call("DBSIZE") < 2000);
    }
}
