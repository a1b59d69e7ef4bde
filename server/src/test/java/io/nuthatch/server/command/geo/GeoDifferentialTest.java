package io.nuthatch.server.command.geo;

import io.nuthatch.server.testing.Differential;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

/**
 * The geo commands against redis-server, case by case (geo.redis): options and their errors in
 * Redis's order, missing keys and wrong types, the edges of the map, the rounding of distances and
 * coordinates, the STORE forms, and ties in distance.
 */
class GeoDifferentialTest {
    @TestFactory
    Stream<DynamicNode> geoCommands() {
        return Differential.tests("geo.redis");
    }
}
