package io.nuthatch.server.command.hash;

import io.nuthatch.server.testing.Differential;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

/** The hash commands against redis-server, case by case (hashes.redis), in RESP2 and RESP3. */
class HashDifferentialTest {
    @TestFactory
    Stream<DynamicNode> hashCommands() {
        return Differential.tests("hashes.redis");
    }
}
