package io.nuthatch.server.command.key;

import io.nuthatch.server.testing.Differential;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

class ExpiryDifferentialTest {
    @TestFactory
    Stream<DynamicNode> expiryCommands() {
        return Differential.tests("expire.redis");
    }
}
