package io.nuthatch.server.command.key;

import io.nuthatch.server.Engine;
import io.nuthatch.server.NuthatchServer;
import io.nuthatch.server.keyspace.AccessFrequency;
import io.nuthatch.server.keyspace.KeyEntry;
import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.ReferencePair;
import io.nuthatch.server.testing.Resp;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * OBJECT IDLETIME, FREQ and REFCOUNT, whose answers depend on time, configuration and the
 * client's NO-TOUCH mode: checked on an embedded server whose access clocks the test sets.
 * The expected figures were taken from redis-server 7.0.15 under the same settings.
 */
class ObjectCommandsTest {

    private static String call(RawConnection connection, String... arguments) throws IOException {
        return Resp.escape(connection.call(arguments));
    }

    private static long integer(RawConnection connection, String... arguments) throws IOException {
        String reply = call(connection, arguments);
        assertTrue(reply.startsWith(":"), String.join(" ", arguments) + " replied " + reply);
        return Long.parseLong(reply.substring(1, reply.length() - 4));
    }

    private static void withEntry(Engine engine, String key, Consumer<KeyEntry> action) {
        engine.lock().lock();
        try {
            action.accept(engine.keyspace().database(0).peek(key.getBytes(StandardCharsets.ISO_8859_1)));
        } finally {
            engine.lock().unlock();
        }
    }

    private static void ageBy(Engine engine, String key, int seconds) {
        withEntry(engine, key, e -> e.accessClock((engine.lruClock() - seconds) & Engine.LRU_CLOCK_MAX));
    }

    @Test
    void idletimeCountsSecondsSinceTheLastAccess() throws Exception {
        try (NuthatchServer server = ReferencePair.startNuthatch();
             RawConnection connection = new RawConnection(server.port())) {
            Engine engine = server.engine();
            call(connection, "SET", "k", "v");
            assertEquals(0, integer(connection, "OBJECT", "IDLETIME", "k"));
            ageBy(engine, "k", 100);
            long idle = integer(connection, "OBJECT", "IDLETIME", "k");
            assertTrue(idle == 100 || idle == 101, "idle " + idle);
            // Looking does not touch: OBJECT, TYPE, EXISTS, TTL leave the clock alone.
            call(connection, "TYPE", "k");
            call(connection, "EXISTS", "k");
            call(connection, "TTL", "k");
            call(connection, "OBJECT", "ENCODING", "k");
            assertTrue(integer(connection, "OBJECT", "IDLETIME", "k") >= 100);
            call(connection, "GET", "k");
            assertEquals(0, integer(connection, "OBJECT", "IDLETIME", "k"));
        }
    }

    @Test
    void idletimeAcrossTheWrapOfTheClock() throws Exception {
        try (NuthatchServer server = ReferencePair.startNuthatch();
             RawConnection connection = new RawConnection(server.port())) {
            Engine engine = server.engine();
            call(connection, "SET", "k", "v");
            // A clock ahead of now means the 24-bit clock wrapped since the access.
            withEntry(engine, "k", e -> e.accessClock((engine.lruClock() + 10) & Engine.LRU_CLOCK_MAX));
            long idle = integer(connection, "OBJECT", "IDLETIME", "k");
            assertTrue(idle >= Engine.LRU_CLOCK_MAX - 10 && idle <= Engine.LRU_CLOCK_MAX - 9, "idle " + idle);
        }
    }

    @Test
    void writesAndCopiesResetTheClock() throws Exception {
        try (NuthatchServer server = ReferencePair.startNuthatch();
             RawConnection connection = new RawConnection(server.port())) {
            Engine engine = server.engine();
            call(connection, "SET", "a", "v");
            ageBy(engine, "a", 50);
            call(connection, "SET", "a", "w");
            assertEquals(0, integer(connection, "OBJECT", "IDLETIME", "a"));
            call(connection, "SET", "b", "v");
            ageBy(engine, "b", 50);
            call(connection, "COPY", "b", "c");
            assertEquals(0, integer(connection, "OBJECT", "IDLETIME", "c"));
            // COPY reads its source as any read does.
            assertEquals(0, integer(connection, "OBJECT", "IDLETIME", "b"));
        }
    }

    @Test
    void noTouchClientsDoNotTouchButTouchStillDoes() throws Exception {
        try (NuthatchServer server = ReferencePair.startNuthatch();
             RawConnection quiet = new RawConnection(server.port())) {
            Engine engine = server.engine();
            call(quiet, "PING");
            engine.lock().lock();
            try {
                engine.clients().all().iterator().next().noTouch(true);
            } finally {
                engine.lock().unlock();
            }
            call(quiet, "SET", "k", "v");
            call(quiet, "SET", "other", "v");
            ageBy(engine, "k", 100);
            ageBy(engine, "other", 100);
            call(quiet, "GET", "k");
            call(quiet, "EXPIRE", "k", "1000");
            assertTrue(integer(quiet, "OBJECT", "IDLETIME", "k") >= 100, "a NO-TOUCH client touched the key");
            assertEquals(2, integer(quiet, "TOUCH", "k", "missing", "other"));
            assertEquals(0, integer(quiet, "OBJECT", "IDLETIME", "k"));
            assertEquals(0, integer(quiet, "OBJECT", "IDLETIME", "other"));
        }
    }

