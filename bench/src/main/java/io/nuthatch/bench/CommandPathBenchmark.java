package io.nuthatch.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.nuthatch.resp.RequestArguments;
import io.nuthatch.server.Engine;
import io.nuthatch.server.StandardCommands;
import io.nuthatch.server.client.ClientSession;
import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.command.CommandDispatcher;
import io.nuthatch.server.config.ServerConfig;
import io.nuthatch.server.gate.ExecutionGate;
import io.nuthatch.server.gate.GateWaiter;
import io.nuthatch.server.keyspace.Database;
import io.nuthatch.server.keyspace.KeyEntry;
import io.nuthatch.server.log.ServerLog;
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

import java.nio.charset.StandardCharsets;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

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
    private ExecutionGate gate;
    private final GateWaiter waiter = new GateWaiter() {
        @Override
        protected void admit() {
            throw new IllegalStateException("nothing holds the engine for long in this benchmark");
        }
    };
    /** What the listener read, so that the reading is not optimized away. */
    private long propagatedBytes;
    private CommandDispatcher dispatcher;
    private CommandContext context;
    private ByteBuf out;
    private byte[][] keys;
    private RequestArguments[] gets;
    private RequestArguments[] sets;
    private RequestArguments[] getMisses;
    private RequestArguments[] setsWithExpiry;
    private RequestArguments[] incrs;
    private int cursor;

    @Setup
    public void setUp() {
        ServerLog log = new ServerLog();
        log.level(ServerLog.Level.WARNING);
        engine = new Engine(new ServerConfig(), StandardCommands.table(), log);
        gate = engine.gate();
        dispatcher = engine.dispatcher();
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
        ClientSession session = new ClientSession(1, new NoTransport(), System.currentTimeMillis());
        engine.clients().add(session);
        context = dispatcher.newContext(session);
        out = PooledByteBufAllocator.DEFAULT.directBuffer(64 * 1024);
        session.reply().target(out);

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
            run(sets[i]);
            run(incrs[i]);
        }
        if (engine.keyspace().database(0).size() != 2 * KEYS) {
            throw new IllegalStateException("setup SETs did not store the keys");
        }
        run(gets[0]);
        expectReply("$100\r\n");
        run(getMisses[0]);
        expectReply("$-1\r\n");
        run(sets[0]);
        expectReply("+OK\r\n");
    }

    @TearDown
    public void tearDown() {
        out.release();
        if (propagated && propagatedBytes == 0) {
            throw new IllegalStateException("the listener saw no propagated write");
        }
    }

    private void run(RequestArguments arguments) {
        out.clear();
        if (!gate.enter(waiter)) {
            throw new IllegalStateException("the gate did not let the command in");
        }
        try {
            dispatcher.execute(context, arguments);
        } finally {
            gate.exit();
        }
    }

    private void expectReply(String start) {
        String reply = out.toString(StandardCharsets.ISO_8859_1);
        if (!reply.startsWith(start)) {
            throw new IllegalStateException("expected a reply starting " + start.trim() + ", got " + reply);
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
        run(gets[next()]);
        return out.writerIndex();
    }

    /** GET of an absent key: $-1 reply. */
    @Benchmark
    public int getMiss() {
        run(getMisses[next()]);
        return out.writerIndex();
    }

    /** SET over an existing key (the steady state of redis-benchmark -r): +OK. */
    @Benchmark
    public int setExisting() {
        run(sets[next()]);
        return out.writerIndex();
    }

    /**
     * SET EX over an existing key: stored with an expiry and, when propagated, rewritten as SET
     * key value PXAT time (the rewritten record is built by the handler).
     */
    @Benchmark
    public int setWithExpiry() {
        run(setsWithExpiry[next()]);
        return out.writerIndex();
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
        run(sets[index]);
        return out.writerIndex();
    }

    /** INCR of an existing counter (a rate limiter's steady state): :n reply. */
    @Benchmark
    public int incr() {
        run(incrs[next()]);
        return out.writerIndex();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** A connection that is not there: the commands benchmarked never reach it. */
    static final class NoTransport implements ClientSession.Transport {
        @Override
        public void closeAfterReply() {
        }

        @Override
        public void closeNow() {
        }

        @Override
        public String remoteAddress() {
            return "127.0.0.1:1";
        }

        @Override
        public String localAddress() {
            return "127.0.0.1:6379";
        }

        @Override
        public long queryBufferBytes() {
            return 0;
        }

        @Override
        public long outputBufferBytes() {
            return 0;
        }

        @Override
        public Future<?> runLater(long delayMillis, Runnable task) {
            throw new UnsupportedOperationException("no blocking command is benchmarked");
        }

        @Override
        public long queryBufferFree() {
            return 0;
        }

        @Override
        public long replyBufferLength() {
            return 0;
        }

        @Override
        public long replyBufferSize() {
            return 0;
        }

        @Override
        public long replyBufferPeak() {
            return 0;
        }

        @Override
        public long outputListLength() {
            return 0;
        }

        @Override
        public long bufferMemory() {
            return 0;
        }

        @Override
        public int fileDescriptor() {
            return -1;
        }

        @Override
        public boolean isLocal() {
            return true;
        }
    }
}
