package io.nuthatch.server.command.server;

import io.netty.channel.epoll.Epoll;
import io.nuthatch.server.keyspace.KeyEntry;
import io.nuthatch.server.testing.EmbeddedNuthatch;
import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.ReferencePair;
import io.nuthatch.server.testing.Resp;
import io.nuthatch.server.testing.RespValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CLIENT LIST, INFO, KILL, SETINFO, NO-TOUCH: what a byte comparison with redis-server cannot check. */
class ClientConnectionsTest {
    @RegisterExtension
    static final EmbeddedNuthatch nuthatch = new EmbeddedNuthatch();

    private static String text(byte[] reply) {
        return (String) RespValue.parse(reply);
    }

    private static long integer(byte[] reply) {
        return (Long) RespValue.parse(reply);
    }

    /** The fields of one CLIENT LIST line, in order. */
    private static Map<String, String> fields(String line) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String field : line.strip().split(" ")) {
            int equals = field.indexOf('=');
            fields.put(field.substring(0, equals), field.substring(equals + 1));
        }
        return fields;
    }

    private static List<Map<String, String>> lines(String list) {
        List<Map<String, String>> lines = new ArrayList<>();
        for (String line : list.split("\n")) {
            if (!line.isEmpty()) {
                lines.add(fields(line));
            }
        }
        return lines;
    }

    @Test
    void clientInfoHasTheFieldsOfRedisInItsOrderThenTheLibraryFields() throws IOException {
        List<String> expected;
        try (RawConnection redis = new RawConnection(ReferencePair.shared().redisPort())) {
            expected = new ArrayList<>(fields(text(redis.call("CLIENT", "INFO"))).keySet());
        }
        expected.add("lib-name");
        expected.add("lib-ver");
        try (RawConnection client = nuthatch.connect()) {
            assertEquals(expected, new ArrayList<>(fields(text(client.call("CLIENT", "INFO"))).keySet()));
        }
    }

    @Test
    void clientInfoDescribesTheConnection() throws IOException {
        try (RawConnection client = nuthatch.connect()) {
            long id = integer(client.call("CLIENT", "ID"));
            client.call("CLIENT", "SETNAME", "worker-1");
            client.call("SELECT", "2");
            client.call("HELLO", "3");
            Map<String, String> info = fields(text(client.call("CLIENT", "INFO")));
            assertEquals(Long.toString(id), info.get("id"));
            assertEquals("127.0.0.1:" + client.socket().getLocalPort(), info.get("addr"));
            assertEquals("127.0.0.1:" + nuthatch.server().port(), info.get("laddr"));
            assertEquals("worker-1", info.get("name"));
            assertEquals("2", info.get("db"));
            assertEquals("3", info.get("resp"));
            assertEquals("client|info", info.get("cmd"));
            assertEquals("N", info.get("flags"));
            assertEquals("default", info.get("user"));
            assertEquals("10", info.get("argv-mem"), "CLIENT INFO is 6 + 4 bytes of arguments");
            assertEquals("-1", info.get("multi"));
            assertEquals("r", info.get("events"));
            assertTrue(Long.parseLong(info.get("age")) >= 0);
            assertTrue(Long.parseLong(info.get("idle")) >= 0);
            assertTrue(Long.parseLong(info.get("rbs")) > 0, "the reply buffer of the running command");
            assertTrue(Long.parseLong(info.get("tot-mem")) >= Long.parseLong(info.get("rbs")));
            int fd = Integer.parseInt(info.get("fd"));
            if (Epoll.isAvailable()) {
                assertTrue(fd > 2, "a socket's descriptor: " + fd);
            } else {
                assertEquals(-1, fd);
            }
        }
    }

    @Test
    void clientListShowsEveryConnectionOrTheOnesAsked() throws IOException {
        try (RawConnection first = nuthatch.connect(); RawConnection second = nuthatch.connect()) {
            long firstId = integer(first.call("CLIENT", "ID"));
            long secondId = integer(second.call("CLIENT", "ID"));
            List<String> ids = lines(text(first.call("CLIENT", "LIST"))).stream().map(f -> f.get("id")).toList();
            assertTrue(ids.containsAll(List.of(Long.toString(firstId), Long.toString(secondId))), ids.toString());
            List<Map<String, String>> asked = lines(text(first.call("CLIENT", "LIST", "ID",
                    Long.toString(secondId), "999999999", Long.toString(secondId))));
            assertEquals(2, asked.size(), "an id given twice is listed twice, an unknown one not at all");
            assertEquals(Long.toString(secondId), asked.get(0).get("id"));
            assertEquals("client|id", asked.get(0).get("cmd"), "the last command the other client ran");
        }
    }

    @Test
    void clientKillByAddressClosesTheOtherConnection() throws IOException {
        try (RawConnection killer = nuthatch.connect(); RawConnection victim = nuthatch.connect()) {
            String address = fields(text(victim.call("CLIENT", "INFO"))).get("addr");
            assertEquals("+OK\\r\\n", Resp.escape(killer.call("CLIENT", "KILL", address)));
            assertTrue(victim.isClosedByServer(5000));
            assertFalse(text(killer.call("CLIENT", "LIST")).contains("addr=" + address + " "));
            assertEquals("-ERR No such client\\r\\n", Resp.escape(killer.call("CLIENT", "KILL", address)));
        }
    }

    @Test
    void clientKillByIdCountsTheConnectionsClosed() throws IOException {
        try (RawConnection killer = nuthatch.connect(); RawConnection victim = nuthatch.connect()) {
            long victimId = integer(victim.call("CLIENT", "ID"));
            assertEquals(1, integer(killer.call("CLIENT", "KILL", "ID", Long.toString(victimId))));
            assertTrue(victim.isClosedByServer(5000));
            assertEquals(0, integer(killer.call("CLIENT", "KILL", "ID", Long.toString(victimId))));
            assertEquals("+PONG\\r\\n", Resp.escape(killer.call("PING")));
        }
    }

    @Test
    void clientKillSkipsTheCallerUnlessToldNotTo() throws IOException {
        try (RawConnection caller = nuthatch.connect()) {
            long id = integer(caller.call("CLIENT", "ID"));
            assertEquals(0, integer(caller.call("CLIENT", "KILL", "ID", Long.toString(id))));
            assertEquals(1, integer(caller.call("CLIENT", "KILL", "ID", Long.toString(id), "SKIPME", "no")));
            assertTrue(caller.isClosedByServer(5000), "closed after its reply");
        }
    }

    @Test
    void clientKillByLocalAddressAndUser() throws IOException {
        try (RawConnection killer = nuthatch.connect(); RawConnection victim = nuthatch.connect()) {
            long victimId = integer(victim.call("CLIENT", "ID"));
            String id = Long.toString(victimId);
            assertEquals(0, integer(killer.call("CLIENT", "KILL", "ID", id, "LADDR", "127.0.0.1:1")));
            assertEquals(1, integer(killer.call("CLIENT", "KILL", "ID", id, "LADDR", "127.0.0.1:" + nuthatch.server().port(),
                    "USER", "default", "TYPE", "normal")));
            assertTrue(victim.isClosedByServer(5000));
        }
    }

    @Test
    void clientKillMaxAgeClosesConnectionsAtLeastThatOld() throws Exception {
        try (RawConnection killer = nuthatch.connect(); RawConnection victim = nuthatch.connect()) {
            String id = Long.toString(integer(victim.call("CLIENT", "ID")));
            assertEquals("-ERR maxage is not an integer or out of range\\r\\n",
                    Resp.escape(killer.call("CLIENT", "KILL", "MAXAGE", "x")));
            assertEquals("-ERR maxage should be greater than 0\\r\\n",
                    Resp.escape(killer.call("CLIENT", "KILL", "MAXAGE", "0")));
            assertEquals(0, integer(killer.call("CLIENT", "KILL", "ID", id, "MAXAGE", "3600")));
            long deadline = System.nanoTime() + 10_000_000_000L;
            long killed = 0;
            while (killed == 0 && System.nanoTime() < deadline) {
                Thread.sleep(100);
                killed = integer(killer.call("CLIENT", "KILL", "ID", id, "MAXAGE", "1"));
            }
            assertEquals(1, killed);
            assertTrue(victim.isClosedByServer(5000));
        }
    }

    @Test
    void clientSetInfoRecordsTheLibraryAsRedis72Does() throws IOException {
        try (RawConnection client = nuthatch.connect()) {
            assertEquals("+OK\\r\\n", Resp.escape(client.call("CLIENT", "SETINFO", "LIB-NAME", "lettuce")));
            assertEquals("+OK\\r\\n", Resp.escape(client.call("CLIENT", "SETINFO", "lib-ver", "6.3.0")));
            Map<String, String> info = fields(text(client.call("CLIENT", "INFO")));
            assertEquals("lettuce", info.get("lib-name"));
            assertEquals("6.3.0", info.get("lib-ver"));
            assertEquals("-ERR lib-ver cannot contain spaces, newlines or special characters.\\r\\n",
                    Resp.escape(client.call("CLIENT", "SETINFO", "lib-ver", "6 3")));
            assertEquals("-ERR LIB-NAME cannot contain spaces, newlines or special characters.\\r\\n",
                    Resp.escape(client.call("CLIENT", "SETINFO", "LIB-NAME", "a\nb")));
            assertEquals("-ERR Unrecognized option 'lib-foo'\\r\\n",
                    Resp.escape(client.call("CLIENT", "SETINFO", "lib-foo", "x")));
            assertEquals("-ERR wrong number of arguments for 'client|setinfo' command\\r\\n",
                    Resp.escape(client.call("CLIENT", "SETINFO", "lib-name")));
            assertEquals("+RESET\\r\\n", Resp.escape(client.call("RESET")));
            assertEquals("lettuce", fields(text(client.call("CLIENT", "INFO"))).get("lib-name"),
                    "RESET keeps the library, which still describes the client");
            client.call("CLIENT", "SETINFO", "LIB-NAME", "");
            assertEquals("", fields(text(client.call("CLIENT", "INFO"))).get("lib-name"));
        }
    }

    @Test
    void clientNoEvictAndNoTouchShowAsFlagsUntilReset() throws IOException {
        try (RawConnection client = nuthatch.connect()) {
            client.call("CLIENT", "NO-EVICT", "on");
            assertEquals("e", fields(text(client.call("CLIENT", "INFO"))).get("flags"));
            assertEquals("+OK\\r\\n", Resp.escape(client.call("CLIENT", "NO-TOUCH", "ON")));
            assertEquals("eT", fields(text(client.call("CLIENT", "INFO"))).get("flags"));
            assertEquals("-ERR syntax error\\r\\n", Resp.escape(client.call("CLIENT", "NO-TOUCH", "maybe")));
            client.call("RESET");
            assertEquals("N", fields(text(client.call("CLIENT", "INFO"))).get("flags"));
        }
    }

    @Test
    void clientNoTouchLeavesTheAccessTimeOfKeys() throws IOException {
        try (RawConnection client = nuthatch.connect()) {
            client.call("SET", "touch-key", "v");
            ageKey("touch-key");
            client.call("CLIENT", "NO-TOUCH", "on");
            client.call("GET", "touch-key");
            assertEquals(0, accessClock("touch-key"), "NO-TOUCH on: GET leaves the access time");
            client.call("CLIENT", "NO-TOUCH", "off");
            client.call("GET", "touch-key");
            assertNotEquals(0, accessClock("touch-key"), "NO-TOUCH off: GET updates it");
        }
    }

    private static void ageKey(String key) {
        ReentrantLock lock = nuthatch.server().engine().lock();
        lock.lock();
        try {
            nuthatch.server().engine().keyspace().database(0).peek(key.getBytes(StandardCharsets.US_ASCII)).accessClock(0);
        } finally {
            lock.unlock();
        }
    }

    private static int accessClock(String key) {
        ReentrantLock lock = nuthatch.server().engine().lock();
        lock.lock();
        try {
            KeyEntry entry = nuthatch.server().engine().keyspace().database(0).peek(key.getBytes(StandardCharsets.US_ASCII));
            return entry.accessClock();
        } finally {
            lock.unlock();
        }
    }
}
