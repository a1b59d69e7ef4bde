package io.nuthatch.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.nuthatch.resp.RequestArguments;
import io.nuthatch.server.Engine;
import io.nuthatch.server.StandardCommands;
import io.nuthatch.server.client.ClientSession;
import io.nuthatch.server.client.DetachedTransport;
import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.command.CommandDispatcher;
import io.nuthatch.server.config.ServerConfig;
import io.nuthatch.server.gate.ExecutionGate;
import io.nuthatch.server.gate.GateWaiter;
import io.nuthatch.server.log.ServerLog;

import java.nio.charset.StandardCharsets;

/**
 * One client of an engine in this process, running commands as a connection's event loop runs
 * them but without a socket: entering the engine's gate, the dispatcher (lookup, arity, handler,
 * statistics, execution unit), and the reply written into one reused pooled direct buffer. What the
 * benchmarks measure is this path; each benchmark only prepares its requests.
 */
final class InProcessClient implements AutoCloseable {
    private final Engine engine;
    private final ExecutionGate gate;
    private final GateWaiter waiter = new GateWaiter() {
        @Override
        protected void admit() {
            throw new IllegalStateException("nothing holds the engine for long in a benchmark");
        }
    };
    private final CommandDispatcher dispatcher;
    private final CommandContext context;
    private final ByteBuf out;

    /** A client of a new engine with the default configuration, logging warnings only. */
    InProcessClient() {
        ServerLog log = new ServerLog();
        log.level(ServerLog.Level.WARNING);
        engine = new Engine(new ServerConfig(), StandardCommands.table(), log);
        gate = engine.gate();
        dispatcher = engine.dispatcher();
        ClientSession session = new ClientSession(1, new DetachedTransport("127.0.0.1:1"), System.currentTimeMillis());
        engine.clients().add(session);
        context = dispatcher.newContext(session);
        out = PooledByteBufAllocator.DEFAULT.directBuffer(64 * 1024);
        session.reply().target(out);
    }

    Engine engine() {
        return engine;
    }

    /** Runs one command; returns the length of its reply, for the benchmark to return. */
    int run(RequestArguments arguments) {
        out.clear();
        if (!gate.enter(waiter)) {
            throw new IllegalStateException("the gate did not let the command in");
        }
        try {
            dispatcher.execute(context, arguments);
        } finally {
            gate.exit();
        }
        return out.writerIndex();
    }

    /** Runs a command built here: for setting up and checking, not for the measured path. */
    int run(String... words) {
        return run(RequestArguments.of(words));
    }

    /** Fails the setup when the last reply does not start as expected. */
    void expectReply(String start) {
        String reply = out.toString(StandardCharsets.ISO_8859_1);
        if (!reply.startsWith(start)) {
            throw new IllegalStateException("expected a reply starting " + start.trim() + ", got " + reply);
        }
    }

    @Override
    public void close() {
        out.release();
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
