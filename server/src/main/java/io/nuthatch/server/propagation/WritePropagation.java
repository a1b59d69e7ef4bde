package io.nuthatch.server.propagation;

import io.nuthatch.resp.RequestArguments;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The one place every change to the dataset passes through, in its deterministic form and in the
 * order it was made, grouped in execution units: what the append-only log writes and what a replica
 * would receive.
 *
 * <p><b>Records.</b> A write command is propagated as it was sent unless it rewrote itself
 * (relative expiry becomes absolute: SET EX becomes SET PXAT, EXPIRE becomes PEXPIREAT;
 * INCRBYFLOAT becomes SET), and a key deleted by expiry as a DEL (UNLINK with
 * lazyfree-lazy-expire). Replaying the records on an empty server rebuilds the same dataset.
 *
 * <p><b>Execution units.</b> What one command, one MULTI/EXEC block or one script writes is one
 * unit: its records are buffered and delivered together when the unit ends ({@link #endUnit}),
 * as one {@link PropagatedUnit}. Units nest: the dispatcher opens one around every command, and a
 * command run inside EXEC or a script joins the unit its caller opened; only the end of the
 * outermost delivers. A record made outside any unit (the active expiry deleting a key) is a unit
 * by itself.
 *
 * <p><b>No copies where none are needed.</b> A command propagated as it was sent is recorded as a
 * view over the request's own arguments ({@link #propagateAsSent}): they stay valid until the
 * command ends, which is when its unit is delivered. Inside an outer unit (EXEC, a script) the
 * arguments would not live that long, and a value a command recorded by reference could be
 * changed in place by a later command of the same unit, so records there are copied into the
 * unit's arena, which is reused: at steady state nothing is allocated either way.
 *
 * <p><b>Log offsets and durability.</b> Every delivered unit gets the next log offset. A listener
 * that makes the log durable (the append-only log with {@code appendfsync always}) turns on
 * {@link #awaitDurability} and reports progress with {@link #durableThrough}; connections then hold
 * their replies until the log is durable past the offset of the newest unit delivered when their
 * last command ran, whoever wrote it, so that no reply shows a write that a crash could still lose
 * (a read must not overtake the write it saw). With the wait off, which is the default, a
 * connection only compares two numbers per read batch.
 *
 * <p>Everything but {@link #durableOffset}, {@link #durableThrough} and {@link #whenDurable} runs
 * with the engine held, on the thread running the unit.
 */
public final class WritePropagation {

    /**
     * Receives each execution unit when it ends: the seam of the append-only log and replication.
     */
    public interface UnitListener {
        /**
         * Called with the engine held, on the thread that ran the unit, in log order. The unit and
         * its byte ranges are valid during the call only: a listener copies what it keeps, and
         * must not block, since every client waits while the engine is held. A log writer that
         * must write before the unit's replies leave does it here, or buffers and holds the
         * replies with {@link WritePropagation#awaitDurability} until it reports the unit through
         * {@link WritePropagation#durableThrough}.
         */
        void unitPropagated(PropagatedUnit unit);
    }

    /**
     * Receives the records one by one, as copies, with no unit boundaries: for tests and tools that
     * look at what was written rather than at how it is grouped.
     */
    public interface Listener {
        /**
         * @param database the database the command applies to
         * @param arguments the command and its arguments, a copy the listener may keep
         */
        void onWrite(int database, byte[][] arguments);
    }

    /** A connection waiting for the log to be durable; told so once, from any thread. */
    public interface DurabilityWaiter {
        void durable();
    }

    private record Waiting(long offset, DurabilityWaiter waiter) {
    }

    private final List<UnitListener> listeners = new CopyOnWriteArrayList<>();
    private final List<Listener> recordListeners = new CopyOnWriteArrayList<>();
    private final UnitListener recordFanOut = this::fanOutRecords;
    private volatile boolean active;

    private final PropagatedUnit unit = new PropagatedUnit();
    /** The rewritten records the running command built with {@link #rewrite}, until it ends. */
    private final PropagatedUnit rewritten = new PropagatedUnit();
    private final RecordBuilder recordBuilder = new RecordBuilder();
    private int depth;
    private long lastOffset;
    /** Off while a script has said redis.set_repl without REPL_AOF: its commands are not recorded. */
    private boolean recordingCommands = true;

    private volatile boolean awaitingDurability;
    private volatile boolean readsAwaitWrites = true;
    private volatile long durableOffset;
    private final List<Waiting> waiting = new ArrayList<>();

    // ---------------------------------------------------------------- listeners

    public void addListener(UnitListener listener) {
        listeners.add(listener);
        active = true;
    }

    public void removeListener(UnitListener listener) {
        listeners.remove(listener);
        active = !listeners.isEmpty();
    }

    /** Adds a listener of single records (copies, no unit boundaries); see {@link Listener}. */
    public void addListener(Listener listener) {
        if (recordListeners.isEmpty()) {
            addListener(recordFanOut);
        }
        recordListeners.add(listener);
    }

    public void removeListener(Listener listener) {
        recordListeners.remove(listener);
        if (recordListeners.isEmpty()) {
            removeListener(recordFanOut);
        }
    }

    /** Whether anyone listens; commands skip building propagated forms when nobody does. */
    public boolean isActive() {
        return active;
    }

    private void fanOutRecords(PropagatedUnit delivered) {
        for (int record = 0; record < delivered.recordCount(); record++) {
            for (Listener listener : recordListeners) {
                listener.onWrite(delivered.database(record), delivered.copyRecord(record));
            }
        }
    }

    // ---------------------------------------------------------------- units

    /** Opens an execution unit, or joins the one already open (a command inside EXEC or a script). */
    public void beginUnit() {
        depth++;
    }

    /** Closes the unit opened last; the end of the outermost delivers what it recorded. */
    public void endUnit() {
        if (--depth == 0 && unit.recordCount() > 0) {
            deliver();
        }
    }

    /**
     * Closes every open unit and delivers nothing of what they recorded: for a script stopped by
     * SHUTDOWN NOSAVE, whose writes Redis never propagates (it exits before the script ends).
     */
    public void abandonUnits() {
        depth = 0;
        unit.clear();
        rewritten.clear();
        recordBuilder.open = false;
    }

    /** How many records the open unit holds: a mark for {@link #forgetRecordsAfter}. */
    public int recordsInUnit() {
        return unit.recordCount();
    }

    /**
     * Forgets what the open unit recorded after {@code mark} ({@link #recordsInUnit}): for a script
     * whose changes were taken back (see UndoLog), to be run again.
     */
    public void forgetRecordsAfter(int mark) {
        unit.truncate(mark);
        rewritten.clear();
        recordBuilder.open = false;
    }

    /** Whether a unit is open. */
    public boolean inUnit() {
        return depth > 0;
    }

    /**
     * The outermost unit is written without MULTI/EXEC whatever its size: for a command that
     * touches arbitrary keys (SCAN, RANDOMKEY) run directly, as Redis does. Ignored inside an
     * outer unit, which keeps its wrapping.
     */
    public void unwrapCurrentUnit() {
        if (depth == 1) {
            unit.unwrapped();
        }
    }

    /**
     * Turns the recording of commands off or on, for a script's {@code redis.set_repl}: its
     * commands still change the dataset but are not logged. Deletions of expired or evicted keys
     * are recorded regardless, as Redis propagates them past a script's flags. The script's end
     * turns recording back on.
     */
    public void recordCommands(boolean record) {
        recordingCommands = record;
    }

    /** Whether commands are recorded; see {@link #recordCommands}. */
    public boolean recordsCommands() {
        return recordingCommands;
    }

    /**
     * Records a command as it was sent, as a view over the request's arguments: the arguments must
     * stay unchanged until the current command ends (they are copied inside an outer unit).
     */
    public void propagateAsSent(int database, RequestArguments arguments) {
        if (!recordingCommands) {
            return;
        }
        boolean copy = depth > 1;
        unit.startRecord(database);
        for (int i = 0; i < arguments.count(); i++) {
            if (copy) {
                unit.addCopy(arguments.array(i), arguments.offset(i), arguments.length(i));
            } else {
                unit.addView(arguments.array(i), arguments.offset(i), arguments.length(i));
            }
        }
        endRecord();
    }

    /**
     * Records a command built by the caller (a rewritten form). The arrays are used as they are
     * until the current command ends, so the caller must not change them before that (they are
     * copied inside an outer unit).
     */
    public void propagate(int database, byte[]... arguments) {
        if (!recordingCommands) {
            return;
        }
        boolean copy = depth > 1;
        unit.startRecord(database);
        for (byte[] argument : arguments) {
            if (copy) {
                unit.addCopy(argument, 0, argument.length);
            } else {
                unit.addView(argument, 0, argument.length);
            }
        }
        endRecord();
    }

    /**
     * Records the deletion of an expired key ({@code verb} DEL or UNLINK). The key is copied (into
     * the reused arena, no allocation): the entry it came from is being deleted.
     */
    public void propagateDeletion(int database, byte[] verb, byte[] key) {
        propagateDeletion(database, verb, key, 0, key.length);
    }

    /** Records the deletion of an expired key given as a range (the entry's own array). */
    public void propagateDeletion(int database, byte[] verb, byte[] key, int keyOffset, int keyLength) {
        unit.startRecord(database);
        unit.addView(verb, 0, verb.length);
        unit.addCopy(key, keyOffset, keyLength);
        endRecord();
    }

    /**
     * Starts a rewritten record of the running command, built in reused buffers, so that a command
     * that propagates a form of its own (SET EX as SET PXAT) allocates nothing for it:
     * {@code rewrite(arguments).word(SET).argument(1).bytes(stored).word(PXAT).number(at).end()}.
     * Its records replace the command as sent, in the order built, once the command has ended and
     * only if it changed the dataset ({@link #commitRewritten}); the ranges given must stay
     * unchanged until then.
     */
    public RecordBuilder rewrite(RequestArguments arguments) {
        recordBuilder.arguments = arguments;
        return recordBuilder;
    }

    /** Whether the running command built rewritten records. */
    public boolean hasRewritten() {
        return rewritten.recordCount() > 0 || recordBuilder.open;
    }

    /** Records the running command's rewritten records in the current unit, in {@code database}. */
    public void commitRewritten(int database) {
        recordBuilder.end();
        if (!recordingCommands) {
            rewritten.clear();
            return;
        }
        rewritten.appendTo(unit, database, depth > 1);
        rewritten.clear();
        if (depth == 0) {
            deliver();
        }
    }

    /** Forgets the running command's rewritten records (it changed nothing, or propagates nothing). */
    public void discardRewritten() {
        if (rewritten.recordCount() > 0 || recordBuilder.open) {
            rewritten.clear();
            recordBuilder.open = false;
        }
    }

    /** Builds one rewritten record; see {@link #rewrite}. Reused: one record at a time. */
    public final class RecordBuilder {
        private RequestArguments arguments;
        private boolean open;

        private RecordBuilder() {
        }

        private void open() {
            if (!open) {
                rewritten.startRecord(0);
                open = true;
            }
        }

        /** A constant word (a command name, an option): never changed, so never copied. */
        public RecordBuilder word(byte[] constant) {
            open();
            rewritten.addView(constant, 0, constant.length);
            return this;
        }

        /** Argument {@code index} of the request, by reference. */
        public RecordBuilder argument(int index) {
            open();
            rewritten.addView(arguments.array(index), arguments.offset(index), arguments.length(index));
            return this;
        }

        /** Bytes the command holds (the value it stored), by reference. */
        public RecordBuilder bytes(byte[] array, int offset, int length) {
            open();
            rewritten.addView(array, offset, length);
            return this;
        }

        public RecordBuilder bytes(byte[] array) {
            return bytes(array, 0, array.length);
        }

        /** A number, as its decimal digits. */
        public RecordBuilder number(long value) {
            open();
            rewritten.addNumber(value);
            return this;
        }

        /** Ends the record; the next word starts another. */
        public void end() {
            if (open) {
                rewritten.endRecord();
                open = false;
            }
        }
    }

    private void endRecord() {
        unit.endRecord();
        if (depth == 0) {
            deliver();
        }
    }

    private void deliver() {
        unit.logOffset(++lastOffset);
        try {
            for (UnitListener listener : listeners) {
                listener.unitPropagated(unit);
            }
        } finally {
            unit.clear();
        }
    }

    // ---------------------------------------------------------------- offsets and durability

    /** The log offset of the newest unit delivered (0 before the first). With the engine held. */
    public long lastOffset() {
        return lastOffset;
    }

    /**
     * Whether replies wait until the log is durable past the writes they may show. Turned on by a
     * listener that makes the log durable before replying (appendfsync always).
     */
    public boolean awaitsDurability() {
        return awaitingDurability;
    }

    /**
     * Whether a reply waits for units other clients delivered before it (a read showing their
     * writes), not only for the units its own command delivered. True by default and under
     * appendfsync always; everysec and no turn it off.
     */
    public boolean readsAwaitWrites() {
        return readsAwaitWrites;
    }

    public void readsAwaitWrites(boolean await) {
        readsAwaitWrites = await;
    }

    /** Turns the wait on or off; turning it off releases every connection waiting. */
    public void awaitDurability(boolean await) {
        awaitingDurability = await;
        if (!await) {
            releaseWaiting(Long.MAX_VALUE);
        }
    }

    /** The log offset up to which every unit is durable. Any thread. */
    public long durableOffset() {
        return durableOffset;
    }

    /**
     * Every unit up to {@code offset} is durable: wakes the connections waiting for it. Any thread
     * (the log's fsync thread); offsets lower than one reported before are ignored.
     */
    public void durableThrough(long offset) {
        synchronized (waiting) {
            if (offset <= durableOffset) {
                return;
            }
            durableOffset = offset;
        }
        releaseWaiting(offset);
    }

    /**
     * Asks to be told when the log is durable through {@code offset}.
     *
     * @return true when it already is (nothing will be called), false when {@code waiter} will be
     *     called once it is, from the thread that reports it
     */
    public boolean whenDurable(long offset, DurabilityWaiter waiter) {
        synchronized (waiting) {
            if (offset <= durableOffset || !awaitingDurability) {
                return true;
            }
            waiting.add(new Waiting(offset, waiter));
            return false;
        }
    }

    private void releaseWaiting(long offset) {
        List<DurabilityWaiter> released = null;
        synchronized (waiting) {
            for (int i = waiting.size() - 1; i >= 0; i--) {
                Waiting entry = waiting.get(i);
                if (entry.offset() <= offset) {
                    if (released == null) {
                        released = new ArrayList<>();
                    }
                    released.add(entry.waiter());
                    waiting.remove(i);
                }
            }
        }
        if (released != null) {
            for (int i = released.size() - 1; i >= 0; i--) {
                released.get(i).durable();
            }
        }
    }
}
