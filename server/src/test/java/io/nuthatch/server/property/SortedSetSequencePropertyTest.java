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
import static io.nuthatch.server.property.OperationArbitraries.command;
import static io.nuthatch.server.property.OperationArbitraries.count;
import static io.nuthatch.server.property.OperationArbitraries.encodingThreshold;
import static io.nuthatch.server.property.OperationArbitraries.index;
import static io.nuthatch.server.property.OperationArbitraries.key;
import static io.nuthatch.server.property.OperationArbitraries.keyCommand;
import static io.nuthatch.server.property.OperationArbitraries.member;
import static io.nuthatch.server.property.OperationArbitraries.score;

/**
 * Random sequences of sorted-set commands, compared with redis-server: ZADD with every flag, ranges
 * by rank, score and lexicographic order (inclusive and exclusive), pops, removals by range, and
 * the set algebra with weights and aggregates, across the listpack/skiplist switch. Scores include
 * fractions and infinities, so Redis's formatting of doubles is compared too.
 */
class SortedSetSequencePropertyTest {

    @Property(tries = 40)
    void sortedSetSequencesMatchRedis(@ForAll("sequences") List<Operation> operations) {
        SequenceRun.compare("zadd", operations);
    }

    @Provide
    Arbitrary<List<Operation>> sequences() {
        Arbitrary<List<String>> scored = Combinators.combine(score(), member()).as(List::of).list()
                .ofMinSize(1).ofMaxSize(4).map(pairs -> pairs.stream().flatMap(List::stream).toList());
        Arbitrary<String> scoreBound = Arbitraries.oneOf(score(), score().map(s -> "(" + s));
        Arbitrary<String> lexBound = Arbitraries.oneOf(Arbitraries.of("-", "+"), member().map(m -> "[" + m),
                member().map(m -> "(" + m));
        Arbitrary<List<String>> flags = Arbitraries.of("NX", "XX", "GT", "LT", "CH").list().ofMaxSize(2);
        Arbitrary<List<String>> limit = Arbitraries.oneOf(Arbitraries.just(List.of()),
                Combinators.combine(index(), count()).as((offset, count) -> List.of("LIMIT", offset, count)));
        Arbitrary<String> aggregate = Arbitraries.of("SUM", "MIN", "MAX");
        Arbitrary<Operation> sortedSet = Arbitraries.oneOf(
                command("ZADD", key(), flags, scored),
                command("ZADD", key(), "INCR", score(), member()),
                command("ZINCRBY", key(), score(), member()),
                command("ZREM", key(), member(), member()),
                command("ZCARD", key()),
                command("ZCOUNT", key(), scoreBound, scoreBound),
                command("ZLEXCOUNT", key(), lexBound, lexBound),
                command("ZSCORE", key(), member()),
                command("ZMSCORE", key(), member(), member()),
                command(Arbitraries.of("ZRANK", "ZREVRANK"), key(), member()),
                command("ZRANGE", key(), index(), index(), Arbitraries.of(List.of(), List.of("REV"),
                        List.of("WITHSCORES"), List.of("REV", "WITHSCORES"))),
                command("ZRANGE", key(), scoreBound, scoreBound, "BYSCORE", Arbitraries.of(List.of(), List.of("REV")),
                        limit, Arbitraries.of(List.of(), List.of("WITHSCORES"))),
                command("ZRANGE", key(), lexBound, lexBound, "BYLEX", limit),
                command("ZRANGEBYSCORE", key(), scoreBound, scoreBound, "WITHSCORES", limit),
                command("ZREVRANGEBYSCORE", key(), scoreBound, scoreBound, limit),
                command(Arbitraries.of("ZRANGEBYLEX", "ZREVRANGEBYLEX"), key(), lexBound, lexBound, limit),
                command("ZREMRANGEBYRANK", key(), index(), index()),
                command("ZREMRANGEBYSCORE", key(), scoreBound, scoreBound),
                command("ZREMRANGEBYLEX", key(), lexBound, lexBound),
                command(Arbitraries.of("ZPOPMIN", "ZPOPMAX"), key(), Arbitraries.of(List.of(), List.of("2"),
                        List.of("0"), List.of("-1"))),
                command("ZMPOP", "2", key(), key(), Arbitraries.of("MIN", "MAX"), "COUNT", count()),
                command("BZPOPMIN", key(), "0.01"),
                command(SHAPE, "ZRANDMEMBER", key(), count()),
                command(Arbitraries.of("ZUNIONSTORE", "ZINTERSTORE"), key(), "2", key(), key(), "WEIGHTS", score(),
                        score(), "AGGREGATE", aggregate),
                command("ZDIFFSTORE", key(), "2", key(), key()),
                command(Arbitraries.of("ZUNION", "ZINTER", "ZDIFF"), "2", key(), key(), "WITHSCORES"),
                command("ZINTERCARD", "2", key(), key()),
                command("ZRANGESTORE", key(), key(), index(), index()));
        return Arbitraries.frequencyOf(Tuple.of(20, sortedSet), Tuple.of(2, OperationArbitraries.sort(true, false)),
                Tuple.of(3, keyCommand()),
                Tuple.of(1, encodingThreshold())).list().ofMinSize(1).ofMaxSize(50);
    }
}
