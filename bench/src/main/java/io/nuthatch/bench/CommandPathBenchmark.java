package io.nuthatch.bench;

import io.nuthatch.resp.RequestArguments;
import io.nuthatch.server.Engine;
import io.nuthatch.server.keyspace.Database;
import io.nuthatch.server.keyspace.KeyEntry;
import io.nuthatch.server.propagation.WritePropagation;
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
 * GET and SET through the real dispatcher, as a connection runs them but without a socket: entering
 * the engine's gate, command lookup, arity check, the handler, statistics, the command's execution
 * unit, and the reply written into a reused pooled direct buffer. One operation is one command.
 *
 * <p>With {@code -prof gc}, {@code gc.alloc.rate.norm} is what one command allocates: 0 for GET;
 * 0 for SET over an existing key of a value as long (written over it) and for INCR of a counter
 * whose length does not change (its digits rewritten); for SET of a new key, its entry and the one
 * array holding its key and value.
 *
 * <p>{@code propagated=true} adds a propagation listener, as the append-only log will be: each
 * write's unit is then built and delivered (a view over the request's arguments for SET, a
 * rewritten record for SET EX), and the listener reads every byte of it without keeping any.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CommandPathBenchmark {
    /** Keys present in the database; a power of two so the cursor wraps with a mask. */
    static final int KEYS = 1 << 14;
    static final int VALUE_SIZE = 100;

    /** Whether a propagation listener is attached (the append-only log's place). */
    @Param({"false", "true"})
    public boolean propagated;

    private Engine engine;
    /** What the listener read, so that the reading is not optimized away. */
    private long propagatedBytes;
    private InProcessClient client;
    private byte[][] keys;
    private RequestArguments[] gets;
    private RequestArguments[] sets;
    private RequestArguments[] getMisses;
    private RequestArguments[] setsWithExpiry;
    private RequestArguments[] incrs;
    private int cursor;

    @Setup
    public void setUp() {
        client = new InProcessClient();
        engine = client.engine();
        if (propagated) {
            engine.propagation().addListener((WritePropagation.UnitListener) unit -> {
                for (int record = 0; record < unit.recordCount(); record++) {
                    for (int argument = 0; argument < unit.argumentCount(record); argument++) {
                        byte[] array = unit.array(record, argument);
                        int offset = unit.argumentOffset(record, argument);
                        for (int i = 0; i < unit.argumentLength(record, argument); i++) {
                            propagatedBytes += array[offset + i];
                        }
                    }
                }
            });
        }

        byte[] get = bytes("GET");
        byte[] set = bytes("SET");
        byte[] value = bytes("v".repeat(VALUE_SIZE));
        keys = new byte[KEYS][];
        gets = new RequestArguments[KEYS];
        sets = new RequestArguments[KEYS];
        getMisses = new RequestArguments[KEYS];
        setsWithExpiry = new RequestArguments[KEYS];
        byte[] ex = bytes("EX");
        byte[] hour = bytes("3600");
        incrs = new RequestArguments[KEYS];
        byte[] incr = bytes("INCR");
        for (int i = 0; i < KEYS; i++) {
            keys[i] = bytes(String.format("key:%012d", i));
            gets[i] = RequestArguments.of(get, keys[i]);
            sets[i] = RequestArguments.of(set, keys[i], value);
            getMisses[i] = RequestArguments.of(get, bytes(String.format("absent:%012d", i)));
            setsWithExpiry[i] = RequestArguments.of(set, keys[i], value, ex, hour);
            incrs[i] = RequestArguments.of(incr, bytes(String.format("counter:%08d", i)));
            client.run(sets[i]);
            client.run(incrs[i]);
        }
        if (engine.keyspace().database(0).size() != 2 * KEYS) {
            throw new IllegalStateException("setup SETs did not store the keys");
        }
        client.run(gets[0]);
        client.expectReply("$100\r\n");
        client.run(getMisses[0]);
        client.expectReply("$-1\r\n");
        client.run(sets[0]);
        client.expectReply("+OK\r\n");
    }

    @TearDown
    public void tearDown() {
        client.close();
        if (propagated && propagatedBytes == 0) {
            throw new IllegalStateException("the listener saw no propagated write");
        }
    }

    private int next() {
        int index = cursor;
        cursor = (index + 1) & (KEYS - 1);
        return index;
    }

    /** GET of an existing 100-byte value: $100 reply. */
    @Benchmark
    public int get() {
        return client.run(gets[next()]);
    }

    /** GET of an absent key: $-1 reply. */
    @Benchmark
    public int getMiss() {
        return client.run(getMisses[next()]);
    }

    /** SET over an existing key (the steady state of redis-benchmark -r): +OK. */
    @Benchmark
    public int setExisting() {
        return client.run(sets[next()]);
    }

    /**
     * SET EX over an existing key: stored with an expiry and, when propagated, rewritten as SET
     * key value PXAT time (the rewritten record is built by the handler).
     */
    @Benchmark
    public int setWithExpiry() {
        return client.run(setsWithExpiry[next()]);
    }

    /**
     * SET of a key that is absent: the key is deleted first, directly in the database (no
     * allocation there), so the SET adds it again. The time includes that delete.
     */
    @Benchmark
    public int setNewKey() {
        int index = next();
        Database database = engine.keyspace().database(0);
        KeyEntry entry = database.peek(keys[index]);
        if (entry != null) {
            database.delete(entry);
        }
        return client.run(sets[index]);
    }

    /** INCR of an existing counter (a rate limiter's steady state): :n reply. */
    @Benchmark
    public int incr() {
        return client.run(incrs[next()]);
    }
}
