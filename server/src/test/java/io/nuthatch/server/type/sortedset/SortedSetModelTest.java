package io.nuthatch.server.type.sortedset;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Thousands of random operations on a sorted set, each checked against a plain model (a map of
 * members to scores, sorted on demand): in the listpack encoding, in the skiplist encoding, and
 * across the conversion between them. Every reading operation is compared after every change.
 */
class SortedSetModelTest {
    private record Element(String member, double score) {
    }

    private static final Comparator<Element> ORDER = (a, b) -> {
        int byScore = Double.compare(a.score == 0 ? 0 : a.score, b.score == 0 ? 0 : b.score);
        return byScore != 0 ? byScore : Arrays.compareUnsigned(bytes(a.member), bytes(b.member));
    };

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private final Map<String, Double> model = new HashMap<>();
    private Random random;
    private SortedSet set;
    private long maxEntries;

    private List<Element> sorted() {
        List<Element> elements = new ArrayList<>();
        model.forEach((member, score) -> elements.add(new Element(member, score)));
        elements.sort(ORDER);
        return elements;
    }

    private static List<Element> collect(java.util.function.Consumer<ElementVisitor> source) {
        List<Element> elements = new ArrayList<>();
        source.accept((array, offset, length, score) ->
                elements.add(new Element(new String(array, offset, length, StandardCharsets.ISO_8859_1), score)));
        return elements;
    }

    private String randomMember() {
        int kind = random.nextInt(10);
        if (kind == 0) {
            return "";
        }
        if (kind == 1) {
            return "\u00ff" + random.nextInt(20);
        }
        return "m" + random.nextInt(60);
    }

    private double randomScore() {
        switch (random.nextInt(8)) {
            case 0:
                return random.nextInt(5);
            case 1:
                return random.nextDouble() * 10 - 5;
            case 2:
                return random.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
            case 3:
                return random.nextLong() / 3.0;
            case 4:
                return 1_700_000_000_000L + random.nextInt(1000);
            default:
                return random.nextInt(10) - 5;
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 16, 128, 100_000})
    void randomOperationsMatchTheModel(long maxEntries) {
        for (int seed = 0; seed < 8; seed++) {
            random = new Random(seed * 31 + maxEntries);
            this.maxEntries = maxEntries;
            model.clear();
            set = SortedSet.create(1, maxEntries, 64);
            for (int step = 0; step < 1500; step++) {
                change();
                check();
            }
        }
    }

