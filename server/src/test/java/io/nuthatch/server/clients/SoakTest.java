package io.nuthatch.server.clients;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.nuthatch.server.NuthatchServer;
import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.ReferencePair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A bounded soak: writers of every common type on their own keys, each keeping a model of what the
 * server acknowledged, checked against every read; connections dropped at random, some of them
 * with a write in flight; CONFIG SET changes, BGSAVE and BGREWRITEAOF all along, with the log on.
 * The run passes when no client saw an error it did not cause (errors it did cause must read as
 * Redis's), when the heap after a full collection is as flat at the end as after the warm-up, and
 * when every acknowledged write is there at the end and again after a restart on the same data.
 *
 * <p>It runs for {@code nuthatch.soak.seconds} (45 by default, so that CI can afford it); run it
 * for hours with {@code mvn -o verify -pl server -am -Dtest=SoakTest -Dnuthatch.soak.seconds=7200
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class SoakTest {
    private static final int WRITERS = 6;
    private static final int STRINGS = 200;
    private static final int LIST_LENGTH = 50;
    private static final int FIELDS = 50;
    /** The heap may grow this much between the two readings, plus the fraction below, and not be a leak. */
    private static final long HEAP_SLACK = 6L << 20;
    private static final double HEAP_GROWTH = 0.10;
    private static final Set<String> BACKGROUND_REPLIES = Set.of(
            "Background saving started",
            "Background saving scheduled",
            "Background append only file rewriting started",
            "Background append only file rewriting scheduled",
            "ERR Background save already in progress",
            "ERR Background append only file rewriting already in progress");

    @TempDir
    Path dir;

    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final AtomicLong commands = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final AtomicLong abandoned = new AtomicLong();
    private final AtomicLong backgroundJobs = new AtomicLong();
    private final AtomicLong configChanges = new AtomicLong();
    /** Writers hold it shared for each command; a heap reading takes it exclusively, between commands. */
    private final ReentrantReadWriteLock quiet = new ReentrantReadWriteLock();
    private final AtomicBoolean running = new AtomicBoolean(true);

    @Test
    void mixedClientsDisconnectsConfigChangesAndBackgroundSavesLoseNothingAndLeakNothing() throws Exception {
        long seconds = Long.getLong("nuthatch.soak.seconds", 45);
        String[] directives = {"dir", dir.toString(), "appendonly", "yes", "appendfsync", "everysec"};
        Writer[] writers = new Writer[WRITERS];
        long heapAfterWarmUp;
        long heapAtEnd;
        try (NuthatchServer server = ReferencePair.startNuthatch(directives)) {
            RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", server.port()));
            ExecutorService pool = Executors.newFixedThreadPool(WRITERS + 1);
            try {
                List<Future<?>> jobs = new ArrayList<>();
                for (int w = 0; w < WRITERS; w++) {
                    writers[w] = new Writer(w, client, server.port());
                    jobs.add(pool.submit(writers[w]));
                }
                jobs.add(pool.submit(() -> administer(client)));

                Thread.sleep(TimeUnit.SECONDS.toMillis(seconds) / 3);
                heapAfterWarmUp = quietHeap();
                Thread.sleep(TimeUnit.SECONDS.toMillis(seconds) * 2 / 3);
                heapAtEnd = quietHeap();
                running.set(false);
                for (Future<?> job : jobs) {
                    job.get(60, TimeUnit.SECONDS);
                }
                assertEquals(List.of(), List.copyOf(failures), "errors the clients did not cause");

                try (StatefulRedisConnection<String, String> connection = client.connect()) {
                    RedisCommands<String, String> redis = connection.sync();
                    for (Writer writer : writers) {
                        writer.verify(redis, "at the end of the run");
                    }
                    String persistence = redis.info("persistence");
                    for (String status : List.of("rdb_last_bgsave_status:ok", "aof_last_bgrewrite_status:ok",
                            "aof_last_write_status:ok")) {
                        assertTrue(persistence.contains(status), status + " missing in:\n" + persistence);
                    }
                }
            } finally {
                running.set(false);
                pool.shutdownNow();
                client.shutdown();
            }
        }
        System.out.printf("soak: %d s, %d commands, %d reconnects, %d connections dropped with a write in flight, "
                        + "%d BGSAVE/BGREWRITEAOF, %d CONFIG SET; heap after a full collection %d MB after the "
                        + "warm-up, %d MB at the end%n", seconds, commands.get(), reconnects.get(), abandoned.get(),
                backgroundJobs.get(), configChanges.get(), heapAfterWarmUp >> 20, heapAtEnd >> 20);
        assertTrue(heapAtEnd <= heapAfterWarmUp * (1 + HEAP_GROWTH) + HEAP_SLACK, "the heap grew from "
                + heapAfterWarmUp + " to " + heapAtEnd + " bytes with the same data and the same clients");

        try (NuthatchServer restarted = ReferencePair.startNuthatch(directives)) {
            RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", restarted.port()));
            try (StatefulRedisConnection<String, String> connection = client.connect()) {
                awaitLoaded(connection.sync());
                for (Writer writer : writers) {
                    writer.verify(connection.sync(), "after a restart on the same data");
                }
            } finally {
                client.shutdown();
            }
        }
    }

    /** The heap in use after full collections, read while no writer is inside a command. */
    private long quietHeap() {
        quiet.writeLock().lock();
        try {
            long used = Long.MAX_VALUE;
            for (int i = 0; i < 4; i++) {
                System.gc();
                used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
            }
            return used;
        } finally {
            quiet.writeLock().unlock();
        }
    }

    private static void awaitLoaded(RedisCommands<String, String> redis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (redis.info("persistence").contains("loading:1")) {
            assertTrue(System.nanoTime() < deadline, "the restarted server never finished loading");
            Thread.sleep(50);
        }
    }

    /** BGSAVE and BGREWRITEAOF in turn, CONFIG SET of settings clients change at run time, INFO and SCAN. */
    private Void administer(RedisClient client) throws InterruptedException {
        SplittableRandom random = new SplittableRandom(99);
        String[][] settings = {
                {"hz", "10", "50", "100"},
                {"maxmemory-samples", "3", "5", "10"},
                {"slowlog-log-slower-than", "0", "1000", "10000"},
                {"slowlog-max-len", "16", "128"},
                {"latency-monitor-threshold", "0", "1", "100"},
                {"notify-keyspace-events", "", "KEA", "Ex"},
                {"appendfsync", "everysec", "always", "no", "everysec"},
                {"lazyfree-lazy-user-del", "yes", "no"},
        };
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            int round = 0;
            while (running.get()) {
                String[] setting = settings[random.nextInt(settings.length)];
                expect(redis.configSet(setting[0], setting[1 + random.nextInt(setting.length - 1)]), "OK", "CONFIG SET");
                configChanges.incrementAndGet();
                if (round++ % 5 == 0) {
                    String reply = background(redis, round % 2 == 0 ? "BGSAVE" : "BGREWRITEAOF");
                    if (!BACKGROUND_REPLIES.contains(reply)) {
                        failures.add("background job replied " + reply);
                    }
                    backgroundJobs.incrementAndGet();
                }
                redis.info("everything");
                redis.scan();
                redis.clientList();
                redis.slowlogGet(10);
                Thread.sleep(100);
            }
            expect(redis.configSet("appendfsync", "everysec"), "OK", "CONFIG SET appendfsync");
        } catch (RuntimeException e) {
            failures.add("administrator: " + e);
        }
        return null;
    }

    private static String background(RedisCommands<String, String> redis, String command) {
        try {
            if (command.equals("BGREWRITEAOF")) {
                return redis.bgrewriteaof();
            }
            // SCHEDULE, as a client that runs it beside rewrites must: plain BGSAVE is refused then.
            return redis.dispatch(CommandType.BGSAVE, new StatusOutput<>(StringCodec.UTF8),
                    new CommandArgs<>(StringCodec.UTF8).add("SCHEDULE"));
        } catch (RedisCommandExecutionException e) {
            return e.getMessage();
        }
    }

    private void expect(Object actual, Object expected, String what) {
        if (!expected.equals(actual)) {
            failures.add(what + " replied " + actual + ", expected " + expected);
        }
    }

    /** One client's writes on its own keys, with a model of every write the server acknowledged. */
    private final class Writer implements Runnable {
        private final int id;
        private final RedisClient client;
        private final int port;
        private final SplittableRandom random;
        private final Map<String, String> strings = new HashMap<>();
        private final ArrayDeque<String> list = new ArrayDeque<>();
        private final Map<String, String> hash = new HashMap<>();
        private final Map<String, Double> zset = new HashMap<>();
        private long counter;

        Writer(int id, RedisClient client, int port) {
            this.id = id;
            this.client = client;
            this.port = port;
            this.random = new SplittableRandom(id);
        }

        private String key(String name) {
            return "soak:{" + id + "}:" + name;
        }

        @Override
        public void run() {
            StatefulRedisConnection<String, String> connection = client.connect();
            try {
                connection.sync().set(key("text"), "not a number");
                long sequence = 0;
                while (running.get() && failures.isEmpty()) {
                    quiet.readLock().lock();
                    try {
                        step(connection.sync(), sequence++);
                    } finally {
                        quiet.readLock().unlock();
                    }
                    commands.incrementAndGet();
                    int dice = random.nextInt(1000);
                    if (dice < 2) {
                        connection.close();
                        connection = client.connect();
                        reconnects.incrementAndGet();
                    } else if (dice < 4) {
                        dropWithAWriteInFlight(sequence);
                    }
                }
            } catch (RuntimeException | IOException e) {
                failures.add("writer " + id + ": " + e);
            } finally {
                connection.close();
            }
        }

        /** A connection that sends a write and a large read and goes before the replies: no acknowledgement, no model. */
        private void dropWithAWriteInFlight(long sequence) throws IOException {
            try (RawConnection raw = new RawConnection(port)) {
                raw.send(("*3\r\n$3\r\nSET\r\n$" + key("abandoned").length() + "\r\n" + key("abandoned") + "\r\n$"
                        + Long.toString(sequence).length() + "\r\n" + sequence + "\r\n*3\r\n$6\r\nLRANGE\r\n$"
                        + key("list").length() + "\r\n" + key("list") + "\r\n$1\r\n0\r\n").getBytes(StandardCharsets.UTF_8));
            }
            abandoned.incrementAndGet();
        }

        private void step(RedisCommands<String, String> redis, long sequence) {
            int choice = random.nextInt(100);
            if (choice < 25) {
                String key = key("string:" + random.nextInt(STRINGS));
                String value = "value " + sequence + " " + "x".repeat(random.nextInt(200));
                expect(redis.set(key, value), "OK", "SET");
                strings.put(key, value);
            } else if (choice < 45) {
                String key = key("string:" + random.nextInt(STRINGS));
                expect(String.valueOf(redis.get(key)), String.valueOf(strings.get(key)), "GET " + key);
            } else if (choice < 55) {
                expect(redis.incr(key("counter")), ++counter, "INCR");
            } else if (choice < 63) {
                String element = "element " + sequence;
                redis.lpush(key("list"), element);
                list.addFirst(element);
                expect(redis.ltrim(key("list"), 0, LIST_LENGTH - 1), "OK", "LTRIM");
                while (list.size() > LIST_LENGTH) {
                    list.removeLast();
                }
            } else if (choice < 70) {
                String field = "field:" + random.nextInt(FIELDS);
                String value = Long.toString(sequence);
                redis.hset(key("hash"), field, value);
                hash.put(field, value);
            } else if (choice < 75) {
                String field = "field:" + random.nextInt(FIELDS);
                expect(String.valueOf(redis.hget(key("hash"), field)), String.valueOf(hash.get(field)), "HGET");
            } else if (choice < 82) {
                String member = "member:" + random.nextInt(FIELDS);
                double score = random.nextInt(1_000_000) / 8.0;
                redis.zadd(key("zset"), score, member);
                zset.put(member, score);
            } else if (choice < 85) {
                String member = "member:" + random.nextInt(FIELDS);
                expect(String.valueOf(redis.zscore(key("zset"), member)), String.valueOf(zset.get(member)), "ZSCORE");
            } else if (choice < 92) {
                // Keys that expire on their own, so that expiry runs all along; not in the model.
                redis.set(key("ephemeral:" + random.nextInt(STRINGS)), "soon gone",
                        SetArgs.Builder.px(1 + random.nextInt(500)));
            } else if (choice < 95) {
                expectError(() -> redis.lpush(key("text"), "x"),
                        "WRONGTYPE Operation against a key holding the wrong kind of value");
            } else if (choice < 97) {
                expectError(() -> redis.incr(key("text")), "ERR value is not an integer or out of range");
            } else {
                expect(redis.lrange(key("list"), 0, -1), List.copyOf(list), "LRANGE");
            }
        }

        /** An error the client caused on purpose. */
        private void expectError(Runnable command, String expected) {
            try {
                command.run();
                failures.add("no error where " + expected + " was due");
            } catch (RedisCommandExecutionException e) {
                if (!expected.equals(e.getMessage())) {
                    failures.add("error " + e.getMessage() + ", expected " + expected);
                }
            }
        }

        void verify(RedisCommands<String, String> redis, String when) {
            for (Map.Entry<String, String> entry : strings.entrySet()) {
                assertEquals(entry.getValue(), redis.get(entry.getKey()), entry.getKey() + " " + when);
            }
            assertEquals(Long.toString(counter), redis.get(key("counter")), "the counter " + when);
            assertEquals(List.copyOf(list), redis.lrange(key("list"), 0, -1), "the list " + when);
            assertEquals(hash, redis.hgetall(key("hash")), "the hash " + when);
            Map<String, Double> scores = new HashMap<>();
            for (ScoredValue<String> scored : redis.zrangeWithScores(key("zset"), 0, -1)) {
                scores.put(scored.getValue(), scored.getScore());
            }
            assertEquals(zset, scores, "the sorted set " + when);
        }
    }
}
