package io.nuthatch.server.migration;

import io.nuthatch.persistence.rdb.RdbFormatException;
import io.nuthatch.persistence.rdb.RdbInput;
import io.nuthatch.persistence.rdb.RdbRecordHandler;
import io.nuthatch.server.codec.DecodedValue;
import io.nuthatch.server.codec.EncodingLimits;
import io.nuthatch.server.codec.ValueCodec;
import io.nuthatch.server.keyspace.AccessFrequency;
import io.nuthatch.server.keyspace.AccessRecency;
import io.nuthatch.server.keyspace.Database;
import io.nuthatch.server.keyspace.KeyEntry;
import io.nuthatch.server.keyspace.Keyspace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts the keys of an RDB file into a keyspace, as Redis loads a file at startup: each value
 * decoded by the {@link ValueCodec} into the layout the current limits give it, expiry times kept,
 * keys already expired skipped (a primary does not load them), empty values skipped, the LRU idle
 * time or LFU counter the file carries applied under the policy that uses it (the policy of the
 * key's database): the counter as it was, its decay counted from the load, the idle time counted
 * back from the load, so that the time between the save and the load is not counted. A key the
 * file gives no clock for, or not the kind its database keeps, is stamped as new at the load. A key twice in one
 * database, or a database number past {@code databases}, stops the load as it stops Redis's.
 *
 * <p>Runs with the keyspace to itself (before the server serves, or under the engine lock).
 */
public final class RdbKeyspaceLoader implements RdbRecordHandler {
    private final Keyspace keyspace;
    private final ValueCodec codec;
    private final long now;
    private final int lruClock;
    private Database database;
    private long loaded;
    private long expiredSkipped;
    private long emptySkipped;
    private final Map<String, String> aux = new LinkedHashMap<>();
    private final List<byte[]> functionLibraries = new ArrayList<>();

    /**
     * @param now      Unix milliseconds against which expiry times are compared
     * @param lruClock the server's LRU clock now, for IDLE records
     */
    public RdbKeyspaceLoader(Keyspace keyspace, EncodingLimits limits, long now, int lruClock) {
        this.keyspace = keyspace;
        this.codec = new ValueCodec(limits);
        this.now = now;
        this.lruClock = lruClock;
        this.database = keyspace.database(0);
    }

    @Override
    public void aux(byte[] name, byte[] value) {
        aux.put(new String(name, StandardCharsets.UTF_8), new String(value, StandardCharsets.UTF_8));
    }

    @Override
    public void selectDatabase(int index) throws IOException {
        if (index >= keyspace.count()) {
            throw new RdbFormatException("the file holds database " + index + ", and this server has "
                    + keyspace.count() + " (raise 'databases')");
        }
        database = keyspace.database(index);
    }

    @Override
    public void key(byte[] key, int type, long expiresAt, long idleSeconds, int frequency, RdbInput in)
            throws IOException {
        DecodedValue value = codec.decode(type, in);
        if (value == null) {
            emptySkipped++;
            return;
        }
        if (expiresAt != KeyEntry.NO_EXPIRY && expiresAt <= now) {
            expiredSkipped++;
            return;
        }
        if (database.peek(key) != null) {
            throw new RdbFormatException("the key '" + new String(key, StandardCharsets.UTF_8)
                    + "' appears twice in database " + database.index());
        }
        KeyEntry entry = database.load(key, value.value(), value.string(), expiresAt < 0 ? KeyEntry.NO_EXPIRY : expiresAt);
        if (database.usesFrequencyClock()) {
            if (frequency >= 0) {
                entry.accessClock(AccessFrequency.restored(frequency, AccessFrequency.minutes(now)));
            }
        } else if (idleSeconds >= 0) {
            entry.accessClock(AccessRecency.fromIdleSeconds(idleSeconds, lruClock));
        }
        loaded++;
    }

    @Override
    public void functionLibrary(byte[] code) {
        functionLibraries.add(code);
    }

    public long loaded() {
        return loaded;
    }

    public long expiredSkipped() {
        return expiredSkipped;
    }

    public long emptySkipped() {
        return emptySkipped;
    }

    /** The file's auxiliary fields by name (redis-ver, aof-base ...). */
    public Map<String, String> aux() {
        return aux;
    }

    /** The function libraries the file held (FUNCTION2), code as Redis stored it. */
    public List<byte[]> functionLibraries() {
        return functionLibraries;
    }
}
