package io.nuthatch.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.nuthatch.resp.ReplyWriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Encodes one reply of each common shape into a reused pooled direct buffer, the kind the
 * connection writes its replies into. Each operation is one reply; with {@code -prof gc},
 * {@code gc.alloc.rate.norm} should be 0 for every shape.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ReplyWriterBenchmark {
    private final ReplyWriter writer = new ReplyWriter();
    private final byte[] value = new byte[100];
    private ByteBuf out;
    private long counter = 1_234_567;

    @Setup
    public void setUp() {
        Arrays.fill(value, (byte) 'v');
        out = PooledByteBufAllocator.DEFAULT.directBuffer(64 * 1024);
        writer.target(out);
    }

    @TearDown
    public void tearDown() {
        out.release();
    }

    @Benchmark
    public int bulk100() {
        out.clear();
        writer.bulk(value, 0, value.length);
        return out.writerIndex();
    }

    @Benchmark
    public int integer() {
        out.clear();
        writer.integer(counter++);
        return out.writerIndex();
    }

    /** +OK from its pre-encoded constant (SET, MSET). */
    @Benchmark
    public int simpleStringOk() {
        out.clear();
        writer.ok();
        return out.writerIndex();
    }

    /** +PONG from a String (PING), the form that goes through writeCharSequence. */
    @Benchmark
    public int simpleStringText() {
        out.clear();
        writer.simpleString("PONG");
        return out.writerIndex();
    }

    @Benchmark
    public int arrayOf10Bulks() {
        out.clear();
        writer.arrayHeader(10);
        for (int i = 0; i < 10; i++) {
            writer.bulk(value, 0, value.length);
        }
        return out.writerIndex();
    }
}
