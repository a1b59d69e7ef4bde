package io.nuthatch.server.command.server;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.nuthatch.server.testing.EmbeddedNuthatch;
import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.Resp;
import io.nuthatch.server.testing.RespValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CLIENT PAUSE with real clients, for what client.redis's byte comparison with redis-server cannot
 * say: many held clients released in order, a pause that ends by itself, a dataset that stands
 * still meanwhile, and the cases where redis-server 7.0.15 itself fails (CLIENT UNBLOCK of a held
 * client crashes it, RANDOMKEY over expired keys loops forever).
 */
class ClientPauseTest {
    @RegisterExtension
    static final EmbeddedNuthatch nuthatch = new EmbeddedNuthatch();

    @AfterEach
    void unpause() throws IOException {
        try (RawConnection admin = nuthatch.connect()) {
            admin.call("CLIENT", "UNPAUSE");
            admin.call("FLUSHALL");
        }
    }

    private static Object call(RawConnection connection, String... arguments) throws IOException {
        return RespValue.parse(connection.call(arguments));
    }

    private static long infoField(RawConnection connection, String section, String field) throws IOException {
        String info = (String) call(connection, "INFO", section);
        for (String line : info.split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1));
            }
        }
        throw new AssertionError(field + " not in INFO " + section);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(2);
        }
    }

    private static long blockedClients(RawConnection admin) {
        try {
            return infoField(admin, "clients", "blocked_clients");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void manyHeldClientsRunInTheOrderTheyWereHeldOnceUnpaused() throws Exception {
        int clients = 200;
        ClientResources resources = DefaultClientResources.create();
        RedisClient client = RedisClient.create(resources, RedisURI.create("127.0.0.1", nuthatch.port()));
        List<StatefulRedisConnection<String, String>> connections = new ArrayList<>();
        try (RawConnection admin = nuthatch.connect()) {
            for (int i = 0; i < clients; i++) {
                connections.add(client.connect());
            }
            assertEquals("OK", call(admin, "CLIENT", "PAUSE", "10000", "WRITE"));
            List<RedisFuture<Long>> pushes = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                pushes.add(connections.get(i).async().rpush("order", Integer.toString(i)));
                long held = i + 1;
                await("client " + i + " held", () -> blockedClients(admin) == held);
            }
            // A read still runs, and none of the writes did.
            assertEquals(0L, call(admin, "LLEN", "order"));
            assertFalse(pushes.get(0).isDone());
            assertEquals("OK", call(admin, "CLIENT", "UNPAUSE"));
            for (int i = 0; i < clients; i++) {
                assertEquals(i + 1L, pushes.get(i).get(5, TimeUnit.SECONDS), "the " + i + "th push ran " + i + "th");
            }
            List<Object> expected = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                expected.add(Integer.toString(i));
            }
            assertEquals(expected, call(admin, "LRANGE", "order", "0", "-1"));
            assertEquals(0L, blockedClients(admin));
        } finally {
            connections.forEach(StatefulRedisConnection::close);
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            resources.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }

    @Test
    void aPauseEndsByItselfAndReleasesTheClientsItHeld() throws Exception {
        RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", nuthatch.port()));
        try (RawConnection admin = nuthatch.connect();
             StatefulRedisConnection<String, String> connection = client.connect()) {
            long started = System.nanoTime();
            assertEquals("OK", call(admin, "CLIENT", "PAUSE", "300", "WRITE"));
            RedisFuture<String> set = connection.async().set("k", "v");
            Thread.sleep(100);
            assertFalse(set.isDone(), "held while the pause lasts");
            assertEquals("OK", set.get(5, TimeUnit.SECONDS));
            long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertTrue(waitedMillis >= 295 && waitedMillis < 1000, "released at the pause's end, not later: " + waitedMillis);
            assertEquals("v", call(admin, "GET", "k"));
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    @Test
    void anExtendedPauseHoldsItsClientsUntilTheNewEnd() throws Exception {
        try (RawConnection admin = nuthatch.connect(); RawConnection held = nuthatch.connect()) {
            long started = System.nanoTime();
            call(admin, "CLIENT", "PAUSE", "100", "WRITE");
            held.send(Resp.request("SET", "k", "v"));
            await("held", () -> blockedClients(admin) == 1);
            call(admin, "CLIENT", "PAUSE", "400", "WRITE");
            assertEquals(RawConnection.Arrival.NOTHING, held.awaitArrival(200), "still held past the first end");
            assertEquals("OK", RespValue.parse(held.readReply()));
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) >= 395);
        }
    }

    @Test
    void keysDoNotExpireWhilePausedButReadAsGone() throws Exception {
        try (RawConnection admin = nuthatch.connect()) {
            call(admin, "SET", "k", "v", "PX", "50");
            long expiredBefore = infoField(admin, "stats", "expired_keys");
            call(admin, "CLIENT", "PAUSE", "5000", "WRITE");
            // Active expiry runs hz (10) times a second: it would have deleted the key by now.
            Thread.sleep(400);
            assertNull(call(admin, "GET", "k"));
            assertEquals(0L, call(admin, "EXISTS", "k"));
            assertEquals(1L, call(admin, "DBSIZE"), "the key is still there");
            assertEquals(expiredBefore, infoField(admin, "stats", "expired_keys"));
            call(admin, "CLIENT", "UNPAUSE");
            await("active expiry after the pause", () -> {
                try {
                    return (Long) call(admin, "DBSIZE") == 0;
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            });
            assertEquals(expiredBefore + 1, infoField(admin, "stats", "expired_keys"));
        }
    }

    @Test
    void randomkeyAnswersAnExpiredKeyWhenAPauseKeepsOnlyExpiredOnes() throws Exception {
        try (RawConnection admin = nuthatch.connect()) {
            call(admin, "SET", "a", "v", "PX", "20");
            call(admin, "SET", "b", "v", "PX", "20");
            call(admin, "CLIENT", "PAUSE", "5000", "WRITE");
            Thread.sleep(60);
            Object key = call(admin, "RANDOMKEY");
            assertTrue(key.equals("a") || key.equals("b"), "a key, not an endless loop: " + key);
            call(admin, "CLIENT", "UNPAUSE");
            assertNull(call(admin, "RANDOMKEY"), "once the pause ended, the keys expire");
        }
    }

    @Test
    void clientUnblockLeavesAHeldClientHeld() throws Exception {
        try (RawConnection admin = nuthatch.connect(); RawConnection held = nuthatch.connect()) {
            String id = Long.toString((Long) call(held, "CLIENT", "ID"));
            call(admin, "CLIENT", "PAUSE", "5000", "WRITE");
            held.send(Resp.request("SET", "k", "v"));
            await("held", () -> blockedClients(admin) == 1);
            assertEquals(0L, call(admin, "CLIENT", "UNBLOCK", id));
            assertEquals(0L, call(admin, "CLIENT", "UNBLOCK", id, "ERROR"));
            assertEquals(RawConnection.Arrival.NOTHING, held.awaitArrival(50));
            call(admin, "CLIENT", "UNPAUSE");
            assertEquals("OK", RespValue.parse(held.readReply()));
        }
    }

    @Test
    void aHeldClientThatGoesAwayIsForgotten() throws Exception {
        try (RawConnection admin = nuthatch.connect()) {
            call(admin, "CLIENT", "PAUSE", "5000", "WRITE");
            try (RawConnection held = nuthatch.connect()) {
                held.send(Resp.request("SET", "k", "v"));
                await("held", () -> blockedClients(admin) == 1);
            }
            await("forgotten", () -> blockedClients(admin) == 0);
            call(admin, "CLIENT", "UNPAUSE");
            assertNull(call(admin, "GET", "k"), "its write never ran");
        }
    }

    @Test
    void evictionWaitsForThePauseToEnd() throws Exception {
        try (RawConnection admin = nuthatch.connect()) {
            for (int i = 0; i < 200; i++) {
                call(admin, "SET", "key:" + i, "x".repeat(1000));
            }
            call(admin, "CONFIG", "SET", "maxmemory-policy", "allkeys-random");
            long evictedBefore = infoField(admin, "stats", "evicted_keys");
            call(admin, "CLIENT", "PAUSE", "5000", "WRITE");
            try {
                call(admin, "CONFIG", "SET", "maxmemory", "1");
                assertEquals(200L, call(admin, "DBSIZE"));
                assertEquals(evictedBefore, infoField(admin, "stats", "evicted_keys"));
                call(admin, "CLIENT", "UNPAUSE");
                call(admin, "GET", "key:0");
                assertTrue((Long) call(admin, "DBSIZE") < 200, "evicted once the pause ended");
            } finally {
                call(admin, "CLIENT", "UNPAUSE");
                call(admin, "CONFIG", "SET", "maxmemory", "0");
                call(admin, "CONFIG", "SET", "maxmemory-policy", "noeviction");
            }
        }
    }
}
