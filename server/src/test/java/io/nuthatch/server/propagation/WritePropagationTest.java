package io.nuthatch.server.propagation;

import io.nuthatch.resp.RequestArguments;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Execution units as the API that MULTI/EXEC and scripts will drive: nesting, when a unit is
 * delivered and wrapped, the log offsets, and which records are views and which are copies.
 * (Redis 7.0.15 wrote, for MULTI/EXEC: one write inside it as that bare write, no write as
 * nothing at all, several writes inside MULTI ... EXEC; the cases below follow that.)
 */
class WritePropagationTest {
    private final WritePropagation propagation = new WritePropagation();
    private final List<String> delivered = new ArrayList<>();
    /** The first argument array of the first record of the last unit, to tell views from copies. */
    private byte[] lastFirstArray;

    @BeforeEach
    void listen() {
        propagation.addListener((WritePropagation.UnitListener) unit -> {
            StringBuilder text = new StringBuilder("@" + unit.logOffset() + (unit.isWrapped() ? " MULTI" : ""));
            for (int record = 0; record < unit.recordCount(); record++) {
                text.append(" [").append(unit.database(record));
                for (int argument = 0; argument < unit.argumentCount(record); argument++) {
                    text.append(' ').append(new String(unit.copyArgument(record, argument), StandardCharsets.ISO_8859_1));
                }
                text.append(']');
            }
            delivered.add(text.toString());
            lastFirstArray = unit.array(0, 1);
        });
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** A command as the dispatcher runs it: a unit of its own, or part of the unit open around it. */
    private void command(int database, RequestArguments arguments) {
        propagation.beginUnit();
        propagation.propagateAsSent(database, arguments);
        propagation.endUnit();
    }

    @Test
    void aCommandIsDeliveredWhenItsUnitEndsWithTheNextOffset() {
        propagation.beginUnit();
        propagation.propagateAsSent(0, RequestArguments.of("SET", "k", "v"));
        assertEquals(List.of(), delivered, "delivered before the unit ended");
        propagation.endUnit();
        command(3, RequestArguments.of("INCR", "n"));
        assertEquals(List.of("@1 [0 SET k v]", "@2 [3 INCR n]"), delivered);
        assertEquals(2, propagation.lastOffset());
    }

    @Test
    void aUnitOfSeveralRecordsIsWrappedAndTakesOneOffset() {
        propagation.beginUnit();
        propagation.propagateDeletion(2, bytes("DEL"), bytes("gone"));
        propagation.propagate(0, bytes("MOVE"), bytes("k"), bytes("2"));
        propagation.endUnit();
        assertEquals(List.of("@1 MULTI [2 DEL gone] [0 MOVE k 2]"), delivered);
    }

    @Test
    void aUnitKeepsEveryRecordPastItsArraysFirstGrowths() {
        // One command evicting many keys, or a long MULTI: more records than the arrays start with,
        // through several growths (the record starts once outgrew the databases here).
        int records = 100;
        propagation.beginUnit();
        for (int i = 0; i < records; i++) {
            propagation.propagateDeletion(i % 3, bytes("DEL"), bytes("key" + i));
        }
        propagation.endUnit();
        StringBuilder expected = new StringBuilder("@1 MULTI");
        for (int i = 0; i < records; i++) {
            expected.append(" [").append(i % 3).append(" DEL key").append(i).append(']');
        }
        assertEquals(List.of(expected.toString()), delivered);
    }

    @Test
    void nestedUnitsDeliverOnlyAtTheOutermostEnd() {
        propagation.beginUnit();
        command(0, RequestArguments.of("SET", "a", "1"));
        command(1, RequestArguments.of("SET", "b", "2"));
        assertEquals(List.of(), delivered);
        propagation.endUnit();
        assertEquals(List.of("@1 MULTI [0 SET a 1] [1 SET b 2]"), delivered);
    }

    @Test
    void anOuterUnitWithOneWriteIsBareAndWithNoneIsNothing() {
        propagation.beginUnit();
        command(0, RequestArguments.of("SET", "a", "1"));
        propagation.endUnit();
        propagation.beginUnit();
        propagation.beginUnit();
        propagation.endUnit();
        propagation.endUnit();
        assertEquals(List.of("@1 [0 SET a 1]"), delivered);
        assertEquals(1, propagation.lastOffset(), "an empty unit took an offset");
    }

    @Test
    void aRecordOutsideAnyUnitIsAUnitByItself() {
        propagation.propagateDeletion(4, bytes("DEL"), bytes("x"));
        propagation.propagateDeletion(4, bytes("DEL"), bytes("y"));
        assertEquals(List.of("@1 [4 DEL x]", "@2 [4 DEL y]"), delivered);
    }

    @Test
    void unwrappingAppliesToADirectCommandOnly() {
        propagation.beginUnit();
        propagation.unwrapCurrentUnit();
        propagation.propagateDeletion(0, bytes("DEL"), bytes("a"));
        propagation.propagateDeletion(0, bytes("DEL"), bytes("b"));
        propagation.endUnit();
        propagation.beginUnit();
        propagation.beginUnit();
        propagation.unwrapCurrentUnit();
        propagation.propagateDeletion(0, bytes("DEL"), bytes("c"));
        propagation.endUnit();
        propagation.propagate(0, bytes("SET"), bytes("d"), bytes("1"));
        propagation.endUnit();
        assertEquals(List.of("@1 [0 DEL a] [0 DEL b]", "@2 MULTI [0 DEL c] [0 SET d 1]"), delivered);
    }

    @Test
    void aDirectCommandIsAViewOfItsArgumentsAndANestedOneACopy() {
        RequestArguments direct = RequestArguments.of("SET", "k", "v");
        command(0, direct);
        assertSame(direct.array(1), lastFirstArray, "the request's arguments were copied");

        RequestArguments nested = RequestArguments.of("SET", "k", "v");
        propagation.beginUnit();
        command(0, nested);
        // The arguments of a command inside EXEC or a script are gone or reused before the unit ends.
        nested.array(1)[nested.offset(1)] = 'X';
        propagation.endUnit();
        assertNotSame(nested.array(1), lastFirstArray);
        assertEquals("@2 [0 SET k v]", delivered.get(1));
    }

    @Test
    void anExpiredKeyIsCopied() {
        byte[] key = bytes("gone");
        propagation.beginUnit();
        propagation.propagateDeletion(0, bytes("DEL"), key);
        key[0] = 'X';
        propagation.endUnit();
        assertEquals(List.of("@1 [0 DEL gone]"), delivered);
    }

    @Test
    void aRecordListenerSeesCopiesOfEachRecord() {
        List<String> records = new ArrayList<>();
        WritePropagation.Listener listener = (database, arguments) ->
                records.add(database + " " + new String(arguments[0], StandardCharsets.US_ASCII));
        propagation.addListener(listener);
        propagation.beginUnit();
        propagation.propagateDeletion(1, bytes("DEL"), bytes("a"));
        propagation.propagate(1, bytes("SET"), bytes("a"), bytes("1"));
        propagation.endUnit();
        assertEquals(List.of("1 DEL", "1 SET"), records);
        propagation.removeListener(listener);
        assertTrue(propagation.isActive(), "the unit listener is still there");
    }

    @Test
    void aRewrittenRecordIsBuiltInReusedBuffersAndReplacesTheCommand() {
        RequestArguments arguments = RequestArguments.of("SET", "k", "v", "EX", "10");
        byte[] stored = bytes("v");
        for (long time : new long[] {1_700_000_000_123L, 0, -42, Long.MIN_VALUE}) {
            propagation.beginUnit();
            propagation.rewrite(arguments).word(bytes("SET")).argument(1).bytes(stored).word(bytes("PXAT"))
                    .number(time).end();
            assertTrue(propagation.hasRewritten());
            propagation.commitRewritten(5);
            propagation.endUnit();
            assertEquals("@" + propagation.lastOffset() + " [5 SET k v PXAT " + time + "]",
                    delivered.get(delivered.size() - 1));
        }
        assertFalse(propagation.hasRewritten());
    }

    @Test
    void rewrittenRecordsOfACommandThatChangedNothingAreDiscarded() {
        RequestArguments arguments = RequestArguments.of("GETEX", "k", "PERSIST");
        propagation.beginUnit();
        propagation.rewrite(arguments).word(bytes("PERSIST")).argument(1);
        propagation.discardRewritten();
        propagation.endUnit();
        propagation.beginUnit();
        propagation.rewrite(arguments).word(bytes("DEL")).argument(1).end();
        propagation.rewrite(arguments).word(bytes("SET")).argument(1).number(7).end();
        propagation.commitRewritten(0);
        propagation.endUnit();
        assertEquals(List.of("@1 MULTI [0 DEL k] [0 SET k 7]"), delivered);
    }

    @Test
    void aRewrittenRecordInsideAnOuterUnitIsCopied() {
        RequestArguments arguments = RequestArguments.of("INCRBYFLOAT", "k", "1.5");
        byte[] stored = bytes("2.5");
        propagation.beginUnit();
        propagation.beginUnit();
        propagation.rewrite(arguments).word(bytes("SET")).argument(1).bytes(stored).end();
        propagation.commitRewritten(0);
        propagation.endUnit();
        stored[0] = '9';
        arguments.array(1)[arguments.offset(1)] = 'X';
        propagation.endUnit();
        assertEquals(List.of("@1 [0 SET k 2.5]"), delivered);
    }

    @Test
    void durabilityIsReportedToWhoWaitsForItOnce() {
        List<String> told = new ArrayList<>();
        assertTrue(propagation.whenDurable(5, () -> told.add("off")), "nothing waits while the wait is off");
        propagation.awaitDurability(true);
        assertFalse(propagation.whenDurable(2, () -> told.add("2")));
        assertFalse(propagation.whenDurable(4, () -> told.add("4")));
        propagation.durableThrough(3);
        assertEquals(List.of("2"), told);
        assertTrue(propagation.whenDurable(3, () -> told.add("3")), "3 is durable already");
        propagation.durableThrough(1);
        assertEquals(3, propagation.durableOffset(), "the durable offset went back");
        propagation.awaitDurability(false);
        assertEquals(List.of("2", "4"), told);
    }
}
