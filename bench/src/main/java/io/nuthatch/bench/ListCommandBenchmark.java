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
 * The list commands through the real dispatcher, as {@link CommandPathBenchmark} runs GET and SET:
 * on one list of {@code size} elements of 100 bytes (redis-benchmark's -d 100), in nodes of the
 * default 8 KB.
 *
 * <ul>
 * <li>{@code lpushRpop}: LPUSH then RPOP, two commands per operation, so the list keeps its size:
 *     the queue's steady state. Both ends are O(1) whatever the size.</li>
 * <li>{@code lrange100}: LRANGE 0 99, redis-benchmark's lrange_100: 100 bulk replies.</li>
 * <li>{@code lindexMiddle}: LINDEX of the middle element: the walk from the nearer end, node by
 *     node, then inside the node, so it grows with the size (as in Redis).</li>
 * </ul>
 *
 * <p>With {@code -prof gc}: LRANGE and LINDEX allocate nothing; LPUSH and RPOP together about 103
 * bytes, whatever the list's size: the new 8 KB node a long list's end gets at once, shared by the
 * 80 or so pushes that fill it (1320 bytes before end nodes were given their size at once and
 * kept theirs while pops take them apart).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ListCommandBenchmark {
    @Param({"100", "10000", "1000000"})
    public int size;

    private InProcessClient client;
    private RequestArguments lpush;
    private RequestArguments rpop;
    private RequestArguments lrange;
    private RequestArguments lindex;

    @Setup
    public void setUp() {
        client = new InProcessClient();

        byte[] key = bytes("mylist");
        byte[] value = bytes("x".repeat(100));
        lpush = RequestArguments.of(bytes("LPUSH"), key, value);
        rpop = RequestArguments.of(bytes("RPOP"), key);
        lrange = RequestArguments.of(bytes("LRANGE"), key, bytes("0"), bytes("99"));
        lindex = RequestArguments.of(bytes("LINDEX"), key, bytes(Integer.toString(size / 2)));
        for (int i = 0; i < size; i++) {
            client.run(lpush);
        }
        client.run(RequestArguments.of(bytes("LLEN"), key));
        client.expectReply(":" + size + "\r\n");
        client.run(lrange);
        client.expectReply("*" + Math.min(100, size) + "\r\n$100\r\n");
    }

    @TearDown
    public void tearDown() {
        client.run("LLEN", "mylist");
        client.expectReply(":" + size + "\r\n");
        client.close();
    }

    @Benchmark
    public int lpushRpop() {
        client.run(lpush);
        return client.run(rpop);
    }

    @Benchmark
    public int lrange100() {
        return client.run(lrange);
    }

    @Benchmark
    public int lindexMiddle() {
        return client.run(lindex);
    }
}
