package io.nuthatch.server.keyspace;

import io.nuthatch.server.type.StoredValue;
import io.nuthatch.server.type.UndoPoint;

import java.util.Arrays;

/**
 * The keys a run of commands has changed, each as it was before the run first touched it, so that
 * the whole run can be taken back as if it had never happened: a script that writes while it runs
 * on its caller's thread is taken back this way when it must move to the script's thread after all
 * (see the scripting package).
 *
 * <h2>What a record costs</h2>
 * Each key is recorded once, at its first change ({@link Database}'s change points call in here
 * before they touch anything), with the least that restores it: nothing for a key that did not
 * exist, the entry itself for a key deleted with its contents, the entry's fields around the same
 * value object for a value that is replaced or given an expiry, and a copy of the value only when
 * it is about to be changed in place (an LPUSH, an HSET, an APPEND). A value that can be brought
 * back for less gives a point instead ({@link StoredValue#undoPoint}: a list or a stream a copy
 * sharing its nodes, copying a node before it changes it; a large sorted set a journal of the
 * scores it replaces), so that a push onto a queue of a million jobs costs a node, not the queue.
 * A string's bytes are always copied, since a string of the same length is written over in place.
 *
 * <p>The log takes back only what is cheap to take back: past {@link #MAX_KEYS} keys or
 * {@link #MAX_COPIED_BYTES} of values copied whole, and for the changes it cannot take back at all
 * (FLUSHDB, FLUSHALL, SWAPDB), the change is refused before it starts with {@link Refused}, which
 * the log's owner catches to take back what was recorded and run the work elsewhere.
 *
 * <p>Taking back ({@link Keyspace#rollBack}) puts the recorded entries back into the tables and
 * the expiry index with their memory, and tells nobody: WATCH and the blocked clients heard of the
 * changes when they were made (a transaction watching such a key fails as if it had changed, which
 * Redis also allows), and whoever starts a log makes sure nobody else heard (no keyspace
 * notifications, tracking or MONITOR) and that no point-in-time walk runs meanwhile.
 */
public final class UndoLog {
    /** The most keys one run may change. */
    static final int MAX_KEYS = 64;
    /** The most bytes of values one run may have copied (by the entries' memory estimate). */
    static final long MAX_COPIED_BYTES = 64 * 1024;

    /**
     * A change the log cannot take back cheaply, refused before it starts: an Error, so that no
     * command handler or script error handler catches it; one shared instance without a stack
     * trace, since it is control flow.
     */
    public static final class Refused extends Error {
        private static final long serialVersionUID = 1L;
        static final Refused REFUSED = new Refused();

        private Refused() {
            super("the change cannot be taken back", null, false, false);
        }
    }

    private final Database[] databases = new Database[MAX_KEYS];
    private final byte[][] keyArrays = new byte[MAX_KEYS][];
    private final int[] keyOffsets = new int[MAX_KEYS];
    private final int[] keyLengths = new int[MAX_KEYS];
    /** Each key's entry before the run, or null when it did not exist. */
    private final KeyEntry[] before = new KeyEntry[MAX_KEYS];
    /** Whether a recorded entry still shares its value object with the live entry. */
    private final boolean[] sharesValue = new boolean[MAX_KEYS];
    /** For each key whose value a point keeps: the point, which gives the value back; else null. */
    private final UndoPoint[] points = new UndoPoint[MAX_KEYS];
    private int count;
    private long copiedBytes;

    /** How many keys the run has changed so far. */
    public int size() {
        return count;
    }

    /** A key is about to be added: it did not exist before the run. */
    void absent(Database database, byte[] data) {
        int offset = EntryData.keyOffset(data);
        int length = EntryData.keyLength(data);
        if (find(database, data, offset, length) < 0) {
            add(database, data, offset, length, null, false);
        }
    }

    /**
     * An entry is about to get a new value or expiry: its fields are kept around the same value
     * object (a value replaced is not changed afterwards), and a string's bytes are copied.
     */
    void replacing(Database database, KeyEntry entry) {
        if (find(database, entry) < 0) {
            KeyEntry kept = entry.value() == null ? chargedStringCopy(entry)
                    : KeyEntry.detached(entry, entry.data, entry.value(), entry.meta);
            add(database, kept.data, kept.keyOffset(), kept.keyLength(), kept, kept.value() != null);
        }
    }

