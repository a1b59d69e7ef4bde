package io.nuthatch.bench;

import io.nuthatch.resp.RequestArguments;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

import static io.nuthatch.bench.InProcessClient.bytes;

/**
 * The stream commands BullMQ's event log runs, through the real dispatcher as a connection runs
 * them (gate, lookup, handler, statistics, execution unit, reply into a reused buffer), on a
 * stream of {@code size} entries:
 * <ul>
 * <li>{@code xaddTrimmed}: {@code XADD events MAXLEN ~ size * event added jobId n}, BullMQ's own
 *     form: appends an entry with an ID from the clock and drops the oldest node whenever the
 *     stream has grown a node past {@code size};</li>
 * <li>{@code xrangeTen}: {@code XRANGE events id + COUNT 10} from a random existing ID;</li>
 * <li>{@code xrevrangeTen}: the last ten entries, newest first;</li>
 * <li>{@code xreadAfter}: {@code XREAD COUNT 10 STREAMS events id}, what a consumer that fell
 *     behind asks.</li>
 * </ul>
 * With {@code -prof gc}, {@code gc.alloc.rate.norm} shows what one command allocates: for XADD
 * only the storage it grows (a node's listpack growing, a new node each 100 entries), for reads
 * nothing.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class StreamCommandBenchmark {
    @Param({"1000", "10000", "100000", "1000000"})
    public int size;

    private InProcessClient client;
    private RequestArguments add;
    private RequestArguments[] ranges;
    private RequestArguments[] reads;
    private RequestArguments reverse;
    private int cursor;

    @Setup
    public void setUp() {
        client = new InProcessClient();

        byte[] key = bytes("events");
        for (int i = 1; i <= size; i++) {
            client.run(RequestArguments.of(bytes("XADD"), key, bytes(i + "-0"), bytes("event"), bytes("added"),
                    bytes("jobId"), bytes(Integer.toString(i))));
        }
        add = RequestArguments.of(bytes("XADD"), key, bytes("MAXLEN"), bytes("~"), bytes(Integer.toString(size)),
                bytes("*"), bytes("event"), bytes("added"), bytes("jobId"), bytes("12345"));
        ranges = new RequestArguments[1024];
        reads = new RequestArguments[1024];
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        for (int i = 0; i < ranges.length; i++) {
            byte[] id = bytes(random.nextInt(1, size + 1) + "-0");
            ranges[i] = RequestArguments.of(bytes("XRANGE"), key, id, bytes("+"), bytes("COUNT"), bytes("10"));
            reads[i] = RequestArguments.of(bytes("XREAD"), bytes("COUNT"), bytes("10"), bytes("STREAMS"), key, id);
        }
        reverse = RequestArguments.of(bytes("XREVRANGE"), key, bytes("+"), bytes("-"), bytes("COUNT"), bytes("10"));
        client.run(ranges[0]);
        client.expectReply("*10\r\n");
        client.run(add);
        client.expectReply("$");
    }

    @TearDown
    public void tearDown() {
        client.close();
    }

    @Benchmark
    public int xaddTrimmed() {
        return client.run(add);
    }

    @Benchmark
    public int xrangeTen() {
        return client.run(ranges[cursor++ & 1023]);
    }

    @Benchmark
    public int xrevrangeTen() {
        return client.run(reverse);
    }

    @Benchmark
    public int xreadAfter() {
        return client.run(reads[cursor++ & 1023]);
    }
}
