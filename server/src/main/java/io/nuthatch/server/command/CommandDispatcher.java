package io.nuthatch.server.command;

import io.nuthatch.resp.ReplyWriter;
import io.nuthatch.resp.RequestArguments;
import io.nuthatch.server.Engine;
import io.nuthatch.server.client.BlockedClient;
import io.nuthatch.server.client.ClientPause;
import io.nuthatch.server.client.ClientSession;
import io.nuthatch.server.command.pubsub.PubSubCommands;
import io.nuthatch.server.command.server.MonitorCommands;
import io.nuthatch.server.command.transaction.TransactionCommands;
import io.nuthatch.server.gate.ExecutionGate;
import io.nuthatch.server.info.ServerStats;
import io.nuthatch.server.propagation.WritePropagation;
import io.nuthatch.server.scripting.LuaScripts;
import io.nuthatch.server.transaction.Transaction;

import java.util.Locale;

/**
 * Runs one request: finds the command, applies the checks Redis applies before running anything
 * (in Redis's order, so that the same request fails with the same error), runs the handler,
 * accounts the call, and propagates the write.
 *
 * <p>The caller has entered the engine's {@link ExecutionGate}: this is the one place commands run,
 * so it is also the place that fixes their order. It is also where the gate's state decides what a
 * command may do: while the dataset loads, only commands flagged loading-ok run and the others get
 * -LOADING; while long work is busy, only those flagged allow-busy run and the others get -BUSY
 * (the long work's own commands run as usual). A command CLIENT PAUSE holds is parked here, with
 * its request, before MULTI could queue it ({@link ClientPause}); while no pause is set that costs
 * one field read.
 *
 * <p>Each command is one execution unit of {@link WritePropagation}, or joins the unit of the
 * EXEC or script that runs it; a command propagated as it was sent is recorded as a view over the
 * request's arguments, which stay valid until the command's unit is delivered at its end.
 */
public final class CommandDispatcher {
    private static final String DEBUG_NOT_ALLOWED = "ERR %s command not allowed. If the enable-debug-command option is"
            + " set to \"local\", you can run it from a local connection, otherwise you need to set this"
            + " option in the configuration file, and then restart the server.";

    private static final CommandError[] BUSY_ERRORS = new CommandError[ExecutionGate.LongKind.values().length];

    static {
        for (ExecutionGate.LongKind kind : ExecutionGate.LongKind.values()) {
            BUSY_ERRORS[kind.ordinal()] = new CommandError(kind.busyReply());
        }
    }

    private final Engine engine;
    private final ExecutionGate gate;
    private final WritePropagation propagation;
    private final ClientPause pause;

    public CommandDispatcher(Engine engine) {
        this.engine = engine;
        this.gate = engine.gate();
        this.propagation = engine.propagation();
        this.pause = engine.clientPause();
    }

    /** A context for a new client's commands. */
    public CommandContext newContext(ClientSession client) {
        return new CommandContext(engine, client);
    }

    public void execute(CommandContext context, RequestArguments arguments) {
        ClientSession client = context.client();
        engine.beginCommand(client);
        ReplyWriter reply = client.reply();
        int replyMark = reply.buffer().writerIndex();
        try {
            CommandSpec command = engine.commands().lookup(arguments);
            if (command == null) {
                TransactionCommands.rejectedUnknown(client);
                rejectUnknown(client, arguments);
            } else {
                client.lastCommand(command);
                CommandError rejection = check(client, command, arguments);
                if (rejection != null) {
                    command.stats().rejected();
                    reply.error(TransactionCommands.rejected(client, command, rejection).reply());
                } else if (pause.isSet() && heldByPause(client, command, arguments)) {
                    // Parked with its request; it runs from the start once the pause ends, and
                    // only then does it count as the client's command (CLIENT CACHING applies to it).
                    pause.hold(context, arguments);
                    return;
                } else if (TransactionCommands.queueIfOpen(context, command, arguments)) {
                    // Queued for EXEC, which runs it.
                } else {
                    call(context, command, arguments, replyMark);
                    if (!propagation.inUnit()) {
                        // The outermost unit ended: the keys it made ready are served now, after it.
                        engine.blocking().serveReadyKeys();
                    }
                }
            }
            if (!client.isBlocked()) {
                applyReplyMode(client, reply, replyMark);
            }
            engine.tracking().afterCommand(client);
        } finally {
            engine.endCommand();
        }
    }

