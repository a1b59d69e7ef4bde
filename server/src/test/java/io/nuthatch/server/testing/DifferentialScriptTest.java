package io.nuthatch.server.testing;

import io.nuthatch.server.testing.DifferentialScript.Action;
import io.nuthatch.server.testing.DifferentialScript.Case;
import io.nuthatch.server.testing.DifferentialScript.Step;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How script lines are read, and the mistakes in scripts that are refused rather than run. */
class DifferentialScriptTest {

    private static Step step(String line) {
        return onlyCase("# case\n" + line + "\n").steps().get(0);
    }

    private static Case onlyCase(String script) {
        List<Case> cases = DifferentialScript.parse(script);
        assertEquals(1, cases.size());
        return cases.get(0);
    }

    private static String refused(String script) {
        return assertThrows(IllegalArgumentException.class, () -> DifferentialScript.parse(script)).getMessage();
    }

    private static List<String> texts(List<byte[]> arguments) {
        return arguments.stream().map(a -> new String(a, StandardCharsets.ISO_8859_1)).toList();
    }

    @Test
    void aPlainLineRunsOnConnectionAAndComparesEveryByte() {
        Step step = step("SET k \"a\\x00b\"");
        assertEquals("A", step.connection());
        assertEquals(Action.CALL, step.action());
        assertEquals(List.of("SET", "k", "a\u0000b"), texts(step.arguments()));
        assertInstanceOf(ReplyComparison.Exact.class, step.comparison());
        assertEquals(0, step.protocol());
        assertEquals(1, step.replies());
    }

    @Test
    void aConnectionAndPrefixesComeBeforeTheCommandInAnyOrder() {
        Step step = step("@B [send] BLPOP l 0");
        assertEquals("B", step.connection());
        assertEquals(Action.SEND, step.action());
        assertEquals(List.of("BLPOP", "l", "0"), texts(step.arguments()));
        Step read = step("[unordered 2] @worker-1 [resp3] [read]");
        assertEquals("worker-1", read.connection());
        assertEquals(Action.READ, read.action());
        assertEquals(3, read.protocol());
        assertEquals(new ReplyComparison.Unordered(UnorderedReply.Levels.parse(List.of("2"))), read.comparison());
    }

    @Test
    void waitsTakeMilliseconds() {
        assertEquals(100, step("@B [no-reply]").millis());
        assertEquals(20, step("@B [no-reply 20]").millis());
        assertEquals(1100, step("[sleep 1100]").millis());
        assertEquals(Action.BLOCKED, step("@B [blocked]").action());
        assertEquals(Action.BUSY, step("[busy]").action());
        assertEquals(Action.CLOSED, step("@B [closed]").action());
        assertEquals(Action.CLOSE, step("@B [close]").action());
    }

    @Test
    void rawBytesAreTheRestOfTheLineEvenWhenTheyLookLikePrefixes() {
        Step step = step("@B [send] [raw] [x] @C\\r\\n");
        assertEquals(Action.SEND, step.action());
        assertArrayEquals("[x] @C\r\n".getBytes(StandardCharsets.ISO_8859_1), step.rawBytes());
        assertEquals("A", step("[raw] PING\\r\\n").connection());
    }

    @Test
    void placeholdersStayArgumentsUntilTheServerIsKnown() {
        Step step = step("CLIENT KILL ID @B.id");
        assertEquals(List.of("CLIENT", "KILL", "ID", "@B.id"), texts(step.arguments()));
        assertTrue(CaseConnections.PLACEHOLDER.matcher("@B.addr").matches());
        assertFalse(CaseConnections.PLACEHOLDER.matcher("@B.port").matches());
    }

    @Test
    void comparisonsReadTheirArguments() {
        assertEquals(new ReplyComparison.ClientFields(List.of("name", "db")), step("[clients name db] CLIENT LIST").comparison());
        assertInstanceOf(ReplyComparison.Masked.class, step("[mask \\d+] TIME").comparison());
        assertInstanceOf(ReplyComparison.TypeOnly.class, step("[type] TTL k").comparison());
        assertInstanceOf(ReplyComparison.Ignored.class, step("@B [any] [read]").comparison());
        assertEquals(3, step("@S [replies 3] SUBSCRIBE a b c").replies());
    }

    @Test
    void caseFlagsRestrictWhereACaseRuns() {
        Case testCase = onlyCase("# [redis-only] [resp3] pushes\nPING\n");
        assertTrue(testCase.redisOnly());
        assertTrue(testCase.runsIn(3));
        assertFalse(testCase.runsIn(2));
        assertEquals("pushes", testCase.title());
        assertEquals("[redis-only] pushes", testCase.displayName());
        assertFalse(onlyCase("# plain\nPING\n").redisOnly());
    }

    @Test
    void mistakesInAScriptAreRefusedWithTheirLine() {
        assertTrue(refused("# c\n[read] GET k\n").contains("line 2: [read] takes no command"));
        assertTrue(refused("# c\n[send]\n").contains("a command is missing"));
        assertTrue(refused("# c\n@B [sleep 10]\n").contains("not a connection"));
        assertTrue(refused("# c\n[sorted] GET k\n").contains("unknown prefix [sorted]"));
        assertTrue(refused("# c\n[type] [any] GET k\n").contains("two comparisons"));
        assertTrue(refused("# c\n[send] [read] GET k\n").contains("after another action"));
        assertTrue(refused("# c\n@B [send] [type] GET k\n").contains("goes with a command or [read]"));
        assertTrue(refused("# c\n@B.x GET k\n").contains("a connection is @"));
        assertTrue(refused("# c\n[no-reply soon]\n").contains("milliseconds"));
        assertTrue(refused("# c\n[unordered outer] GET k\n").contains("not 'outer'"));
        assertTrue(refused("# c\n[clients] CLIENT LIST\n").contains("needs the fields"));
        assertTrue(refused("# [later] c\nPING\n").contains("unknown case flag [later]"));
        assertTrue(refused("# [resp3] c\n[resp2] PING\n").contains("without commands in its protocol"));
        assertTrue(refused("# c\n// only a comment\n").contains("case without commands"));
        assertTrue(refused("PING\n").contains("before the first '# case'"));
    }
}
