package io.nuthatch.server.property;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The harness of the property tests: a difference in a reply fails the sequence and names it. */
class SequenceRunTest {

    @Test
    void aReplyThatDiffersFailsTheSequenceAndNamesTheOperation() {
        List<Operation> operations = List.of(
                new Operation(List.of("SET", "k", "v"), Operation.Comparison.EXACT),
                // INFO's process id differs between any two servers.
                new Operation(List.of("INFO", "server"), Operation.Comparison.EXACT));
        AssertionError failure = assertThrows(AssertionError.class, () -> SequenceRun.compare("get", operations));
        assertTrue(failure.getMessage().startsWith("operation 2 of 2: INFO server"), failure.getMessage());
        assertTrue(failure.getMessage().contains("1. SET k v"), failure.getMessage());
    }

    @Test
    void repliesComparedByShapeMayDifferInTheirBytesButIntegersMayNot() {
        SequenceRun.compare("get", List.of(
                new Operation(List.of("SET", "k", "v"), Operation.Comparison.EXACT),
                new Operation(List.of("INFO", "server"), Operation.Comparison.SHAPE)));
        AssertionError failure = assertThrows(AssertionError.class, () -> SequenceRun.compare("get", List.of(
                // Nuthatch does not have every command of Redis 7.0 (cluster, modules).
                new Operation(List.of("COMMAND", "COUNT"), Operation.Comparison.SHAPE))));
        assertTrue(failure.getMessage().contains("COMMAND COUNT"), failure.getMessage());
    }

    @Test
    void everyTypeIsComparedWithNuthatchNotASecondRedis() {
        for (String typeCommand : List.of("get", "lpush", "hset", "sadd", "zadd", "xadd", "pfadd", "sort")) {
            assertEquals("nuthatch", SequenceRun.candidateName(typeCommand), typeCommand);
        }
    }
}
