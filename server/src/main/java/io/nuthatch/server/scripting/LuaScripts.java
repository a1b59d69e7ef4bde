package io.nuthatch.server.scripting;

import io.nuthatch.resp.ReplyWriter;
import io.nuthatch.resp.RequestArguments;
import io.nuthatch.server.Engine;
import io.nuthatch.server.client.BlockedClient;
import io.nuthatch.server.client.ClientSession;
import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.command.CommandError;
import io.nuthatch.server.command.CommandSpec;
import io.nuthatch.server.gate.ExecutionGate;
import io.nuthatch.server.keyspace.UndoLog;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The scripts of EVAL and EVALSHA: the cache of compiled scripts by SHA1, and running one with its
 * KEYS and ARGV. Every script runs in the one {@link LuaSandbox}; a script is compiled once, the
 * first time EVAL or SCRIPT LOAD sees its body, and each later call runs the compiled function.
 *
 * <p>Errors reach the caller in Redis 7.0's form: a compile error as "ERR Error compiling script
 * (new function): user_script:1: ...", a runtime error as its message, then " script: <sha>, on
 * @user_script:<line>.", a string error with "ERR " before it and its position, an error table
 * ({@code {err=...}}, which redis.call raises for a command's error reply) with its own code.
 */
public final class LuaScripts {
    /**
     * A compiled script, with what its {@code #!lua} shebang declared: none (Redis's compatibility
     * mode), or its flags (no-writes, allow-oom; the others change nothing without a cluster).
     */
    public record Script(String sha, byte[] body, LuaFunction function, boolean shebang, boolean noWrites,
                         boolean allowOom) {
    }

    static final CommandError WRITE_FLAG_IN_READ_ONLY =
            new CommandError("ERR Can not execute a script with write flag using *_ro command.");
    static final CommandError SCRIPT_OOM = new CommandError("OOM command not allowed when used memory > 'maxmemory'.");
    static final CommandError BUSY_WITH_SCRIPT = new CommandError(ExecutionGate.LongKind.SCRIPT.busyReply());
    static final CommandError BUSY_WITH_FUNCTION = new CommandError(ExecutionGate.LongKind.FUNCTION.busyReply());
    static final CommandError NOT_BUSY = new CommandError("NOTBUSY No scripts in execution right now.");
    static final CommandError UNKILLABLE = new CommandError("UNKILLABLE Sorry the script already executed write"
            + " commands against the dataset. You can either wait the script termination or kill the server in a"
            + " hard way using the SHUTDOWN NOSAVE command.");
    /** Only CLIENT UNBLOCK could end a script's caller's wait early; it is never let in while one runs. */
    private static final String SCRIPT_STILL_RUNNING = "UNBLOCKED the script is still running";
    /** The outcome of a script stopped because the server stops; compared by reference. */
    private static final String SERVER_STOPPING = new String("the server stops");
    /** The longest a script runs on its caller's thread before it moves to the script's thread. */
    private static final long INLINE_SLICE_LIMIT_MILLIS = 2;
    /** The longest first slice, whatever busy-reply-threshold says. */
    private static final long FIRST_SLICE_LIMIT_MILLIS = 100;

    /** LuaJ's token number for the end of the input (TK_EOS). */
    private static final int END_OF_STREAM = 286;
    private static final LuaString KEYS = LuaString.valueOf("KEYS");
    private static final LuaString ARGV = LuaString.valueOf("ARGV");

    private final Engine engine;
    private final LuaSandbox sandbox = new LuaSandbox();
    private final Map<String, Script> cache = new HashMap<>();
    private final RedisLibrary redis;
    private final FunctionLibraries functions;
    private long cacheBytes;

    private final ScriptThread thread = new ScriptThread("nuthatch-script");
    private final Runnable body = this::runOnScriptThread;
    private final Runnable transactionBody = this::runTransactionOnScriptThread;
    /** The transaction running on the script's thread (see {@link #runTransaction}), or null. */
    private QueuedTransaction transaction;
    /** The script that stopped the transaction running was stopped because the server stops. */
    private boolean transactionStopping;
    /** The context of the script running inside a transaction, for FUNCTION STATS once it runs long. */
    private CommandContext transactionCaller;
    private final InstructionHook.Checkpoint checkpoint = this::checkpoint;
    private final InstructionHook.Checkpoint inlineCheckpoint = this::inlineCheckpoint;
    private boolean inlineMayMove;
    private long inlineDeadline;
    /** What a script that writes on its caller's thread changed, to be taken back if it must move. */
    private final UndoLog undoLog = new UndoLog();
    /**
     * The script or function running now and its outcome; written and read by whoever holds the
     * engine. A script is named by its SHA1 in errors, a function by its name.
     */
    private LuaFunction running;
    private String runningName;
    private String runningChunk;
    private FunctionLibraries.LibraryFunction runningFunction;
    private LuaValue functionKeys;
    private LuaValue functionArguments;
    /** The command that called a function, kept once it runs long, for FUNCTION STATS. */
    private byte[][] functionCommand;
    private ClientSession callerSession;
    private long startedNanos;
    private LuaValue result;
    private String errorReply;
    /** Set once the script detached: the caller parked, the script's hold on the engine. */
    private BlockedClient parked;
    private ExecutionGate.Holder holder;
    private volatile boolean killRequested;
    private final ScriptMemoryBudget memory = new ScriptMemoryBudget();

    public LuaScripts(Engine engine) {
        this.engine = engine;
        this.redis = new RedisLibrary(engine);
        sandbox.globals.rawset("redis", redis.table());
        this.functions = new FunctionLibraries(sandbox, redis.table());
    }

    /** The libraries of FUNCTION LOAD, run by {@link #call}. */
    public FunctionLibraries functions() {
        return functions;
    }

    /** The script of a body, compiled now unless cached. */
    public Script load(byte[] body) {
        String sha = sha1Hex(body, 0, body.length);
        Script script = cache.get(sha);
        if (script != null) {
            return script;
        }
        Shebang shebang = Shebang.parse(body);
        LuaFunction function;
        try {
            function = sandbox.compile(shebang == null ? body : java.util.Arrays.copyOfRange(body, shebang.codeStart(),
                    body.length), LuaSandbox.CHUNK_NAME);
        } catch (LuaError error) {
            throw new CommandError("ERR Error compiling script (new function): " + compileMessage(error.getMessage()));
        }
        script = shebang == null
                ? new Script(sha, body, function, false, false, false)
                : new Script(sha, body, function, true, shebang.noWrites(), shebang.allowOom());
        cache.put(sha, script);
        cacheBytes += body.length;
        return script;
    }

    /**
     * Whether the script an EVAL, EVALSHA or FCALL (or their _RO forms) names declared its flags
     * and no-writes among them: TRUE or FALSE; null when it declared none, is not known, or its
     * shebang is wrong, so that the command's own flags apply (Redis's evalGetCommandFlags and
     * fcallGetCommandFlags, which CLIENT PAUSE WRITE asks). {@code scripts} is null before Lua
     * started: no script is cached then.
     */
    public static Boolean declaresNoWrites(LuaScripts scripts, CommandSpec command, RequestArguments arguments) {
        String name = command.name();
        if (arguments.count() < 2) {
            return null;
        }
        if (name.equals("eval") || name.equals("eval_ro")) {
            try {
                Shebang shebang = Shebang.parse(arguments.copy(1));
                return shebang == null ? null : shebang.noWrites();
            } catch (CommandError invalid) {
                return null;
            }
        }
        if (scripts == null) {
            return null;
        }
        if (name.equals("evalsha") || name.equals("evalsha_ro")) {
            Script script = scripts.find(arguments.toLatin1String(1));
            return script == null || !script.shebang() ? null : script.noWrites();
        }
        if (name.equals("fcall") || name.equals("fcall_ro")) {
            FunctionLibraries.LibraryFunction function = scripts.functions().find(arguments.toLatin1String(1));
            return function == null ? null : function.noWrites();
        }
        return null;
    }

    /** The cached script of a SHA1 (any case), or null. */
    public Script find(String sha) {
        if (sha.length() != 40) {
            return null;
        }
        return cache.get(sha.toLowerCase(java.util.Locale.ROOT));
    }

    /** SCRIPT FLUSH. */
    public void flush() {
        cache.clear();
        cacheBytes = 0;
    }

    public int cachedCount() {
        return cache.size();
    }

    /** Bytes of the cached scripts' bodies (INFO used_memory_scripts_eval). */
    public long cacheBytes() {
        return cacheBytes;
    }

    /**
     * Runs a script for the command in {@code caller}: arguments {@code firstKey} to
     * {@code firstKey + keyCount - 1} are KEYS, those after ARGV. Writes the reply, or, when the
     * script ran past its first slice and goes on as long work, parks the caller, whose reply is
     * written when the script ends (see {@link ScriptThread} and {@link #detach}).
     */
    public void run(CommandContext caller, Script script, int firstKey, int keyCount, boolean readOnly) {
        boolean allowOom = script.shebang() && declaredFlagsAllow(script.noWrites(), script.allowOom(), readOnly);
        running = script.function();
        runningName = script.sha();
        runningChunk = LuaSandbox.CHUNK_NAME;
        runningFunction = null;
        start(caller, firstKey, keyCount, readOnly || script.noWrites(), allowOom);
    }

    /**
     * FCALL and FCALL_RO: runs a library's function as {@link #run} runs a script; the function
     * gets the keys and the other arguments as its two parameters (no KEYS or ARGV globals).
     */
    public void call(CommandContext caller, FunctionLibraries.LibraryFunction function, int firstKey, int keyCount,
            boolean readOnly) {
        boolean allowOom = declaredFlagsAllow(function.noWrites(), function.allowOom(), readOnly);
        running = function.callback();
        runningName = function.name();
        runningChunk = LuaSandbox.FUNCTION_CHUNK_NAME;
        runningFunction = function;
        start(caller, firstKey, keyCount, readOnly || function.noWrites(), allowOom);
    }

    /**
     * Redis 7.0's scriptPrepareForRun for a script that declared its flags (a shebang, or any
     * function): refused up front by a read-only command unless no-writes, or over maxmemory
     * unless allow-oom or no-writes. Whether its writes may go past maxmemory.
     */
    private boolean declaredFlagsAllow(boolean noWrites, boolean allowOom, boolean readOnly) {
        if (!noWrites && readOnly) {
            throw WRITE_FLAG_IN_READ_ONLY;
        }
        boolean mayExceed = allowOom || noWrites;
        if (!mayExceed && engine.eviction().refusesWrites()) {
            throw SCRIPT_OOM;
        }
        return mayExceed;
    }

    private void start(CommandContext caller, int firstKey, int keyCount, boolean noWrites, boolean allowOom) {
        callerSession = caller.client();
        startedNanos = System.nanoTime();
        if (transaction != null) {
            // Queued in a transaction that runs on the script's thread: the script runs here, its
            // checkpoints leave the caller's turn or yield as the transaction's long work.
            transactionCaller = caller;
            prepare(caller, firstKey, keyCount, noWrites, allowOom);
            execute(checkpoint);
            if (errorReply == SERVER_STOPPING) {
                transactionStopping = true;
            } else {
                writeOutcome(caller.reply(), result, errorReply, redis.protocol());
            }
            endScriptRun();
            transactionCaller = null;
            return;
        }
        prepare(caller, firstKey, keyCount, noWrites, allowOom);
        // Inside EXEC the caller cannot be parked: the script runs where it is until it ends.
        boolean mayMove = caller.mayBlock();
        if (runInline(mayMove)) {
            writeOutcome(caller.reply(), result, errorReply, redis.protocol());
            endRun();
            return;
        }
        // It ran past the inline slice or was about to write: again, from the start, where it may
        // leave the caller's turn. It has had no effect so far, so nobody can tell.
        engine.introspection().measurements().scriptMoved();
        prepare(caller, firstKey, keyCount, noWrites, allowOom);
        if (thread.runAttached(body, firstSliceNanos())) {
            writeOutcome(caller.reply(), result, errorReply, redis.protocol());
            endRun();
        } else {
            detach(caller);
        }
    }

    /** KEYS, ARGV and the redis library's state for a run of the script. */
    private void prepare(CommandContext caller, int firstKey, int keyCount, boolean readOnly, boolean allowOom) {
        int argumentCount = caller.argumentCount();
        LuaTable keys = new LuaTable(keyCount, 0);
        for (int i = 0; i < keyCount; i++) {
            keys.rawset(i + 1, LuaString.valueUsing(caller.copyArgument(firstKey + i)));
        }
        int argvStart = firstKey + keyCount;
        LuaTable argv = new LuaTable(Math.max(0, argumentCount - argvStart), 0);
        for (int i = argvStart; i < argumentCount; i++) {
            argv.rawset(i - argvStart + 1, LuaString.valueUsing(caller.copyArgument(i)));
        }
        if (runningFunction == null) {
            sandbox.globals.rawset(KEYS, keys);
            sandbox.globals.rawset(ARGV, argv);
        } else {
            // A function sees no KEYS or ARGV: reading them fails as reading any missing global.
            sandbox.globals.rawset(KEYS, LuaValue.NIL);
            sandbox.globals.rawset(ARGV, LuaValue.NIL);
            functionKeys = keys;
            functionArguments = argv;
        }
        redis.begin(caller, runningName, readOnly, allowOom);
        memory.scriptStarts();
    }

    /**
     * Runs the script on the caller's thread as long as it stays within the inline slice when it
     * may move, and as long as whatever it changed can be taken back: the common, short script
     * costs no thread hand-off. When it must move after all (its slice is over, or it is about to
     * make a change that cannot be taken back), its changes are taken back and it runs again from
     * its start on the script's thread: nobody saw them, so nobody can tell.
     *
     * @return false when it stopped to move to the script's thread
     */
    private boolean runInline(boolean mayMove) {
        inlineMayMove = mayMove;
        inlineDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(
                Math.min(engine.config().monitoring.busyReplyThreshold.value(), INLINE_SLICE_LIMIT_MILLIS));
        boolean takesBack = mayMove && nobodyHearsOfChanges();
        redis.moveBeforeEffects(mayMove, takesBack);
        int recordsBefore = 0;
        long dirtyBefore = 0;
        if (takesBack) {
            recordsBefore = engine.propagation().recordsInUnit();
            dirtyBefore = engine.dirty();
            engine.keyspace().recordUndo(undoLog);
        }
        boolean ended = false;
        try {
            ended = execute(inlineCheckpoint);
            return ended;
        } finally {
            redis.moveBeforeEffects(false, false);
            if (takesBack) {
                if (ended) {
                    engine.keyspace().keepChanges();
                } else {
                    engine.keyspace().rollBack();
                    engine.propagation().forgetRecordsAfter(recordsBefore);
                    engine.takeBackDirty(dirtyBefore);
                }
            }
        }
    }

    /**
     * Whether a change made now reaches nobody before the command ends, so that it can be taken
     * back unseen: no keyspace notification, no tracking invalidation, no MONITOR line, no walk
     * keeping old contents, and no XREADGROUP waiter to be told its stream went away. (Other
     * blocked clients are served after the command, from the keys as they are then; WATCH may see
     * a change that was taken back, which fails a transaction as a change would.)
     */
    private boolean nobodyHearsOfChanges() {
        return engine.keyspace().walk() == null
                && !engine.keyspaceEvents().anyEnabled()
                && !engine.tracking().isActive()
                && !engine.introspection().monitors().isActive()
                && engine.blocking().keysWakingOnDeletion() == 0;
    }

    /** On the caller's thread, at a checkpoint of an inline run. */
    private void inlineCheckpoint() {
        if (memory.overBudget()) {
            throw new ScriptStopped(memoryReply());
        }
        if (inlineMayMove && System.nanoTime() - inlineDeadline >= 0) {
            throw ScriptMoves.MOVE;
        }
    }

    /**
     * The first slice: the caller's thread waits that long at most before the script goes on as
     * long work. Nobody else runs meanwhile either way (the gate is HELD until busy-reply-threshold),
     * so it only bounds how long the event loop does no socket work.
     */
    private long firstSliceNanos() {
        long threshold = engine.config().monitoring.busyReplyThreshold.value();
        return TimeUnit.MILLISECONDS.toNanos(Math.min(threshold, FIRST_SLICE_LIMIT_MILLIS));
    }

    /** The body of a script on the script's thread. */
    private void runOnScriptThread() {
        execute(checkpoint);
        if (!thread.isAttached()) {
            finishDetached();
        }
    }

    /**
     * Runs the script with {@code hook} at its checkpoints and keeps its outcome.
     *
     * @return false when it stopped to move (see {@link #runInline})
     */
    private boolean execute(InstructionHook.Checkpoint hook) {
        sandbox.hook.checkpoint(hook);
        try {
            result = runningFunction == null ? running.call() : running.call(functionKeys, functionArguments);
            errorReply = null;
        } catch (ScriptMoves | UndoLog.Refused moves) {
            return false;
        } catch (LuaError error) {
            result = null;
            errorReply = errorReply(error, runningName, runningChunk);
        } catch (StackOverflowError overflow) {
            result = null;
            errorReply = runningFunction == null
                    ? "ERR Error running script (call to f_" + runningName + "): stack overflow"
                    : "ERR Error running script (call to " + runningName + "): stack overflow";
        } catch (ScriptStopped stopped) {
            result = null;
            errorReply = stopped.reply();
        } catch (OutOfMemoryError refused) {
            // The last resort of the memory budget: one allocation too large for the heap (a string
            // doubled by concatenation) fails at once, before any checkpoint could see it coming.
            // What the script built is unreachable once its frames are gone.
            result = null;
            errorReply = memoryReply();
        } finally {
            sandbox.hook.checkpoint(null);
        }
        return true;
    }

    /** Every {@link InstructionHook#INTERVAL} instructions of a script, on the script's thread. */
    private void checkpoint() {
        if (memory.overBudget()) {
            throw new ScriptStopped(memoryReply());
        }
        if (thread.isAttached()) {
            if (thread.sliceExpired()) {
                if (transactionCaller != null && runningFunction != null) {
                    functionCommand = copyArguments(transactionCaller);
                }
                thread.detach();
                holder = engine.gate().takeOver();
                engine.beginCommand(callerSession);
            }
            return;
        }
        holder.yieldPoint();
        if (engine.currentClient() != callerSession) {
            // A command let in at the yield point ran as its own client.
            engine.beginCommand(callerSession);
        }
        if (!killRequested && holder.stopRequested()) {
            // SHUTDOWN NOSAVE or the server closing: like Redis exiting, the caller gets no reply.
            throw new ScriptStopped(SERVER_STOPPING);
        }
        if (killRequested) {
            // Redis 7.0 says SCRIPT KILL for a function stopped by FUNCTION KILL too.
            throw new ScriptStopped("ERR Script killed by user with SCRIPT KILL... script: " + runningName + ", on "
                    + runningChunk + ":" + sandbox.hook.currentLine() + ".");
        }
    }

    /** A MULTI/EXEC queue with a script in it, run by {@link #runTransaction}. */
    public interface QueuedTransaction {
        /**
         * Runs the queued commands, with the engine held, on the script's thread; their replies go
         * to a writer of the transaction's own, never to the connection's.
         */
        void run();

        /** Writes EXEC's reply on the client's thread, once {@link #run} has ended. */
        void reply(CommandContext c);
    }

    /**
     * EXEC of a queue that holds a script, on the connection's thread with the engine held. A
     * script inside EXEC cannot leave its caller's turn by itself (the rest of the queue must run
     * after it, atomically), and run where it is it would keep the connection's event loop, and
     * every connection on it, for as long as it runs: no -BUSY, no SCRIPT KILL. So the whole queue
     * runs on the script's thread, first as the caller's turn and, once a script in it runs past
     * its first slice, as long work with the caller parked, as a script alone does.
     *
     * @return true when the queue ended within the caller's turn (write its reply now); false when
     *     the caller is parked and gets its reply when the queue ends
     */
    public boolean runTransaction(CommandContext caller, QueuedTransaction queued) {
        callerSession = caller.client();
        transaction = queued;
        transactionStopping = false;
        if (thread.runAttached(transactionBody, firstSliceNanos())) {
            transaction = null;
            callerSession = null;
            return true;
        }
        parked = caller.block(0, c -> c.reply().error(SCRIPT_STILL_RUNNING));
        engine.propagation().beginUnit();
        engine.gate().handOver(runningFunction == null ? ExecutionGate.LongKind.SCRIPT : ExecutionGate.LongKind.FUNCTION,
                thread.thread(), startedNanos);
        thread.release();
        return false;
    }

    /** The body of a transaction on the script's thread. */
    private void runTransactionOnScriptThread() {
        QueuedTransaction queued = transaction;
        try {
            queued.run();
        } catch (RuntimeException unexpected) {
            // The queue's commands report their own errors; this is a fault of ours, and the
            // script's thread must survive it to end the transaction.
            engine.log().warning("A transaction running a script failed: " + unexpected);
        }
        if (!thread.isAttached()) {
            finishDetachedTransaction(queued);
        }
    }

    /** On the script's thread, holding the engine as long work: the detached transaction ended. */
    private void finishDetachedTransaction(QueuedTransaction queued) {
        boolean stopping = transactionStopping;
        BlockedClient waiting = parked;
        transaction = null;
        transactionStopping = false;
        parked = null;
        callerSession = null;
        functionCommand = null;
        engine.endCommand();
        if (stopping) {
            engine.propagation().abandonUnits();
        } else {
            engine.propagation().endUnit();
            if (!engine.propagation().inUnit()) {
                engine.blocking().serveReadyKeys();
            }
            waiting.complete(queued::reply);
        }
        ExecutionGate.Holder done = holder;
        holder = null;
        thread.detachedScriptEnded();
        if (done != null) {
            engine.gate().finishLong();
        }
    }

    /** Whether the transaction running must stop: a script in it was stopped for SHUTDOWN NOSAVE. */
    public boolean transactionStopping() {
        return transactionStopping;
    }

    /**
     * On the caller's thread, holding the engine: the script asked to detach. The caller is parked,
     * the script's execution unit stays open past the EVAL (so that its writes are still propagated
     * as one unit when it ends), and the engine is handed to the script's thread as long work.
     */
    private void detach(CommandContext caller) {
        if (runningFunction != null) {
            functionCommand = copyArguments(caller);
        }
        parked = caller.block(0, c -> c.reply().error(SCRIPT_STILL_RUNNING));
        engine.propagation().beginUnit();
        engine.gate().handOver(runningFunction == null ? ExecutionGate.LongKind.SCRIPT : ExecutionGate.LongKind.FUNCTION,
                thread.thread(), startedNanos);
        thread.release();
    }

    /** On the script's thread, holding the engine as long work: the detached script ended. */
    private void finishDetached() {
        LuaValue value = result;
        String error = errorReply;
        int protocol = redis.protocol();
        BlockedClient waiting = parked;
        endRun();
        engine.endCommand();
        if (error == SERVER_STOPPING) {
            // The server exits as Redis does on SHUTDOWN NOSAVE: what the script wrote never
            // reaches the log, so a restart shows the dataset from before the script.
            engine.propagation().abandonUnits();
        } else {
            engine.propagation().endUnit();
            if (!engine.propagation().inUnit()) {
                engine.blocking().serveReadyKeys();
            }
        }
        if (error != SERVER_STOPPING) {
            waiting.complete(c -> writeOutcome(c.reply(), value, error, protocol));
        }
        ExecutionGate.Holder done = holder;
        holder = null;
        thread.detachedScriptEnded();
        if (done != null) {
            engine.gate().finishLong();
        }
    }

    /** The error of a script stopped for memory; the line is known at a checkpoint, not after an OutOfMemoryError. */
    private String memoryReply() {
        int line = sandbox.hook.currentLine();
        return "ERR Script used more memory than the server can give it... script: " + runningName
                + (line > 0 ? ", on " + runningChunk + ":" + line + "." : ".");
    }

    private static byte[][] copyArguments(CommandContext caller) {
        byte[][] copy = new byte[caller.argumentCount()][];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = caller.copyArgument(i);
        }
        return copy;
    }

    private void endRun() {
        endScriptRun();
        parked = null;
        callerSession = null;
    }

    /** What one script's run leaves behind; a transaction's own state stays until it ends. */
    private void endScriptRun() {
        redis.end();
        running = null;
        runningName = null;
        runningFunction = null;
        functionKeys = null;
        functionArguments = null;
        functionCommand = null;
        result = null;
        errorReply = null;
        killRequested = false;
    }

    private static void writeOutcome(ReplyWriter reply, LuaValue value, String error, int protocol) {
        if (error != null) {
            reply.error(error);
        } else {
            LuaToReply.write(value, reply, protocol);
        }
    }

    /**
     * SCRIPT KILL, with the engine held at a yield point of the running script: stops it at its
     * next checkpoint unless it has written (Redis's -UNKILLABLE: a half-run script would leave
     * the dataset half changed).
     */
    public void kill(boolean function) {
        if (running == null || holder == null) {
            throw NOT_BUSY;
        }
        if (redis.wrote()) {
            throw UNKILLABLE;
        }
        // SCRIPT KILL stops only EVAL's scripts, FUNCTION KILL only functions: each gets the
        // other's -BUSY, as in Redis 7.0's scriptKill.
        if (function != (runningFunction != null)) {
            throw function ? BUSY_WITH_SCRIPT : BUSY_WITH_FUNCTION;
        }
        killRequested = true;
    }

    /**
     * FUNCTION STATS while a script runs past its first slice: refused with -BUSY while it is
     * EVAL's; a function is described by its name, the command that called it and how long it
     * has run. Null when nothing runs long.
     */
    public RunningFunction runningFunction() {
        if (running == null || holder == null) {
            return null;
        }
        if (runningFunction == null) {
            throw BUSY_WITH_SCRIPT;
        }
        return new RunningFunction(runningName, functionCommand,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos));
    }

    /** What FUNCTION STATS says of the function running. */
    public record RunningFunction(String name, byte[][] command, long durationMillis) {
    }

    /** LuaJ's parser names a one-character token by its code ("unexpected symbol 43 (+)"); Lua 5.1 quotes it. */
    static String compileMessage(String message) {
        java.util.regex.Matcher token = java.util.regex.Pattern.compile("unexpected symbol (\\d+) \\(.*\\)$").matcher(message);
        if (!token.find()) {
            return message;
        }
        int code = Integer.parseInt(token.group(1));
        String name = code == END_OF_STREAM ? "<eof>" : code < 256 ? String.valueOf((char) code) : null;
        return name == null ? message : message.substring(0, token.start()) + "unexpected symbol near '" + name + "'";
    }

    /** Redis 7.0's error reply for an error that ended a script ({@code chunk} @user_script) or a function. */
    static String errorReply(LuaError error, String name, String chunk) {
        String position = errorPosition(error, chunk);
        String reply = errorText(error, chunk);
        return position == null ? reply : reply + " script: " + name + ", on " + position + ".";
    }

    /** Where the error was raised, as "@user_script:3", or null when LuaJ did not say. */
    private static String errorPosition(LuaError error, String chunk) {
        String message = error.getMessage();
        if (message != null && message.startsWith(chunk + ":")) {
            int space = message.indexOf(' ');
            if (space > 0) {
                return message.substring(0, space);
            }
        }
        return null;
    }

    /**
     * An error's text without where it ended the script: an error table's own, or "ERR " and the
     * message with Lua 5.1's "user_script:3: " before it.
     */
    static String errorText(LuaError error, String chunk) {
        LuaValue object = error.getMessageObject();
        if (object != null && object.istable() && object.rawget(ReplyToLua.ERR).isstring()) {
            return LuaSandbox.text(object.rawget(ReplyToLua.ERR));
        }
        String message = error.getMessage();
        String position = errorPosition(error, chunk);
        // LuaJ writes the position as "@user_script:3 message"; Lua 5.1 as "user_script:3: message".
        return position == null ? "ERR " + message
                : "ERR " + position.substring(1) + ": " + message.substring(position.length() + 1);
    }

    /** SHA1 of bytes, in lower-case hex (SCRIPT LOAD's reply, redis.sha1hex). */
    public static String sha1Hex(byte[] bytes, int offset, int length) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-1");
            digest.update(bytes, offset, length);
            byte[] hash = digest.digest();
            StringBuilder hex = new StringBuilder(40);
            for (byte b : hash) {
                hex.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException missing) {
            throw new IllegalStateException(missing);
        }
    }

    static byte[] latin1(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