    /** Writes the deferred reply of a client whose wait ended (see {@link BlockedClient}). */
    public void finishBlocked(CommandContext context, BlockedClient.Reply deferred) {
        ClientSession client = context.client();
        engine.beginCommand(client);
        ReplyWriter reply = client.reply();
        int replyMark = reply.buffer().writerIndex();
        propagation.beginUnit();
        try {
            deferred.write(context);
        } catch (CommandError error) {
            reply.buffer().writerIndex(replyMark);
            reply.error(error.reply());
        } finally {
            propagation.endUnit();
            engine.endCommand();
        }
        applyReplyMode(client, reply, replyMark);
        engine.tracking().afterCommand(client);
    }

    /** The checks of Redis's processCommand that apply here; null when the command may run. */
    private CommandError check(ClientSession client, CommandSpec command, RequestArguments arguments) {
        if (!command.acceptsArgumentCount(arguments.count())) {
            return Errors.wrongArity(command.name());
        }
        if (command.has(CommandFlag.PROTECTED) && !protectedCommandAllowed(client)) {
            return new CommandError(String.format(DEBUG_NOT_ALLOWED, command.name().toUpperCase(Locale.ROOT)));
        }
        if (engine.authenticationRequired(client) && !command.has(CommandFlag.NO_AUTH)) {
            return Errors.NO_AUTH;
        }
        CommandError denied = engine.acl().check(client, command, arguments,
                client.transaction() != null && client.transaction().isOpen());
        if (denied != null) {
            return denied;
        }
        // Redis's order: out of memory, disk errors, subscriber mode, then loading and busy.
        ExecutionGate.State state = gate.stateFor(Thread.currentThread());
        if (state == ExecutionGate.State.FREE && engine.eviction().refusesForMemory(command)) {
            return Errors.OOM;
        }
        CommandError diskError = engine.persistence().writeRejection(command);
        if (diskError != null) {
            return diskError;
        }
        if (client.isMonitoring() && (command.has(CommandFlag.WRITE) || command.has(CommandFlag.READONLY)
                || command.has(CommandFlag.MAY_REPLICATE))) {
            return MonitorCommands.KEYSPACE_DENIED;
        }
        if (client.subscriptions() != null && client.protocol() == 2
                && !PubSubCommands.allowedInSubscriberMode(command)) {
            return PubSubCommands.notAllowedInSubscriberMode(command);
        }
        if (state != ExecutionGate.State.FREE) {
            CommandError rejection = stateRejection(state, command);
            if (rejection != null) {
                return rejection;
            }
        }
        return TransactionCommands.refusedInside(client, command);
    }

    /**
     * Redis's pause check in processCommand, after every rejection and before MULTI queues
     * anything (so a write sent inside MULTI is held too, as redis-server 7.0.15 holds it): ALL
     * holds every command, WRITE those that may replicate. A MONITOR client is never held (Redis
     * exempts replicas, which a monitor is flagged as).
     */
    private boolean heldByPause(ClientSession client, CommandSpec command, RequestArguments arguments) {
        ClientPause.Mode mode = pause.mode();
        if (mode == ClientPause.Mode.NONE || client.isMonitoring()) {
            return false;
        }
        return mode == ClientPause.Mode.ALL || mayReplicate(client, command, arguments);
    }

    /**
     * Whether a command may write or propagate, as Redis's getCommandFlags works it out: a script
     * that declared its flags writes unless no-writes (and is then no longer may_replicate); EXEC
     * may when a command in its queue may.
     */
    private boolean mayReplicate(ClientSession client, CommandSpec command, RequestArguments arguments) {
        if (command.name().equals("exec")) {
            Transaction transaction = client.transaction();
            if (transaction == null || !transaction.isOpen()) {
                return false;
            }
            for (int i = 0; i < transaction.queuedCount(); i++) {
                if (mayReplicate(client, transaction.queuedCommand(i), transaction.queuedArguments(i))) {
                    return true;
                }
            }
            return false;
        }
        Boolean noWrites = LuaScripts.declaresNoWrites(engine.scriptsIfStarted(), command, arguments);
        if (noWrites != null) {
            return !noWrites;
        }
        return command.has(CommandFlag.WRITE) || command.has(CommandFlag.MAY_REPLICATE);
    }

    /** Redis's processCommand: -LOADING unless loading-ok while loading, -BUSY unless allow-busy while busy. */
    private CommandError stateRejection(ExecutionGate.State state, CommandSpec command) {
        if (state == ExecutionGate.State.LOADING && !command.has(CommandFlag.LOADING)) {
            return Errors.LOADING;
        }
        if (state == ExecutionGate.State.BUSY && !command.has(CommandFlag.ALLOW_BUSY)) {
            return BUSY_ERRORS[gate.longKind().ordinal()];
        }
        return null;
    }

    private boolean protectedCommandAllowed(ClientSession client) {
        String setting = engine.config().enableDebugCommand.value();
        return setting.equals("yes") || (setting.equals("local") && client.transport().isLocal());
    }

