package io.nuthatch.server.clients;

import io.nuthatch.server.NuthatchServer;
import io.nuthatch.server.testing.NodeClients;
import io.nuthatch.server.testing.ReferencePair;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * BullMQ, unchanged, against Nuthatch: its Lua scripts (cjson, cmsgpack, keys built inside
 * scripts), BZPOPMIN and XREAD BLOCK through a Queue, a Worker with concurrency 10, QueueEvents
 * and a FlowProducer (src/test/resources/e2e/bullmq.mjs says what it checks). The script fails
 * with the checks that did not hold; it passes against redis-server 7.0.15 as it must here.
 */
class BullMqEndToEndTest {
    @Test
    void queueWorkerEventsAndFlowsAccountForEveryJob() throws Exception {
        try (NuthatchServer server = ReferencePair.startNuthatch()) {
            NodeClients.Result result = NodeClients.node(120, "bullmq.mjs", String.valueOf(server.port()));
            assertEquals(0, result.exitCode(), "bullmq.mjs against Nuthatch:\n" + result.output());
        }
    }
}
