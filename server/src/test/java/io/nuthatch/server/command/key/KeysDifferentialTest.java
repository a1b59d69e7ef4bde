package io.nuthatch.server.command.key;

import io.nuthatch.server.testing.Differential;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

class KeysDifferentialTest {
    @TestFactory
    Stream<DynamicNode> keyCommands() {
        return Differential.tests("keys.redis");
    }
}
