package io.nuthatch.server.clients;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.nuthatch.server.NuthatchServer;
import io.nuthatch.server.testing.ReferencePair;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What our users build on Redis to coordinate processes, run with Lettuce from many threads, each
 * with its own connection, against Nuthatch:
 *
 * <ul>
 * <li>a distributed lock: SET lock token NX PX, released by the compare-and-delete script loaded
 *     with SCRIPT LOAD and called with EVALSHA; the critical section is never entered twice at
 *     once, and a read-modify-write of a counter inside it loses no update;</li>
 * <li>optimistic locking: WATCH a versioned JSON value, read it, write the next version in
 *     MULTI/EXEC, retry when EXEC replies null; no update is lost and each version is written
 *     exactly once.</li>
 * </ul>
 */
class ConcurrencyControlTest {
    private static final String RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then "
            + "return redis.call('del', KEYS[1]) else return 0 end";
    private static final int THREADS = 8;

    private static NuthatchServer server;
    private static RedisClient client;

    @BeforeAll
    static void start() {
        server = ReferencePair.startNuthatch();
        client = RedisClient.create(RedisURI.create("127.0.0.1", server.port()));
    }

    @AfterAll
    static void stop() {
        client.shutdown();
        server.close();
    }

    @Test
    void theCriticalSectionOfASetNxLockIsNeverEnteredTwiceAtOnce() throws Exception {
        int rounds = 15;
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        String sha;
        try (StatefulRedisConnection<String, String> setup = client.connect()) {
            setup.sync().set("lock-counter", "0");
            sha = setup.sync().scriptLoad(RELEASE);
        }
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            done.add(threads.submit(() -> {
                try (StatefulRedisConnection<String, String> connection = client.connect()) {
                    RedisCommands<String, String> redis = connection.sync();
                    for (int round = 0; round < rounds; round++) {
                        String token = UUID.randomUUID().toString();
                        while (!"OK".equals(redis.set("lock", token, SetArgs.Builder.nx().px(10_000)))) {
                            // A short pause, as lock clients retry: spinning starves the holder on two cores.
                            LockSupport.parkNanos(1_000_000);
                        }
                        if (inside.incrementAndGet() != 1) {
                            overlaps.incrementAndGet();
                        }
                        long counter = Long.parseLong(redis.get("lock-counter"));
                        redis.set("lock-counter", Long.toString(counter + 1));
                        inside.decrementAndGet();
                        Long released = redis.evalsha(sha, ScriptOutputType.INTEGER, new String[] {"lock"}, token);
                        assertEquals(1L, released, "the holder's token releases the lock");
                        assertEquals(0L, (Long) redis.evalsha(sha, ScriptOutputType.INTEGER, new String[] {"lock"}, token),
                                "a token no longer holding the lock releases nothing");
                    }
                }
                return null;
            }));
        }
        for (Future<?> future : done) {
            future.get(120, TimeUnit.SECONDS);
        }
        threads.shutdown();
        assertEquals(0, overlaps.get(), "threads inside the critical section at once");
        try (StatefulRedisConnection<String, String> check = client.connect()) {
            assertEquals(Long.toString((long) THREADS * rounds), check.sync().get("lock-counter"));
            assertEquals(0L, check.sync().exists("lock"));
        }
    }

    @Test
    void optimisticWritersUnderWatchLoseNoUpdateAndRetryTheirConflicts() throws Exception {
        int updates = 40;
        Pattern versioned = Pattern.compile("\\{\"version\":(\\d+),\"count\":(\\d+)}");
        AtomicLong conflicts = new AtomicLong();
        try (StatefulRedisConnection<String, String> setup = client.connect()) {
            setup.sync().set("state", "{\"version\":0,\"count\":0}");
        }
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            done.add(threads.submit(() -> {
                try (StatefulRedisConnection<String, String> connection = client.connect()) {
                    RedisCommands<String, String> redis = connection.sync();
                    for (int update = 0; update < updates; update++) {
                        while (true) {
                            redis.watch("state");
                            Matcher current = versioned.matcher(redis.get("state"));
                            assertTrue(current.matches());
                            long version = Long.parseLong(current.group(1));
                            long count = Long.parseLong(current.group(2));
                            redis.multi();
                            redis.set("state", "{\"version\":" + (version + 1) + ",\"count\":" + (count + 1) + "}");
                            redis.rpush("versions-written", Long.toString(version + 1));
                            TransactionResult result = redis.exec();
                            if (!result.wasDiscarded()) {
                                break;
                            }
                            conflicts.incrementAndGet();
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> future : done) {
            future.get(120, TimeUnit.SECONDS);
        }
        threads.shutdown();
        long total = (long) THREADS * updates;
        try (StatefulRedisConnection<String, String> check = client.connect()) {
            RedisCommands<String, String> redis = check.sync();
            assertEquals("{\"version\":" + total + ",\"count\":" + total + "}", redis.get("state"));
            List<String> written = redis.lrange("versions-written", 0, -1);
            assertEquals(total, written.size());
            for (int i = 0; i < written.size(); i++) {
                assertEquals(Long.toString(i + 1), written.get(i), "each version written once, in order");
            }
        }
        // Eight writers on one key conflict; a run without any would mean WATCH was never touched.
        assertTrue(conflicts.get() > 0, "no conflict was ever retried");
    }
}
