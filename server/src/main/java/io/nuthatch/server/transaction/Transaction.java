package io.nuthatch.server.transaction;

import io.nuthatch.resp.RequestArguments;
import io.nuthatch.server.command.CommandSpec;
import io.nuthatch.server.keyspace.Database;

import java.util.ArrayList;
import java.util.List;

/**
 * One client's transaction state: whether it is between MULTI and EXEC, the commands queued, the
 * keys it watches, and the two reasons EXEC refuses (Redis's CLIENT_DIRTY_EXEC: a command was
 * rejected while queuing; CLIENT_DIRTY_CAS: a watched key was touched). A client gets one the
 * first time it sends MULTI or WATCH and keeps it.
 */
public final class Transaction {
    private final WatchedKeys registry;
    private boolean open;
    private boolean rejectedWhileQueuing;
    private boolean watchedKeyTouched;
    private final List<CommandSpec> queuedCommands = new ArrayList<>();
    private final List<RequestArguments> queuedArguments = new ArrayList<>();
    /** This client's watches, also listed under their keys in the registry. */
    final List<WatchedKeys.Watch> watches = new ArrayList<>();

    public Transaction(WatchedKeys registry) {
        this.registry = registry;
    }

    /** Whether the client is between MULTI and EXEC/DISCARD. */
    public boolean isOpen() {
        return open;
    }

    public void open() {
        open = true;
    }

    /** A command was refused while queuing: EXEC will answer EXECABORT. */
    public void rejectWhileQueuing() {
        if (open) {
            rejectedWhileQueuing = true;
        }
    }

    public boolean isRejected() {
        return rejectedWhileQueuing;
    }

    /** Whether a watched key was touched since WATCH (EXEC will reply a null array). */
    public boolean isWatchedKeyTouched() {
        return watchedKeyTouched;
    }

    void watchedKeyTouched() {
        watchedKeyTouched = true;
    }

    /**
     * Queues a command. The request's arguments are views over the connection's buffer that the
     * next request overwrites, so the queue keeps a copy. A transaction EXEC will refuse anyway
     * keeps nothing, as in Redis (CLIENT LIST then shows multi=0).
     */
    public void queue(CommandSpec command, RequestArguments arguments) {
        if (rejectedWhileQueuing || watchedKeyTouched) {
            return;
        }
        byte[][] copy = new byte[arguments.count()][];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = arguments.copy(i);
        }
        queuedCommands.add(command);
        queuedArguments.add(RequestArguments.of(copy));
    }

    public int queuedCount() {
        return queuedCommands.size();
    }

    public CommandSpec queuedCommand(int index) {
        return queuedCommands.get(index);
    }

    public RequestArguments queuedArguments(int index) {
        return queuedArguments.get(index);
    }

    /** Whether the client watches any key. */
    public boolean isWatching() {
        return !watches.isEmpty();
    }

    /** Watches a key of a database (WATCH); a key already watched is not watched twice. */
    public void watch(Database database, byte[] key, int offset, int length) {
        registry.watch(this, database, key, offset, length);
    }

    /** Stops watching every key (UNWATCH, EXEC); a touch already seen is kept. */
    public void unwatchAll() {
        registry.unwatchAll(this);
    }

    /**
     * Redis's isWatchedKeyExpired, checked by EXEC: a watched key that was live at WATCH and has
     * expired since counts as touched, even though nothing has deleted it yet.
     */
    public boolean watchedKeyExpiredSinceWatch() {
        return registry.anyExpiredSinceWatch(this);
    }

    /** Ends the transaction (EXEC, DISCARD): the queue goes, and the refusal flags with it. */
    public void close() {
        open = false;
        rejectedWhileQueuing = false;
        watchedKeyTouched = false;
        queuedCommands.clear();
        queuedArguments.clear();
    }

    /** DISCARD, RESET and the connection's end: closes the transaction and forgets the watches. */
    public void discard() {
        close();
        unwatchAll();
    }

    /** UNWATCH: forgets the watches and a touch they saw. */
    public void unwatch() {
        unwatchAll();
        watchedKeyTouched = false;
    }
}
