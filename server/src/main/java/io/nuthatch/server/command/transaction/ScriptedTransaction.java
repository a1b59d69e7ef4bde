package io.nuthatch.server.command.transaction;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.nuthatch.resp.ReplyWriter;
import io.nuthatch.resp.RequestArguments;
import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.command.CommandError;
import io.nuthatch.server.command.CommandSpec;
import io.nuthatch.server.scripting.LuaScripts;
import io.nuthatch.server.transaction.Transaction;

import java.util.Set;

/**
 * EXEC of a queue that holds EVAL, EVALSHA or FCALL: the queue runs on the script's thread (see
 * {@link LuaScripts#runTransaction}), so that a script in it that runs long makes the others read
 * -BUSY and can be stopped by SCRIPT KILL, instead of keeping the connection's event loop. Its
 * replies are gathered in a buffer of the transaction's own and handed to the connection whole,
 * since the connection goes on with other work meanwhile. The queue is copied out of the
 * transaction first: EXEC returns (and the transaction closes) before the queue has run.
 */
final class ScriptedTransaction implements LuaScripts.QueuedTransaction {
    private static final Set<String> SCRIPT_COMMANDS = Set.of("eval", "evalsha", "eval_ro", "evalsha_ro", "fcall",
            "fcall_ro");

    private final CommandContext caller;
    private final CommandContext runAs;
    private final ByteBuf replies = Unpooled.buffer(256);
    private final CommandSpec[] commands;
    private final RequestArguments[] arguments;

    private ScriptedTransaction(CommandContext caller, Transaction transaction) {
        this.caller = caller;
        int count = transaction.queuedCount();
        commands = new CommandSpec[count];
        arguments = new RequestArguments[count];
        for (int i = 0; i < count; i++) {
            commands[i] = transaction.queuedCommand(i);
            arguments[i] = transaction.queuedArguments(i);
        }
        ReplyWriter writer = new ReplyWriter();
        writer.target(replies);
        writer.protocol(caller.reply().protocol());
        writer.errorListener(caller.engine().stats()::errorReplied);
        runAs = new CommandContext(caller.engine(), caller.client(), writer);
        runAs.denyBlocking(true);
    }

    /** Whether the queue holds a script, and EXEC may leave its turn (it is not run by a script or a load). */
    static boolean applies(CommandContext c, Transaction transaction) {
        if (!c.mayBlock()) {
            return false;
        }
        for (int i = 0; i < transaction.queuedCount(); i++) {
            if (SCRIPT_COMMANDS.contains(transaction.queuedCommand(i).name())) {
                return true;
            }
        }
        return false;
    }

    /** Runs the queue; EXEC's reply is written now or, when a script in it ran long, when the queue ends. */
    static void exec(CommandContext c, Transaction transaction) {
        ScriptedTransaction queued = new ScriptedTransaction(c, transaction);
        transaction.close();
        if (c.engine().scripts().runTransaction(c, queued)) {
            queued.reply(c);
        }
    }

    @Override
    public void run() {
        LuaScripts scripts = caller.engine().scripts();
        runAs.reply().arrayHeader(commands.length);
        for (int i = 0; i < commands.length && !scripts.transactionStopping(); i++) {
            CommandError denied = caller.engine().acl().checkQueued(runAs.client(), commands[i], arguments[i]);
            if (denied != null) {
                runAs.reply().error(denied.reply());
            } else {
                caller.engine().dispatcher().runInUnit(runAs, commands[i], arguments[i]);
            }
        }
    }

    @Override
    public void reply(CommandContext c) {
        c.reply().buffer().writeBytes(replies);
        replies.release();
    }
}
