package io.nuthatch.server.keyspace;

import io.nuthatch.resp.RequestArguments;
import io.nuthatch.server.type.MemoryLayout;
import io.nuthatch.server.type.StoredValue;

import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * One numbered database (SELECT n): its keys, their expiries, and the memory they take.
 *
 * <p>Every change to a key goes through this class, which is what lets it keep the memory
 * estimate, the entry versions and the expiry index right, and tell the server (WATCH, write
 * propagation, dirty counter) through {@link KeyspaceHooks}. A command that changes a value in
 * place calls {@link #changed(KeyEntry)} afterwards.
 *
 * <p>Lookups apply lazy expiry: a key whose time has passed is deleted when it is looked up, and the
 * lookup answers as if it had never been there.
 */
public final class Database {
    /** Lookup flag: do not update the key's access clock (Redis's LOOKUP_NOTOUCH). */
    public static final int NO_TOUCH = 1;
    /** Lookup flag: do not count a keyspace hit or miss (LOOKUP_NOSTATS). */
    public static final int NO_STATS = 2;
    /** Lookup flag: the lookup is for a write; counts no hit or miss (LOOKUP_WRITE). */
    public static final int FOR_WRITE = 4;

    private final int index;
    private final KeyspaceHooks hooks;
    // Not final: SWAPDB exchanges them between two databases.
    private KeyTable table = new KeyTable();
    private ExpiringKeys expiring = new ExpiringKeys();
    private long usedMemory;
    private int expiryCursor;

    Database(int index, KeyspaceHooks hooks) {
        this.index = index;
        this.hooks = hooks;
    }

    public int index() {
        return index;
    }

    /** Number of keys, expired ones not yet deleted included (as DBSIZE counts them). */
    public int size() {
        return table.size();
    }

    /** Number of keys with an expiry. */
    public int expiringCount() {
        return expiring.size();
    }

    /** Memory of the keys, their values and entries, and the tables that index them. */
    public long usedMemory() {
        return usedMemory + indexMemory();
    }

    /** Memory of the keys, their values and entries (INFO's used_memory_dataset part). */
    public long datasetMemory() {
        return usedMemory;
    }

    /** Memory of the arrays that index the entries: the key table's buckets and the expiry index. */
    public long indexMemory() {
        long bytes = table.capacity() == 0 ? 0 : MemoryLayout.referenceArray(table.capacity());
        return bytes + MemoryLayout.referenceArray(expiring.capacity());
    }

    /** Bucket slots of the array a resize in progress is draining, 0 when none. */
    public int drainingTableSlots() {
        return table.drainingCapacity();
    }

    // ---------------------------------------------------------------- lookups

    /** Looks a key up for reading: lazy expiry, access clock, hit/miss statistics. */
    public KeyEntry lookupRead(RequestArguments arguments, int argumentIndex) {
        return lookup(arguments, argumentIndex, 0);
    }

    /** Looks a key up for writing: lazy expiry, access clock, no statistics. */
    public KeyEntry lookupWrite(RequestArguments arguments, int argumentIndex) {
        return lookup(arguments, argumentIndex, FOR_WRITE);
    }

    public KeyEntry lookup(RequestArguments arguments, int argumentIndex, int flags) {
        byte[] array = arguments.array(argumentIndex);
        int offset = arguments.offset(argumentIndex);
        int length = arguments.length(argumentIndex);
        return afterFind(table.find(array, offset, length, KeyHashing.hash(array, offset, length)), flags);
    }

    public KeyEntry lookup(byte[] key, int flags) {
        return afterFind(table.find(key, 0, key.length, KeyHashing.hash(key)), flags);
    }

    /** Finds a key as it is stored, expired or not, with no side effect at all. */
    public KeyEntry peek(byte[] key) {
        return table.find(key, 0, key.length, KeyHashing.hash(key));
    }

    private KeyEntry afterFind(KeyEntry entry, int flags) {
        if (entry != null && isExpired(entry) && expireNow(entry)) {
            entry = null;
        }
        if (entry != null) {
            if ((flags & NO_TOUCH) == 0) {
                hooks.accessed(entry);
            }
            if ((flags & (NO_STATS | FOR_WRITE)) == 0) {
                hooks.lookedUp(true);
            }
        } else if ((flags & (NO_STATS | FOR_WRITE)) == 0) {
            hooks.lookedUp(false);
        }
        return entry;
    }

    /** Whether the entry's expiry time has passed (a key expires once now is past its time). */
    public boolean isExpired(KeyEntry entry) {
        return entry.expiresAt != KeyEntry.NO_EXPIRY && hooks.now() > entry.expiresAt;
    }

    /** Deletes an expired entry if expiry may delete keys now; true if the key is to be treated as gone. */
    private boolean expireNow(KeyEntry entry) {
        if (!hooks.expiryDeletesKeys()) {
            return false;
        }
        deleteExpired(entry);
        return true;
    }

    private void deleteExpired(KeyEntry entry) {
        hooks.keyExpired(this, entry);
        remove(entry);
    }

    // ---------------------------------------------------------------- writes

    /**
     * Sets a key to a value as SET does: overwrites an existing value, dropping its expiry unless
     * {@code keepExpiry}, or adds the key. The key is copied from the arguments only when added.
     */
    public KeyEntry set(RequestArguments arguments, int keyIndex, StoredValue value, boolean keepExpiry) {
        KeyEntry entry = lookup(arguments, keyIndex, FOR_WRITE | NO_TOUCH);
        if (entry == null) {
            return add(arguments.copy(keyIndex), value);
        }
        if (!keepExpiry) {
            clearExpiry(entry);
        }
        replace(entry, value);
        return entry;
    }

    public KeyEntry set(byte[] key, StoredValue value, boolean keepExpiry) {
        KeyEntry entry = lookup(key, FOR_WRITE | NO_TOUCH);
        if (entry == null) {
            return add(key, value);
        }
        if (!keepExpiry) {
            clearExpiry(entry);
        }
        replace(entry, value);
        return entry;
    }

    /** Adds a key known to be absent (a lookup just said so); the array is kept, not copied. */
    public KeyEntry add(byte[] key, StoredValue value) {
        KeyEntry entry = new KeyEntry(key, KeyHashing.hash(key), value);
        table.insert(entry);
        hooks.stored(entry, true);
        account(entry);
        hooks.keyModified(this, key);
        return entry;
    }

    /** Replaces the value of an existing key, keeping its expiry (Redis's dbOverwrite). */
    public void replace(KeyEntry entry, StoredValue value) {
        entry.value = value;
        hooks.stored(entry, false);
        account(entry);
        hooks.keyModified(this, entry.key);
    }

    /** Records that the entry's value was changed in place. */
    public void changed(KeyEntry entry) {
        account(entry);
        hooks.keyModified(this, entry.key);
    }

    /** Deletes a key. */
    public void delete(KeyEntry entry) {
        remove(entry);
        hooks.keyModified(this, entry.key);
    }

    /** Sets the absolute expiry of a key, in Unix milliseconds. */
    public void setExpiry(KeyEntry entry, long expiresAt) {
        if (expiresAt == KeyEntry.NO_EXPIRY) {
            clearExpiry(entry);
        } else {
            if (entry.expirySlot < 0) {
                expiring.add(entry);
            }
            entry.expiresAt = expiresAt;
        }
        entry.version = hooks.nextVersion();
        hooks.keyModified(this, entry.key);
    }

    /** Removes the expiry of a key as PERSIST does, signalling the change; false if it had none. */
    public boolean persist(KeyEntry entry) {
        if (!clearExpiry(entry)) {
            return false;
        }
        entry.version = hooks.nextVersion();
        hooks.keyModified(this, entry.key);
        return true;
    }

    /**
     * Deletes an entry of this database whose time has passed, as a lookup would (Redis's
     * expireIfNeeded); for commands that reach entries without a lookup (SCAN, RANDOMKEY).
     *
     * @return true if the key was deleted
     */
    public boolean expireIfNeeded(KeyEntry entry) {
        return entry != null && isExpired(entry) && expireNow(entry);
    }

    /** Removes the expiry of a key; false if it had none. Signals nothing: callers signal their change. */
    public boolean clearExpiry(KeyEntry entry) {
        if (entry.expirySlot < 0) {
            return false;
        }
        expiring.remove(entry);
        entry.expiresAt = KeyEntry.NO_EXPIRY;
        return true;
    }

    /** Deletes every key (FLUSHDB). The entries are left to the garbage collector. */
    public void clear() {
        usedMemory = 0;
        table.clear();
        expiring.clear();
        expiryCursor = 0;
    }

    /**
     * Exchanges the contents of two databases (SWAPDB). Entries stay where they are; the tables
     * change owners.
     */
    static void swapContents(Database a, Database b) {
        KeyTable table = a.table;
        a.table = b.table;
        b.table = table;
        ExpiringKeys expiring = a.expiring;
        a.expiring = b.expiring;
        b.expiring = expiring;
        long usedMemory = a.usedMemory;
        a.usedMemory = b.usedMemory;
        b.usedMemory = usedMemory;
        int expiryCursor = a.expiryCursor;
        a.expiryCursor = b.expiryCursor;
        b.expiryCursor = expiryCursor;
    }

    private void remove(KeyEntry entry) {
        table.remove(entry);
        if (entry.expirySlot >= 0) {
            expiring.remove(entry);
        }
        usedMemory -= entry.accountedBytes;
        entry.accountedBytes = 0;
    }

    private void account(KeyEntry entry) {
        long bytes = entry.memoryUsage();
        usedMemory += bytes - entry.accountedBytes;
        entry.accountedBytes = bytes;
        entry.version = hooks.nextVersion();
    }

    // ---------------------------------------------------------------- iteration and sampling

    /** One SCAN step over the buckets at {@code cursor}; returns the next cursor (0: done). */
    public long scan(long cursor, Consumer<KeyEntry> visitor) {
        return table.scan(cursor, visitor);
    }

    /** Visits every entry, expired ones included; the visitor must not change the database. */
    public void forEach(Consumer<KeyEntry> visitor) {
        table.forEach(visitor);
    }

    /** A random entry, expired or not; null when empty. */
    public KeyEntry randomEntry(RandomGenerator random) {
        return table.randomEntry(random);
    }

    /** A random entry among those with an expiry; null when there are none. */
    public KeyEntry randomExpiringEntry(RandomGenerator random) {
        return expiring.random(random);
    }

    /**
     * Checks up to {@code samples} keys with an expiry, continuing round-robin from where the
     * previous call stopped, and deletes those that have expired.
     *
     * @return the number of keys deleted
     */
    public int expireSample(int samples) {
        if (!hooks.expiryDeletesKeys()) {
            return 0;
        }
        int expired = 0;
        for (int checked = 0; checked < samples && expiring.size() > 0; checked++) {
            if (expiryCursor >= expiring.size()) {
                expiryCursor = 0;
            }
            KeyEntry entry = expiring.get(expiryCursor);
            if (isExpired(entry)) {
                // The last entry moves into this slot, so the cursor stays to check it next.
                deleteExpired(entry);
                expired++;
            } else {
                expiryCursor++;
            }
        }
        return expired;
    }

    /** Lets a resize in progress advance until the deadline, and starts shrinking a sparse table. */
    public void maintainTable(long deadlineNanos) {
        table.shrinkIfSparse();
        table.rehashUntil(deadlineNanos);
    }
}
