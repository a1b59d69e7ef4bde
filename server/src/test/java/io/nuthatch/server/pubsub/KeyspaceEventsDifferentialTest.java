package io.nuthatch.server.pubsub;

import io.nuthatch.server.testing.Differential;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

/** Keyspace notifications against redis-server, case by case (notifications.redis). */
class KeyspaceEventsDifferentialTest {
    @TestFactory
    Stream<DynamicNode> keyspaceEvents() {
        return Differential.tests("notifications.redis");
    }
}