    private void call(CommandContext context, CommandSpec command, RequestArguments arguments, int replyMark) {
        ServerStats stats = engine.stats();
        long errorsBefore = stats.errorReplies;
        long dirtyBefore = engine.dirty();
        context.begin(command, arguments);
        propagation.beginUnit();
        try {
            if (command.touchesArbitraryKeys()) {
                propagation.unwrapCurrentUnit();
            }
            long started = System.nanoTime();
            try {
                command.handler().execute(context);
            } catch (CommandError error) {
                ReplyWriter reply = context.reply();
                reply.buffer().writerIndex(replyMark);
                reply.error(error.reply());
            }
            long nanos = System.nanoTime() - started;
            command.stats().called(nanos / 1000, stats.errorReplies != errorsBefore);
            if (engine.config().latencyTracking.value()) {
                command.stats().recordLatency(nanos);
            }
            stats.commandsProcessed++;
            if (engine.introspection().monitors().isActive()) {
                engine.introspection().monitors().commandRan(context.client(), command, arguments);
            }
            engine.tracking().afterCall(context.client(), command, arguments);
            if (!context.client().isBlocked()) {
                engine.introspection().commandDone(context.client(), command, arguments, nanos);
            }
            if (engine.dirty() != dirtyBefore) {
                propagate(context, arguments);
            }
        } finally {
            propagation.discardRewritten();
            propagation.endUnit();
        }
    }

    /**
     * Runs a command inside the unit of the command running now (EXEC runs its queue so): its reply
     * goes where the client's replies go, its writes join the outer unit, and the context is the
     * outer command's again afterwards.
     */
    public void runInUnit(CommandContext context, CommandSpec command, RequestArguments arguments) {
        CommandSpec outer = context.command();
        RequestArguments outerArguments = context.arguments();
        engine.beginInnerCommand();
        try {
            call(context, command, arguments, context.reply().buffer().writerIndex());
        } finally {
            // Also when a change the keyspace refused stops the command half way (UndoLog.Refused).
            context.begin(outer, outerArguments);
        }
    }

    /**
     * Records the command in the current unit after whatever it recorded while it ran (the
     * expired keys its lookups deleted), as Redis does: as it was sent, or as it rewrote itself.
     */
    private void propagate(CommandContext context, RequestArguments arguments) {
        if (!propagation.isActive() || context.isPropagationSuppressed()) {
            return;
        }
        int database = context.client().database();
        if (propagation.hasRewritten()) {
            propagation.commitRewritten(database);
        } else {
            propagation.propagateAsSent(database, arguments);
        }
    }

    /**
     * "unknown command" or, for a container given an unknown subcommand, "unknown subcommand".
     * Like Redis, arguments are quoted up to 128 characters and cut at a NUL byte.
     */
    private void rejectUnknown(ClientSession client, RequestArguments arguments) {
        CommandSpec base = engine.commands().lookupBase(arguments);
        String message;
        if (base != null && base.isContainer()) {
            message = "ERR unknown subcommand '" + cString(arguments, 1, 128) + "'. Try "
                    + base.name().toUpperCase(Locale.ROOT) + " HELP.";
        } else {
            StringBuilder quoted = new StringBuilder();
            for (int i = 1; i < arguments.count() && quoted.length() < 128; i++) {
                // The room left is measured before the opening quote, as Redis's sdscatprintf does.
                int room = 128 - quoted.length();
                quoted.append('\'').append(cString(arguments, i, room)).append("' ");
            }
            message = "ERR unknown command '" + cString(arguments, 0, 128) + "', with args beginning with: " + quoted;
        }
        client.reply().error(message);
    }

    /** An argument as C's "%.*s" prints it: at most {@code limit} bytes, up to the first NUL. */
    private static String cString(RequestArguments arguments, int index, int limit) {
        String text = arguments.toLatin1String(index);
        int nul = text.indexOf('\0');
        if (nul >= 0) {
            text = text.substring(0, nul);
        }
        return text.length() > limit ? text.substring(0, limit) : text;
    }

    /** Discards the reply of a client that asked for none (CLIENT REPLY OFF / SKIP). */
    private static void applyReplyMode(ClientSession client, ReplyWriter reply, int replyMark) {
        switch (client.replyMode()) {
            case OFF -> reply.buffer().writerIndex(replyMark);
            case SKIP_THIS -> {
                reply.buffer().writerIndex(replyMark);
                client.replyMode(ClientSession.ReplyMode.ON);
            }
            case SKIP_NEXT -> client.replyMode(ClientSession.ReplyMode.SKIP_THIS);
            case ON -> { }
        }
    }
}
