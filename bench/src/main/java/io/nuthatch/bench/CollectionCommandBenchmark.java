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
import io.nuthatch.server.log.ServerLog;
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
import java.util.concurrent.TimeUnit;

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

    private ExecutionGate gate;
    private final GateWaiter waiter = new GateWaiter() {
        @Override
        protected void admit() {
            throw new IllegalStateException("nothing holds the engine for long in this benchmark");
        }
    };
    private CommandDispatcher dispatcher;
    private CommandContext context;
    private ByteBuf out;
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
        ServerLog log = new ServerLog();
        log.level(ServerLog.Level.WARNING);
        Engine engine = new Engine(new ServerConfig(), StandardCommands.table(), log);
        gate = engine.gate();
        dispatcher = engine.dispatcher();
        ClientSession session = new ClientSession(1, new CommandPathBenchmark.NoTransport(), System.currentTimeMillis());
        engine.clients().add(session);
        context = dispatcher.newContext(session);
        out = PooledByteBufAllocator.DEFAULT.directBuffer(64 * 1024);
        session.reply().target(out);

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
            run(hset);
            run(sadd);
            if (i < 10) {
                run(intsetSadd);
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
        run(hgets[0]);
        expectReply("$12\r\n");
        run(sismembers[0]);
        expectReply(":1\r\n");
        run(intsetSismembers[1]);
        expectReply(":1\r\n");
    }

    @TearDown
    public void tearDown() {
        out.release();
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
        cursor = (index + 1) & mask;
        return index;
    }

    /** HSET of a field that is there, to a value as long: :0. */
    @Benchmark
    public int hsetExisting() {
        run(hsets[next()]);
        return out.writerIndex();
    }

    @Benchmark
    public int hget() {
        run(hgets[next()]);
        return out.writerIndex();
    }

    /** SADD of a member that is there (redis-benchmark's SADD with -r, once warm): :0. */
    @Benchmark
    public int saddExisting() {
        run(sadds[next()]);
        return out.writerIndex();
    }

    @Benchmark
    public int sismember() {
        run(sismembers[next()]);
        return out.writerIndex();
    }

    /** SADD and SISMEMBER on an intset of ten members, whatever the size parameter. */
    @Benchmark
    public int intsetSaddExisting() {
        run(intsetSadds[next()]);
        return out.writerIndex();
    }

    @Benchmark
    public int intsetSismember() {
        run(intsetSismembers[next()]);
        return out.writerIndex();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
