package io.nuthatch.server.blocking;

import io.nuthatch.server.Engine;
import io.nuthatch.server.config.ServerConfig;
import io.nuthatch.server.keyspace.Database;
import io.nuthatch.server.keyspace.KeyEntry;

import java.util.SplittableRandom;

/**
 * A key that became ready, as a {@link KeyWaiter} being served sees it: the database of the
 * blocked client, the key, its live entry, and the way to propagate what the waiter changes. Valid
 * during {@link KeyWaiter#serve} only; one instance is reused for every waiter served.
 *
 * <p>Changes follow the keyspace's change contract, as in any command: open the value with
 * {@code database().writableValue(entry)}, close with {@code changed(entry)}, delete the key when it
 * becomes empty.
 */
public final class ServedKey {
    private final Engine engine;
    private Database database;
    private byte[] key;
    private KeyEntry entry;

    ServedKey(Engine engine) {
        this.engine = engine;
    }

    void point(Database database, byte[] key, KeyEntry entry) {
        this.database = database;
        this.key = key;
        this.entry = entry;
    }

    /** The database the client blocked in (its database number: SWAPDB does not move waiters). */
    public Database database() {
        return database;
    }

    /** The key, an array of exactly its bytes, kept for as long as anyone waits on it: never change it. */
    public byte[] key() {
        return key;
    }

    /**
     * The key's live entry, looked up when the waiter's turn came (lazy expiry applied), or null
     * when the key is absent. Only a waiter that wakes on deletion sees null or another type.
     */
    public KeyEntry entry() {
        return entry;
    }

    public ServerConfig config() {
        return engine.config();
    }

    public SplittableRandom random() {
        return engine.random();
    }

    /** The time, in Unix milliseconds, the serving runs at. */
    public long now() {
        return engine.now();
    }

    /** Whether writes are propagated at all; build the propagated form only when they are. */
    public boolean isPropagating() {
        return engine.propagation().isActive();
    }

    /** Publishes a keyspace event about {@code key} in the client's database (see KeyspaceEvents). */
    public void notifyKeyspaceEvent(int type, byte[] event, byte[] eventKey) {
        engine.keyspaceEvents().notify(type, event, database.index(), eventKey, 0, eventKey.length);
    }

    /**
     * Propagates one record of what the waiter did, in the client's database, in the unit of this
     * serving: {@code propagate(LPOP, key())}. The arrays must stay unchanged until the waiter
     * returns. Call it only when {@link #isPropagating()}.
     */
    public void propagate(byte[]... record) {
        engine.propagation().propagate(database.index(), record);
    }
}
