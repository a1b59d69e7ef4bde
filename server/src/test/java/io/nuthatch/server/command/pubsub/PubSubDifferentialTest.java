package io.nuthatch.server.command.pubsub;

import io.nuthatch.server.testing.Differential;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

/** Pub/sub against redis-server, case by case (pubsub.redis), in RESP2 and RESP3. */
class PubSubDifferentialTest {
    @TestFactory
    Stream<DynamicNode> pubSubCommands() {
        return Differential.tests("pubsub.redis");
    }
}
