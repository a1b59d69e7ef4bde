package io.nuthatch.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.nuthatch.resp.ProtocolLimits;
import io.nuthatch.resp.RequestArguments;
import io.nuthatch.resp.RequestDecoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Decodes one read's worth of pipelined requests, half GET and half SET of a 100-byte value (what
 * redis-benchmark -P 32 -d 100 sends), as the connection does: one pooled direct buffer, one
 * decoder and its reused argument arena. The listener reads every byte of every argument, as a
 * command would, so the copy into the arena is not optimized away.
 *
 * <p>Scores are per request: ops/s is requests decoded per second, and with {@code -prof gc}
 * {@code gc.alloc.rate.norm} is bytes allocated per request, which should be 0.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RequestDecoderBenchmark {
    /** Requests in the pipelined buffer, alternately GET and SET. */
    static final int REQUESTS = 32;

    private ByteBuf pipeline;
    private RequestDecoder decoder;
    private final TouchingListener listener = new TouchingListener();

    @Setup
    public void setUp() {
        StringBuilder text = new StringBuilder();
        String value = "x".repeat(100);
        for (int i = 0; i < REQUESTS; i++) {
            String key = String.format("key:%012d", 1000 + i * 7919);
            if (i % 2 == 0) {
                text.append("*2\r\n$3\r\nGET\r\n$").append(key.length()).append("\r\n").append(key).append("\r\n");
            } else {
                text.append("*3\r\n$3\r\nSET\r\n$").append(key.length()).append("\r\n").append(key).append("\r\n")
                        .append("$100\r\n").append(value).append("\r\n");
            }
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.US_ASCII);
        pipeline = PooledByteBufAllocator.DEFAULT.directBuffer(bytes.length);
        pipeline.writeBytes(bytes);
        decoder = new RequestDecoder(new ProtocolLimits());
    }

    @TearDown
    public void tearDown() {
        pipeline.release();
        if (listener.requests == 0) {
            throw new IllegalStateException("decoder delivered no request");
        }
    }

    @Benchmark
    @OperationsPerInvocation(REQUESTS)
    public long decodePipeline() {
        pipeline.readerIndex(0);
        RequestDecoder.Outcome outcome = decoder.decode(pipeline, listener);
        if (outcome != RequestDecoder.Outcome.NEEDS_MORE_INPUT || pipeline.isReadable()) {
            throw new IllegalStateException("pipeline not fully decoded: " + outcome);
        }
        return listener.checksum;
    }

    /** Reads every argument byte, standing in for a command that compares and hashes them. */
    static final class TouchingListener implements RequestDecoder.RequestListener {
        long checksum;
        long requests;

        @Override
        public boolean onRequest(RequestArguments arguments) {
            long sum = arguments.count();
            for (int a = 0; a < arguments.count(); a++) {
                byte[] array = arguments.array(a);
                int end = arguments.offset(a) + arguments.length(a);
                for (int i = arguments.offset(a); i < end; i++) {
                    sum = sum * 31 + array[i];
                }
            }
            checksum += sum;
            requests++;
            return true;
        }
    }
}
