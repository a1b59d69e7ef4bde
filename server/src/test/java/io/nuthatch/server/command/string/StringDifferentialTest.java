package io.nuthatch.server.command.string;

import io.nuthatch.server.testing.Differential;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

/**
 * The string commands against redis-server, case by case (strings.redis). No other type exists
 * in the server yet, so WRONGTYPE replies are covered by {@link StringWrongTypeTest} for now; the
 * script's last case lists the differential cases to add once lists or hashes land.
 */
class StringDifferentialTest {
    @TestFactory
    Stream<DynamicNode> stringCommands() {
        return Differential.tests("strings.redis");
    }
}
