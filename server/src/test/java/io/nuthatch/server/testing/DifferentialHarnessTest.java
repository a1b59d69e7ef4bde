package io.nuthatch.server.testing;

import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.opentest4j.AssertionFailedError;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The harness against real servers: the redis-only cases of harness.redis (blocking, pub/sub,
 * tracking, replies in hash order) must pass between two redis-servers, and the harness
 * must fail a case where the servers really differ or the script's expectation is wrong.
 */
class DifferentialHarnessTest {

    @TestFactory
    Stream<DynamicNode> redisOnlyCases() {
        return Differential.tests("harness.redis");
    }

    private static DifferentialScript.Case onlyCase(String script) {
        List<DifferentialScript.Case> cases = DifferentialScript.parse(script);
        assertEquals(1, cases.size());
        return cases.get(0);
    }

    @Test
    void twoRedisServersListASetInDifferentOrders() {
        // The reason [unordered] exists: each redis-server seeds its hash with its own random bytes.
        String members = "m01 m02 m03 m04 m05 m06 m07 m08 m09 m10 m11 m12 m13 m14 m15 m16 m17 m18 m19 m20"
                + " m21 m22 m23 m24 m25 m26 m27 m28 m29 m30 m31 m32 m33 m34 m35 m36 m37 m38 m39 m40";
        DifferentialScript.Case ordered = onlyCase("# [redis-only] s\nSADD s " + members + "\nSMEMBERS s\n");
        AssertionFailedError failure = assertThrows(AssertionFailedError.class, () -> Differential.run(ordered, 2));
        assertTrue(failure.getMessage().contains("second redis-server:"), failure.getMessage());
        DifferentialScript.Case unordered = onlyCase("# [redis-only] s\nSADD s " + members + "\n[unordered] SMEMBERS s\n");
        assertDoesNotFail(unordered, 2);
    }

    @Test
    void anInnerOrderIsNotFreedByTheTopLevel() {
        String script = "# [redis-only] s\n"
                + "SADD s1 a b c d e f g h i j k l m n o p q r s t u v w x y z\n"
                + "SADD s2 A B C D E F G H I J K L M N O P Q R S T U V W X Y Z\n"
                + "[unordered %s] EVAL \"return {redis.call('smembers', KEYS[1]), redis.call('smembers', KEYS[2])}\""
                + " 2 s1 s2\n";
        assertThrows(AssertionFailedError.class, () -> Differential.run(onlyCase(script.formatted("1")), 2));
        assertDoesNotFail(onlyCase(script.formatted("2")), 2);
    }

    @Test
    void noReplyFailsWhenAReplyArrives() {
        DifferentialScript.Case testCase = onlyCase("# [redis-only] ping\n[send] PING\n[no-reply 20]\n");
        AssertionError failure = assertThrows(AssertionError.class, () -> Differential.run(testCase, 3));
        assertTrue(failure.getMessage().contains("+PONG"), failure.getMessage());
    }

    @Test
    void closedFailsWhenTheServerSendsInstead() {
        DifferentialScript.Case testCase = onlyCase("# [redis-only] ping\n[send] PING\n[closed]\n");
        AssertionError failure = assertThrows(AssertionError.class, () -> Differential.run(testCase, 2));
        assertTrue(failure.getMessage().contains("expected redis-server to close @A"), failure.getMessage());
    }

    @Test
    void readComparesAReplyOwedToASend() {
        DifferentialScript.Case same = onlyCase("# [redis-only] echo\n@B [send] ECHO x\n@B [read]\n");
        assertDoesNotFail(same, 2);
        DifferentialScript.Case different = onlyCase("# [redis-only] id\n@B [send] CLIENT ID\n@B CLIENT ID\n");
        IllegalStateException scriptError = assertThrows(IllegalStateException.class,
                () -> Differential.run(different, 2));
        assertTrue(scriptError.getMessage().contains("@B still owes 1 reply"), scriptError.getMessage());
    }

    @Test
    void placeholdersNameEachServersOwnClient() {
        // Client ids differ between the two servers once one has served more connections; without
        // the placeholders' own ids, B would not be closed on both.
        DifferentialScript.Case testCase = onlyCase("# [redis-only] kill\n"
                + "@B PING\n"
                + "CLIENT KILL ID @B.id\n"
                + "CLIENT KILL ID @B.id\n"
                + "CLIENT KILL @B.addr\n"
                + "@B [closed]\n");
        for (int i = 0; i < 3; i++) {
            try (RawConnection extra = new RawConnection(ReferencePair.shared().redisPort())) {
                extra.call("PING");
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        }
        assertDoesNotFail(testCase, 2);
    }

    @Test
    void clientFieldsShowOnlyTheCasesConnections() {
        DifferentialScript.Case testCase = onlyCase("# [redis-only] list\n"
                + "CLIENT SETNAME first\n"
                + "@B CLIENT SETNAME second\n"
                + "@B SELECT 4\n"
                + "[clients name db cmd] CLIENT LIST\n");
        try (RawConnection bystander = new RawConnection(ReferencePair.shared().redisPort())) {
            bystander.call("CLIENT", "SETNAME", "bystander");
            assertDoesNotFail(testCase, 3);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void busyWaitsUntilAnotherConnectionHoldsTheServer() {
        DifferentialScript.Case testCase = onlyCase("# [redis-only] sleep\n"
                + "@B [send] DEBUG SLEEP 0.3\n"
                + "[busy]\n"
                + "[send] PING\n"
                + "[no-reply 50]\n"
                + "@B [read]\n"
                + "[read]\n");
        assertDoesNotFail(testCase, 2);
    }

    private static void assertDoesNotFail(DifferentialScript.Case testCase, int protocol) {
        try {
            Differential.run(testCase, protocol);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
