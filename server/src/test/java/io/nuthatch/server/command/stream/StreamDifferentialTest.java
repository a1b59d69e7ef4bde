package io.nuthatch.server.command.stream;

import io.nuthatch.server.testing.Differential;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

/**
 * The stream commands against redis-server, case by case: entries, trimming and node boundaries
 * (streams.redis), consumer groups and claims (stream-groups.redis), XREAD and XREADGROUP with
 * BLOCK and several clients (stream-blocking.redis).
 */
class StreamDifferentialTest {
    @TestFactory
    Stream<DynamicNode> entries() {
        return Differential.tests("streams.redis");
    }

    @TestFactory
    Stream<DynamicNode> consumerGroups() {
        return Differential.tests("stream-groups.redis");
    }

    @TestFactory
    Stream<DynamicNode> blockingReads() {
        return Differential.tests("stream-blocking.redis");
    }
}
