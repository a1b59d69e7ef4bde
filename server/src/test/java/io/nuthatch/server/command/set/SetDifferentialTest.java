package io.nuthatch.server.command.set;

import io.nuthatch.server.testing.Differential;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

/** The set commands against redis-server, case by case (sets.redis), in RESP2 and RESP3. */
class SetDifferentialTest {
    @TestFactory
    Stream<DynamicNode> setCommands() {
        return Differential.tests("sets.redis");
    }
}
