package io.nuthatch.server.blocking;

import io.nuthatch.resp.RequestArguments;
import io.nuthatch.server.Engine;
import io.nuthatch.server.client.BlockedClient;
import io.nuthatch.server.command.CommandError;
import io.nuthatch.server.keyspace.Database;
import io.nuthatch.server.keyspace.KeyEntry;
import io.nuthatch.server.propagation.WritePropagation;
import io.nuthatch.server.type.ValueType;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The keys clients are blocked on, per database, each with its waiters in the order they blocked,
 * and the keys that became ready since they were last served: Redis's blocking_keys and ready_keys.
 *
 * <h2>For the commands that block (BLPOP, BZPOPMIN, XREAD BLOCK ...)</h2>
 * A handler that finds nothing to return calls {@link io.nuthatch.server.command.CommandContext#blockOnKeys}
 * with the range of its key arguments, the timeout ({@link BlockingTimeout}) and a {@link KeyWaiter}
 * that knows how to finish the command later, and returns without replying. Inside MULTI or a
 * script it must not block ({@code c.mayBlock()} is false there): it replies as its timeout would,
 * at once. A key named twice by one client counts once.
 *
 * <h2>When keys become ready</h2>
 * <ul>
 * <li>A key holding a list, sorted set or stream is added to a database where someone waits on it:
 *     created by a push, renamed or moved or copied there (the keyspace tells us through
 *     {@link io.nuthatch.server.keyspace.KeyspaceHooks#keyAdded}), or found in a database after
 *     SWAPDB. A value written over an existing key does not make it ready, nor does a push onto an
 *     existing list (no list waiter can be waiting on a list that has elements), as in Redis 7.0.</li>
 * <li>A command signals it ({@link #signalReady}): XADD on an existing stream, whose XREAD waiters
 *     may now have entries to read.</li>
 * <li>A stream leaves its key (deleted, expired, flushed, renamed or moved away, overwritten by
 *     another type): its waiters that {@link KeyWaiter#wakesOnDeletion()} (XREADGROUP) are served
 *     and find it gone.</li>
 * </ul>
 * As in Redis, a key is queued only when someone waits on it and some client anywhere waits for
 * the type it now holds (the filter Redis applies with its per-type counts of blocked clients);
 * the order of ready keys is the order they were first queued, and that order is the order waiters
 * are served and their pops propagated, so it is kept exactly (ExecutionUnit tests compare it with
 * redis-server's own AOF).
 *
 * <h2>Serving: after the outermost execution unit</h2>
 * {@link #serveReadyKeys} runs when the outermost execution unit ends (the dispatcher calls it
 * after each command that is not inside EXEC or a script, and the cron after the active expiry), so
 * that the writes of one command, transaction or script are all made, and propagated, before any
 * waiter is served: {@code MULTI; LPUSH l a; LPOP l; EXEC} feeds no waiter. It takes the keys ready
 * so far, in order; for each, it offers the key to its waiters in the order they blocked, looking
 * the key up afresh after each waiter served; a waiter of another type is passed over and stays.
 * Keys that become ready meanwhile (BLMOVE's destination created by the serving) are served in a
 * following round, until none is ready. Each waiter served is one execution unit of its own,
 * after the unit that fed it, as Redis 7.0 writes a served BLPOP to its AOF: a bare LPOP after the
 * push.
 *
 * <p>Everything here runs with the engine held; nothing allocates unless someone waits.
 */
public final class BlockingKeys {
    private final Engine engine;
    private final WritePropagation propagation;
    private final ServedKey served;
    /** Per database number: the keys waited on there. SWAPDB leaves waiters on their number. */
    private final Map<WaitedKey, KeyQueue>[] waitedKeys;
    /** Registrations per awaited type (ValueType ordinal): Redis's blocked_clients_by_type. */
    private final int[] waitingByType = new int[ValueType.values().length];
    private final WaitedKey probe = new WaitedKey();
    private ArrayDeque<KeyQueue> ready = new ArrayDeque<>();
    private ArrayDeque<KeyQueue> round = new ArrayDeque<>();
    private final List<Registration> turn = new ArrayList<>();
    private int keyCount;
    private int keysWakingOnDeletion;
    private boolean serving;

    @SuppressWarnings("unchecked")
    public BlockingKeys(Engine engine) {
        this.engine = engine;
        this.propagation = engine.propagation();
        this.served = new ServedKey(engine);
        this.waitedKeys = new Map[engine.keyspace().count()];
    }

    // ---------------------------------------------------------------- figures (INFO)

    /** Keys at least one client is blocked on, over all databases (total_blocking_keys). */
    public int keyCount() {
        return keyCount;
    }

    /** Keys with a waiter that a deletion wakes (total_blocking_keys_on_nokey). */
    public int keysWakingOnDeletion() {
        return keysWakingOnDeletion;
    }

    // ---------------------------------------------------------------- blocking

    /**
     * Queues a parked client on the keys of arguments {@code firstKey} to {@code firstKey + keyCount
     * - 1} of {@code database}; the registration goes when the wait ends, however it ends.
     */
    public void block(BlockedClient blocked, Database database, RequestArguments arguments, int firstKey,
            int keyCount, KeyWaiter waiter) {
        Registration registration = new Registration(blocked, waiter, keyCount);
        Map<WaitedKey, KeyQueue> keys = waitedKeys[database.index()];
        if (keys == null) {
            keys = new HashMap<>();
            waitedKeys[database.index()] = keys;
        }
        for (int i = firstKey; i < firstKey + keyCount; i++) {
            probe.point(arguments.array(i), arguments.offset(i), arguments.length(i));
            KeyQueue queue = keys.get(probe);
            if (queue == null) {
                queue = new KeyQueue(database, arguments.copy(i));
                keys.put(queue.key, queue);
                this.keyCount++;
            } else if (registration.holds(queue)) {
                continue;
            }
            queue.waiting.add(registration);
            registration.queues[registration.queueCount++] = queue;
            if (waiter.wakesOnDeletion() && queue.deletionWaiters++ == 0) {
                keysWakingOnDeletion++;
            }
        }
        waitingByType[waiter.awaitedType().ordinal()]++;
        blocked.onEnd(() -> release(registration));
    }

    private void release(Registration registration) {
        waitingByType[registration.waiter.awaitedType().ordinal()]--;
        boolean wakesOnDeletion = registration.waiter.wakesOnDeletion();
        for (int i = 0; i < registration.queueCount; i++) {
            KeyQueue queue = registration.queues[i];
            queue.waiting.remove(registration);
            if (wakesOnDeletion && --queue.deletionWaiters == 0) {
                keysWakingOnDeletion--;
            }
            if (queue.waiting.isEmpty()) {
                waitedKeys[queue.database.index()].remove(queue.key);
                keyCount--;
            }
        }
    }

    // ---------------------------------------------------------------- signals

    /**
     * Marks a key as ready for its waiters (XADD on an existing stream). Nothing happens unless a
     * client waits on the key for the type it holds now.
     */
    public void signalReady(Database database, KeyEntry entry) {
        queue(database, entry.keyArray(), entry.keyOffset(), entry.keyLength(), entry.type(), false);
    }

    /** The keyspace added a key holding a value object (Redis's dbAdd). */
    public void keyAdded(Database database, KeyEntry entry) {
        if (keyCount > 0) {
            signalReady(database, entry);
        }
    }

    /** A value object left its key; a stream's XREADGROUP waiters are to hear of it. */
    public void valueRemoved(Database database, KeyEntry entry, ValueType type) {
        if (keysWakingOnDeletion > 0 && type == ValueType.STREAM) {
            queue(database, entry.keyArray(), entry.keyOffset(), entry.keyLength(), type, true);
        }
    }

    /** FLUSHDB is about to empty the database: the streams waited on there go away. */
    public void flushing(Database database) {
        Map<WaitedKey, KeyQueue> keys = waitedKeys[database.index()];
        if (keysWakingOnDeletion == 0 || keys == null) {
            return;
        }
        for (KeyQueue queue : List.copyOf(keys.values())) {
            KeyEntry entry = database.peek(queue.key.array);
            if (entry != null && entry.type() == ValueType.STREAM) {
                queue(database, queue.key.array, 0, queue.key.length, ValueType.STREAM, true);
            }
        }
    }

    /**
     * SWAPDB exchanged two databases: in each, a key waited on that exists now is ready, and a
     * stream that was there before and is not now has gone away.
     */
    public void swapped(Database first, Database second) {
        if (keyCount == 0) {
            return;
        }
        swappedInto(first, second);
        swappedInto(second, first);
    }

    private void swappedInto(Database database, Database formerContents) {
        Map<WaitedKey, KeyQueue> keys = waitedKeys[database.index()];
        if (keys == null) {
            return;
        }
        for (KeyQueue queue : List.copyOf(keys.values())) {
            byte[] key = queue.key.array;
            KeyEntry now = database.peek(key);
            KeyEntry before = formerContents.peek(key);
            if (before != null && before.type() == ValueType.STREAM && (now == null || now.type() != ValueType.STREAM)) {
                queue(database, key, 0, key.length, ValueType.STREAM, true);
            }
            if (now != null && now.value() != null) {
                queue(database, key, 0, key.length, now.type(), false);
            }
        }
    }

    /** Redis's signalKeyAsReady: queues the key once, if anyone can be served by what happened. */
    private void queue(Database database, byte[] key, int offset, int length, ValueType type, boolean deleted) {
        if (waitingByType[type.ordinal()] == 0) {
            return;
        }
        Map<WaitedKey, KeyQueue> keys = waitedKeys[database.index()];
        if (keys == null || keys.isEmpty()) {
            return;
        }
        probe.point(key, offset, length);
        KeyQueue queue = keys.get(probe);
        if (queue == null || queue.queued || (deleted && queue.deletionWaiters == 0)) {
            return;
        }
        queue.queued = true;
        ready.add(queue);
    }

    // ---------------------------------------------------------------- serving

    /** Whether keys wait to be served. */
    public boolean hasReadyKeys() {
        return !ready.isEmpty();
    }

    /**
     * Serves the waiters of the keys that became ready, round after round until none is ready.
     * Called when the outermost execution unit has ended; does nothing when called while serving.
     */
    public void serveReadyKeys() {
        if (serving || ready.isEmpty()) {
            return;
        }
        serving = true;
        try {
            while (!ready.isEmpty()) {
                ArrayDeque<KeyQueue> current = ready;
                ready = round;
                round = current;
                for (KeyQueue queue; (queue = current.poll()) != null; ) {
                    queue.queued = false;
                    serve(queue);
                }
            }
        } finally {
            serving = false;
        }
    }

    /**
     * Offers one key to its waiters in the order they blocked. The waiters are taken as they are
     * now: one served leaves every queue it was in, and the key is looked up again after it.
     */
    private void serve(KeyQueue queue) {
        if (queue.waiting.isEmpty()) {
            return;
        }
        turn.clear();
        turn.addAll(queue.waiting);
        Database database = queue.database;
        byte[] key = queue.key.array;
        KeyEntry entry = lookup(database, key);
        try {
            for (Registration registration : turn) {
                KeyWaiter waiter = registration.waiter;
                if (registration.blocked.isEnded()) {
                    continue;
                }
                if (!waiter.wakesOnDeletion() && (entry == null || entry.type() != waiter.awaitedType())) {
                    continue;
                }
                BlockedClient.Reply reply = serveOne(database, key, entry, waiter);
                if (reply != null) {
                    registration.blocked.complete(reply);
                    entry = lookup(database, key);
                }
            }
        } finally {
            turn.clear();
        }
    }

    /** One waiter's turn, as an execution unit of its own. */
    private BlockedClient.Reply serveOne(Database database, byte[] key, KeyEntry entry, KeyWaiter waiter) {
        engine.beginServerTask();
        served.point(database, key, entry);
        propagation.beginUnit();
        try {
            return waiter.serve(served);
        } catch (CommandError error) {
            return c -> c.reply().error(error.reply());
        } finally {
            propagation.endUnit();
            served.point(null, null, null);
        }
    }

    private static KeyEntry lookup(Database database, byte[] key) {
        return database.lookup(key, Database.NO_TOUCH | Database.NO_STATS);
    }

    // ---------------------------------------------------------------- structures

    /** A key's bytes as a map key; the probe points into a request without copying. */
    private static final class WaitedKey {
        private byte[] array;
        private int offset;
        private int length;
        private int hash;

        WaitedKey() {
        }

        WaitedKey(byte[] key) {
            point(key, 0, key.length);
        }

        void point(byte[] array, int offset, int length) {
            this.array = array;
            this.offset = offset;
            this.length = length;
            int h = 1;
            for (int i = offset; i < offset + length; i++) {
                h = 31 * h + array[i];
            }
            this.hash = h;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof WaitedKey that && that.hash == hash
                    && Arrays.equals(array, offset, offset + length, that.array, that.offset, that.offset + that.length);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /** The clients blocked on one key of one database, in the order they blocked. */
    private static final class KeyQueue {
        final Database database;
        final WaitedKey key;
        final ArrayDeque<Registration> waiting = new ArrayDeque<>(2);
        int deletionWaiters;
        /** Whether the key is in the ready list now. */
        boolean queued;

        KeyQueue(Database database, byte[] key) {
            this.database = database;
            this.key = new WaitedKey(key);
        }
    }

    /** One blocked client and the queues it is in. */
    private static final class Registration {
        final BlockedClient blocked;
        final KeyWaiter waiter;
        final KeyQueue[] queues;
        int queueCount;

        Registration(BlockedClient blocked, KeyWaiter waiter, int keys) {
            this.blocked = blocked;
            this.waiter = waiter;
            this.queues = new KeyQueue[keys];
        }

        boolean holds(KeyQueue queue) {
            for (int i = 0; i < queueCount; i++) {
                if (queues[i] == queue) {
                    return true;
                }
            }
            return false;
        }
    }
}
