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
import static io.nuthatch.server.property.OperationArbitraries.key;
import static io.nuthatch.server.property.OperationArbitraries.keyCommand;
import static io.nuthatch.server.property.OperationArbitraries.member;
import static io.nuthatch.server.property.OperationArbitraries.value;

/**
 * Random sequences of stream commands, compared with redis-server: entries added with explicit IDs
 * ("5-1", "5-*": an ID made from the clock would differ between the servers), trimmed exactly,
 * deleted, read, and consumed by groups with acknowledgements and claims. What depends on the
 * clock (idle times, the extended XPENDING, XINFO CONSUMERS) and approximate trimming (which
 * follows Redis's node layout) are left to the differential scripts.
 */
class StreamSequencePropertyTest {

    @Property(tries = 40)
    void streamSequencesMatchRedis(@ForAll("sequences") List<Operation> operations) {
        SequenceRun.compare("xadd", operations);
    }

    @Provide
    Arbitrary<List<Operation>> sequences() {
        Arbitrary<String> milliseconds = Arbitraries.integers().between(0, 12).map(String::valueOf);
        Arbitrary<String> id = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 12).flatMap(ms -> Arbitraries.integers().between(0, 3)
                        .map(seq -> ms + "-" + seq)),
                milliseconds.map(ms -> ms + "-*"),
                milliseconds);
        Arbitrary<String> rangeEnd = Arbitraries.oneOf(Arbitraries.of("-", "+"), id.filter(i -> !i.endsWith("*")),
                id.filter(i -> !i.endsWith("*")).map(i -> "(" + i));
        Arbitrary<List<String>> fields = member().flatMap(field -> value().map(v -> List.of(field, v))).list()
                .ofMinSize(1).ofMaxSize(3).map(pairs -> pairs.stream().flatMap(List::stream).toList());
        Arbitrary<List<String>> trim = Arbitraries.oneOf(Arbitraries.just(List.of()),
                count().map(n -> List.of("MAXLEN", n)), count().map(n -> List.of("MAXLEN", "=", n)),
                id.filter(i -> !i.endsWith("*")).map(i -> List.of("MINID", i)));
        Arbitrary<String> group = Arbitraries.of("g1", "g2");
        Arbitrary<String> consumer = Arbitraries.of("c1", "c2");
        Arbitrary<String> stored = id.filter(i -> !i.endsWith("*"));
        Arbitrary<Operation> stream = Arbitraries.oneOf(
                command("XADD", key(), Arbitraries.of(List.of(), List.of("NOMKSTREAM")), trim, id, fields),
                command("XLEN", key()),
                command("XRANGE", key(), rangeEnd, rangeEnd),
                command("XRANGE", key(), rangeEnd, rangeEnd, "COUNT", count()),
                command("XREVRANGE", key(), rangeEnd, rangeEnd, "COUNT", count()),
                command("XDEL", key(), stored, stored),
                command("XTRIM", key(), trim.filter(words -> !words.isEmpty())),
                command("XREAD", "COUNT", count(), "STREAMS", key(), key(), stored, stored),
                command("XGROUP", "CREATE", key(), group, Arbitraries.of("0", "$", "3-0"),
                        Arbitraries.of(List.of(), List.of("MKSTREAM"))),
                command("XGROUP", "SETID", key(), group, Arbitraries.of("0", "$", "5-0")),
                command("XGROUP", "DESTROY", key(), group),
                command("XGROUP", "CREATECONSUMER", key(), group, consumer),
                command("XGROUP", "DELCONSUMER", key(), group, consumer),
                command("XREADGROUP", "GROUP", group, consumer, "COUNT", count(),
                        Arbitraries.of(List.of(), List.of("NOACK")), "STREAMS", key(), Arbitraries.of(">", "0")),
                command("XACK", key(), group, stored, stored),
                command("XPENDING", key(), group),
                command("XCLAIM", key(), group, consumer, "0", stored, stored),
                command("XCLAIM", key(), group, consumer, "0", stored, "JUSTID"),
                command("XAUTOCLAIM", key(), group, consumer, "0", "0-0", "COUNT", Arbitraries.of("1", "2", "10")),
                command("XSETID", key(), stored),
                command("XREAD", "BLOCK", "10", "STREAMS", key(), "$"));
        return Arbitraries.frequencyOf(Tuple.of(20, stream), Tuple.of(2, keyCommand()), Tuple.of(1, encodingThreshold()))
                .list().ofMinSize(1).ofMaxSize(50);
    }
}
