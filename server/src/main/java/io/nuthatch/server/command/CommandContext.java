package io.nuthatch.server.command;

import io.nuthatch.resp.ReplyWriter;
import io.nuthatch.resp.RequestArguments;
import io.nuthatch.server.Engine;
import io.nuthatch.server.blocking.KeyWaiter;
import io.nuthatch.server.client.BlockedClient;
import io.nuthatch.server.client.ClientSession;
import io.nuthatch.server.config.ServerConfig;
import io.nuthatch.server.keyspace.Database;
import io.nuthatch.server.keyspace.KeyEntry;
import io.nuthatch.server.keyspace.Keyspace;
import io.nuthatch.server.propagation.WritePropagation;
import io.nuthatch.server.type.NumericStrings;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * What a handler works with while it runs one command: the arguments, the reply writer, the
 * client's session and database, the time, and the way to say how the command is propagated.
 * One context per connection, reused for every command, so running a command allocates nothing.
 */
public final class CommandContext {
    private final Engine engine;
    private final ClientSession client;
    private final ReplyWriter reply;
    private RequestArguments arguments;
    private CommandSpec command;
    private boolean propagationSuppressed;
    private boolean blockingDenied;

    public CommandContext(Engine engine, ClientSession client) {
        this(engine, client, client.reply());
    }

    /**
     * A context whose replies go to {@code reply} instead of the client's own writer: for commands
     * run as the client on another thread while its connection goes on (a transaction that runs a
     * script long), which must not share the connection's writer.
     */
    public CommandContext(Engine engine, ClientSession client, ReplyWriter reply) {
        this.engine = engine;
        this.client = client;
        this.reply = reply;
    }

    void begin(CommandSpec command, RequestArguments arguments) {
        this.command = command;
        this.arguments = arguments;
        this.propagationSuppressed = false;
    }

    /**
     * The whole server, for the families that administer it (CONFIG, CLIENT, INFO, SHUTDOWN,
     * COMMAND). Data commands use the narrower {@link #database()}, {@link #keyspace()},
     * {@link #config()} and {@link #random()}.
     */
    public Engine engine() {
        return engine;
    }

    /** Every database, for commands that reach beyond the selected one (MOVE, COPY DB, SWAPDB). */
    public Keyspace keyspace() {
        return engine.keyspace();
    }

    /** The server's configuration, for the directives a command's behaviour depends on. */
    public ServerConfig config() {
        return engine.config();
    }

    /** The server's random source (RANDOMKEY, SPOP, sampling). */
    public SplittableRandom random() {
        return engine.random();
    }

    public ClientSession client() {
        return client;
    }

    public CommandSpec command() {
        return command;
    }

    public ReplyWriter reply() {
        return reply;
    }

    /** The client's selected database. */
    public Database database() {
        return engine.keyspace().database(client.database());
    }

    /** The time this command runs at, in Unix milliseconds. */
    public long now() {
        return engine.now();
    }

    // ---------------------------------------------------------------- arguments

    public RequestArguments arguments() {
        return arguments;
    }

    public int argumentCount() {
        return arguments.count();
    }

    /** Whether argument {@code index} is the keyword, given in upper case, ignoring case. */
    public boolean isKeyword(int index, byte[] upperCaseKeyword) {
        return arguments.isKeyword(index, upperCaseKeyword);
    }

    /** A copy of an argument, to keep. */
    public byte[] copyArgument(int index) {
        return arguments.copy(index);
    }

    /** An argument as an array to keep, without a copy when the argument has its own array. */
    public byte[] takeArgument(int index) {
        return arguments.take(index);
    }

    /** An argument as text, one character per byte; for cold paths such as error messages. */
    public String argumentText(int index) {
        return arguments.toLatin1String(index);
    }

    /**
     * An argument as a canonical 64-bit integer.
     *
     * @throws CommandError "value is not an integer or out of range"
     */
    public long longArgument(int index) {
        return longArgument(index, Errors.NOT_AN_INTEGER);
    }

    /** An argument as a canonical 64-bit integer, with the error to reply when it is not one. */
    public long longArgument(int index, CommandError error) {
        try {
            return NumericStrings.parseLong(arguments.array(index), arguments.offset(index), arguments.length(index));
        } catch (NumberFormatException notANumber) {
            throw error;
        }
    }

    // ---------------------------------------------------------------- blocking

    /**
     * Parks the client until the returned wait is completed or {@code timeoutMillis} pass (0: no
     * timeout), when {@code onTimeout} writes the reply. The handler returns without replying. See
     * {@link BlockedClient}.
     */
    public BlockedClient block(long timeoutMillis, BlockedClient.Reply onTimeout) {
        if (blockingDenied) {
            throw new IllegalStateException("a command may not block here: check mayBlock() first");
        }
        return BlockedClient.park(this, timeoutMillis, onTimeout);
    }

