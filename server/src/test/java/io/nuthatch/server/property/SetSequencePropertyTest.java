package io.nuthatch.server.property;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.util.List;

import static io.nuthatch.server.property.Operation.Comparison.SHAPE;
import static io.nuthatch.server.property.Operation.Comparison.UNORDERED;
import static io.nuthatch.server.property.OperationArbitraries.command;
import static io.nuthatch.server.property.OperationArbitraries.count;
import static io.nuthatch.server.property.OperationArbitraries.encodingThreshold;
import static io.nuthatch.server.property.OperationArbitraries.key;
import static io.nuthatch.server.property.OperationArbitraries.keyCommand;
import static io.nuthatch.server.property.OperationArbitraries.member;
import static io.nuthatch.server.property.OperationArbitraries.members;

/**
 * Random sequences of set commands, compared with redis-server, across the intset/hashtable
 * switch (a non-integer member, set-max-intset-entries). Whole-set replies are compared without
 * their order; SPOP pops everything (so the state stays the same on both servers), random members
 * are compared by count.
 */
class SetSequencePropertyTest {

    @Property(tries = 40)
    void setSequencesMatchRedis(@ForAll("sequences") List<Operation> operations) {
        SequenceRun.compare("sadd", operations);
    }

    @Provide
    Arbitrary<List<Operation>> sequences() {
        Arbitrary<Operation> set = Arbitraries.oneOf(
                command("SADD", key(), members(1, 6)),
                command("SREM", key(), members(1, 3)),
                command(UNORDERED, "SMEMBERS", key()),
                command("SISMEMBER", key(), member()),
                command("SMISMEMBER", key(), member(), member()),
                command("SCARD", key()),
                command("SMOVE", key(), key(), member()),
                command(UNORDERED, "SINTER", key(), key()),
                command(UNORDERED, "SUNION", key(), key()),
                command(UNORDERED, "SDIFF", key(), key()),
                command("SINTERCARD", "2", key(), key(), "LIMIT", Arbitraries.of("0", "1", "3")),
                command("SINTERSTORE", key(), key(), key()),
                command("SUNIONSTORE", key(), key(), key()),
                command("SDIFFSTORE", key(), key(), key()),
                command(SHAPE, "SRANDMEMBER", key()),
                command(SHAPE, "SRANDMEMBER", key(), count()),
                command(UNORDERED, "SPOP", key(), "1000"));
        return Arbitraries.frequencyOf(Tuple.of(20, set), Tuple.of(2, OperationArbitraries.sort(false, false)),
                Tuple.of(3, keyCommand()), Tuple.of(1, encodingThreshold()))
                .list().ofMinSize(1).ofMaxSize(50);
    }
}
