package io.nuthatch.server.property;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.util.ArrayList;
import java.util.List;

/**
 * The values generated sequences are made of, chosen to meet the edges where implementations part:
 * few keys (so commands meet each other's values and the wrong types), members that repeat, that
 * read as integers (intsets, counters), that pass 64 bytes (the listpack value limits), that are
 * empty or binary; counts and indexes around zero, negative, past the end and huge; and the
 * encoding thresholds made small for a sequence, so it crosses them in a few dozen commands.
 */
final class OperationArbitraries {
    private OperationArbitraries() {
    }

    /** A command of fixed words and generated ones: each part is a String, an Arbitrary of String, or of List of String. */
    static Arbitrary<Operation> command(Operation.Comparison comparison, Object... parts) {
        List<Arbitrary<List<String>>> pieces = new ArrayList<>(parts.length);
        for (Object part : parts) {
            pieces.add(piece(part));
        }
        return Combinators.combine(pieces).as(lists -> {
            List<String> words = new ArrayList<>();
            lists.forEach(words::addAll);
            return new Operation(List.copyOf(words), comparison);
        });
    }

    static Arbitrary<Operation> command(Object... parts) {
        return command(Operation.Comparison.EXACT, parts);
    }

    @SuppressWarnings("unchecked")
    private static Arbitrary<List<String>> piece(Object part) {
        if (part instanceof String word) {
            return Arbitraries.just(List.of(word));
        }
        if (part instanceof Arbitrary<?> arbitrary) {
            return ((Arbitrary<Object>) arbitrary).map(value -> value instanceof List<?> list
                    ? (List<String>) list : List.of((String) value));
        }
        throw new IllegalArgumentException("a part is a String or an Arbitrary: " + part);
    }

