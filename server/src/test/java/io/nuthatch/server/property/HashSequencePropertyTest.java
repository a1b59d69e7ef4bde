package io.nuthatch.server.property;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.util.List;

import static io.nuthatch.server.property.Operation.Comparison.SHAPE;
import static io.nuthatch.server.property.Operation.Comparison.UNORDERED;
import static io.nuthatch.server.property.Operation.Comparison.UNORDERED_PAIRS;
import static io.nuthatch.server.property.OperationArbitraries.command;
import static io.nuthatch.server.property.OperationArbitraries.count;
import static io.nuthatch.server.property.OperationArbitraries.encodingThreshold;
import static io.nuthatch.server.property.OperationArbitraries.key;
import static io.nuthatch.server.property.OperationArbitraries.keyCommand;
import static io.nuthatch.server.property.OperationArbitraries.member;
import static io.nuthatch.server.property.OperationArbitraries.value;

/**
 * Random sequences of hash commands, compared with redis-server, across the listpack/hashtable
 * switch (entries and value length). Whole-hash replies are compared without their order, random
 * fields by their count.
 */
class HashSequencePropertyTest {

    @Property(tries = 40)
    void hashSequencesMatchRedis(@ForAll("sequences") List<Operation> operations) {
        SequenceRun.compare("hset", operations);
    }

    @Provide
    Arbitrary<List<Operation>> sequences() {
        Arbitrary<List<String>> pairs = Combinators.combine(member(), value()).as(List::of).list()
                .ofMinSize(1).ofMaxSize(4).map(fields -> fields.stream().flatMap(List::stream).toList());
        Arbitrary<Operation> hash = Arbitraries.oneOf(
                command("HSET", key(), pairs),
                command("HMSET", key(), pairs),
                command("HSETNX", key(), member(), value()),
                command("HGET", key(), member()),
                command("HMGET", key(), member(), member()),
                command("HDEL", key(), member(), member()),
                command("HLEN", key()),
                command("HSTRLEN", key(), member()),
                command("HEXISTS", key(), member()),
                command(UNORDERED, "HKEYS", key()),
                command(UNORDERED, "HVALS", key()),
                command(UNORDERED_PAIRS, "HGETALL", key()),
                command("HINCRBY", key(), member(), count()),
                command("HINCRBYFLOAT", key(), member(), Arbitraries.of("1.5", "-0.25", "1e2", "x")),
                command(SHAPE, "HRANDFIELD", key()),
                command(SHAPE, "HRANDFIELD", key(), count()),
                command(SHAPE, "HRANDFIELD", key(), count(), "WITHVALUES"));
        return Arbitraries.frequencyOf(Tuple.of(20, hash), Tuple.of(3, keyCommand()), Tuple.of(1, encodingThreshold()))
                .list().ofMinSize(1).ofMaxSize(50);
    }
}
