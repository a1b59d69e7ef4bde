package io.nuthatch.server.keyspace;

import io.nuthatch.server.Engine;
import io.nuthatch.server.NuthatchServer;
import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.ReferencePair;
import io.nuthatch.server.testing.Resp;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.ToLongFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Active expiry: keys nobody touches after their time are deleted and their memory comes back. */
class ExpiryCycleTest {
    private static final int KEYS = 10_000;
    private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(10);

    @Test
    void untouchedExpiredKeysAreDeletedAndTheirMemoryReturns() throws Exception {
        try (NuthatchServer server = ReferencePair.startNuthatch();
             RawConnection connection = new RawConnection(server.port())) {
            Engine engine = server.engine();
            assertEquals("+OK\\r\\n", Resp.escape(connection.call("SET", "keep", "forever")));
            long baseline = read(engine, e -> e.keyspace().database(0).datasetMemory());
            long expiredBefore = read(engine, e -> e.stats().expiredKeys);

            setAll(connection);
            // The pipeline may take longer than 100 ms: some keys can be gone already, not all.
            assertTrue(read(engine, e -> e.keyspace().database(0).datasetMemory()) > baseline);

            long deadline = System.nanoTime() + DEADLINE_NANOS;
            while (!Resp.escape(connection.call("DBSIZE")).equals(":1\\r\\n")) {
                assertTrue(System.nanoTime() < deadline, "expired keys still there: " + Resp.escape(connection.call("DBSIZE")));
                Thread.sleep(20);
            }
            assertEquals(baseline, read(engine, e -> e.keyspace().database(0).datasetMemory()));
            assertEquals(0, read(engine, e -> e.keyspace().database(0).expiringCount()));
            // Every key was stored and deleted by expiry, none by a lookup (nothing looked).
            assertEquals(expiredBefore + KEYS, read(engine, e -> e.stats().expiredKeys));
            assertEquals(0, read(engine, e -> e.stats().keyspaceHits + e.stats().keyspaceMisses));
            assertEquals("$7\\r\\nforever\\r\\n", Resp.escape(connection.call("GET", "keep")));
        }
    }

    @Test
    void everyDatabaseIsSwept() throws Exception {
        try (NuthatchServer server = ReferencePair.startNuthatch();
             RawConnection connection = new RawConnection(server.port())) {
            Engine engine = server.engine();
            for (int db : new int[] {3, 15}) {
                connection.call("SELECT", Integer.toString(db));
                for (int i = 0; i < 100; i++) {
                    connection.call("SET", "k" + i, "v", "PX", "50");
                }
            }
            long deadline = System.nanoTime() + DEADLINE_NANOS;
            while (read(engine, e -> e.keyspace().size()) != 0) {
                assertTrue(System.nanoTime() < deadline, "expired keys left in some database");
                Thread.sleep(20);
            }
            assertEquals(0, read(engine, e -> e.keyspace().datasetMemory()));
        }
    }

    @Test
    void noActiveExpiryWhenDisabledKeysWaitForALookup() throws Exception {
        try (NuthatchServer server = ReferencePair.startNuthatch();
             RawConnection connection = new RawConnection(server.port())) {
            Engine engine = server.engine();
            engine.activeExpiryEnabled(false);
            connection.call("SET", "k", "v", "PX", "20");
            // Long enough for many cron cycles (hz 10); a missing key here means the cycle ran.
            Thread.sleep(400);
            assertEquals(1, read(engine, e -> e.keyspace().database(0).size()));
            assertEquals("$-1\\r\\n", Resp.escape(connection.call("GET", "k")));
            assertEquals(0, read(engine, e -> e.keyspace().database(0).size()));
            assertEquals(0, read(engine, e -> e.keyspace().database(0).datasetMemory()));
        }
    }

    /** Sends KEYS SETs with PX 100 in one pipeline and reads their replies. */
    private static void setAll(RawConnection connection) throws IOException {
        ByteArrayOutputStream pipeline = new ByteArrayOutputStream();
        for (int i = 0; i < KEYS; i++) {
            pipeline.writeBytes(Resp.request("SET", "expiring:" + i, "value-" + i, "PX", "100"));
        }
        connection.send(pipeline.toByteArray());
        for (int i = 0; i < KEYS; i++) {
            assertEquals("+OK\\r\\n", Resp.escape(connection.readReply()));
        }
    }

    private static long read(Engine engine, ToLongFunction<Engine> reader) {
        ReentrantLock lock = engine.lock();
        lock.lock();
        try {
            return reader.applyAsLong(engine);
        } finally {
            lock.unlock();
        }
    }
}
