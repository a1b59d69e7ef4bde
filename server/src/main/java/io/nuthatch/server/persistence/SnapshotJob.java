package io.nuthatch.server.persistence;

import io.nuthatch.persistence.rdb.RdbOutput;
import io.nuthatch.persistence.snapshot.SnapshotFormat;
import io.nuthatch.persistence.snapshot.SnapshotFunctions;
import io.nuthatch.persistence.snapshot.SnapshotWriter;
import io.nuthatch.server.codec.EncodingLimits;
import io.nuthatch.server.codec.ValueCodec;
import io.nuthatch.server.keyspace.AccessFrequency;
import io.nuthatch.server.keyspace.AccessRecency;
import io.nuthatch.server.keyspace.KeyEntry;
import io.nuthatch.server.keyspace.Keyspace;
import io.nuthatch.server.keyspace.KeyspaceWalk;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One snapshot being written: the point-in-time walk of the keyspace, the codec that turns each
 * value into bytes, and the RocksDB writer.
 *
 * <h2>Slices: encode under the lock, write outside it</h2>
 * There is no fork in Java, so the snapshot cannot be a frozen copy of the process; it is the
 * {@link KeyspaceWalk}, which gives every key as it was when the walk started, however clients
 * change it meanwhile, holding a copy only of the keys changed before the walk reached them.
 * A background save alternates two steps on its own thread:
 * <ol>
 * <li>{@link #encodeSlice}, with the engine held for a few hundred microseconds: the walk hands
 *     over {@value #SLICE_KEYS} keys and each value is encoded at once (a key's value may change as
 *     soon as the engine is let go), into arrays kept for the next step;</li>
 * <li>{@link #writeStaged}, with the engine free: the encoded rows go to RocksDB, which compresses
 *     and writes them while clients run.</li>
 * </ol>
 * So clients wait at most one slice's encoding, the CPU-heavy part (compression, files) runs beside
 * them, and memory beyond the dataset is one slice of encoded rows plus the walk's copies of keys
 * changed during the save. SAVE runs the same steps back to back with the engine held throughout.
 *
 * <p>Keys already expired when the walk reaches them are left out, as a load would drop them anyway.
 *
 * <p>Each key's access clock goes with it as Redis's RDB keeps it, by the eviction policy of its
 * database when the snapshot starts: under an LRU policy the seconds it has been idle, under an LFU
 * one its counter with the decay due applied (lfu-decay-time), under the others nothing.
 */
final class SnapshotJob {
    /** Keys per slice: about 0.2-1 ms of encoding for small values on this machine. */
    static final int SLICE_KEYS = 1000;

    private final KeyspaceWalk walk;
    private final SnapshotWriter writer;
    private final Path directory;
    /** The function libraries when the walk started, or null when there were none. */
    private final byte[] functionLibraries;
    private final ValueCodec codec;
    private final RdbOutput scratch = new RdbOutput(false);
    private final List<Row> staged = new ArrayList<>();
    private final String name;
    private final String newSegment;
    private final long sequence;
    private final long dirtyAtStart;
    private final long keysTotal;
    private final long startedMillis = System.currentTimeMillis();
    private long keysProcessed;
    private long now;

    private record Row(int database, byte[] key, long expiresAt, int accessKind, long access, byte[] value) {
    }

    /** By database number: which access clock its rows keep (a {@code SnapshotFormat.ACCESS_*}). */
    private final int[] accessKinds;
    private final int lfuDecayMinutes;

    /**
     * Starts the walk and creates the snapshot directory; with the engine held.
     *
     * @param name       the snapshot's name in the manifest (relative to {@code dir})
     * @param newSegment the log segment started at this very point, or null without a log
     * @param functionLibraries FUNCTION DUMP's payload at this very point, or null when there are no libraries
     * @param accessKinds by database number, the access clock its rows keep ({@code SnapshotFormat.ACCESS_*})
     * @param lfuDecayMinutes lfu-decay-time, applied to the LFU counters written
     */
    SnapshotJob(Keyspace keyspace, Path directory, String name, long sequence, String newSegment,
            EncodingLimits limits, boolean compression, boolean checksum, long dirtyAtStart,
            byte[] functionLibraries, int[] accessKinds, int lfuDecayMinutes) throws IOException {
        this.accessKinds = accessKinds.clone();
        this.lfuDecayMinutes = lfuDecayMinutes;
        this.writer = SnapshotWriter.create(directory, compression, checksum);
        this.directory = directory;
        this.functionLibraries = functionLibraries;
        this.walk = keyspace.startWalk();
        this.codec = new ValueCodec(limits);
        this.name = name;
        this.sequence = sequence;
        this.newSegment = newSegment;
        this.dirtyAtStart = dirtyAtStart;
        this.keysTotal = keyspace.size();
    }

    /** Hands the next slice of keys to the codec; with the engine held. Whether more remain. */
    boolean encodeSlice(int maxKeys) {
        now = System.currentTimeMillis();
        return walk.advance(maxKeys, this::encode);
    }

    private void encode(int database, KeyEntry entry) {
        keysProcessed++;
        long expiresAt = entry.expiresAt();
        if (expiresAt != KeyEntry.NO_EXPIRY && expiresAt <= now) {
            return;
        }
        scratch.reset();
        codec.encode(entry, scratch);
        int accessKind = database < accessKinds.length ? accessKinds[database] : SnapshotFormat.ACCESS_NONE;
        long access = switch (accessKind) {
            case SnapshotFormat.ACCESS_IDLE -> AccessRecency.idleSeconds(entry.accessClock(), AccessRecency.clock(now));
            case SnapshotFormat.ACCESS_FREQUENCY -> AccessFrequency.counter(entry.accessClock(),
                    AccessFrequency.minutes(now), lfuDecayMinutes);
            default -> 0;
        };
        staged.add(new Row(database, entry.key(), expiresAt == KeyEntry.NO_EXPIRY ? SnapshotFormat.NO_EXPIRY : expiresAt,
                accessKind, access, Arrays.copyOf(scratch.array(), (int) scratch.size())));
    }

    /** Writes the rows encoded so far; with the engine free (or held, for SAVE). */
    void writeStaged() throws IOException {
        for (Row row : staged) {
            writer.add(row.database(), row.key(), 0, row.key().length, row.expiresAt(), row.accessKind(),
                    row.access(), row.value(), 0, row.value().length);
        }
        staged.clear();
    }

    /** Makes the snapshot durable and complete (its marker written). */
    void complete() throws IOException {
        writeStaged();
        if (functionLibraries != null) {
            SnapshotFunctions.write(directory, functionLibraries);
        }
        writer.complete();
    }

    /** Stops: the walk lets go of what it kept (with the engine held), the directory is deleted. */
    void abandon() {
        walk.abandon();
        staged.clear();
        writer.close();
    }

    /** Deletes the directory after a failure; the walk is finished or abandoned by then. */
    void discard() {
        staged.clear();
        writer.close();
    }

    boolean walkFinished() {
        return walk.isFinished();
    }

    String name() {
        return name;
    }

    String newSegment() {
        return newSegment;
    }

    long sequence() {
        return sequence;
    }

    long dirtyAtStart() {
        return dirtyAtStart;
    }

    long startedMillis() {
        return startedMillis;
    }

    long keysProcessed() {
        return keysProcessed;
    }

    long keysTotal() {
        return keysTotal;
    }

    long keysWritten() {
        return writer.keys();
    }
}
