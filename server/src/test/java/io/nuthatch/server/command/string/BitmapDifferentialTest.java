package io.nuthatch.server.command.string;

import io.nuthatch.server.testing.Differential;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

/**
 * SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD and BITFIELD_RO against redis-server.
 *
 * <p>Not covered yet: WRONGTYPE for each command, which needs a key of another type (a list or a
 * hash) that no command can create so far. Add a case per command once one can.
 */
class BitmapDifferentialTest {
    @TestFactory
    Stream<DynamicNode> bitmapCommands() {
        return Differential.tests("bitmaps.redis");
    }
}
