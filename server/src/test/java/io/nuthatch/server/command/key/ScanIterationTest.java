package io.nuthatch.server.command.key;

import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.ReferencePair;
import io.nuthatch.server.testing.Resp;
import io.nuthatch.server.testing.RespReplyReader;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Full SCAN iterations against redis-server and Nuthatch. Replies of single calls differ, as the
 * two servers hash keys differently; what must agree is what a whole iteration returns, and the
 * guarantee that a key present throughout is returned.
 */
class ScanIterationTest {
    private static final int KEYS = 2000;

    private interface Check {
        void run(RawConnection connection, String server) throws Exception;
    }

    /** Runs the same check against both servers, each on a fresh connection to a flushed server. */
    private static void onBoth(Check check) throws Exception {
        ReferencePair pair = ReferencePair.shared();
        for (int port : new int[] {pair.redisPort(), pair.nuthatchPort()}) {
            try (RawConnection connection = new RawConnection(port)) {
                assertEquals("+OK\\r\\n", Resp.escape(connection.call("FLUSHALL")));
                check.run(connection, port == pair.redisPort() ? "redis-server" : "nuthatch");
            }
        }
    }

    private static void pipeline(RawConnection connection, List<List<String>> commands) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (List<String> command : commands) {
            out.writeBytes(Resp.request(command.toArray(String[]::new)));
        }
        connection.send(out.toByteArray());
        for (List<String> command : commands) {
            byte[] reply = connection.readReply();
            assertTrue(reply[0] != '-', command + " failed: " + Resp.escape(reply));
        }
    }

    /** One SCAN call: the next cursor and the keys. */
    private record Page(String cursor, List<String> keys) {
    }

    private static Page scan(RawConnection connection, String cursor, String... options) throws IOException {
        List<String> arguments = new ArrayList<>(List.of("SCAN", cursor));
        arguments.addAll(List.of(options));
        byte[] reply = connection.call(arguments.stream().map(a -> a.getBytes(StandardCharsets.ISO_8859_1)).toList());
        assertTrue(reply[0] == '*', "SCAN replied " + Resp.escape(reply));
        RespReplyReader reader = new RespReplyReader(new ByteArrayInputStream(reply, 4, reply.length - 4));
        String next = bulk(reader.readReply());
        byte[] array = reader.readReply();
        List<String> keys = new ArrayList<>();
        int headerEnd = indexOfCrLf(array) + 2;
        int count = Integer.parseInt(new String(array, 1, headerEnd - 3, StandardCharsets.US_ASCII));
        RespReplyReader elements = new RespReplyReader(
                new ByteArrayInputStream(array, headerEnd, array.length - headerEnd));
        for (int i = 0; i < count; i++) {
            keys.add(bulk(elements.readReply()));
        }
        return new Page(next, keys);
    }

    private static String bulk(byte[] reply) {
        int headerEnd = indexOfCrLf(reply) + 2;
        return new String(reply, headerEnd, reply.length - headerEnd - 2, StandardCharsets.ISO_8859_1);
    }

    private static int indexOfCrLf(byte[] bytes) {
        for (int i = 0; i + 1 < bytes.length; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                return i;
            }
        }
        throw new IllegalArgumentException("no CRLF in " + Resp.escape(bytes));
    }

    private static Set<String> fullScan(RawConnection connection, String... options) throws IOException {
        Set<String> keys = new HashSet<>();
        String cursor = "0";
        int calls = 0;
        do {
            Page page = scan(connection, cursor, options);
            keys.addAll(page.keys());
            cursor = page.cursor();
            assertTrue(++calls < 100_000, "the iteration does not end");
        } while (!cursor.equals("0"));
        return keys;
    }

    private static List<List<String>> populate() {
        List<List<String>> commands = new ArrayList<>();
        for (int i = 0; i < KEYS; i++) {
            String key = switch (i % 4) {
                case 0 -> "user:" + i;
                case 1 -> "session:" + i;
                case 2 -> "bin\u0000\r\n" + i;
                default -> "x" + i + "y";
            };
            commands.add(List.of("SET", key, "v" + i));
        }
        return commands;
    }

    @Test
    void aFullIterationReturnsWhatRedisReturns() throws Exception {
        String[][] optionSets = {
            {},
            {"COUNT", "1"},
            {"COUNT", "7"},
            {"COUNT", "1000"},
            {"MATCH", "user:*"},
            {"MATCH", "*1?", "COUNT", "3"},
            {"MATCH", "bin\u0000*"},
            {"MATCH", "[us]*:1*", "TYPE", "string"},
            {"TYPE", "string", "COUNT", "50"},
            {"TYPE", "list"},
            {"MATCH", "nothing*", "COUNT", "5"},
        };
        List<List<Set<String>>> results = new ArrayList<>();
        onBoth((connection, server) -> {
            pipeline(connection, populate());
            List<Set<String>> mine = new ArrayList<>();
            for (String[] options : optionSets) {
                mine.add(fullScan(connection, options));
            }
            results.add(mine);
        });
        for (int i = 0; i < optionSets.length; i++) {
            assertEquals(results.get(0).get(i), results.get(1).get(i), "SCAN " + String.join(" ", optionSets[i]));
        }
        assertEquals(KEYS, results.get(1).get(0).size());
        assertEquals(KEYS / 4, results.get(1).get(4).size());
    }

    @Test
    void keysPresentThroughoutAreReturnedWhileOthersComeAndGo() throws Exception {
        onBoth((connection, server) -> {
            pipeline(connection, populate());
            Set<String> stable = new HashSet<>();
            for (List<String> command : populate()) {
                stable.add(command.get(1));
            }
            SplittableRandom random = new SplittableRandom(11);
            Set<String> returned = new HashSet<>();
            List<String> churn = new ArrayList<>();
            int added = 0;
            String cursor = "0";
            do {
                Page page = scan(connection, cursor, "COUNT", "20");
                returned.addAll(page.keys());
                cursor = page.cursor();
                // Grow fast for a while (several table resizes), then delete what was added.
                List<List<String>> changes = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    if (added < 6000) {
                        String key = "churn:" + added++;
                        churn.add(key);
                        changes.add(List.of("SET", key, "v"));
                    } else if (!churn.isEmpty()) {
                        changes.add(List.of("DEL", churn.remove(random.nextInt(churn.size()))));
                    }
                }
                if (!changes.isEmpty()) {
                    pipeline(connection, changes);
                }
            } while (!cursor.equals("0"));
            Set<String> missing = new HashSet<>(stable);
            missing.removeAll(returned);
            assertTrue(missing.isEmpty(), server + " never returned " + missing.size() + " keys: " + missing);
        });
    }

    @Test
    void expiredKeysAreNeitherReturnedNorKept() throws Exception {
        List<Long> sizes = new ArrayList<>();
        List<Set<String>> results = new ArrayList<>();
        onBoth((connection, server) -> {
            List<List<String>> commands = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                commands.add(List.of("SET", "short:" + i, "v", "PX", "1"));
                commands.add(List.of("SET", "long:" + i, "v"));
            }
            pipeline(connection, commands);
            Thread.sleep(20);
            results.add(fullScan(connection, "COUNT", "30"));
            String dbsize = Resp.escape(connection.call("DBSIZE"));
            sizes.add(Long.parseLong(dbsize.substring(1, dbsize.length() - 4)));
        });
        assertEquals(results.get(0), results.get(1));
        assertEquals(500, results.get(1).size());
        assertTrue(results.get(1).stream().allMatch(k -> k.startsWith("long:")));
        assertEquals(List.of(500L, 500L), sizes);
    }
}
