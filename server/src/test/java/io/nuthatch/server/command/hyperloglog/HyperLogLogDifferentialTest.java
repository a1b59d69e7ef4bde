package io.nuthatch.server.command.hyperloglog;

import io.nuthatch.server.testing.Differential;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

/** The HyperLogLog commands against redis-server, case by case (hyperloglog.redis). */
class HyperLogLogDifferentialTest {
    @TestFactory
    Stream<DynamicNode> hyperLogLogCommands() {
        return Differential.tests("hyperloglog.redis");
    }
}
