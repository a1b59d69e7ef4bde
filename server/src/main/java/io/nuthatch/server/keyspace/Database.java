package io.nuthatch.server.keyspace;

import io.nuthatch.resp.RequestArguments;
import io.nuthatch.server.type.MemoryLayout;
import io.nuthatch.server.type.NumericStrings;
import io.nuthatch.server.type.StoredValue;
import io.nuthatch.server.type.StringCapacity;
import io.nuthatch.server.type.StringEncoding;
import io.nuthatch.server.type.StringValue;
import io.nuthatch.server.type.UndoPoint;
import io.nuthatch.server.type.ValueType;

import java.util.Arrays;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * One numbered database (SELECT n): its keys, their expiries, and the memory they take.
 *
 * <p>Every change to a key goes through this class, and each one passes {@link #beforeChange}
 * before anything is touched: there the walk in progress keeps the old contents of a key it has
 * not reached yet, and the entry's memory is taken off the total, to be added back, as it is now,
 * once the change is made. Then the rest of the server hears of it through {@link KeyspaceHooks}
 * (WATCH, write propagation, the dirty counter). A value changed in place is opened with
 * {@link #writableString} and closed with {@link #changed}; nothing may write into a value
 * between those two calls except the command that opened it, and nothing outside them at all.
 *
 * <p>Methods that can change an entry's class (an expiry set or removed, a string replaced by an
 * object) return the live entry; the one passed in must not be used afterwards.
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

    /** Expiry argument of the string writers: keep the key's expiry as it is (KEEPTTL, INCR). */
    public static final long KEEP_EXPIRY = Long.MIN_VALUE;

    private final int index;
    private final Keyspace keyspace;
    private final KeyspaceHooks hooks;
    // Not final: SWAPDB exchanges them between two databases, FLUSHDB replaces them.
    private KeyTable table;
    private ExpiringKeys expiring;
    /** Bytes of the entries, keys and values here; always changed through {@link #account}. */
    private long usedMemory;
    private int expiryCursor;
    /** The entry {@link #writableString} opened and {@link #changed} has not closed, and its memory then. */
    private KeyEntry openEntry;
    private long openEntryMemory;
    /** The entry {@link #evict} just deleted, when nothing but the eviction refers to it. */
    private KeyEntry recyclable;
    /** Whether access clocks here hold LFU frequencies (the database's eviction policy is an LFU one). */
    private boolean frequencyClock;

    Database(int index, Keyspace keyspace, KeyspaceHooks hooks) {
        this.index = index;
        this.keyspace = keyspace;
        this.hooks = hooks;
        this.table = new KeyTable(keyspace.totals);
        this.expiring = new ExpiringKeys(keyspace.totals);
    }

    /** Counts {@code bytes} more (or fewer) for the entries here, and in the keyspace's total. */
    private void account(long bytes) {
        usedMemory += bytes;
        keyspace.totals.dataset += bytes;
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
        return table.bucketBytes() + MemoryLayout.referenceArray(expiring.capacity());
    }

    /** Memory of the key table's bucket arrays (MEMORY STATS's overhead.hashtable.main). */
    public long tableMemory() {
        return table.bucketBytes();
    }

    /** Memory of the expiry index (MEMORY STATS's overhead.hashtable.expires). */
    public long expiryIndexMemory() {
        return MemoryLayout.referenceArray(expiring.capacity());
    }

    /** Bucket slots of the array a resize in progress is draining, 0 when none. */
    public int drainingTableSlots() {
        return table.drainingCapacity();
    }

    KeyTable table() {
        return table;
    }

    /**
     * Whether the access clocks of this database's keys hold LFU frequencies ({@link AccessFrequency})
     * rather than LRU seconds: set from the database's eviction policy. Clocks written under the
     * other kind are read as this kind until the keys are next used, as in Redis after a policy
     * change.
     */
    public boolean usesFrequencyClock() {
        return frequencyClock;
    }

    public void useFrequencyClock(boolean frequency) {
        this.frequencyClock = frequency;
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
        return afterFind(table.find(array, offset, length, KeyHashing.hash(array, offset, length)), flags,
                array, offset, length);
    }

    public KeyEntry lookup(byte[] key, int flags) {
        return afterFind(table.find(key, 0, key.length, KeyHashing.hash(key)), flags, key, 0, key.length);
    }

    /**
     * Looks up the key held in {@code length} bytes of {@code array} from {@code offset} (a key
     * built in a reused buffer).
     */
    public KeyEntry lookup(byte[] array, int offset, int length, int flags) {
        return afterFind(table.find(array, offset, length, KeyHashing.hash(array, offset, length)), flags,
                array, offset, length);
    }

    /** Finds a key as it is stored, expired or not, with no side effect at all. */
    public KeyEntry peek(byte[] key) {
        return table.find(key, 0, key.length, KeyHashing.hash(key));
    }

    private KeyEntry afterFind(KeyEntry entry, int flags, byte[] key, int offset, int length) {
        if (entry != null && isExpired(entry) && expireNow(entry)) {
            entry = null;
        }
        if (entry != null) {
            if ((flags & NO_TOUCH) == 0) {
                hooks.accessed(this, entry);
            }
            if ((flags & (NO_STATS | FOR_WRITE)) == 0) {
                hooks.lookedUp(true);
            }
        } else if ((flags & (NO_STATS | FOR_WRITE)) == 0) {
            hooks.lookedUp(false);
            hooks.keyMissed(this, key, offset, length);
        }
        return entry;
    }

    /** Whether the entry's expiry time has passed (a key expires once now is past its time). */
    public boolean isExpired(KeyEntry entry) {
        return entry instanceof ExpiringEntry expiringEntry && hooks.now() > expiringEntry.expiresAt;
    }

    /** Deletes an expired entry if expiry may delete keys now; true if the key is to be treated as gone. */
    private boolean expireNow(KeyEntry entry) {
        if (!hooks.expiryDeletesKeys()) {
            return false;
        }
        if (!hooks.keepsExpiredKeys()) {
            deleteExpired(entry);
        }
        return true;
    }

    private void deleteExpired(KeyEntry entry) {
        hooks.keyExpired(this, entry);
        remove(entry);
    }

    // ---------------------------------------------------------------- strings written whole

    /**
     * Sets the key of argument {@code keyIndex} to the string of argument {@code valueIndex}, as SET
     * does. {@code entry} is the key's entry as just looked up, or null when it is absent. The
     * expiry is an absolute time, {@link KeyEntry#NO_EXPIRY} to have none, or {@link #KEEP_EXPIRY}.
     * A value the decoder gave an array of its own (32 KB and more) keeps that array; any other is
     * copied next to its key, over the old value when the length is the same.
     *
     * @return the live entry
     */
    public KeyEntry setString(KeyEntry entry, RequestArguments arguments, int keyIndex, int valueIndex, long expiry) {
        int length = arguments.length(valueIndex);
        if (length >= RequestArguments.LARGE_ARGUMENT) {
            StringValue value = StringValue.wrap(arguments.take(valueIndex));
            if (entry == null) {
                return insert(EntryData.newData(arguments.array(keyIndex), arguments.offset(keyIndex),
                        arguments.length(keyIndex), 0), value, KeyEntry.WHOLE, absolute(expiry));
            }
            return replaceValue(entry, value, expiry);
        }
        return setString(entry, arguments, keyIndex, arguments.array(valueIndex), arguments.offset(valueIndex),
                length, StringForm.WHOLE, expiry);
    }

    /**
     * Sets a key to a string a command computed, as {@link #setString(KeyEntry, RequestArguments,
     * int, int, long)} does; {@code form} says how OBJECT ENCODING is to see it.
     *
     * @return the live entry
     */
    public KeyEntry setString(KeyEntry entry, RequestArguments arguments, int keyIndex, byte[] value, int offset,
            int length, StringForm form, long expiry) {
        int formBits = form.bits;
        if (entry == null) {
            return insertString(arguments, keyIndex, value, offset, length, formBits, absolute(expiry));
        }
        beforeChange(entry);
        byte[] data = EntryData.forString(entry, length);
        System.arraycopy(value, offset, data, data.length - length, length);
        KeyEntry live = rebuild(entry, data, null, formBits, expiry == KEEP_EXPIRY ? entry.expiresAt() : expiry);
        hooks.stored(this, live, false);
        afterChange(live);
        return live;
    }

    /**
     * Sets a key to an integer as INCR does, keeping its expiry. When the digits take as many bytes
     * as the old value's, they are written over it: a counter allocates nothing while it counts.
     *
     * @return the live entry
     */
    public KeyEntry setInteger(KeyEntry entry, RequestArguments arguments, int keyIndex, long number) {
        int length = NumericStrings.decimalLength(number);
        byte[] data;
        if (entry == null) {
            data = newStringData(arguments, keyIndex, length);
            NumericStrings.writeDecimal(number, data, data.length - length);
            return insert(data, null, KeyEntry.WHOLE, KeyEntry.NO_EXPIRY);
        }
        beforeChange(entry);
        data = EntryData.forString(entry, length);
        NumericStrings.writeDecimal(number, data, data.length - length);
        KeyEntry live = rebuild(entry, data, null, KeyEntry.WHOLE, entry.expiresAt());
        hooks.stored(this, live, false);
        afterChange(live);
        return live;
    }

    /**
     * Adds a key known to be absent holding a string, in an evicted key's array when one is kept
     * ({@link RecycledEntries}): of exactly the length the string written whole needs, else, for a
     * string Redis would call "raw" anyway (longer than 44 bytes), one up to an eighth longer, in
     * the grown-in-place layout with a length field (values of many sizes rarely find their exact
     * length). The room past the string is zeroed: nothing of the evicted key stays readable.
     */
    private KeyEntry insertString(RequestArguments arguments, int keyIndex, byte[] value, int offset, int length,
            int formBits, long expiresAt) {
        int keyLength = arguments.length(keyIndex);
        int exactLength = EntryData.length(keyLength, length);
        byte[] data = keyspace.recycled.take(exactLength);
        if (data == null && length > StringEncoding.EMBSTR_LIMIT) {
            int sizedLength = exactLength + EntryData.SIZE_FIELD;
            data = keyspace.recycled.takeBetween(sizedLength, sizedLength + exactLength / 8);
            if (data != null) {
                EntryData.writeKey(data, arguments.array(keyIndex), arguments.offset(keyIndex), keyLength);
                EntryData.writeSize(data, length);
                int stringOffset = EntryData.keyEnd(data) + EntryData.SIZE_FIELD;
                System.arraycopy(value, offset, data, stringOffset, length);
                Arrays.fill(data, stringOffset + length, data.length, (byte) 0);
                return insert(data, null, KeyEntry.SIZED, expiresAt);
            }
        }
        if (data == null) {
            data = new byte[exactLength];
        }
        EntryData.writeKey(data, arguments.array(keyIndex), arguments.offset(keyIndex), keyLength);
        System.arraycopy(value, offset, data, data.length - length, length);
        return insert(data, null, formBits, expiresAt);
    }

    /**
     * The array for a new key and a string of {@code length} bytes, the key written: an evicted
     * key's array of that length when one is kept ({@link RecycledEntries}), else a new one.
     */
    private byte[] newStringData(RequestArguments arguments, int keyIndex, int length) {
        int keyLength = arguments.length(keyIndex);
        int dataLength = EntryData.length(keyLength, length);
        byte[] data = keyspace.recycled.take(dataLength);
        if (data == null) {
            data = new byte[dataLength];
        }
        return EntryData.writeKey(data, arguments.array(keyIndex), arguments.offset(keyIndex), keyLength);
    }

    // ---------------------------------------------------------------- values as objects

    /**
     * Sets a key to a value object: overwrites an existing value, dropping its expiry unless
     * {@code keepExpiry}, or adds the key, keeping the key's array. For the value types that are
     * objects (and tests); strings are written with {@link #setString}.
     *
     * @return the live entry
     */
    public KeyEntry set(byte[] key, StoredValue value, boolean keepExpiry) {
        KeyEntry entry = lookup(key, FOR_WRITE | NO_TOUCH);
        if (entry == null) {
            return add(key, value);
        }
        return replaceValue(entry, value, keepExpiry ? KEEP_EXPIRY : KeyEntry.NO_EXPIRY);
    }

    /** Adds a key known to be absent (a lookup just said so), holding a value object. */
    public KeyEntry add(byte[] key, StoredValue value) {
        return insert(EntryData.newData(key, 0, key.length, 0), value, KeyEntry.WHOLE, KeyEntry.NO_EXPIRY);
    }

    /**
     * Loading (a snapshot, an imported file): adds a key known to be absent holding a value object
     * or, when {@code value} is null, the string {@code string}, with an absolute expiry time or
     * {@link KeyEntry#NO_EXPIRY}. A string of 32 KB or more keeps its array, as SET's does.
     */
    public KeyEntry load(byte[] key, StoredValue value, byte[] string, long expiresAt) {
        if (value == null && string.length >= RequestArguments.LARGE_ARGUMENT) {
            value = StringValue.wrap(string);
        }
        if (value != null) {
            return insert(EntryData.newData(key, 0, key.length, 0), value, KeyEntry.WHOLE, expiresAt);
        }
        byte[] data = EntryData.newData(key, 0, key.length, string.length);
        System.arraycopy(string, 0, data, data.length - string.length, string.length);
        return insert(data, null, KeyEntry.WHOLE, expiresAt);
    }

    /**
     * Adds the key of argument {@code keyIndex}, known to be absent, holding a value object (the
     * first HSET, LPUSH, SADD ... of a key); the key is copied once, into the entry's array.
     */
    public KeyEntry add(RequestArguments arguments, int keyIndex, StoredValue value) {
        byte[] data = EntryData.newData(arguments.array(keyIndex), arguments.offset(keyIndex),
                arguments.length(keyIndex), 0);
        return insert(data, value, KeyEntry.WHOLE, KeyEntry.NO_EXPIRY);
    }

    private KeyEntry replaceValue(KeyEntry entry, StoredValue value, long expiry) {
        beforeChange(entry);
        byte[] data = entry.value() == null ? EntryData.keyOnly(entry.data) : entry.data;
        KeyEntry live = rebuild(entry, data, value, KeyEntry.WHOLE, expiry == KEEP_EXPIRY ? entry.expiresAt() : expiry);
        hooks.stored(this, live, false);
        afterChange(live);
        return live;
    }

    // ---------------------------------------------------------------- changes in place

    /**
     * Opens the string of a key for a change in place (APPEND, SETRANGE, SETBIT, BITFIELD), making
     * it at least {@code minLength} bytes long, zero bytes added at its end. The command then writes
     * within {@link KeyEntry#stringArray()} from {@link KeyEntry#stringOffset()}, and calls
     * {@link #changed} once it has changed anything. The string is "raw" from now on, as Redis
     * unshares a value before writing into it. The entry stays the same object.
     */
    public void writableString(KeyEntry entry, int minLength) {
        if (keyspace.undo != null) {
            keyspace.undo.changingInPlace(this, entry);
        }
        if (keyspace.walk != null) {
            keyspace.walk.beforeChange(table, entry);
        }
        openEntry = entry;
        openEntryMemory = entry.memoryUsage();
        StoredValue value = entry.value();
        if (value != null) {
            ((StringValue) value).growTo(minLength);
            return;
        }
        int form = entry.meta & KeyEntry.FORM_MASK;
        int offset = entry.stringOffset();
        int length = entry.stringLength();
        if (minLength <= length) {
            if (form != KeyEntry.SIZED) {
                entry.meta = (entry.meta & ~KeyEntry.FORM_MASK) | KeyEntry.RAW;
            }
            return;
        }
        if (form == KeyEntry.SIZED && minLength <= entry.data.length - offset) {
            Arrays.fill(entry.data, offset + length, offset + minLength, (byte) 0);
            EntryData.writeSize(entry.data, minLength);
            return;
        }
        entry.data = EntryData.newSized(entry.data, entry.data, offset, length, minLength,
                StringCapacity.grown(minLength));
        entry.meta = (entry.meta & ~KeyEntry.FORM_MASK) | KeyEntry.SIZED;
    }

    /**
     * Marks a string "raw" for OBJECT ENCODING without changing it, as Redis's commands that may
     * write a string in place unshare it before they know whether they will (PFCOUNT with a cached
     * estimate, PFADD of elements already counted): the bytes stay, nothing is signalled.
     */
    public void unshareString(KeyEntry entry) {
        int form = entry.meta & KeyEntry.FORM_MASK;
        if (entry.value() == null && form != KeyEntry.RAW && form != KeyEntry.SIZED) {
            entry.meta = (entry.meta & ~KeyEntry.FORM_MASK) | KeyEntry.RAW;
        }
    }

    /**
     * Opens the value object of a key (a hash, a list, a set ...) for a change in place, and
     * returns it: the command changes it through the value's own methods, then calls
     * {@link #changed}, and deletes the key if the change left the collection empty, as Redis
     * deletes empty collections. Nothing may change a value object without opening it here, or a
     * walk in progress would see the change (see the package's change contract). The entry stays
     * the same object.
     */
    public StoredValue writableValue(KeyEntry entry) {
        StoredValue value = entry.value();
        if (value == null || value.type() == ValueType.STRING) {
            throw new IllegalStateException("writableValue opens value objects; strings use writableString");
        }
        if (keyspace.undo != null) {
            keyspace.undo.changingInPlace(this, entry);
        }
        if (keyspace.walk != null) {
            keyspace.walk.beforeChange(table, entry);
        }
        openEntry = entry;
        openEntryMemory = entry.memoryUsage();
        return value;
    }

    /** Closes a change in place that {@link #writableString} or {@link #writableValue} opened: memory, WATCH, dirty. */
    public void changed(KeyEntry entry) {
        if (entry != openEntry) {
            throw new IllegalStateException("a value was changed without being opened for writing");
        }
        openEntry = null;
        account(entry.memoryUsage() - openEntryMemory);
        hooks.keyModified(this, entry);
    }

    /**
     * Closes an opening of {@link #writableValue} whose change altered the value's layout and not
     * its contents, as SORT converts a listpack sorted set to a skiplist the way Redis's does: the
     * memory total follows, but nothing is signalled (no WATCH, no dirty count, nothing propagated),
     * since Redis signals nothing either.
     */
    public void relaidOut(KeyEntry entry) {
        if (entry != openEntry) {
            throw new IllegalStateException("a value was relaid out without being opened for writing");
        }
        openEntry = null;
        account(entry.memoryUsage() - openEntryMemory);
    }

    // ---------------------------------------------------------------- expiry

    /**
     * Sets the absolute expiry of a key, in Unix milliseconds.
     *
     * @return the live entry
     */
    public KeyEntry setExpiry(KeyEntry entry, long expiresAt) {
        if (expiresAt == KeyEntry.NO_EXPIRY) {
            throw new IllegalArgumentException("no expiry time: use persist");
        }
        beforeChange(entry);
        KeyEntry live = rebuild(entry, entry.data, entry.value(), entry.meta & KeyEntry.FORM_MASK, expiresAt);
        afterChange(live);
        return live;
    }

    /** Removes the expiry of a key as PERSIST does, signalling the change; false if it had none. */
    public boolean persist(KeyEntry entry) {
        if (!entry.hasExpiry()) {
            return false;
        }
        beforeChange(entry);
        KeyEntry live = rebuild(entry, entry.data, entry.value(), entry.meta & KeyEntry.FORM_MASK, KeyEntry.NO_EXPIRY);
        afterChange(live);
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

    // ---------------------------------------------------------------- keys

    /** Deletes a key. */
    public void delete(KeyEntry entry) {
        remove(entry);
        hooks.keyModified(this, entry);
    }

    /**
     * Deletes a key to free memory (eviction). Unlike {@link #delete}, nothing hears of it as a
     * command's change (no dirty count): the eviction that calls it tells the rest of the server,
     * then hands the entry to {@link #recycle}.
     *
     * @return the memory the key took, which leaves the total
     */
    public long evict(KeyEntry entry) {
        long bytes = entry.memoryUsage();
        boolean kept = remove(entry, true);
        recyclable = !kept && keyspace.undo == null && entry.value() == null ? entry : null;
        return bytes;
    }

    /**
     * Keeps the string entry {@link #evict} just deleted, its array and the entry object, for the
     * next keys created ({@link RecycledEntries}), once everything that hears of the eviction has
     * read its key. Nothing when something else may still read the entry: a walk that has not
     * passed it (the walk recycles it once given) or an undo log. The entry is unusable afterwards.
     */
    public void recycle(KeyEntry evicted) {
        if (evicted == recyclable) {
            keyspace.recycled.offer(evicted);
        }
        recyclable = null;
    }

    /**
     * The entry now stored under the key of {@code earlier}, an entry seen before (it may have been
     * replaced or deleted since); null when the key is absent. No side effect at all.
     */
    public KeyEntry current(KeyEntry earlier) {
        return table.find(earlier.data, earlier.keyOffset(), earlier.keyLength(), KeyTable.hashOf(earlier));
    }

    /**
     * Gives a key's value, expiry and access clock to another name in this database (RENAME), and
     * deletes the old name. The new name, argument {@code keyIndex}, must be absent.
     *
     * @return the entry under the new name
     */
    public KeyEntry rename(KeyEntry source, RequestArguments arguments, int keyIndex) {
        byte[] data = EntryData.underKey(source, arguments, keyIndex, false);
        int clock = source.accessClock();
        detach(source);
        hooks.keyModified(this, source);
        KeyEntry renamed = insert(data, source.value(), source.meta & KeyEntry.FORM_MASK, source.expiresAt());
        renamed.accessClock(clock);
        return renamed;
    }

    /**
     * Moves an entry to another database under the same key (MOVE), with its value, expiry and
     * access clock; the key must be absent there.
     */
    public void moveTo(KeyEntry entry, Database target) {
        // The walk bit needs no change: a walk that had not passed the entry kept a copy and
        // flipped it, so the entry is now, like any new one in the target, past the walk.
        if (keyspace.undo != null) {
            keyspace.undo.absent(target, entry.data);
        }
        detach(entry);
        hooks.keyModified(this, entry);
        target.table.insert(entry, KeyTable.hashOf(entry));
        if (entry instanceof ExpiringEntry expiringEntry) {
            target.expiring.add(expiringEntry);
        }
        target.account(entry.memoryUsage());
        hooks.keyCreated(target, entry);
        hooks.keyModified(target, entry);
        if (entry.value() != null) {
            hooks.keyAdded(target, entry);
        }
    }

    /**
     * Copies a key's value and expiry to a key of {@code target}, argument {@code keyIndex}, which
     * must be absent there (COPY). The copy is a new value with a new access clock, as in Redis.
     *
     * @return the copy's entry
     */
    public KeyEntry copyTo(KeyEntry source, Database target, RequestArguments arguments, int keyIndex) {
        StoredValue value = source.value();
        int form = source.meta & KeyEntry.FORM_MASK;
        if (form == KeyEntry.WHOLE || form == KeyEntry.COPIED) {
            form = KeyEntry.COPIED;
        } else if (form == KeyEntry.SIZED) {
            form = KeyEntry.RAW;
        }
        byte[] data = EntryData.underKey(source, arguments, keyIndex, true);
        return target.insert(data, value == null ? null : value.copy(), value == null ? form : KeyEntry.WHOLE,
                source.expiresAt());
    }

    /** Deletes every key (FLUSHDB). A walk in progress keeps the old table until it has read it. */
    public void clear() {
        if (keyspace.undo != null) {
            keyspace.undo.refuse();
        }
        hooks.flushing(this);
        if (keyspace.walk != null) {
            keyspace.walk.flushed(table, usedMemory + indexMemory());
        }
        account(-usedMemory);
        table.leaveTotals();
        expiring.leaveTotals();
        table = new KeyTable(keyspace.totals);
        expiring = new ExpiringKeys(keyspace.totals);
        expiryCursor = 0;
        openEntry = null;
    }

    /**
     * Exchanges the contents of two databases (SWAPDB). Entries stay where they are; the tables
     * change owners.
     */
    static void swapContents(Database a, Database b) {
        if (a.keyspace.undo != null) {
            a.keyspace.undo.refuse();
        }
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

    // ---------------------------------------------------------------- the change points

    /**
     * Where every change to an existing entry starts, before anything is written: a walk in
     * progress keeps the entry's old contents if it has not passed it, and the entry's memory comes
     * off the total until {@link #afterChange} adds it back as it is then.
     */
    private void beforeChange(KeyEntry entry) {
        if (keyspace.undo != null) {
            keyspace.undo.replacing(this, entry);
        }
        if (keyspace.walk != null) {
            keyspace.walk.beforeChange(table, entry);
        }
        account(-entry.memoryUsage());
    }

    private void afterChange(KeyEntry live) {
        account(live.memoryUsage());
        hooks.keyModified(this, live);
    }

    /** Adds a new entry: it is born past any walk in progress, which must not report it. */
    private KeyEntry insert(byte[] data, StoredValue value, int form, long expiresAt) {
        return insert(data, KeyHashing.hash(data, EntryData.keyOffset(data), EntryData.keyLength(data)), value, form,
                expiresAt);
    }

    /**
     * Loading: an entry array and hash a {@link LoadBatch} prepared, of a key known to be absent;
     * its access clock, or {@link LoadBatch#LOAD_TIME} to stamp it as new now.
     */
    void insertLoaded(byte[] data, int hash, StoredValue value, long expiresAt, int clock) {
        KeyEntry entry = insert(data, hash, value, KeyEntry.WHOLE, expiresAt);
        if (clock != LoadBatch.LOAD_TIME) {
            entry.accessClock(clock);
        }
    }

    /**
     * Loading: the table will hold about {@code keys} keys, so it takes its final size at once
     * instead of doubling twenty times (each doubling rehashes every key already in it). Only an
     * empty table is sized.
     */
    public void reserve(long keys) {
        if (table.size() == 0) {
            table.reserve((int) Math.min(keys, 1 << 30));
        }
    }

    private KeyEntry insert(byte[] data, int hash, StoredValue value, int form, long expiresAt) {
        if (keyspace.undo != null) {
            keyspace.undo.absent(this, data);
        }
        int meta = KeyEntry.tag(hash) | keyspace.bornWalkBit | form;
        KeyEntry entry;
        if (expiresAt != KeyEntry.NO_EXPIRY) {
            ExpiringEntry expiringEntry = value == null ? keyspace.recycled.takeExpiring() : null;
            if (expiringEntry == null) {
                expiringEntry = new ExpiringEntry(data, value, meta, expiresAt);
            } else {
                expiringEntry.data = data;
                expiringEntry.meta = meta;
                expiringEntry.expiresAt = expiresAt;
            }
            expiring.add(expiringEntry);
            entry = expiringEntry;
        } else if (value == null) {
            StringEntry plain = keyspace.recycled.takePlain();
            if (plain == null) {
                entry = new StringEntry(data, meta);
            } else {
                plain.data = data;
                plain.meta = meta;
                entry = plain;
            }
        } else {
            entry = new ValueEntry(data, value, meta);
        }
        table.insert(entry, hash);
        hooks.keyCreated(this, entry);
        hooks.stored(this, entry, true);
        account(entry.memoryUsage());
        hooks.keyModified(this, entry);
        if (value != null) {
            hooks.keyAdded(this, entry);
        }
        return entry;
    }

    /**
     * Gives the entry its new contents, in place when its class fits them, else in a new entry of
     * the right class that takes its place in the table and the expiry index. The clock, the walk
     * bit and the hash tag stay.
     */
    private KeyEntry rebuild(KeyEntry entry, byte[] data, StoredValue value, int form, long expiresAt) {
        StoredValue old = entry.value();
        if (old != null && old != value && (value == null || value.type() != old.type())) {
            hooks.valueRemoved(this, entry, old.type());
        }
        int meta = (entry.meta & ~KeyEntry.FORM_MASK) | (value == null ? form : KeyEntry.WHOLE);
        if (expiresAt != KeyEntry.NO_EXPIRY) {
            if (entry instanceof ExpiringEntry expiringEntry) {
                expiringEntry.data = data;
                expiringEntry.value = value;
                expiringEntry.meta = meta;
                expiringEntry.expiresAt = expiresAt;
                return expiringEntry;
            }
            ExpiringEntry live = new ExpiringEntry(data, value, meta, expiresAt);
            table.replace(entry, live);
            expiring.add(live);
            return live;
        }
        if (value == null && entry instanceof StringEntry) {
            entry.data = data;
            entry.meta = meta;
            return entry;
        }
        if (value != null && entry instanceof ValueEntry valueEntry) {
            valueEntry.data = data;
            valueEntry.value = value;
            valueEntry.meta = meta;
            return valueEntry;
        }
        KeyEntry live = value == null ? new StringEntry(data, meta) : new ValueEntry(data, value, meta);
        table.replace(entry, live);
        if (entry instanceof ExpiringEntry expiringEntry) {
            expiring.remove(expiringEntry);
        }
        return live;
    }

    /** Deletes an entry whose contents go with it: a walk that has not passed it keeps it as it is. */
    private void remove(KeyEntry entry) {
        remove(entry, false);
    }

    /** Deletes an entry, evicted or not (see {@link KeyspaceWalk#evicted}); returns whether a walk kept it. */
    private boolean remove(KeyEntry entry, boolean evicted) {
        if (keyspace.undo != null) {
            keyspace.undo.removing(this, entry);
        }
        unlink(entry);
        if (entry.value() != null) {
            hooks.valueRemoved(this, entry, entry.type());
        }
        KeyspaceWalk walk = keyspace.walk;
        if (walk == null) {
            return false;
        }
        return evicted ? walk.evicted(table, entry) : walk.removed(table, entry);
    }

    /** Takes out an entry whose contents live on under another key or in another database. */
    private void detach(KeyEntry entry) {
        if (keyspace.undo != null) {
            keyspace.undo.changingInPlace(this, entry);
        }
        if (keyspace.walk != null) {
            keyspace.walk.beforeChange(table, entry);
        }
        unlink(entry);
        if (entry.value() != null) {
            hooks.valueRemoved(this, entry, entry.type());
        }
    }

    /**
     * Puts a key back as an {@link UndoLog} recorded it: the entry now under the key (if any) goes,
     * and {@code before} (null when the key did not exist) comes back in an entry of its own, with
     * the value {@code point} gives back when there is one. Nobody is told: see UndoLog.
     */
    void restore(byte[] array, int offset, int length, KeyEntry before, UndoPoint point) {
        int hash = KeyHashing.hash(array, offset, length);
        KeyEntry current = table.find(array, offset, length, hash);
        if (current != null) {
            if (current == openEntry) {
                // Opened and left half changed: the total still holds what it took when opened.
                account(current.memoryUsage() - openEntryMemory);
                openEntry = null;
            }
            unlink(current);
        }
        if (before != null) {
            KeyEntry entry = KeyEntry.detached(before, before.data, point != null ? point.restore() : before.value(),
                    (before.meta & ~KeyEntry.WALK_BIT) | keyspace.bornWalkBit);
            table.insert(entry, hash);
            if (entry instanceof ExpiringEntry expiringEntry) {
                expiring.add(expiringEntry);
            }
            account(entry.memoryUsage());
        }
    }

    private void unlink(KeyEntry entry) {
        account(-entry.memoryUsage());
        table.remove(entry);
        if (entry instanceof ExpiringEntry expiringEntry && expiringEntry.expirySlot >= 0) {
            expiring.remove(expiringEntry);
        }
    }

    private long absolute(long expiry) {
        return expiry == KEEP_EXPIRY ? KeyEntry.NO_EXPIRY : expiry;
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

    /** Up to {@code count} entries for eviction's sampling (see KeyTable#sample); how many were written. */
    public int sampleEntries(RandomGenerator random, KeyEntry[] into, int count) {
        return table.sample(random, into, count);
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
        if (!hooks.expiryDeletesKeys() || hooks.keepsExpiredKeys()) {
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

    /**
     * The memory of every entry counted afresh, to compare with the running total
     * ({@link #datasetMemory()}): for tests of the accounting.
     */
    long countMemory() {
        long[] bytes = new long[1];
        table.forEach(entry -> bytes[0] += entry.memoryUsage());
        return bytes[0];
    }
}
