package io.nuthatch.server.clients;

import io.nuthatch.server.NuthatchServer;
import io.nuthatch.server.testing.ReferencePair;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RBucket;
import org.redisson.api.RLock;
import org.redisson.api.RMap;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Redisson, as Java applications use it against Redis, run against Nuthatch: its locks are Lua
 * scripts over hashes, its fair lock adds a list and a sorted set, its lock release and its topic
 * are pub/sub, its map and bucket are plain hash and string commands with its own codec. Nothing
 * here is configured for Nuthatch; a server that answered one of those scripts or commands
 * differently from Redis would show as a lock taken twice, a waiter never woken or a lost message.
 */
class RedissonClientTest {
    private static final int THREADS = 6;

    private static NuthatchServer server;
    private static RedissonClient redisson;

    @BeforeAll
    static void start() {
        server = ReferencePair.startNuthatch();
        Config config = new Config();
        config.useSingleServer()
                .setAddress("redis://127.0.0.1:" + server.port())
                .setConnectionMinimumIdleSize(2)
                .setConnectionPoolSize(THREADS * 2)
                .setSubscriptionConnectionMinimumIdleSize(1)
                .setTimeout(10_000);
        redisson = Redisson.create(config);
    }

    @AfterAll
    static void stop() {
        redisson.shutdown();
        server.close();
    }

    @Test
    void theLockIsHeldByOneThreadAtATimeAndWaitersAreWokenByTheRelease() throws Exception {
        RLock lock = redisson.getLock("redisson:lock");
        RMap<String, Integer> counters = redisson.getMap("redisson:counters");
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        int rounds = 20;
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                workers.add(pool.submit(() -> {
                    for (int i = 0; i < rounds; i++) {
                        // A wait far longer than the test: a waiter that misses the release's
                        // message still gets the lock by polling, so count on the timing instead.
                        assertTrue(lock.tryLock(30, 10, TimeUnit.SECONDS), "the lock was never granted");
                        try {
                            if (inside.incrementAndGet() != 1) {
                                overlaps.incrementAndGet();
                            }
                            Integer before = counters.get("count");
                            counters.put("count", before == null ? 1 : before + 1);
                            inside.decrementAndGet();
                        } finally {
                            lock.unlock();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(0, overlaps.get(), "two threads were inside the lock at once");
        assertEquals(THREADS * rounds, counters.get("count"), "an update made under the lock was lost");
        assertFalse(lock.isLocked());
    }

    @Test
    void aLockIsReentrantAndItsLeaseExpiresWhenItsHolderForgetsIt() throws Exception {
        RLock lock = redisson.getLock("redisson:lease");
        lock.lock(800, TimeUnit.MILLISECONDS);
        lock.lock(800, TimeUnit.MILLISECONDS);
        assertEquals(2, lock.getHoldCount());
        assertTrue(lock.isHeldByCurrentThread());
        long remaining = lock.remainTimeToLive();
        assertTrue(remaining > 0 && remaining <= 800, "lease left: " + remaining + " ms");

        // Another thread cannot take it now, and can once the lease has run out on the server.
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            assertFalse(other.submit(() -> lock.tryLock()).get(10, TimeUnit.SECONDS));
            assertTrue(other.submit(() -> {
                boolean taken = lock.tryLock(10, 5, TimeUnit.SECONDS);
                if (taken) {
                    lock.unlock();
                }
                return taken;
            }).get(20, TimeUnit.SECONDS), "the lease never expired");
        } finally {
            other.shutdownNow();
        }
        assertFalse(lock.isLocked());
    }

    @Test
    void aFairLockGrantsWaitersInTheOrderTheyCame() throws Exception {
        RLock fair = redisson.getFairLock("redisson:fair");
        fair.lock();
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> waiters = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int id = t;
                waiters.add(pool.submit(() -> {
                    assertTrue(fair.tryLock(60, 10, TimeUnit.SECONDS), "waiter " + id + " never got the lock");
                    try {
                        order.add(id);
                    } finally {
                        fair.unlock();
                    }
                    return null;
                }));
                // The fair lock queues waiters in a list and a sorted set by arrival: let each one
                // reach the queue before the next starts.
                awaitQueueLength("redisson_lock_queue:{redisson:fair}", t + 1);
            }
            fair.unlock();
            for (Future<?> waiter : waiters) {
                waiter.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        List<Integer> expected = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            expected.add(t);
        }
        assertEquals(expected, order);
    }

    private static void awaitQueueLength(String queue, int length) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (redisson.getList(queue, StringCodec.INSTANCE).size() < length) {
            assertTrue(System.nanoTime() < deadline, "a waiter never joined " + queue);
            Thread.sleep(10);
        }
    }

    @Test
    void mapsAndBucketsKeepTheirValuesAndTimesToLive() throws Exception {
        RMap<String, String> map = redisson.getMap("redisson:map", StringCodec.INSTANCE);
        map.put("a", "1");
        map.putAll(Map.of("b", "2", "c", "3"));
        assertEquals("1", map.putIfAbsent("a", "other"));
        assertEquals(3, map.size());
        assertEquals(Map.of("a", "1", "b", "2", "c", "3"), map.readAllMap());
        map.fastRemove("b");
        assertNull(map.get("b"));

        RBucket<String> bucket = redisson.getBucket("redisson:bucket", StringCodec.INSTANCE);
        bucket.set("value", Duration.ofSeconds(100));
        assertEquals("value", bucket.get());
        long ttl = bucket.remainTimeToLive();
        assertTrue(ttl > 90_000 && ttl <= 100_000, "ttl " + ttl);
        assertFalse(bucket.setIfAbsent("other"));
        assertTrue(bucket.compareAndSet("value", "next"));
        assertEquals("next", bucket.getAndDelete());
        assertFalse(bucket.isExists());
    }

    @Test
    void aTopicDeliversEveryMessageToEverySubscriberInOrder() throws Exception {
        RTopic topic = redisson.getTopic("redisson:topic", StringCodec.INSTANCE);
        int messages = 200;
        BlockingQueue<String> first = new LinkedBlockingQueue<>();
        BlockingQueue<String> second = new LinkedBlockingQueue<>();
        int firstListener = topic.addListener(String.class, (channel, message) -> first.add(message));
        int secondListener = topic.addListener(String.class, (channel, message) -> second.add(message));
        assertEquals(1, topic.countSubscribers(), "both listeners share one subscription");
        for (int i = 0; i < messages; i++) {
            assertEquals(1, topic.publish("message " + i));
        }
        for (BlockingQueue<String> received : List.of(first, second)) {
            for (int i = 0; i < messages; i++) {
                assertEquals("message " + i, received.poll(10, TimeUnit.SECONDS));
            }
        }
        topic.removeListener(firstListener, secondListener);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (topic.countSubscribers() != 0) {
            assertTrue(System.nanoTime() < deadline, "the subscription was never dropped");
            Thread.sleep(10);
        }
    }
}