    @Test
    void renameAndMoveKeepTheClock() throws Exception {
        try (NuthatchServer server = ReferencePair.startNuthatch();
             RawConnection quiet = new RawConnection(server.port())) {
            Engine engine = server.engine();
            call(quiet, "PING");
            engine.lock().lock();
            try {
                engine.clients().all().iterator().next().noTouch(true);
            } finally {
                engine.lock().unlock();
            }
            call(quiet, "SET", "a", "v");
            ageBy(engine, "a", 70);
            call(quiet, "RENAME", "a", "b");
            assertTrue(integer(quiet, "OBJECT", "IDLETIME", "b") >= 70);
            call(quiet, "MOVE", "b", "1");
            call(quiet, "SELECT", "1");
            assertTrue(integer(quiet, "OBJECT", "IDLETIME", "b") >= 70);
        }
    }

    @Test
    void underAnLfuPolicyFreqCountsAndIdletimeIsRefused() throws Exception {
        try (NuthatchServer server = ReferencePair.startNuthatch("maxmemory-policy", "allkeys-lfu");
             RawConnection connection = new RawConnection(server.port())) {
            Engine engine = server.engine();
            call(connection, "SET", "k", "v");
            assertEquals(AccessFrequency.INITIAL_COUNTER, integer(connection, "OBJECT", "FREQ", "k"));
            call(connection, "GET", "k");
            // The first access above the initial value always counts.
            assertEquals(6, integer(connection, "OBJECT", "FREQ", "k"));
            assertEquals("-ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when"
                    + " switching between policies at runtime LRU and LFU data will take some time to adjust.\\r\\n",
                    call(connection, "OBJECT", "IDLETIME", "k"));
            assertEquals("$-1\\r\\n", call(connection, "OBJECT", "FREQ", "missing"));

            // The counter loses one per minute without access.
            int minutes = AccessFrequency.minutes(System.currentTimeMillis());
            withEntry(engine, "k", e -> e.accessClock(((minutes - 3) & 0xffff) << 8 | 20));
            long decayed = integer(connection, "OBJECT", "FREQ", "k");
            assertTrue(decayed == 17 || decayed == 16, "decayed to " + decayed);
            withEntry(engine, "k", e -> e.accessClock(((minutes - 100) & 0xffff) << 8 | 20));
            assertEquals(0, integer(connection, "OBJECT", "FREQ", "k"));

            // A moved key keeps its counter; a copy starts anew; an overwrite keeps the old one.
            withEntry(engine, "k", e -> e.accessClock(minutes << 8 | 40));
            call(connection, "RENAME", "k", "r");
            assertEquals(40, integer(connection, "OBJECT", "FREQ", "r"));
            call(connection, "COPY", "r", "c");
            assertEquals(AccessFrequency.INITIAL_COUNTER, integer(connection, "OBJECT", "FREQ", "c"));
            call(connection, "SET", "r", "new value");
            long afterOverwrite = integer(connection, "OBJECT", "FREQ", "r");
            assertTrue(afterOverwrite == 40 || afterOverwrite == 41, "after overwrite " + afterOverwrite);
        }
    }

    @Test
    void refcountOfSharedIntegersDependsOnThePolicy() throws Exception {
        String[][] settings = {
            {"maxmemory", "0", "maxmemory-policy", "allkeys-lru"},
            {"maxmemory", "100mb", "maxmemory-policy", "volatile-ttl"},
            {"maxmemory", "100mb", "maxmemory-policy", "allkeys-random"},
            {"maxmemory", "100mb", "maxmemory-policy", "volatile-lru"},
            {"maxmemory", "100mb", "maxmemory-policy", "allkeys-lfu"},
        };
        long[] expected = {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, 1, 1};
        for (int i = 0; i < settings.length; i++) {
            try (NuthatchServer server = ReferencePair.startNuthatch(settings[i]);
                 RawConnection connection = new RawConnection(server.port())) {
                call(connection, "SET", "n", "5");
                assertEquals(expected[i], integer(connection, "OBJECT", "REFCOUNT", "n"), String.join(" ", settings[i]));
                call(connection, "SET", "big", "10000");
                assertEquals(1, integer(connection, "OBJECT", "REFCOUNT", "big"));
            }
        }
    }

    @Test
    void helpListsEverySubcommandAsStatusLines() throws Exception {
        try (NuthatchServer server = ReferencePair.startNuthatch();
             RawConnection connection = new RawConnection(server.port())) {
            for (String hello : new String[] {"2", "3"}) {
                connection.call("HELLO", hello);
                String help = call(connection, "OBJECT", "HELP");
                assertTrue(help.startsWith("*14\\r\\n+OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"),
                        help);
                for (String line : new String[] {"+ENCODING <key>", "+FREQ <key>", "+IDLETIME <key>",
                        "+REFCOUNT <key>", "+HELP\\r\\n+    Print this help.\\r\\n"}) {
                    assertTrue(help.contains("\\n" + line), line + " missing from " + help);
                }
                assertEquals(help, call(connection, "object", "help"));
            }
        }
    }
}
