package io.nuthatch.bench;

import io.nuthatch.server.type.SetValue;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The worst single SADD into a set growing past a resize at a million members: whether growing
 * the hash table stalls one command for milliseconds. Each iteration starts from a fresh set of
 * 1,400,000 members (its table holds 1,572,864 before it must grow) and adds 400,000 new ones,
 * timing each, so every iteration crosses one resize and the migration that follows. Reported:
 * the time of the 400,000 adds; {@code worstAddMicros}, the slowest single add of the iteration
 * by the clock (a collection pausing the thread counts, and so does the thread being descheduled
 * on a busy machine); and {@code worstAddCpuMicros}, the most CPU time the thread spent in one add,
 * which is the work the add itself did (the allocation of the new table's arrays, for the add
 * that starts the resize). Figures are sums over the iterations: divide by their count.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
public class MemberTableGrowthBenchmark {
    private static final int START = 1_400_000;
    private static final int ADDED = 400_000;
    private static final int MAX_INTSET = 512;

    private byte[][] members;
    private SetValue set;

    /** The slowest add of an iteration, in microseconds. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Worst {
        public long worstAddMicros;
        public long worstAddCpuMicros;

        @Setup(Level.Iteration)
        public void reset() {
            worstAddMicros = 0;
            worstAddCpuMicros = 0;
        }
    }

    @Setup(Level.Trial)
    public void makeMembers() {
        members = new byte[START + ADDED][];
        for (int i = 0; i < members.length; i++) {
            members[i] = String.format("member:%09d", i).getBytes(StandardCharsets.US_ASCII);
        }
    }

    @Setup(Level.Iteration)
    public void fill() {
        set = SetValue.forFirstMember(members[0], 0, members[0].length);
        for (int i = 0; i < START; i++) {
            set.add(members[i], MAX_INTSET);
        }
        System.gc();
    }

    @Benchmark
    public int addNewMembers(Worst worst) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long slowest = 0;
        long busiest = 0;
        for (int i = START; i < START + ADDED; i++) {
            long cpu = threads.getCurrentThreadCpuTime();
            long started = System.nanoTime();
            set.add(members[i], MAX_INTSET);
            long ended = System.nanoTime();
            slowest = Math.max(slowest, ended - started);
            busiest = Math.max(busiest, threads.getCurrentThreadCpuTime() - cpu);
        }
        worst.worstAddMicros = slowest / 1000;
        worst.worstAddCpuMicros = busiest / 1000;
        return set.size();
    }
}
