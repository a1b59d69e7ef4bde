package io.nuthatch.server.clients;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.nuthatch.server.NuthatchServer;
import io.nuthatch.server.client.ClientSession;
import io.nuthatch.server.testing.ReferencePair;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Lettuce, the Java client our users run, against an embedded server: its RESP3 handshake, RESP2
 * on request, the sync, async, pipelined and reactive APIs, binary data, large values and many
 * connections at once.
 */
class LettuceClientTest {
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
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.shutdown(0, 2, TimeUnit.SECONDS);
        }
        if (resources != null) {
            resources.shutdown(0, 2, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void resetOptions() {
        client.setOptions(ClientOptions.create());
    }

    /** Lettuce's default: HELLO 3, then whatever metadata it sends; the connection must be usable in RESP3. */
    @Test
    void defaultHandshakeNegotiatesResp3() throws InterruptedException {
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            assertEquals("PONG", redis.ping());
            assertEquals("OK", redis.set("lettuce:resp3", "v"));
            assertEquals("v", redis.get("lettuce:resp3"));
            assertNull(redis.get("lettuce:missing"));
            assertEquals(List.of(3), protocolsOfConnectedClients(), "the server side of the connection speaks RESP3");
        }
    }

    @Test
    void resp2WhenAskedFor() throws InterruptedException {
        client.setOptions(ClientOptions.builder().protocolVersion(ProtocolVersion.RESP2).build());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            assertEquals("OK", redis.set("lettuce:resp2", "v2"));
            assertEquals("v2", redis.get("lettuce:resp2"));
            assertNull(redis.get("lettuce:missing"));
            assertEquals("hello", redis.echo("hello"));
            assertEquals(List.of(2), protocolsOfConnectedClients());
        }
    }

    @Test
    void syncCommandsWithSetOptionsAndDatabases() {
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            assertEquals("OK", redis.flushall());
            assertEquals("OK", redis.set("k", "1"));
            assertNull(redis.set("k", "2", SetArgs.Builder.nx()));
            assertEquals("OK", redis.set("k", "3", SetArgs.Builder.xx().ex(100)));
            assertNull(redis.set("absent", "x", SetArgs.Builder.xx()));
            assertEquals("3", redis.setGet("k", "4"));
            assertEquals("4", redis.get("k"));
            assertEquals("OK", redis.set("k", "5", SetArgs.Builder.px(100_000)));
            assertEquals("5", redis.get("k"));
            assertEquals(1L, redis.dbsize());
            assertEquals("OK", redis.select(3));
            assertEquals(0L, redis.dbsize());
            assertEquals("OK", redis.set("in3", "x"));
            assertEquals(1L, redis.dbsize());
            assertEquals("OK", redis.flushdb());
            assertEquals(0L, redis.dbsize());
            assertEquals("OK", redis.select(0));
            assertEquals(1L, redis.dbsize());
        }
    }

    /** Auto-flush off: the commands are written together and answered in order. */
    @Test
    void pipelinedAsyncCommands() throws Exception {
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisAsyncCommands<String, String> redis = connection.async();
            connection.setAutoFlushCommands(false);
            List<RedisFuture<String>> sets = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                sets.add(redis.set("pipe:" + i, "value-" + i));
            }
            List<RedisFuture<String>> gets = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                gets.add(redis.get("pipe:" + i));
            }
            connection.flushCommands();
            assertTrue(LettuceFutures.awaitAll(TIMEOUT, sets.toArray(new RedisFuture<?>[0])));
            assertTrue(LettuceFutures.awaitAll(TIMEOUT, gets.toArray(new RedisFuture<?>[0])));
            for (int i = 0; i < 1000; i++) {
                assertEquals("OK", sets.get(i).get());
                assertEquals("value-" + i, gets.get(i).get());
            }
            connection.setAutoFlushCommands(true);
        }
    }

    @Test
    void reactiveCommands() {
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            var redis = connection.reactive();
            List<String> values = Flux.range(0, 200)
                    .concatMap(i -> redis.set("reactive:" + i, "r" + i).then(redis.get("reactive:" + i)))
                    .collectList()
                    .block(TIMEOUT);
            assertEquals(200, values.size());
            for (int i = 0; i < 200; i++) {
                assertEquals("r" + i, values.get(i));
            }
            assertEquals("PONG", redis.ping().block(TIMEOUT));
        }
    }

    /** Keys and values with every byte value, NUL and CRLF included. */
    @Test
    void binaryKeysAndValues() {
        try (StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE)) {
            RedisCommands<byte[], byte[]> redis = connection.sync();
            byte[] every = new byte[256];
            for (int i = 0; i < 256; i++) {
                every[i] = (byte) i;
            }
            byte[] key = "bin\u0000\r\n*1\r\n$4\r\nkey".getBytes(StandardCharsets.ISO_8859_1);
            assertEquals("OK", redis.set(key, every));
            assertArrayEquals(every, redis.get(key));
            assertEquals("OK", redis.set(every, key));
            assertArrayEquals(key, redis.get(every));
            assertEquals("OK", redis.set(new byte[0], new byte[0]));
            assertArrayEquals(new byte[0], redis.get(new byte[0]));
            assertNull(redis.get("bin\u0000".getBytes(StandardCharsets.ISO_8859_1)));
        }
    }

    @Test
    void tenMegabyteValue() {
        byte[] value = new byte[10 * 1024 * 1024];
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) (i * 131 + (i >>> 12));
        }
        try (StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE)) {
            RedisCommands<byte[], byte[]> redis = connection.sync();
            byte[] key = "big".getBytes(StandardCharsets.US_ASCII);
            assertEquals("OK", redis.set(key, value));
            assertArrayEquals(value, redis.get(key));
            assertArrayEquals(value, redis.get(key), "a second read of the stored value");
        }
    }

    /** 200 connections at once, each writing and reading its own keys: no reply goes to the wrong client. */
    @Test
    void twoHundredConnectionsInParallel() throws Exception {
        int connections = 200;
        int keysEach = 20;
        List<StatefulRedisConnection<String, String>> open = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(16);
        try {
            for (int c = 0; c < connections; c++) {
                open.add(client.connect());
            }
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < connections; c++) {
                int id = c;
                RedisAsyncCommands<String, String> redis = open.get(c).async();
                done.add(threads.submit(() -> {
                    for (int i = 0; i < keysEach; i++) {
                        String key = "conn:" + id + ":" + i;
                        String value = "value of " + key;
                        assertEquals("OK", redis.set(key, value).get(20, TimeUnit.SECONDS));
                        assertEquals(value, redis.get(key).get(20, TimeUnit.SECONDS));
                    }
                    List<RedisFuture<String>> reads = new ArrayList<>();
                    for (int i = 0; i < keysEach; i++) {
                        reads.add(redis.get("conn:" + id + ":" + i));
                    }
                    for (int i = 0; i < keysEach; i++) {
                        assertEquals("value of conn:" + id + ":" + i, reads.get(i).get(20, TimeUnit.SECONDS));
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get(60, TimeUnit.SECONDS);
            }
            assertTrue(server.engine().clients().count() >= connections);
        } finally {
            threads.shutdownNow();
            CompletableFuture.allOf(open.stream().map(StatefulRedisConnection::closeAsync)
                    .toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
        }
    }

    /** The protocol of each connected client, once the connections of earlier tests are gone. */
    private static List<Integer> protocolsOfConnectedClients() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.engine().clients().count() > 1 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        ReentrantLock lock = server.engine().lock();
        lock.lock();
        try {
            return server.engine().clients().all().stream().map(ClientSession::protocol).toList();
        } finally {
            lock.unlock();
        }
    }
}