    /** One of few keys, so that commands meet each other's values. */
    static Arbitrary<String> key() {
        return Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.of("k1", "k2")), Tuple.of(2, Arbitraries.just("k3")),
                Tuple.of(1, Arbitraries.just("missing")));
    }

    /** Members and field names: mostly a few short ones, some integers, some long, empty or binary. */
    static Arbitrary<String> member() {
        return Arbitraries.frequencyOf(
                Tuple.of(10, Arbitraries.of("a", "b", "c", "d", "e", "f", "g", "h")),
                Tuple.of(5, Arbitraries.integers().between(-5, 30).map(String::valueOf)),
                Tuple.of(1, Arbitraries.of("9223372036854775807", "-9223372036854775808", "18446744073709551616",
                        "007", "1e3", " 1")),
                Tuple.of(1, Arbitraries.strings().withChars('x', 'y').ofMinLength(60).ofMaxLength(70)),
                Tuple.of(1, Arbitraries.of("", "\u0000", "a\u0000b", "\u00ff\u00fe", "\r\n")));
    }

    static Arbitrary<List<String>> members(int min, int max) {
        return member().list().ofMinSize(min).ofMaxSize(max);
    }

    /** Values of fields and strings. */
    static Arbitrary<String> value() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of("v", "w", "xyz", "")),
                Tuple.of(3, Arbitraries.integers().between(-100, 100).map(String::valueOf)),
                Tuple.of(1, Arbitraries.strings().withChars('p', 'q').ofMinLength(60).ofMaxLength(70)));
    }

    /** Counts: around zero, negative, and huge; rarely not a number. */
    static Arbitrary<String> count() {
        return Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.integers().between(0, 6).map(String::valueOf)),
                Tuple.of(3, Arbitraries.integers().between(-6, -1).map(String::valueOf)),
                Tuple.of(1, Arbitraries.of("1000000", "-1000000", "x", "9223372036854775807")));
    }

    /** Indexes and range ends: both signs, within and past short collections. */
    static Arbitrary<String> index() {
        return Arbitraries.frequencyOf(
                Tuple.of(10, Arbitraries.integers().between(-8, 8).map(String::valueOf)),
                Tuple.of(1, Arbitraries.of("100", "-100", "x")));
    }

    /** Scores: integers, fractions, infinities; rarely invalid. */
    static Arbitrary<String> score() {
        return Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.integers().between(-5, 10).map(String::valueOf)),
                Tuple.of(3, Arbitraries.of("0.5", "-1.25", "3.0e2", "1e-3", "0.1", "2.5")),
                Tuple.of(1, Arbitraries.of("inf", "-inf", "+inf", "nan", "x", "")));
    }

    /**
     * The encoding directives made small, or set back to their defaults, so that a sequence of a
     * few dozen commands crosses them.
     */
    static Arbitrary<Operation> encodingThreshold() {
        return Arbitraries.oneOf(
                command("CONFIG", "SET", "hash-max-listpack-entries", Arbitraries.of("0", "1", "3", "512")),
                command("CONFIG", "SET", "hash-max-listpack-value", Arbitraries.of("0", "2", "8", "64")),
                command("CONFIG", "SET", "set-max-intset-entries", Arbitraries.of("0", "1", "3", "512")),
                command("CONFIG", "SET", "zset-max-listpack-entries", Arbitraries.of("0", "1", "3", "128")),
                command("CONFIG", "SET", "zset-max-listpack-value", Arbitraries.of("0", "2", "8", "64")),
                command("CONFIG", "SET", "list-max-listpack-size", Arbitraries.of("1", "2", "4", "-1", "-2")),
                command("CONFIG", "SET", "stream-node-max-entries", Arbitraries.of("1", "2", "100")));
    }

    /** Commands on keys of any type: their effects and replies are part of every sequence. */
    static Arbitrary<Operation> keyCommand() {
        return Arbitraries.oneOf(
                command("DEL", key()),
                command("EXISTS", key(), key()),
                command("TYPE", key()),
                command("OBJECT", "ENCODING", key()),
                command("RENAME", key(), key()),
                command("COPY", key(), key()),
                command("EXPIRE", key(), "1000"),
                command("PERSIST", key()),
                command("SET", key(), value()),
                command("DBSIZE"));
    }

    /**
     * SORT and SORT_RO in the forms whose reply Redis fixes. Over a list, every form, compared
     * exactly: ties included, since the list's order and Redis's sorts decide them. Over a set or a
     * sorted set, whose elements Redis reads in its hash table's order, only the forms where that
     * order cannot show: numeric sorts (equal scores fall back to the elements' bytes), ALPHA
     * stored (compared as whole byte strings), ALPHA replied compared unordered (strcoll stops at a
     * NUL, so "a" and "a\0b" are equals that the hash order places), BY nosort stored (a set is then
     * sorted) or, for a sorted set, replied in its own order. BY and GET patterns name the
     * sequence's keys ("k*" of element 1 is k1), hash fields and missing keys.
     */
    static Arbitrary<Operation> sort(boolean sortedSet, boolean list) {
        Arbitrary<String> name = Arbitraries.of("SORT", "SORT_RO");
        Arbitrary<List<String>> limit = Arbitraries.oneOf(Arbitraries.just(List.of()),
                Combinators.combine(index(), count()).as((offset, count) -> List.of("LIMIT", offset, count)));
        Arbitrary<List<String>> order = Arbitraries.of(List.of(), List.of("ASC"), List.of("DESC"));
        Arbitrary<List<String>> gets = Arbitraries.of("#", "k*", "k*->a", "nostar", "*")
                .map(pattern -> List.of("GET", pattern)).list().ofMaxSize(2)
                .map(pairs -> pairs.stream().flatMap(List::stream).toList());
        Arbitrary<List<String>> numericBy = Arbitraries.of(List.of(), List.of("BY", "k*"), List.of("BY", "k*->a"),
                List.of("BY", "none_*"), List.of("BY", "*"));
        Arbitrary<List<String>> alpha = Arbitraries.of(List.of(), List.of("ALPHA"));
        if (list) {
            Arbitrary<List<String>> by = Arbitraries.oneOf(numericBy, Arbitraries.just(List.of("BY", "nosort")));
            return Arbitraries.oneOf(
                    command(name, key(), by, limit, gets, order, alpha),
                    command("SORT", key(), by, limit, gets, order, alpha, "STORE", key()));
        }
        Arbitrary<Operation> nosort = sortedSet
                ? command("SORT", key(), "BY", "nosort", limit, order, gets)
                : command(Operation.Comparison.UNORDERED, "SORT", key(), "BY", "nosort", gets);
        return Arbitraries.oneOf(
                command(name, key(), numericBy, limit, gets, order),
                command(Operation.Comparison.UNORDERED, name, key(), "ALPHA", gets, order),
                command("SORT", key(), "ALPHA", limit, order, gets, "STORE", key()),
                command("SORT", key(), "BY", "nosort", limit, order, "STORE", key()),
                nosort);
    }
}