    private void change() {
        String member = randomMember();
        byte[] bytes = bytes(member);
        int op = random.nextInt(10);
        if (op < 4) {
            int flags = random.nextInt(4) == 0 ? new int[] {SortedSet.NX, SortedSet.XX, SortedSet.GT, SortedSet.LT,
                SortedSet.INCR, SortedSet.XX | SortedSet.GT}[random.nextInt(6)] : 0;
            double score = randomScore();
            int outcome = set.add(bytes, 0, bytes.length, score, flags, maxEntries, 64);
            Double current = model.get(member);
            double updated = (flags & SortedSet.INCR) != 0 && current != null ? current + score : score;
            if (Double.isNaN(updated)) {
                assertEquals(SortedSet.NOT_A_NUMBER, outcome);
                return;
            }
            boolean skip = current == null ? (flags & SortedSet.XX) != 0
                    : (flags & SortedSet.NX) != 0 || ((flags & SortedSet.GT) != 0 && updated <= current)
                    || ((flags & SortedSet.LT) != 0 && updated >= current);
            if (skip) {
                assertEquals(SortedSet.SKIPPED, outcome);
            } else if (current == null) {
                assertEquals(SortedSet.ADDED, outcome);
                model.put(member, updated);
            } else {
                assertEquals(updated == current ? SortedSet.UNCHANGED : SortedSet.UPDATED, outcome);
                if (updated != current) {
                    model.put(member, updated);
                }
            }
        } else if (op < 6) {
            assertEquals(model.remove(member) != null, set.remove(bytes, 0, bytes.length));
        } else if (op == 6 && !model.isEmpty()) {
            List<Element> expected = sorted();
            int start = random.nextInt(expected.size());
            int end = start + random.nextInt(expected.size() - start);
            assertEquals(end - start + 1, set.removeRanks(start, end));
            expected.subList(start, end + 1).forEach(element -> model.remove(element.member));
        } else if (op == 7) {
            ScoreRange range = randomScoreRange();
            int expected = 0;
            for (Element element : sorted()) {
                if (range.contains(element.score)) {
                    model.remove(element.member);
                    expected++;
                }
            }
            assertEquals(expected, set.remove(range));
        } else if (op == 8) {
            LexRange range = randomLexRange();
            if (allScoresEqual()) {
                int expected = 0;
                for (Element element : sorted()) {
                    if (inLex(range, element.member)) {
                        model.remove(element.member);
                        expected++;
                    }
                }
                assertEquals(expected, set.remove(range));
            } else {
                // Meaningless on mixed scores, but it must leave a consistent set: the model follows it.
                set.remove(range);
                model.clear();
                for (Element element : collect(set::forEach)) {
                    model.put(element.member, element.score);
                }
            }
        } else if (!model.isEmpty()) {
            boolean highest = random.nextBoolean();
            List<Element> expected = sorted();
            Element end = highest ? expected.get(expected.size() - 1) : expected.get(0);
            List<Element> popped = collect(visitor -> set.pop(highest, visitor));
            assertEquals(List.of(end), popped);
            model.remove(end.member);
        }
        if (maxEntries == 0 || model.size() > maxEntries) {
            assertEquals(SortedSet.SKIPLIST, set.encoding());
        }
    }

    private boolean allScoresEqual() {
        return model.values().stream().distinct().count() <= 1;
    }

    private ScoreRange randomScoreRange() {
        double a = randomScore();
        double b = randomScore();
        return new ScoreRange(Math.min(a, b), random.nextBoolean(), Math.max(a, b) + (random.nextInt(4) == 0 ? -1 : 0),
                random.nextBoolean());
    }

    private LexRange randomLexRange() {
        String[] bounds = {"-", "+", "[" + randomMember(), "(" + randomMember()};
        LexRange range = new LexRange();
        byte[] min = bytes(bounds[random.nextInt(4)]);
        byte[] max = bytes(bounds[random.nextInt(4)]);
        assertTrue(range.parse(min, 0, min.length, max, 0, max.length));
        return range;
    }

    private static boolean inLex(LexRange range, String member) {
        byte[] bytes = bytes(member);
        return !range.isEmpty() && range.aboveMin(bytes) && range.belowMax(bytes);
    }

    private void check() {
        List<Element> expected = sorted();
        assertEquals(expected.size(), set.size());
        assertEquals(expected, collect(set::forEach));
        String member = randomMember();
        byte[] bytes = bytes(member);
        Double score = model.get(member);
        double actual = set.score(bytes, 0, bytes.length);
        assertEquals(score == null ? Double.NaN : (score == 0 ? 0 : score), actual == 0 ? 0 : actual);
        int rank = -1;
        for (int i = 0; i < expected.size(); i++) {
            if (expected.get(i).member.equals(member)) {
                rank = i;
            }
        }
        assertEquals(rank, set.rank(bytes, 0, bytes.length, false));
        assertEquals(rank < 0 ? -1 : expected.size() - 1 - rank, set.rank(bytes, 0, bytes.length, true));
        if (!expected.isEmpty()) {
            int start = random.nextInt(expected.size());
            int end = start + random.nextInt(expected.size() - start);
            assertEquals(expected.subList(start, end + 1), collect(v -> set.visitRanks(start, end, false, v)));
            List<Element> reversed = new ArrayList<>(expected);
            java.util.Collections.reverse(reversed);
            assertEquals(reversed.subList(start, end + 1), collect(v -> set.visitRanks(start, end, true, v)));
        }
        ScoreRange range = randomScoreRange();
        List<Element> inRange = expected.stream().filter(element -> range.contains(element.score)).toList();
        assertEquals(inRange.size(), set.count(range));
        long offset = random.nextInt(4);
        long limit = random.nextInt(5) - 1;
        assertEquals(window(inRange, offset, limit, expected.size()), collect(v -> set.visit(range, false, offset, limit, v)));
        List<Element> reversedRange = new ArrayList<>(inRange);
        java.util.Collections.reverse(reversedRange);
        assertEquals(window(reversedRange, offset, limit, expected.size()),
                collect(v -> set.visit(range, true, offset, limit, v)));
        if (allScoresEqual()) {
            LexRange lex = randomLexRange();
            List<Element> inLex = expected.stream().filter(element -> inLex(lex, element.member)).toList();
            assertEquals(inLex.size(), set.count(lex));
            assertEquals(window(inLex, offset, limit, Long.MAX_VALUE), collect(v -> set.visit(lex, false, offset, limit, v)));
            List<Element> reversedLex = new ArrayList<>(inLex);
            java.util.Collections.reverse(reversedLex);
            assertEquals(window(reversedLex, offset, limit, Long.MAX_VALUE), collect(v -> set.visit(lex, true, offset, limit, v)));
        }
    }

