package io.nuthatch.server.migration;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.nuthatch.persistence.rdb.RdbFormatException;
import io.nuthatch.persistence.rdb.RedisAofReader;
import io.nuthatch.resp.RequestArguments;
import io.nuthatch.server.Engine;
import io.nuthatch.server.client.ClientSession;
import io.nuthatch.server.client.DetachedTransport;
import io.nuthatch.server.command.CommandContext;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs the commands of a Redis append-only file against the engine, as one client would, the way
 * Redis loads its AOF: SELECT moves between databases, every command must succeed (an error
 * reply stops the import, naming the command and offset), and a MULTI ... EXEC block runs whole
 * or, cut off by the end of the file, not at all.
 *
 * <p>The transaction is unwrapped here rather than sent as MULTI/EXEC: at load time nothing else
 * runs, so its commands applied one after the other leave the dataset EXEC would, and a block
 * the file ends inside can be dropped before any of it ran.
 */
final class AofReplay {
    private static final byte[] MULTI = "MULTI".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EXEC = "EXEC".getBytes(StandardCharsets.US_ASCII);

    private final Engine engine;
    private final ClientSession client;
    private final CommandContext context;
    private final ByteBuf replies = Unpooled.buffer();
    private long commands;
    private final List<byte[]> functionLibraries = new ArrayList<>();

    AofReplay(Engine engine) {
        this.engine = engine;
        this.client = new ClientSession(-1, new DetachedTransport(""), System.currentTimeMillis());
        client.authenticated("default");
        client.reply().target(replies);
        this.context = engine.dispatcher().newContext(client);
    }

    /**
     * Replays every command of {@code reader}.
     *
     * @param truncatedAllowed aof-load-truncated: a command cut off at the end is dropped (true)
     *                         or refused (false)
     * @return whether the file ended inside a command (which was dropped)
     */
    boolean replay(RedisAofReader reader, String fileName, boolean truncatedAllowed) throws IOException {
        List<byte[][]> transaction = null;
        long transactionOffset = 0;
        while (true) {
            long offset = reader.offset();
            byte[][] command;
            try {
                command = reader.next();
            } catch (RedisAofReader.Truncated truncated) {
                if (!truncatedAllowed) {
                    throw new RdbFormatException(fileName + ": " + truncated.getMessage()
                            + " (aof-load-truncated is no)");
                }
                engine.log().warning("!!! Warning: short read while loading the AOF file " + fileName
                        + "!!! The command at offset " + truncated.commandOffset() + " is incomplete and was dropped");
                return true;
            }
            if (command == null) {
                if (transaction != null) {
                    if (!truncatedAllowed) {
                        throw new RdbFormatException(fileName + ": the file ends inside the MULTI at offset "
                                + transactionOffset + " (aof-load-truncated is no)");
                    }
                    engine.log().warning("Revert incomplete MULTI/EXEC transaction in AOF file " + fileName
                            + " (at offset " + transactionOffset + ")");
                    return true;
                }
                return false;
            }
            if (isCommand(command, MULTI)) {
                transaction = new ArrayList<>();
                transactionOffset = offset;
            } else if (isCommand(command, EXEC)) {
                if (transaction == null) {
                    throw new RdbFormatException(fileName + ": EXEC without MULTI at offset " + offset);
                }
                for (byte[][] queued : transaction) {
                    run(queued, fileName, transactionOffset);
                }
                transaction = null;
            } else if (transaction != null) {
                transaction.add(command);
            } else {
                run(command, fileName, offset);
            }
        }
    }

    long commands() {
        return commands;
    }

    /** The libraries of the FUNCTION LOADs met while this server has no FUNCTION command. */
    List<byte[]> functionLibraries() {
        return functionLibraries;
    }

    void close() {
        replies.release();
    }

    private void run(byte[][] command, String fileName, long offset) throws IOException {
        if (isFunctionWithoutScripting(command)) {
            return;
        }
        replies.clear();
        engine.lock().lock();
        try {
            engine.dispatcher().execute(context, RequestArguments.of(command));
        } finally {
            engine.lock().unlock();
        }
        if (replies.isReadable() && replies.getByte(replies.readerIndex()) == '-') {
            String error = replies.toString(StandardCharsets.UTF_8).trim();
            throw new RdbFormatException(fileName + ": the command " + RedisAofReader.name(command).toUpperCase()
                    + " at offset " + offset + " failed: " + error.substring(1));
        }
        commands++;
    }

    /**
     * FUNCTION LOAD in a file, on a server without functions: the library is kept for the scripting
     * side (as FUNCTION2 records are) instead of failing the import; other FUNCTION subcommands
     * (FLUSH, DELETE) concern only libraries, so they are passed over too.
     */
    private boolean isFunctionWithoutScripting(byte[][] command) {
        if (!new String(command[0], StandardCharsets.US_ASCII).equalsIgnoreCase("function")
                || engine.commands().lookup(RequestArguments.of(command)) != null) {
            return false;
        }
        if (command.length >= 3 && new String(command[1], StandardCharsets.US_ASCII).equalsIgnoreCase("load")) {
            functionLibraries.add(command[command.length - 1]);
        }
        return true;
    }

    private static boolean isCommand(byte[][] command, byte[] name) {
        return command.length == 1 && Arrays.equals(
                new String(command[0], StandardCharsets.US_ASCII).toUpperCase().getBytes(StandardCharsets.US_ASCII), name);
    }
}
