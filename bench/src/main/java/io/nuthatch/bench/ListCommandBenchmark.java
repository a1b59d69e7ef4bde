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

    private Engine engine;
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
    private RequestArguments lpush;
    private RequestArguments rpop;
    private RequestArguments lrange;
    private RequestArguments lindex;

    @Setup
    public void setUp() {
        ServerLog log = new ServerLog();
        log.level(ServerLog.Level.WARNING);
        engine = new Engine(new ServerConfig(), StandardCommands.table(), log);
        gate = engine.gate();
        dispatcher = engine.dispatcher();
        ClientSession session = new ClientSession(1, new CommandPathBenchmark.NoTransport(), System.currentTimeMillis());
        engine.clients().add(session);
        context = dispatcher.newContext(session);
        out = PooledByteBufAllocator.DEFAULT.directBuffer(64 * 1024);
        session.reply().target(out);

        byte[] key = bytes("mylist");
        byte[] value = bytes("x".repeat(100));
        lpush = RequestArguments.of(bytes("LPUSH"), key, value);
        rpop = RequestArguments.of(bytes("RPOP"), key);
        lrange = RequestArguments.of(bytes("LRANGE"), key, bytes("0"), bytes("99"));
        lindex = RequestArguments.of(bytes("LINDEX"), key, bytes(Integer.toString(size / 2)));
        for (int i = 0; i < size; i++) {
            run(lpush);
        }
        run(bytes("LLEN"), key);
        expectReply(":" + size + "\r\n");
        run(lrange);
        expectReply("*" + Math.min(100, size) + "\r\n$100\r\n");
    }

    @TearDown
    public void tearDown() {
        run(bytes("LLEN"), bytes("mylist"));
        expectReply(":" + size + "\r\n");
        out.release();
    }

    private void run(byte[]... arguments) {
        run(RequestArguments.of(arguments));
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

    @Benchmark
    public int lpushRpop() {
        run(lpush);
        run(rpop);
        return out.writerIndex();
    }

    @Benchmark
    public int lrange100() {
        run(lrange);
        return out.writerIndex();
    }

    @Benchmark
    public int lindexMiddle() {
        run(lindex);
        return out.writerIndex();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
