package io.nuthatch.server.blocking;

import io.lettuce.core.LMoveArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.nuthatch.server.testing.EmbeddedNuthatch;
import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.Resp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Blocked clients under load, as a queue's workers use them: with real clients (Lettuce) on many
 * connections, every job pushed is taken exactly once; hundreds of parked clients hold no thread,
 * and the server answers others meanwhile.
 */
class BlockingQueueWorkersTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @RegisterExtension
    static final EmbeddedNuthatch nuthatch = new EmbeddedNuthatch();

    private static ClientResources resources;
    private static RedisClient client;

    @BeforeAll
    static void start() {
        resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2).build();
        client = RedisClient.create(resources, RedisURI.builder().withHost("127.0.0.1").withPort(nuthatch.port())
                .withTimeout(TIMEOUT).build());
    }

    @AfterAll
    static void stop() {
        client.shutdown(0, 2, TimeUnit.SECONDS);
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }

    /**
     * Eight workers move jobs from "wait" to "active" with BLMOVE (BullMQ's pattern) while two
     * producers push, some jobs while workers are parked and some while they are busy: every job
     * ends in "active" once, none is lost or doubled.
     */
    @Test
    void workersTakeEveryJobExactlyOnce() throws Exception {
        int producers = 2;
        int jobsEach = 2000;
        int workers = 8;
        try (StatefulRedisConnection<String, String> admin = client.connect()) {
            admin.sync().del("wait", "active");
        }
        ConcurrentLinkedQueue<String> taken = new ConcurrentLinkedQueue<>();
        AtomicBoolean producing = new AtomicBoolean(true);
        CountDownLatch done = new CountDownLatch(workers);
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            threads.add(new Thread(() -> {
                try (StatefulRedisConnection<String, String> connection = client.connect()) {
                    RedisCommands<String, String> redis = connection.sync();
                    while (true) {
                        String job = redis.blmove("wait", "active", LMoveArgs.Builder.rightLeft(), 0.05);
                        if (job != null) {
                            taken.add(job);
                        } else if (!producing.get()) {
                            return;
                        }
                    }
                } finally {
                    done.countDown();
                }
            }));
        }
        for (int p = 0; p < producers; p++) {
            int producer = p;
            threads.add(new Thread(() -> {
                try (StatefulRedisConnection<String, String> connection = client.connect()) {
                    RedisCommands<String, String> redis = connection.sync();
                    for (int j = 0; j < jobsEach; j++) {
                        redis.lpush("wait", "job-" + producer + "-" + j);
                        if (j % 100 == 0) {
                            Thread.sleep(5);
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads.subList(workers, threads.size())) {
            thread.join(TIMEOUT.toMillis());
        }
        producing.set(false);
        assertTrue(done.await(30, TimeUnit.SECONDS), "workers did not finish");
        Set<String> distinct = new HashSet<>(taken);
        assertEquals(producers * jobsEach, taken.size(), "jobs taken");
        assertEquals(producers * jobsEach, distinct.size(), "distinct jobs taken");
        try (StatefulRedisConnection<String, String> admin = client.connect()) {
            assertEquals(producers * jobsEach, admin.sync().llen("active"));
            assertEquals(0, admin.sync().llen("wait"));
        }
    }

    /**
     * Four hundred clients parked in BLPOP at once: the server's thread count does not grow with
     * them, INFO counts them and their keys, another client is answered at once, and one push per
     * key serves them all.
     */
    @Test
    void manyParkedClientsHoldNoThread() throws Exception {
        int clients = 400;
        int keys = 50;
        int threadsBefore = Thread.activeCount();
        List<RawConnection> parked = new ArrayList<>();
        try {
            for (int i = 0; i < clients; i++) {
                RawConnection connection = nuthatch.connect();
                connection.send(Resp.request("BLPOP", "many:" + (i % keys), "0"));
                parked.add(connection);
            }
            try (RawConnection other = nuthatch.connect()) {
                long deadline = System.currentTimeMillis() + 10_000;
                while (!info(other).contains("blocked_clients:" + clients + "\r\n")) {
                    assertTrue(System.currentTimeMillis() < deadline, "clients did not all block: " + info(other));
                    Thread.sleep(10);
                }
                String info = info(other);
                assertTrue(info.contains("total_blocking_keys:" + keys + "\r\n"), info);
                assertTrue(info.contains("clients_in_timeout_table:0\r\n"), info);
                assertTrue(Thread.activeCount() < threadsBefore + 10,
                        "threads grew from " + threadsBefore + " to " + Thread.activeCount());
                long started = System.nanoTime();
                assertEquals("+PONG\r\n", new String(other.call("PING"), StandardCharsets.ISO_8859_1));
                assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(1));
                for (int k = 0; k < keys; k++) {
                    String[] push = new String[2 + clients / keys];
                    push[0] = "RPUSH";
                    push[1] = "many:" + k;
                    for (int e = 2; e < push.length; e++) {
                        push[e] = "e" + e;
                    }
                    other.call(push);
                }
                for (RawConnection connection : parked) {
                    String reply = new String(connection.readReply(), StandardCharsets.ISO_8859_1);
                    assertTrue(reply.startsWith("*2\r\n"), reply);
                }
                String after = info(other);
                assertTrue(after.contains("blocked_clients:0\r\n"), after);
                assertTrue(after.contains("total_blocking_keys:0\r\n"), after);
                assertEquals(":0\r\n", new String(other.call("EXISTS", "many:0"), StandardCharsets.ISO_8859_1));
            }
        } finally {
            for (RawConnection connection : parked) {
                connection.close();
            }
        }
    }

    private static String info(RawConnection connection) throws Exception {
        return new String(connection.call("INFO", "clients"), StandardCharsets.ISO_8859_1);
    }
}
