package io.nuthatch.server.property;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.util.List;

import static io.nuthatch.server.property.OperationArbitraries.command;
import static io.nuthatch.server.property.OperationArbitraries.count;
import static io.nuthatch.server.property.OperationArbitraries.encodingThreshold;
import static io.nuthatch.server.property.OperationArbitraries.index;
import static io.nuthatch.server.property.OperationArbitraries.key;
import static io.nuthatch.server.property.OperationArbitraries.keyCommand;
import static io.nuthatch.server.property.OperationArbitraries.member;
import static io.nuthatch.server.property.OperationArbitraries.members;

/**
 * Random sequences of list commands, compared with redis-server: pushes and pops at both ends,
 * moves between lists, positional edits and searches, the blocking pops on lists that have
 * elements (or a short timeout), across the listpack node sizes.
 */
class ListSequencePropertyTest {

    @Property(tries = 40)
    void listSequencesMatchRedis(@ForAll("sequences") List<Operation> operations) {
        SequenceRun.compare("lpush", operations);
    }

    @Provide
    Arbitrary<List<Operation>> sequences() {
        Arbitrary<String> end = Arbitraries.of("LEFT", "RIGHT");
        Arbitrary<Operation> list = Arbitraries.oneOf(
                command("LPUSH", key(), members(1, 6)),
                command("RPUSH", key(), members(1, 6)),
                command("LPUSHX", key(), members(1, 3)),
                command("RPUSHX", key(), members(1, 3)),
                command("LPOP", key()),
                command("RPOP", key(), count()),
                command("LPOP", key(), count()),
                command("LLEN", key()),
                command("LRANGE", key(), index(), index()),
                command("LINDEX", key(), index()),
                command("LSET", key(), index(), member()),
                command("LINSERT", key(), Arbitraries.of("BEFORE", "AFTER"), member(), member()),
                command("LREM", key(), index(), member()),
                command("LTRIM", key(), index(), index()),
                command("LPOS", key(), member()),
                command("LPOS", key(), member(), "RANK", index(), "COUNT", count(), "MAXLEN", count()),
                command("RPOPLPUSH", key(), key()),
                command("LMOVE", key(), key(), end, end),
                command("LMPOP", "2", key(), key(), end, "COUNT", count()),
                command("BLPOP", key(), key(), "0.01"),
                command("BRPOPLPUSH", key(), key(), "0.01"),
                command("BLMOVE", key(), key(), end, end, "0.01"),
                command("BLMPOP", "0.01", "1", key(), end));
        return Arbitraries.frequencyOf(Tuple.of(20, list), Tuple.of(2, OperationArbitraries.sort(false, true)),
                Tuple.of(3, keyCommand()), Tuple.of(1, encodingThreshold()))
                .list().ofMinSize(1).ofMaxSize(50);
    }
}
