package io.nuthatch.server.transaction;

import io.nuthatch.server.keyspace.Database;
import io.nuthatch.server.keyspace.KeyEntry;
import io.nuthatch.server.keyspace.Keyspace;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every key some client WATCHes, with the clients watching it, and the rules by which a change
 * touches them (Redis's touchWatchedKey and touchAllWatchedKeysInDb, as 7.0.15 applies them):
 *
 * <ul>
 * <li>any change a command makes to the key, its deletion by expiry (lazy or active) included,
 *     touches every watch on it; a touched client stops watching at once, since EXEC will fail
 *     anyway;</li>
 * <li>a key that had already expired when it was watched is, as far as the client can tell,
 *     absent: its deletion changes nothing, and only clears that mark, while a new value under
 *     it touches the watch;</li>
 * <li>FLUSHDB and FLUSHALL touch the watched keys that exist in the database flushed, and no
 *     others; SWAPDB touches a watched key of either database when it exists on either side of
 *     the swap (before or after); an expired-at-watch key that is absent after the swap is again
 *     not touched;</li>
 * <li>EXEC also counts as touched a key live at WATCH and expired since, even if nothing deleted
 *     it yet ({@link Transaction#watchedKeyExpiredSinceWatch}).</li>
 * </ul>
 *
 * <p>Each write calls {@link #keyModified}; with nobody watching that is one emptiness check, and
 * with keys watched a lookup through a reused probe, without allocating.
 */
public final class WatchedKeys {
    /** One client's watch on one key. */
    static final class Watch {
        final Transaction owner;
        final WatchedKey key;
        /** The key had expired (not yet deleted) when it was watched. */
        boolean expiredAtWatch;

        Watch(Transaction owner, WatchedKey key, boolean expiredAtWatch) {
            this.owner = owner;
            this.key = key;
            this.expiredAtWatch = expiredAtWatch;
        }
    }

    private final Keyspace keyspace;
    private final Map<WatchedKey, List<Watch>> watchesByKey = new HashMap<>();
    private final WatchedKey probe = new WatchedKey();

    public WatchedKeys(Keyspace keyspace) {
        this.keyspace = keyspace;
    }

    /** Number of keys watched by at least one client. */
    public int watchedKeyCount() {
        return watchesByKey.size();
    }

    void watch(Transaction owner, Database database, byte[] array, int offset, int length) {
        WatchedKey lookup = probe.point(database.index(), array, offset, length);
        List<Watch> watches = watchesByKey.get(lookup);
        if (watches != null) {
            for (Watch watch : watches) {
                if (watch.owner == owner) {
                    return;
                }
            }
        }
        WatchedKey key = WatchedKey.copyOf(database.index(), array, offset, length);
        KeyEntry entry = database.peek(key.bytes());
        Watch watch = new Watch(owner, key, entry != null && database.isExpired(entry));
        if (watches == null) {
            watches = new ArrayList<>(2);
            watchesByKey.put(key, watches);
        }
        watches.add(watch);
        owner.watches.add(watch);
    }

    void unwatchAll(Transaction owner) {
        for (Watch watch : owner.watches) {
            List<Watch> watches = watchesByKey.get(watch.key);
            if (watches != null) {
                watches.remove(watch);
                if (watches.isEmpty()) {
                    watchesByKey.remove(watch.key);
                }
            }
        }
        owner.watches.clear();
    }

    boolean anyExpiredSinceWatch(Transaction owner) {
        for (Watch watch : owner.watches) {
            if (!watch.expiredAtWatch) {
                Database database = keyspace.database(watch.key.database());
                KeyEntry entry = database.peek(watch.key.bytes());
                if (entry != null && database.isExpired(entry)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A command changed the entry's key (after the change; the entry may be the deleted one). */
    public void keyModified(Database database, KeyEntry entry) {
        if (watchesByKey.isEmpty()) {
            return;
        }
        List<Watch> watches = watchesByKey.get(
                probe.point(database.index(), entry.keyArray(), entry.keyOffset(), entry.keyLength()));
        if (watches != null) {
            touch(watches, database.peek(watches.get(0).key.bytes()) != null);
        }
    }

    /** The entry's key expired and is about to be deleted. */
    public void keyExpired(Database database, KeyEntry entry) {
        if (watchesByKey.isEmpty()) {
            return;
        }
        List<Watch> watches = watchesByKey.get(
                probe.point(database.index(), entry.keyArray(), entry.keyOffset(), entry.keyLength()));
        if (watches != null) {
            touch(watches, false);
        }
    }

    /** Every key of the database is about to be deleted (FLUSHDB, FLUSHALL). */
    public void flushing(Database database) {
        if (watchesByKey.isEmpty()) {
            return;
        }
        for (List<Watch> watches : keysOf(database.index())) {
            if (database.peek(watches.get(0).key.bytes()) != null) {
                touch(watches, false);
            }
        }
    }

    /** Two databases exchanged their contents (SWAPDB); called after the exchange. */
    public void swapped(Database first, Database second) {
        if (watchesByKey.isEmpty()) {
            return;
        }
        touchAcrossSwap(first, second);
        touchAcrossSwap(second, first);
    }

    /** The watched keys of {@code database}, whose old contents are now in {@code other}. */
    private void touchAcrossSwap(Database database, Database other) {
        for (List<Watch> watches : keysOf(database.index())) {
            byte[] key = watches.get(0).key.bytes();
            boolean existsNow = database.peek(key) != null;
            if (existsNow || other.peek(key) != null) {
                touch(watches, existsNow);
            }
        }
    }

    private List<List<Watch>> keysOf(int database) {
        List<List<Watch>> found = new ArrayList<>();
        for (Map.Entry<WatchedKey, List<Watch>> watched : watchesByKey.entrySet()) {
            if (watched.getKey().database() == database) {
                found.add(watched.getValue());
            }
        }
        return found;
    }

    /**
     * Touches the watches of one key, given whether the key exists after the change. The owners
     * touched stop watching, which changes the list being read: they are collected first.
     */
    private void touch(List<Watch> watches, boolean existsAfter) {
        List<Transaction> touched = null;
        for (Watch watch : watches) {
            if (watch.expiredAtWatch && !existsAfter) {
                // It looked absent to the client and is absent now: no change it could see.
                watch.expiredAtWatch = false;
                continue;
            }
            if (touched == null) {
                touched = new ArrayList<>(watches.size());
            }
            touched.add(watch.owner);
        }
        if (touched != null) {
            for (Transaction owner : touched) {
                owner.watchedKeyTouched();
                unwatchAll(owner);
            }
        }
    }
}
