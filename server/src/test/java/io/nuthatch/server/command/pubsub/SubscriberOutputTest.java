package io.nuthatch.server.command.pubsub;

import io.nuthatch.server.NuthatchServer;
import io.nuthatch.server.config.ConfigException;
import io.nuthatch.server.config.ServerConfig;
import io.nuthatch.server.log.ServerLog;
import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.Resp;
import io.nuthatch.server.testing.RespValue;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What reaches a subscriber and when it is cut off: messages published from connections on other
 * event loops arrive complete and in each publisher's order, and a subscriber that stops reading is
 * closed at its client-output-buffer-limit, with Redis's log line and INFO counter.
 */
class SubscriberOutputTest {

    private static NuthatchServer start(ServerLog log, String... directives) throws ConfigException {
        ServerConfig config = new ServerConfig().useFreePort();
        config.find("bind").set("127.0.0.1");
        config.find("save").set("");
        for (int i = 0; i + 1 < directives.length; i += 2) {
            config.find(directives[i]).set(directives[i + 1]);
        }
        return NuthatchServer.start(config, log);
    }

    private static ServerLog logInto(ByteArrayOutputStream sink) {
        ServerLog log = new ServerLog(new PrintStream(sink, true, StandardCharsets.UTF_8));
        log.level(ServerLog.Level.WARNING);
        return log;
    }

    private static String info(RawConnection connection, String field) throws IOException {
        String text = (String) RespValue.parse(connection.call("INFO"));
        for (String line : text.split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1);
            }
        }
        throw new AssertionError("no " + field + " in INFO");
    }

    @Test
    void messagesFromPublishersOnOtherEventLoopsArriveInEachPublishersOrder() throws Exception {
        int publishers = 4;
        int perPublisher = 2000;
        try (NuthatchServer server = start(new ServerLog(), "io-threads", "4");
             RawConnection subscriber = new RawConnection(server.port())) {
            subscriber.call("SUBSCRIBE", "ch");
            ExecutorService pool = Executors.newFixedThreadPool(publishers);
            List<Future<?>> done = new ArrayList<>();
            for (int p = 0; p < publishers; p++) {
                int publisher = p;
                done.add(pool.submit(() -> {
                    try (RawConnection connection = new RawConnection(server.port())) {
                        for (int i = 0; i < perPublisher; i++) {
                            connection.send(Resp.request("PUBLISH", "ch", publisher + ":" + i));
                        }
                        for (int i = 0; i < perPublisher; i++) {
                            assertEquals(1L, RespValue.parse(connection.readReply()));
                        }
                    }
                    return null;
                }));
            }
            int[] next = new int[publishers];
            for (int received = 0; received < publishers * perPublisher; received++) {
                @SuppressWarnings("unchecked")
                List<Object> message = (List<Object>) RespValue.parse(subscriber.readReply());
                assertEquals("message", message.get(0));
                assertEquals("ch", message.get(1));
                String[] parts = ((String) message.get(2)).split(":");
                int publisher = Integer.parseInt(parts[0]);
                assertEquals(next[publisher], Integer.parseInt(parts[1]), "publisher " + publisher + "'s order");
                next[publisher]++;
            }
            for (Future<?> future : done) {
                future.get(30, TimeUnit.SECONDS);
            }
            pool.shutdown();
        }
    }

    @Test
    void aSubscriberThatStopsReadingIsClosedAtTheHardLimit() throws Exception {
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        try (NuthatchServer server = start(logInto(logged), "client-output-buffer-limit", "pubsub 256kb 0 0");
             RawConnection subscriber = new RawConnection(server.port());
             RawConnection publisher = new RawConnection(server.port())) {
            subscriber.socket().setReceiveBufferSize(4096);
            subscriber.call("CLIENT", "SETNAME", "slow");
            subscriber.call("SUBSCRIBE", "ch");
            String payload = "x".repeat(64 * 1024);
            long receivers = 1;
            int published = 0;
            while (receivers == 1 && published < 2000) {
                receivers = (Long) RespValue.parse(publisher.call("PUBLISH", "ch", payload));
                published++;
            }
            assertEquals(0L, receivers, "the subscriber was closed, so a later message reaches nobody");
            assertEquals("1", info(publisher, "client_output_buffer_limit_disconnections"));
            assertEquals("0", info(publisher, "pubsub_channels"));
            String log = logged.toString(StandardCharsets.UTF_8);
            assertTrue(log.matches("(?s).*Client id=\\d+ addr=\\S+ .*name=slow .* scheduled to be closed ASAP for"
                    + " overcoming of output buffer limits\\..*"), log);
        }
    }

    @Test
    void aSubscriberOverTheSoftLimitIsClosedOnlyAfterItsSeconds() throws Exception {
        try (NuthatchServer server = start(new ServerLog(), "client-output-buffer-limit", "pubsub 0 256kb 1");
             RawConnection subscriber = new RawConnection(server.port());
             RawConnection publisher = new RawConnection(server.port())) {
            subscriber.socket().setReceiveBufferSize(4096);
            subscriber.call("SUBSCRIBE", "ch");
            String payload = "x".repeat(64 * 1024);
            long started = System.nanoTime();
            long receivers = 1;
            while (receivers == 1 && System.nanoTime() - started < TimeUnit.SECONDS.toNanos(10)) {
                receivers = (Long) RespValue.parse(publisher.call("PUBLISH", "ch", payload));
                Thread.sleep(5);
            }
            long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
            assertEquals(0L, receivers);
            assertTrue(elapsedMillis >= 1000, "closed after " + elapsedMillis + " ms, before the soft limit's second");
        }
    }

    @Test
    void clientListAndInfoCountSubscriptions() throws Exception {
        try (NuthatchServer server = start(new ServerLog());
             RawConnection subscriber = new RawConnection(server.port());
             RawConnection other = new RawConnection(server.port());
             RawConnection observer = new RawConnection(server.port())) {
            subscriber.send(Resp.request("SUBSCRIBE", "a", "b"));
            subscriber.readReply();
            subscriber.readReply();
            subscriber.call("PSUBSCRIBE", "p*");
            subscriber.call("SSUBSCRIBE", "s");
            other.call("PSUBSCRIBE", "p*");
            other.call("SUBSCRIBE", "a");
            String list = (String) RespValue.parse(observer.call("CLIENT", "LIST"));
            String[] lines = list.split("\n");
            assertTrue(lines[0].contains(" flags=P db=0 sub=2 psub=1 ssub=1 "), lines[0]);
            assertTrue(lines[1].contains(" flags=P db=0 sub=1 psub=1 ssub=0 "), lines[1]);
            assertTrue(lines[2].contains(" flags=N db=0 sub=0 psub=0 ssub=0 "), lines[2]);
            assertEquals("2", info(observer, "pubsub_channels"));
            assertEquals("1", info(observer, "pubsub_patterns"));
            assertEquals("1", info(observer, "pubsubshard_channels"));
        }
    }
}