    /** An entry's value is about to change in place, or to leave under another key: keep a copy. */
    void changingInPlace(Database database, KeyEntry entry) {
        int record = find(database, entry);
        StoredValue value = entry.value();
        if (record < 0) {
            if (value == null) {
                KeyEntry kept = chargedStringCopy(entry);
                add(database, kept.data, kept.keyOffset(), kept.keyLength(), kept, false);
                return;
            }
            if (count == MAX_KEYS) {
                // Before taking a point: one not recorded would never be released.
                throw Refused.REFUSED;
            }
            UndoPoint point = value.undoPoint();
            KeyEntry kept = KeyEntry.detached(entry, entry.data, point != null ? value : wholeCopy(entry), entry.meta);
            add(database, kept.data, kept.keyOffset(), kept.keyLength(), kept, false);
            points[count - 1] = point;
        } else if (sharesValue[record] && before[record].value() == value) {
            // Recorded when its expiry changed: the value has not changed yet, so what is kept of
            // it now is the value as it was.
            UndoPoint point = value.undoPoint();
            if (point == null) {
                KeyEntry kept = before[record];
                before[record] = KeyEntry.detached(kept, kept.data, wholeCopy(entry), kept.meta);
            }
            points[record] = point;
            sharesValue[record] = false;
        }
    }

    /** A whole copy of the entry's value, charged to the budget. */
    private StoredValue wholeCopy(KeyEntry entry) {
        charge(entry);
        return entry.value().copy();
    }

    /** An entry is about to be deleted with its contents: the entry itself is kept. */
    void removing(Database database, KeyEntry entry) {
        if (find(database, entry) < 0) {
            add(database, entry.data, entry.keyOffset(), entry.keyLength(), entry, false);
        }
    }

    /** A change no record can take back (FLUSHDB, FLUSHALL, SWAPDB): refused before it starts. */
    void refuse() {
        throw Refused.REFUSED;
    }

    /** Puts every recorded key back as it was, the last changed first, and empties the log. */
    void rollBack() {
        for (int record = count - 1; record >= 0; record--) {
            databases[record].restore(keyArrays[record], keyOffsets[record], keyLengths[record], before[record],
                    points[record]);
        }
        clear();
    }

    /** Forgets the records: the run's changes stand. */
    void clear() {
        for (int record = 0; record < count; record++) {
            if (points[record] != null) {
                points[record].release();
                points[record] = null;
            }
        }
        Arrays.fill(databases, 0, count, null);
        Arrays.fill(keyArrays, 0, count, null);
        Arrays.fill(before, 0, count, null);
        count = 0;
        copiedBytes = 0;
    }

    private int find(Database database, KeyEntry entry) {
        return find(database, entry.data, entry.keyOffset(), entry.keyLength());
    }

    private int find(Database database, byte[] array, int offset, int length) {
        for (int record = 0; record < count; record++) {
            if (databases[record] == database && keyLengths[record] == length
                    && Arrays.equals(keyArrays[record], keyOffsets[record], keyOffsets[record] + length, array, offset,
                    offset + length)) {
                return record;
            }
        }
        return -1;
    }

    private void add(Database database, byte[] array, int offset, int length, KeyEntry entry, boolean shares) {
        if (count == MAX_KEYS) {
            throw Refused.REFUSED;
        }
        databases[count] = database;
        keyArrays[count] = array;
        keyOffsets[count] = offset;
        keyLengths[count] = length;
        before[count] = entry;
        sharesValue[count] = shares;
        points[count] = null;
        count++;
    }

    private void charge(KeyEntry entry) {
        copiedBytes += entry.memoryUsage();
        if (copiedBytes > MAX_COPIED_BYTES) {
            throw Refused.REFUSED;
        }
    }

    /** A string entry's bytes in an entry of their own (a string is written over in place), charged. */
    private KeyEntry chargedStringCopy(KeyEntry entry) {
        charge(entry);
        return KeyEntry.detachedString(entry);
    }
}
