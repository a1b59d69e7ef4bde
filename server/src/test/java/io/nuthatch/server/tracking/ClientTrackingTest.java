package io.nuthatch.server.tracking;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.support.caching.CacheAccessor;
import io.lettuce.core.support.caching.CacheFrontend;
import io.lettuce.core.support.caching.ClientSideCaching;
import io.nuthatch.server.NuthatchServer;
import io.nuthatch.server.testing.ReferencePair;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Client-side caching as a client library uses it: Lettuce's {@link ClientSideCaching} keeps an
 * L1 copy that a write from another connection invalidates; and the INFO figures of tracking
 * (tracking_clients, tracking_total_keys/items/prefixes) follow what clients do.
 */
class ClientTrackingTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private static NuthatchServer server;
    private static ClientResources resources;
    private static RedisClient client;

    @BeforeAll
    static void start() {
        server = ReferencePair.startNuthatch();
        resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2).build();
        client = RedisClient.create(resources, RedisURI.builder().withHost("127.0.0.1").withPort(server.port())
                .withTimeout(TIMEOUT).build());
        client.setOptions(ClientOptions.builder().protocolVersion(ProtocolVersion.RESP3).build());
    }

    @AfterAll
    static void stop() {
        client.shutdown();
        resources.shutdown();
        server.close();
    }

    @BeforeEach
    void flush() {
        try (StatefulRedisConnection<String, String> admin = client.connect()) {
            admin.sync().flushall();
        }
    }

    @Test
    void lettuceClientSideCacheDropsAKeyAnotherConnectionWrites() throws Exception {
        Map<String, String> localCopies = new ConcurrentHashMap<>();
        try (StatefulRedisConnection<String, String> cached = client.connect();
             StatefulRedisConnection<String, String> writer = client.connect()) {
            writer.sync().set("user:1", "alice");
            CacheFrontend<String, String> frontend = ClientSideCaching.enable(CacheAccessor.forMap(localCopies),
                    cached, TrackingArgs.Builder.enabled());
            assertEquals("alice", frontend.get("user:1"));
            assertEquals("alice", localCopies.get("user:1"));

            writer.sync().set("user:1", "bob");
            awaitTrue(() -> !localCopies.containsKey("user:1"), "the local copy was not invalidated");
            assertEquals("bob", frontend.get("user:1"));

            writer.sync().del("user:1");
            awaitTrue(() -> !localCopies.containsKey("user:1"), "the deletion did not invalidate the copy");
            frontend.close();
        }
    }

    @Test
    void infoCountsTrackingClientsKeysItemsAndPrefixes() throws Exception {
        try (StatefulRedisConnection<String, String> first = client.connect();
             StatefulRedisConnection<String, String> second = client.connect();
             StatefulRedisConnection<String, String> broadcast = client.connect();
             StatefulRedisConnection<String, String> writer = client.connect()) {
            RedisCommands<String, String> info = writer.sync();
            long clientsBefore = field(info.info("clients"), "tracking_clients");
            first.sync().clientTracking(TrackingArgs.Builder.enabled());
            second.sync().clientTracking(TrackingArgs.Builder.enabled());
            broadcast.sync().clientTracking(TrackingArgs.Builder.enabled().bcast().prefixes("a:", "b:"));
            assertEquals(clientsBefore + 3, field(info.info("clients"), "tracking_clients"));
            assertEquals(2, field(info.info("stats"), "tracking_total_prefixes"));

            first.sync().mget("k1", "k2");
            second.sync().get("k1");
            String stats = info.info("stats");
            assertEquals(2, field(stats, "tracking_total_keys"));
            assertEquals(3, field(stats, "tracking_total_items"));

            info.set("k1", "v");
            stats = info.info("stats");
            assertEquals(1, field(stats, "tracking_total_keys"));
            assertEquals(1, field(stats, "tracking_total_items"));

            broadcast.sync().clientTracking(TrackingArgs.Builder.enabled(false));
            assertEquals(0, field(info.info("stats"), "tracking_total_prefixes"));
            first.close();
            awaitTrue(() -> field(info.info("clients"), "tracking_clients") == clientsBefore + 1,
                    "a closed tracking client still counted");
        }
    }

    @Test
    void keysPastTrackingTableMaxKeysAreLetGoWithAnInvalidation() throws Exception {
        try (StatefulRedisConnection<String, String> tracking = client.connect();
             StatefulRedisConnection<String, String> admin = client.connect()) {
            Set<String> invalidated = ConcurrentHashMap.newKeySet();
            tracking.addListener(message -> {
                if (message.getType().equals("invalidate")) {
                    for (Object key : (List<?>) message.getContent(StringCodec.UTF8::decodeKey).get(1)) {
                        invalidated.add((String) key);
                    }
                }
            });
            admin.sync().configSet("tracking-table-max-keys", "10");
            try {
                tracking.sync().clientTracking(TrackingArgs.Builder.enabled());
                int reads = 50;
                for (int i = 0; i < reads; i++) {
                    tracking.sync().get("key:" + i);
                }
                long tracked = field(admin.sync().info("stats"), "tracking_total_keys");
                assertTrue(tracked <= 10, tracked + " keys tracked");
                // Every key the limit let go was invalidated, once: none is both, none is neither.
                awaitTrue(() -> invalidated.size() + tracked == reads,
                        invalidated.size() + " invalidated, " + tracked + " tracked of " + reads);
            } finally {
                admin.sync().configSet("tracking-table-max-keys", "1000000");
            }
        }
    }

    private static long field(String info, String name) {
        for (String line : info.split("\r\n")) {
            if (line.startsWith(name + ":")) {
                return Long.parseLong(line.substring(name.length() + 1));
            }
        }
        throw new AssertionError("no " + name + " in INFO:\n" + info);
    }

    private static void awaitTrue(BooleanSupplier condition, String failure) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(failure);
            }
            Thread.sleep(10);
        }
    }
}
