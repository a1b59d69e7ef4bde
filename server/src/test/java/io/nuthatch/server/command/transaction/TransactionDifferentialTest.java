package io.nuthatch.server.command.transaction;

import io.nuthatch.server.testing.Differential;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

/** MULTI/EXEC/WATCH against redis-server, several connections per case (transactions.redis). */
class TransactionDifferentialTest {
    @TestFactory
    Stream<DynamicNode> transactions() {
        return Differential.tests("transactions.redis");
    }
}