    /**
     * Parks the client on the keys of arguments {@code firstKey} to {@code firstKey + keyCount - 1}
     * in its database, until {@code waiter} is served from one of them, the timeout passes (0: no
     * timeout; see {@link io.nuthatch.server.blocking.BlockingTimeout}) or the client goes away. The
     * handler returns without replying. Check {@link #mayBlock()} first. See {@link
     * io.nuthatch.server.blocking.BlockingKeys} for when and how waiters are served.
     */
    public BlockedClient blockOnKeys(int firstKey, int keyCount, long timeoutMillis, KeyWaiter waiter) {
        BlockedClient blocked = block(timeoutMillis, waiter::writeTimeout);
        engine.blocking().block(blocked, database(), arguments, firstKey, keyCount, waiter);
        return blocked;
    }

    /**
     * Whether the running command may park its client. Not inside MULTI/EXEC or a script, where a
     * blocking command acts as if its timeout had passed at once (BLPOP of an empty list replies a
     * null array), as Redis's CLIENT_DENY_BLOCKING makes it.
     */
    public boolean mayBlock() {
        return !blockingDenied;
    }

    /**
     * Forbids or allows blocking for the commands run with this context from now on: EXEC and the
     * scripting engine set it around the commands they run, and clear it after.
     */
    public void denyBlocking(boolean denied) {
        this.blockingDenied = denied;
    }

    /**
     * Marks a key as ready for the clients blocked on it, to be served once the outermost execution
     * unit ends: for a change that can serve waiters without adding the key (XADD on an existing
     * stream). Adding a key (a push that creates a list, RENAME, MOVE ...) needs no call: the
     * keyspace signals it.
     */
    public void signalKeyReady(Database database, KeyEntry entry) {
        engine.blocking().signalReady(database, entry);
    }

    // ---------------------------------------------------------------- values

    /**
     * The entry, checked to hold a string, whose bytes are then read with {@link
     * KeyEntry#stringArray()}, {@link KeyEntry#stringOffset()} and {@link KeyEntry#stringLength()}.
     *
     * @throws CommandError WRONGTYPE when it holds another type
     */
    public static KeyEntry requireString(KeyEntry entry) {
        if (!entry.isString()) {
            throw Errors.WRONG_TYPE;
        }
        return entry;
    }

    // ---------------------------------------------------------------- propagation

    /**
     * Write propagation, for the commands that run others as one unit: EXEC and scripts open the
     * outer unit ({@link WritePropagation#beginUnit()}) before running their commands and close it
     * after, and suppress their own propagation ({@link #suppressPropagation()}), so that what the
     * commands inside wrote is delivered together, wrapped in MULTI/EXEC when it is more than one
     * record.
     */
    public WritePropagation propagation() {
        return engine.propagation();
    }

    /** Whether writes are propagated at all; handlers build rewritten forms only when they are. */
    public boolean isPropagating() {
        return engine.propagation().isActive();
    }

    /**
     * Propagates a record built in reused buffers instead of the command that ran, allocating
     * nothing: {@code c.rewrite().word(SET).argument(1).bytes(stored).word(PXAT).number(at).end()}.
     * Records built this way take the place of the command as sent; several records are
     * propagated in the order built. Call it only when {@link #isPropagating()}. See {@link WritePropagation#rewrite}.
     */
    public WritePropagation.RecordBuilder rewrite() {
        return engine.propagation().rewrite(arguments);
    }

    /** Propagates nothing for this command, even though it changed the dataset. */
    public void suppressPropagation() {
        propagationSuppressed = true;
    }

    /** Counts a change that no key signalled (FLUSHALL of an empty server still propagates). */
    public void markDirty() {
        engine.markDirty();
    }

    boolean isPropagationSuppressed() {
        return propagationSuppressed;
    }

    /**
     * Publishes a keyspace event about the key of argument {@code keyIndex}, in the selected
     * database, when notify-keyspace-events asks for events of class {@code type}.
     */
    public void notifyKeyspaceEvent(int type, byte[] event, int keyIndex) {
        engine.keyspaceEvents().notify(type, event, client.database(), arguments.array(keyIndex),
                arguments.offset(keyIndex), arguments.length(keyIndex));
    }

    /** Publishes a keyspace event about {@code key} in database {@code database}. */
    public void notifyKeyspaceEvent(int type, byte[] event, int database, byte[] key) {
        engine.keyspaceEvents().notify(type, event, database, key, 0, key.length);
    }

    /** An upper-case keyword as bytes, for comparing arguments with {@link #isKeyword}. */
    public static byte[] keyword(String upperCase) {
        return upperCase.getBytes(StandardCharsets.US_ASCII);
    }
}
