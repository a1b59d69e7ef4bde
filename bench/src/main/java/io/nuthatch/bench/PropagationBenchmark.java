package io.nuthatch.bench;

import io.nuthatch.resp.RequestArguments;
import io.nuthatch.server.propagation.PropagatedUnit;
import io.nuthatch.server.propagation.WritePropagation;
import io.nuthatch.server.type.NumericStrings;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * One write's execution unit, built and delivered to a listener that reads every byte of it: the
 * cost write propagation adds to a command when the append-only log listens. One operation is one
 * unit of one record.
 *
 * <ul>
 * <li>{@code asSent}: SET k v, recorded as a view over the request's arguments;</li>
 * <li>{@code rewrittenAsArrays}: SET k v PXAT t built as command handlers build it with
 *     CommandContext.propagateAs (a new array of arguments, a copy of the key, the time's digits);</li>
 * <li>{@code rewrittenInReusedBuffers}: the same record built with CommandContext.rewrite().</li>
 * </ul>
 * With {@code -prof gc}, {@code gc.alloc.rate.norm} should be 0 for the first and the last.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PropagationBenchmark {
    private static final byte[] SET = bytes("SET");
    private static final byte[] PXAT = bytes("PXAT");

    private final WritePropagation propagation = new WritePropagation();
    private RequestArguments setWithExpiry;
    private RequestArguments set;
    private byte[] stored;
    private long time = 1_800_000_000_000L;
    private long checksum;

    @Setup
    public void setUp() {
        set = RequestArguments.of(SET, bytes("key:000000000042"), bytes("v".repeat(100)));
        setWithExpiry = RequestArguments.of(SET, bytes("key:000000000042"), bytes("v".repeat(100)), bytes("EX"),
                bytes("3600"));
        stored = bytes("v".repeat(100));
        propagation.addListener((WritePropagation.UnitListener) this::read);
    }

    private void read(PropagatedUnit unit) {
        for (int record = 0; record < unit.recordCount(); record++) {
            for (int argument = 0; argument < unit.argumentCount(record); argument++) {
                byte[] array = unit.array(record, argument);
                int offset = unit.argumentOffset(record, argument);
                for (int i = 0; i < unit.argumentLength(record, argument); i++) {
                    checksum += array[offset + i];
                }
            }
        }
    }

    @Benchmark
    public long asSent() {
        propagation.beginUnit();
        propagation.propagateAsSent(0, set);
        propagation.endUnit();
        return checksum;
    }

    @Benchmark
    public long rewrittenAsArrays() {
        propagation.beginUnit();
        int keyOffset = setWithExpiry.offset(1);
        byte[] key = Arrays.copyOfRange(setWithExpiry.array(1), keyOffset, keyOffset + setWithExpiry.length(1));
        propagation.propagate(0, new byte[][] {SET, key, stored, PXAT, NumericStrings.toBytes(++time)});
        propagation.endUnit();
        return checksum;
    }

    @Benchmark
    public long rewrittenInReusedBuffers() {
        propagation.beginUnit();
        propagation.rewrite(setWithExpiry).word(SET).argument(1).bytes(stored).word(PXAT).number(++time).end();
        propagation.commitRewritten(0);
        propagation.endUnit();
        return checksum;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