    private static List<Element> window(List<Element> elements, long offset, long limit, long size) {
        if (offset > 0 && offset >= size) {
            return List.of();
        }
        int from = (int) Math.min(offset, elements.size());
        int to = limit < 0 ? elements.size() : (int) Math.min(elements.size(), from + limit);
        return elements.subList(from, to);
    }

    @Test
    void aCopyIsIndependentAndKeepsTheEncoding() {
        random = new Random(5);
        for (long limit : new long[] {0, 128}) {
            SortedSet original = SortedSet.create(1, limit, 64);
            for (int i = 0; i < 300; i++) {
                byte[] member = bytes("m" + i);
                original.add(member, i % 7, limit, 64);
            }
            SortedSet copy = original.copy();
            assertEquals(original.encoding(), copy.encoding());
            assertEquals(collect(original::forEach), collect(copy::forEach));
            copy.remove(bytes("m1"), 0, 2);
            assertEquals(300, original.size());
            assertEquals(299, copy.size());
        }
    }

    @Test
    void aFullScanOfALargeSetReturnsEveryMemberPresentThroughout() {
        SortedSet large = SortedSet.create(1, 0, 64);
        for (int i = 0; i < 2000; i++) {
            large.add(bytes("k" + i), i, 0, 64);
        }
        Set<String> seen = new HashSet<>();
        long cursor = 0;
        int step = 0;
        do {
            cursor = large.scan(cursor, (array, offset, length, score) ->
                    seen.add(new String(array, offset, length, StandardCharsets.ISO_8859_1)));
            // Grow and shrink the table between steps: members present throughout must all come back.
            if (step++ % 50 == 10) {
                for (int i = 0; i < 3000; i++) {
                    large.add(bytes("extra" + i), i, 0, 64);
                }
            } else if (step % 50 == 30) {
                for (int i = 0; i < 3000; i++) {
                    large.remove(bytes("extra" + i), 0, ("extra" + i).length());
                }
            }
        } while (cursor != 0);
        for (int i = 0; i < 2000; i++) {
            assertTrue(seen.contains("k" + i), "k" + i);
        }
    }

    @Test
    void theMemoryFigureFollowsEveryChange() {
        SortedSet large = SortedSet.create(1, 0, 64);
        for (int i = 0; i < 1000; i++) {
            large.add(bytes("member-" + i), i, 0, 64);
        }
        long full = large.memoryUsage();
        assertTrue(full > 1000 * 40, "at least a node a member: " + full);
        for (int i = 0; i < 1000; i++) {
            large.remove(bytes("member-" + i), 0, ("member-" + i).length());
        }
        SortedSet once = SortedSet.create(1, 0, 64);
        once.add(bytes("member-0"), 0, 0, 64);
        once.remove(bytes("member-0"), 0, 8);
        assertEquals(once.memoryUsage(), large.memoryUsage());
    }
}
