package io.nuthatch.server.command.server;

import io.nuthatch.server.testing.Differential;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

class SlowlogDifferentialTest {
    @TestFactory
    Stream<DynamicNode> slowlog() {
        return Differential.tests("slowlog.redis");
    }
}
