package io.nuthatch.server.persistence;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.nuthatch.persistence.log.SegmentReader;
import io.nuthatch.resp.ProtocolLimits;
import io.nuthatch.resp.RequestArguments;
import io.nuthatch.resp.RequestDecoder;
import io.nuthatch.server.Engine;
import io.nuthatch.server.client.ClientSession;
import io.nuthatch.server.client.DetachedTransport;
import io.nuthatch.server.command.CommandContext;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Runs the records of verified batches against the engine, through the same dispatcher clients
 * go through, as a client of its own whose replies are dropped: replay then applies exactly what
 * the commands did when they were logged (the records are in deterministic form).
 *
 * <p>MULTI and EXEC are skipped: a whole unit is always inside one verified batch, and the load
 * runs with the engine held, so the records between them apply together anyway (and transactions
 * need no queuing here). An unknown command stops the load, as it stops Redis's.
 */
final class LogReplay implements SegmentReader.RecordSink, RequestDecoder.RequestListener {
    private static final byte[] MULTI = {'M', 'U', 'L', 'T', 'I'};
    private static final byte[] EXEC = {'E', 'X', 'E', 'C'};

    private final Engine engine;
    private final ClientSession client;
    private final CommandContext context;
    private final RequestDecoder decoder;
    private final ByteBuf replies = Unpooled.buffer(256);
    private long commands;

    LogReplay(Engine engine) {
        this.engine = engine;
        this.client = new ClientSession(-1, new DetachedTransport(""), System.currentTimeMillis());
        client.authenticated("default");
        client.reply().target(replies);
        this.context = engine.dispatcher().newContext(client);
        ProtocolLimits limits = new ProtocolLimits();
        limits.maxBulkLength(Long.MAX_VALUE / 2);
        limits.queryBufferLimit(Long.MAX_VALUE / 2);
        this.decoder = new RequestDecoder(limits);
    }

    /** Records run so far (MULTI and EXEC not counted). */
    long commands() {
        return commands;
    }

    @Override
    public void records(byte[] bytes, int offset, int length, int count) throws IOException {
        ByteBuf in = Unpooled.wrappedBuffer(bytes, offset, length);
        RequestDecoder.Outcome outcome = decoder.decode(in, this);
        if (outcome == RequestDecoder.Outcome.PROTOCOL_ERROR || in.isReadable()) {
            throw new IOException("a record the server cannot decode (" + decoder.errorReply() + ")");
        }
    }

    @Override
    public boolean onRequest(RequestArguments arguments) {
        if (arguments.count() == 1 && (arguments.isKeyword(0, MULTI) || arguments.isKeyword(0, EXEC))) {
            return true;
        }
        if (engine.commands().lookup(arguments) == null) {
            throw new UnknownCommand("Unknown command '" + new String(arguments.copy(0), StandardCharsets.ISO_8859_1)
                    + "' reading the append only file");
        }
        engine.dispatcher().execute(context, arguments);
        replies.clear();
        commands++;
        return true;
    }

    /** The log holds a command this server does not have. */
    static final class UnknownCommand extends RuntimeException {
        UnknownCommand(String message) {
            super(message);
        }
    }
}
