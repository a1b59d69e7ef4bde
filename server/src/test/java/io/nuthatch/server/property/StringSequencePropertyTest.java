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
import static io.nuthatch.server.property.OperationArbitraries.index;
import static io.nuthatch.server.property.OperationArbitraries.key;
import static io.nuthatch.server.property.OperationArbitraries.keyCommand;
import static io.nuthatch.server.property.OperationArbitraries.members;
import static io.nuthatch.server.property.OperationArbitraries.value;

/** Random sequences of string, counter, bit and HyperLogLog commands, compared with redis-server. */
class StringSequencePropertyTest {

    @Property(tries = 60)
    void stringSequencesMatchRedis(@ForAll("sequences") List<Operation> operations) {
        SequenceRun.compare("get", operations);
    }

    @Provide
    Arbitrary<List<Operation>> sequences() {
        Arbitrary<Operation> string = Arbitraries.oneOf(
                command("SET", key(), value(), Arbitraries.of(List.of(), List.of("NX"), List.of("XX"), List.of("GET"))),
                command("GET", key()),
                command("APPEND", key(), value()),
                command("STRLEN", key()),
                command("GETRANGE", key(), index(), index()),
                command("SETRANGE", key(), Arbitraries.integers().between(0, 12).map(String::valueOf), value()),
                command("INCR", key()),
                command("INCRBY", key(), count()),
                command("DECRBY", key(), count()),
                command("INCRBYFLOAT", key(), Arbitraries.of("0.5", "-1.25", "3", "1e3", "x")),
                command("GETDEL", key()),
                command("GETSET", key(), value()),
                command("MSET", key(), value(), key(), value()),
                command("MGET", key(), key(), key()),
                command("SETNX", key(), value()),
                command("SETBIT", key(), Arbitraries.integers().between(0, 80).map(String::valueOf),
                        Arbitraries.of("0", "1")),
                command("BITCOUNT", key()),
                command("LCS", key(), key()));
        Arbitrary<Operation> hyperLogLog = Arbitraries.oneOf(
                command("PFADD", key(), members(0, 8)),
                command("PFCOUNT", key()),
                command("PFCOUNT", key(), key()),
                command("PFMERGE", key(), key(), key()),
                command("CONFIG", "SET", "hll-sparse-max-bytes", Arbitraries.of("0", "30", "60", "3000")));
        return Arbitraries.frequencyOf(Tuple.of(8, string), Tuple.of(4, hyperLogLog), Tuple.of(2, keyCommand()))
                .list().ofMinSize(1).ofMaxSize(50);
    }

}
