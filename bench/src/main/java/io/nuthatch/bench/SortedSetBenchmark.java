package io.nuthatch.bench;

import io.nuthatch.server.type.sortedset.ElementVisitor;
import io.nuthatch.server.type.sortedset.ScoreRange;
import io.nuthatch.server.type.sortedset.SortedSet;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The sorted-set structure itself, below the commands: one skiplist-encoded set of {@code size}
 * members ("member:i", 8 to 14 bytes) with scores drawn at random, so that the order of scores is
 * unrelated to the order the members were added in or to their bytes. Each operation works at a
 * place drawn at random (from a precomputed sequence, so the drawing costs nothing), so that the
 * figures include the cache misses a real workload meets once the set outgrows the caches.
 *
 * <ul>
 * <li>{@code insertThenRemove}: adds a member that is not in the set, at a random score, then
 *     removes it (ZADD of a new member then ZREM): two walks down the skiplist and two member-table
 *     operations, the size staying {@code size}. The new member's bytes and node are allocated,
 *     as ZADD allocates them.</li>
 * <li>{@code rescore}: gives an existing member a new random score (ZADD of an existing member):
 *     the member-table lookup, then the node unlinked and relinked at its new place.</li>
 * <li>{@code rank}: ZRANK of an existing member: the member-table lookup, then the walk that sums
 *     the spans down to its node.</li>
 * <li>{@code rangeByRank}: ZRANGE start start+9: the walk down to the rank, then ten steps along
 *     the bottom level.</li>
 * <li>{@code rangeByScore}: ZRANGEBYSCORE min +inf LIMIT 0 10: the walk down to the first score in
 *     the range, then ten steps.</li>
 * </ul>
 *
 * <p>Each walk down visits O(log n) nodes, as in Redis's skiplist (levels drawn with p = 1/4, at
 * most 32), so the time per operation grows by a constant with every tenfold growth of the set,
 * plus, past what the caches hold, the cost of the misses along the walk.
 *
 * <p>Besides the clock's figure, each benchmark reports {@code cpuNanos} and {@code calls}, the
 * CPU time the benchmark thread spent in the measured iterations and the calls it made there
 * (sums over the iterations): their quotient is the CPU time of one call, which time spent
 * waiting for a core on a busy machine does not inflate as it inflates the clock's figure.
 * {@code bench/redis-zset-growth.sh} measures Redis's skiplist the same way.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class SortedSetBenchmark {
    /** Random places per run through the sequence: more than the caches could learn, a power of two. */
    private static final int PLACES = 1 << 16;

    @Param({"1000", "10000", "100000", "1000000"})
    public int size;

    private SortedSet set;
    private byte[][] members;
    private byte[][] absent;
    private double[] scores;
    private int[] ranks;
    private int cursor;
    private final ScoreRange range = new ScoreRange();

    /** The CPU time of the measured iterations, and the calls made in them. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class CpuTime {
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

        public long cpuNanos;
        public long calls;
        private long start;

        @Setup(Level.Iteration)
        public void start() {
            cpuNanos = 0;
            calls = 0;
            start = THREADS.getCurrentThreadCpuTime();
        }

        @TearDown(Level.Iteration)
        public void stop() {
            cpuNanos = THREADS.getCurrentThreadCpuTime() - start;
        }
    }

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(20261201);
        members = new byte[size][];
        set = SortedSet.createSkipList();
        for (int i = 0; i < size; i++) {
            members[i] = ("member:" + i).getBytes(StandardCharsets.US_ASCII);
            set.add(members[i], random.nextDouble() * size, 0, 0);
        }
        absent = new byte[PLACES][];
        scores = new double[PLACES];
        ranks = new int[PLACES];
        for (int i = 0; i < PLACES; i++) {
            absent[i] = ("absent:" + i).getBytes(StandardCharsets.US_ASCII);
            scores[i] = random.nextDouble() * size;
            ranks[i] = random.nextInt(size);
        }
    }

    @TearDown
    public void tearDown() {
        if (set.size() != size || set.isPacked()) {
            throw new IllegalStateException("the set changed size or encoding: " + set.size());
        }
    }

    private int next() {
        return cursor = (cursor + 1) & (PLACES - 1);
    }

    @Benchmark
    public boolean insertThenRemove(CpuTime cpu) {
        cpu.calls++;
        int i = next();
        byte[] member = absent[i];
        set.add(member, 0, member.length, scores[i], 0, 0, 0);
        return set.remove(member, 0, member.length);
    }

    @Benchmark
    public int rescore(CpuTime cpu) {
        cpu.calls++;
        int i = next();
        byte[] member = members[ranks[i]];
        return set.add(member, 0, member.length, scores[i], 0, 0, 0);
    }

    @Benchmark
    public int rank(CpuTime cpu) {
        cpu.calls++;
        byte[] member = members[ranks[next()]];
        return set.rank(member, 0, member.length, false);
    }

    @Benchmark
    public void rangeByRank(CpuTime cpu, Blackhole blackhole) {
        cpu.calls++;
        int start = Math.min(ranks[next()], size - 10);
        set.visitRanks(start, start + 9, false, consumer(blackhole));
    }

    @Benchmark
    public int rangeByScore(CpuTime cpu, Blackhole blackhole) {
        cpu.calls++;
        range.set(scores[next()], false, Double.POSITIVE_INFINITY, false);
        return set.visit(range, false, 0, 10, consumer(blackhole));
    }

    private ElementVisitor visitor;
    private Blackhole visitorBlackhole;

    /** One visitor per run, made once: a lambda capturing the blackhole would be allocated per call. */
    private ElementVisitor consumer(Blackhole blackhole) {
        if (visitorBlackhole != blackhole) {
            visitorBlackhole = blackhole;
            visitor = (member, offset, length, score) -> {
                blackhole.consume(member[offset]);
                blackhole.consume(score);
            };
        }
        return visitor;
    }
}
