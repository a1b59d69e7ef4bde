package io.nuthatch.server.info;

import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.ReferencePair;
import io.nuthatch.server.testing.Resp;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * INFO against redis-server 7.0.15: the same sections, the same fields in the same order and the
 * same number formats, so that tools reading Redis's INFO by name read ours.
 */
class InfoSectionsTest {
    /** Sections whose field names do not depend on what the server has done. */
    private static final Set<String> FIXED_SECTIONS =
            Set.of("Server", "Clients", "Memory", "Persistence", "Stats", "Replication", "CPU", "Modules", "Cluster");

    private static final Pattern INTEGER = Pattern.compile("-?\\d+");
    private static final Pattern DECIMAL = Pattern.compile("-?\\d+\\.(\\d+)");
    private static final Pattern PERCENT = Pattern.compile("\\d+\\.\\d\\d%");
    private static final Pattern HUMAN = Pattern.compile("\\d+(\\.\\d\\d[KMGTP]|B)");
    private static final Pattern HEX40 = Pattern.compile("[0-9a-f]{40}");

    private final ReferencePair pair = ReferencePair.shared();

    @Test
    void everyFieldRedisPrintsIsPresentInTheSameSectionAndOrder() throws IOException {
        InfoText redis = fetch(pair.redisPort(), "everything");
        InfoText ours = fetch(pair.nuthatchPort(), "everything");
        assertEquals(List.copyOf(redis.sections().keySet()), List.copyOf(ours.sections().keySet()), "sections");
        for (String title : FIXED_SECTIONS) {
            List<String> expected = List.copyOf(redis.section(title).keySet());
            List<String> actual = List.copyOf(ours.section(title).keySet());
            assertTrue(actual.size() >= expected.size(), title + ": missing fields\nredis: " + expected + "\nours:  " + actual);
            // Extras are allowed only after every field Redis prints.
            assertEquals(expected, actual.subList(0, expected.size()), title + ": fields or order differ");
        }
    }

    @Test
    void valuesHaveRedisFormats() throws IOException {
        InfoText redis = fetch(pair.redisPort(), "everything");
        InfoText ours = fetch(pair.nuthatchPort(), "everything");
        List<String> wrong = new ArrayList<>();
        for (String title : FIXED_SECTIONS) {
            for (Map.Entry<String, String> field : redis.section(title).entrySet()) {
                String expected = field.getValue();
                String actual = ours.section(title).get(field.getKey());
                if (actual == null || !sameFormat(expected, actual)) {
                    wrong.add(title + "." + field.getKey() + ": redis '" + expected + "', ours '" + actual + "'");
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    private static boolean sameFormat(String expected, String actual) {
        if (INTEGER.matcher(expected).matches()) {
            return INTEGER.matcher(actual).matches();
        }
        var decimal = DECIMAL.matcher(expected);
        if (decimal.matches()) {
            var ours = DECIMAL.matcher(actual);
            return ours.matches() && ours.group(1).length() == decimal.group(1).length();
        }
        if (PERCENT.matcher(expected).matches()) {
            return PERCENT.matcher(actual).matches();
        }
        if (HUMAN.matcher(expected).matches()) {
            return HUMAN.matcher(actual).matches();
        }
        if (HEX40.matcher(expected).matches()) {
            return HEX40.matcher(actual).matches();
        }
        // Words (redis_mode, maxmemory_policy, statuses) stay words; paths and names may differ.
        return !actual.contains("\r") && !actual.contains("\n");
    }

    @Test
    void sectionArgumentsSelectWhatRedisSelects() throws IOException {
        List<List<String>> requests = List.of(List.of(), List.of("default"), List.of("all"), List.of("everything"),
                List.of("cluster", "server"), List.of("CLUSTER", "Server", "cluster"), List.of("foo"),
                List.of("foo", "bar"), List.of("default", "commandstats"), List.of("all", "nosuchsection"),
                List.of("commandstats", "latencystats", "errorstats"), List.of("modules"), List.of("keyspace"),
                List.of("cpu", "memory", "everything"));
        for (List<String> request : requests) {
            String[] arguments = request.toArray(String[]::new);
            assertEquals(List.copyOf(fetch(pair.redisPort(), arguments).sections().keySet()),
                    List.copyOf(fetch(pair.nuthatchPort(), arguments).sections().keySet()), "INFO " + request);
        }
    }

    @Test
    void unknownSectionIsAnEmptyBulkString() throws IOException {
        try (RawConnection redis = new RawConnection(pair.redisPort());
             RawConnection ours = new RawConnection(pair.nuthatchPort())) {
            assertEquals(Resp.escape(redis.call("INFO", "nosuchsection")), Resp.escape(ours.call("INFO", "nosuchsection")));
            assertEquals("$0\\r\\n\\r\\n", Resp.escape(ours.call("INFO", "nosuchsection")));
        }
    }

    @Test
    void resp3ReplyIsAVerbatimTextStringFramedAsRedisFramesIt() throws IOException {
        try (RawConnection redis = new RawConnection(pair.redisPort());
             RawConnection ours = new RawConnection(pair.nuthatchPort())) {
            redis.call("HELLO", "3");
            ours.call("HELLO", "3");
            String redisReply = new String(redis.call("INFO", "server"), StandardCharsets.ISO_8859_1);
            String ourReply = new String(ours.call("INFO", "server"), StandardCharsets.ISO_8859_1);
            for (String reply : List.of(redisReply, ourReply)) {
                assertTrue(reply.startsWith("="), "verbatim string: " + reply);
                int headerEnd = reply.indexOf("\r\n");
                int length = Integer.parseInt(reply.substring(1, headerEnd));
                assertEquals("txt:# Server\r\n", reply.substring(headerEnd + 2, headerEnd + 2 + 14));
                assertEquals(reply.length(), headerEnd + 2 + length + 2, "length covers txt: and the text");
                assertTrue(reply.endsWith("\r\n\r\n") && !reply.endsWith("\r\n\r\n\r\n"),
                        "one CRLF ends the last field, one the string");
            }
            // The fixed sections are byte-identical: same framing, same text.
            assertEquals(Resp.escape(redis.call("INFO", "cluster")), Resp.escape(ours.call("INFO", "cluster")));
            assertEquals(Resp.escape(redis.call("INFO", "modules", "cluster")),
                    Resp.escape(ours.call("INFO", "modules", "cluster")));
        }
    }

    private static InfoText fetch(int port, String... sections) throws IOException {
        try (RawConnection connection = new RawConnection(port)) {
            // Activity in every dynamic section, so that their layout is exercised too.
            connection.call("SET", "info-test-key", "v");
            connection.call("GET", "info-test-key");
            connection.call("NOSUCHCOMMAND");
            InfoText info = InfoText.fetch(connection, sections);
            connection.call("FLUSHALL");
            return info;
        }
    }
}
