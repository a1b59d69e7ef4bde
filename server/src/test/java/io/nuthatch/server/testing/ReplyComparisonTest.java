package io.nuthatch.server.testing;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What each comparison keeps of a reply, and how a failed one is shown. */
class ReplyComparisonTest {
    private static final ReplyComparison.ConnectionNames PORTS = Map.of(50001, "A", 50002, "B")::get;

    private static byte[] bulk(String prefix, String text) {
        return (prefix + text.length() + "\r\n" + text + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    private static final String LIST = "id=7 addr=127.0.0.1:50001 laddr=127.0.0.1:6379 name=first flags=N db=0 cmd=client|list\n"
            + "id=8 addr=127.0.0.1:49999 laddr=127.0.0.1:6379 name=other flags=N db=0 cmd=ping\n"
            + "id=9 addr=127.0.0.1:50002 laddr=127.0.0.1:6379 name=second flags=e db=3 cmd=select\n";

    @Test
    void clientFieldsKeepTheCasesConnectionsByNameWithTheFieldsAsked() {
        ReplyComparison fields = new ReplyComparison.ClientFields(List.of("name", "db", "flags", "lib-name"));
        String expected = "$\n@A name=first db=0 flags=N lib-name=<absent>\n@B name=second db=3 flags=e lib-name=<absent>";
        assertEquals(expected, fields.comparable(bulk("$", LIST), PORTS));
        assertEquals("=" + expected.substring(1), fields.comparable(bulk("=", "txt:" + LIST), PORTS),
                "RESP3's verbatim text, without its format");
        assertEquals("-ERR x\\r\\n", fields.comparable("-ERR x\r\n".getBytes(StandardCharsets.ISO_8859_1), PORTS),
                "an error is compared whole");
    }

    @Test
    void clientFieldsStillSeeADifferenceInAFieldAsked() {
        ReplyComparison fields = new ReplyComparison.ClientFields(List.of("db"));
        String other = LIST.replace("db=3", "db=4");
        assertNotEquals(fields.comparable(bulk("$", LIST), PORTS), fields.comparable(bulk("$", other), PORTS));
        assertEquals(fields.comparable(bulk("$", LIST), PORTS),
                fields.comparable(bulk("$", LIST.replace("id=9", "id=90")), PORTS), "a field not asked");
    }

    @Test
    void masksReplaceOnlyWhatTheyMatch() {
        ReplyComparison mask = new ReplyComparison.Masked(Pattern.compile("\\d{10}\\.\\d{6}"));
        byte[] first = "+1796080322.748900 [0 127.0.0.1:5] \"GET\" \"k\"\r\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] later = "+1796080399.000001 [0 127.0.0.1:5] \"GET\" \"k\"\r\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] other = "+1796080399.000001 [0 127.0.0.1:5] \"SET\" \"k\"\r\n".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(mask.comparable(first, PORTS), mask.comparable(later, PORTS));
        assertNotEquals(mask.comparable(first, PORTS), mask.comparable(other, PORTS));
    }

    @Test
    void aFailureShowsBothRepliesOneValuePerLineAndTheirBytes() {
        CaseConnections reference = new CaseConnections("redis-server", 1, 3);
        CaseConnections candidate = new CaseConnections("nuthatch", 1, 3);
        byte[] expected = "%1\r\n$5\r\nflags\r\n~2\r\n+on\r\n+bcast\r\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] actual = "%1\r\n$5\r\nflags\r\n~1\r\n+on\r\n".getBytes(StandardCharsets.ISO_8859_1);
        AssertionFailedError failure = assertThrows(AssertionFailedError.class, () -> Differential.compare(
                "line 9: CLIENT TRACKINGINFO (RESP3)", new ReplyComparison.Exact(), expected, actual, reference, candidate));
        String message = failure.getMessage();
        assertTrue(message.startsWith("line 9: CLIENT TRACKINGINFO (RESP3)\nredis-server:\n    %1\n      $\"flags\"\n"
                + "      ~2\n        +on\n        +bcast\nnuthatch:\n    %1\n      $\"flags\"\n      ~1\n        +on\n"),
                message);
        assertTrue(message.contains("bytes:\n  %1\\r\\n$5\\r\\nflags"), message);
        Differential.compare("same", new ReplyComparison.Unordered(UnorderedReply.Levels.parse(List.of("deep"))),
                expected, "%1\r\n$5\r\nflags\r\n~2\r\n+bcast\r\n+on\r\n".getBytes(StandardCharsets.ISO_8859_1),
                reference, candidate);
    }
}
