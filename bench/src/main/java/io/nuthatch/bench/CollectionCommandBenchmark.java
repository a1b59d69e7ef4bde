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
 * HSET, HGET, SADD and SISMEMBER through the real dispatcher (gate, lookup, handler, reply into a
 * reused buffer), on one hash and one set of {@code size} fields or members: 10 (a listpack hash,
 * a hash-table set of words, and an intset) or a million (hash tables). One operation is one
 * command, on fields and members drawn in turn from those present.
 *
 * <p>With {@code -prof gc}: HGET, SISMEMBER and SADD of a member already there allocate nothing;
 * HSET of a field over a value as long allocates nothing in a listpack and one array (the new
 * field-value pair) in a hash table.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CollectionCommandBenchmark {
    @Param({"10", "1000000"})
    public int size;

    private InProcessClient client;
    private RequestArguments[] hsets;
    private RequestArguments[] hgets;
    private RequestArguments[] sadds;
    private RequestArguments[] sismembers;
    private RequestArguments[] intsetSadds;
    private RequestArguments[] intsetSismembers;
    private int cursor;
    private int mask;

    @Setup
    public void setUp() {
        client = new InProcessClient();

        // Commands are prepared for a power of two of the elements, so the cursor wraps with a mask.
        int prepared = Integer.highestOneBit(Math.min(size, 1 << 16));
        mask = prepared - 1;
        byte[] hash = bytes("hash");
        byte[] set = bytes("set");
        byte[] intset = bytes("intset");
        byte[] value = bytes("value-of-12b");
        hsets = new RequestArguments[prepared];
        hgets = new RequestArguments[prepared];
        sadds = new RequestArguments[prepared];
        sismembers = new RequestArguments[prepared];
        intsetSadds = new RequestArguments[prepared];
        intsetSismembers = new RequestArguments[prepared];
        for (int i = 0; i < size; i++) {
            byte[] field = bytes(String.format("field:%09d", i));
            byte[] member = bytes(String.format("member:%09d", i));
            byte[] number = bytes(Integer.toString(i * 7));
            RequestArguments hset = RequestArguments.of(bytes("HSET"), hash, field, value);
            RequestArguments sadd = RequestArguments.of(bytes("SADD"), set, member);
            RequestArguments intsetSadd = RequestArguments.of(bytes("SADD"), intset, number);
            client.run(hset);
            client.run(sadd);
            if (i < 10) {
                client.run(intsetSadd);
            }
            if (i < prepared) {
                hsets[i] = hset;
                sadds[i] = sadd;
                hgets[i] = RequestArguments.of(bytes("HGET"), hash, field);
                sismembers[i] = RequestArguments.of(bytes("SISMEMBER"), set, member);
                intsetSadds[i] = RequestArguments.of(bytes("SADD"), intset, bytes(Integer.toString(i % 10 * 7)));
                intsetSismembers[i] = RequestArguments.of(bytes("SISMEMBER"), intset,
                        bytes(Integer.toString(i % 10 * 7)));
            }
        }
        client.run(hgets[0]);
        client.expectReply("$12\r\n");
        client.run(sismembers[0]);
        client.expectReply(":1\r\n");
        client.run(intsetSismembers[1]);
        client.expectReply(":1\r\n");
    }

    @TearDown
    public void tearDown() {
        client.close();
    }

    private int next() {
        int index = cursor;
        cursor = (index + 1) & mask;
        return index;
    }

    /** HSET of a field that is there, to a value as long: :0. */
    @Benchmark
    public int hsetExisting() {
        return client.run(hsets[next()]);
    }

    @Benchmark
    public int hget() {
        return client.run(hgets[next()]);
    }

    /** SADD of a member that is there (redis-benchmark's SADD with -r, once warm): :0. */
    @Benchmark
    public int saddExisting() {
        return client.run(sadds[next()]);
    }

    @Benchmark
    public int sismember() {
        return client.run(sismembers[next()]);
    }

    /** SADD and SISMEMBER on an intset of ten members, whatever the size parameter. */
    @Benchmark
    public int intsetSaddExisting() {
        return client.run(intsetSadds[next()]);
    }

    @Benchmark
    public int intsetSismember() {
        return client.run(intsetSismembers[next()]);
    }
}
