package io.nuthatch.server.clients;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.nuthatch.server.NuthatchServer;
import io.nuthatch.server.testing.ReferencePair;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Lettuce's pub/sub API against an embedded server, in RESP2 (a dedicated subscriber connection)
 * and RESP3 (pushes): channel and pattern messages, counts, keyspace events as a client library
 * listens to them.
 */
class LettucePubSubTest {
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
        client.shutdown();
        resources.shutdown();
        server.close();
    }

    /** What a listener heard, one line per message: "channel message" or "pattern channel message". */
    private static final class Heard extends RedisPubSubAdapter<String, String> {
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        @Override
        public void message(String channel, String message) {
            lines.add(channel + " " + message);
        }

        @Override
        public void message(String pattern, String channel, String message) {
            lines.add(pattern + " " + channel + " " + message);
        }

        String next() throws InterruptedException {
            String line = lines.poll(10, TimeUnit.SECONDS);
            if (line == null) {
                throw new AssertionError("no message within 10 s");
            }
            return line;
        }
    }

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void subscribersGetChannelAndPatternMessagesAndKeyspaceEvents(ProtocolVersion protocol) throws Exception {
        client.setOptions(ClientOptions.builder().protocolVersion(protocol).build());
        try (StatefulRedisPubSubConnection<String, String> subscriber = client.connectPubSub();
             StatefulRedisConnection<String, String> publisher = client.connect()) {
            Heard heard = new Heard();
            subscriber.addListener(heard);
            String prefix = protocol.name() + ":";
            subscriber.sync().subscribe(prefix + "news");
            subscriber.sync().psubscribe(prefix + "sport.*");
            assertEquals(1L, publisher.sync().publish(prefix + "news", "hello"));
            assertEquals(1L, publisher.sync().publish(prefix + "sport.tennis", "ace"));
            assertEquals(0L, publisher.sync().publish(prefix + "other", "nobody"));
            assertEquals(prefix + "news hello", heard.next());
            assertEquals(prefix + "sport.* " + prefix + "sport.tennis ace", heard.next());
            assertEquals(Long.valueOf(1), publisher.sync().pubsubNumsub(prefix + "news").get(prefix + "news"));
            assertEquals(List.of(prefix + "news"), publisher.sync().pubsubChannels(prefix + "*"));

            publisher.sync().configSet("notify-keyspace-events", "KE$");
            try {
                subscriber.sync().psubscribe("__keyevent@0__:set");
                publisher.sync().set(prefix + "key", "v");
                assertEquals("__keyevent@0__:set __keyevent@0__:set " + prefix + "key", heard.next());
            } finally {
                publisher.sync().configSet("notify-keyspace-events", "");
            }
            subscriber.sync().unsubscribe(prefix + "news");
            subscriber.sync().punsubscribe();
            assertEquals(0L, publisher.sync().publish(prefix + "news", "gone"));
        }
    }
}
