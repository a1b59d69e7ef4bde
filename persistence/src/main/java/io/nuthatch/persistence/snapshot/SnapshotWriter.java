package io.nuthatch.persistence.snapshot;

import org.rocksdb.CompressionType;
import org.rocksdb.FlushOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;

/**
 * Writes one snapshot directory: rows added in any order ({@link #add}), then {@link #complete()},
 * which makes them durable and writes the marker. Used by one thread at a time.
 *
 * <p>Rows go to RocksDB in write batches of about {@value #BATCH_BYTES} bytes, without RocksDB's
 * write-ahead log (a snapshot that dies half-written is thrown away whole, so logging each row
 * twice would buy nothing) and without compaction (every key is written once, so there is
 * nothing to merge; compaction would only spend the CPU clients need). {@code rdbcompression}
 * chooses LZ4 block compression (fast enough to keep up with the walk; the codec's own LZF for
 * strings is then left off, as compressing twice gains nothing); {@code rdbchecksum} chooses
 * whether the marker carries the rows' checksum (RocksDB's per-block checksums are always written).
 */
public final class SnapshotWriter implements AutoCloseable {
    /**
     * Rows sent to RocksDB at once. The batch is a native copy of its rows, and RocksDB copies them
     * again into a memtable: 1 MB keeps that transient copy small beside the memtables.
     */
    private static final long BATCH_BYTES = 1L << 20;

    static {
        RocksDB.loadLibrary();
    }

    private final Path directory;
    private final boolean checksum;
    /** The format written: {@link SnapshotFormat#FORMAT}, or an older one for the tests that read those. */
    private final int format;
    private final Options options;
    private final WriteOptions writeOptions;
    private RocksDB db;
    private WriteBatch batch = new WriteBatch();
    private long keys;
    private long[] keysPerDatabase = new long[16];
    private long rowChecksums;
    private boolean done;

    private SnapshotWriter(Path directory, boolean compression, boolean checksum, int format) throws IOException {
        this.directory = directory;
        this.checksum = checksum;
        this.format = format;
        this.options = new Options()
                .setCreateIfMissing(true)
                .setErrorIfExists(true)
                .setCompressionType(compression ? CompressionType.LZ4_COMPRESSION : CompressionType.NO_COMPRESSION)
                // Memtables live outside the heap, where every megabyte is one the launcher cannot
                // give the heap. RocksDB's two of 64 MB pushed a 512 MiB container filled during a
                // rewrite into the kernel's OOM kill. Two of 4 MB with 1 MB batches, against two of
                // 8 MB with 4 MB batches: a 1.7M-row snapshot written in a fresh JVM raised its
                // resident memory by 57 MiB at most, not 67, and kept 51 MiB, not 66 (31 and 38
                // with the launcher's malloc settings), in the same time.
                .setWriteBufferSize(4L << 20)
                .setMaxWriteBufferNumber(2)
                .setDisableAutoCompactions(true)
                .setLevel0SlowdownWritesTrigger(1 << 20)
                .setLevel0StopWritesTrigger(1 << 20)
                .setMaxBackgroundJobs(1)
                .setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
                .setKeepLogFileNum(1);
        this.writeOptions = new WriteOptions().setDisableWAL(true);
        try {
            Files.createDirectories(directory.getParent());
            this.db = RocksDB.open(options, directory.toString());
        } catch (RocksDBException e) {
            close();
            throw new IOException("Cannot create the snapshot " + directory + ": " + e.getMessage(), e);
        }
    }

    /**
     * Creates the snapshot directory {@code directory}, which must not exist.
     *
     * @param compression rdbcompression: LZ4 blocks
     * @param checksum    rdbchecksum: the marker carries the rows' checksum, which loads verify
     */
    public static SnapshotWriter create(Path directory, boolean compression, boolean checksum) throws IOException {
        return new SnapshotWriter(directory, compression, checksum, SnapshotFormat.FORMAT);
    }

    /** A writer of an older format (rows without the access clock, and for format 1 a marker without counts). */
    static SnapshotWriter createOfFormat(Path directory, boolean compression, boolean checksum, int format)
            throws IOException {
        return new SnapshotWriter(directory, compression, checksum, format);
    }

    /**
     * One key: its database, its bytes, its expiry (Unix ms, {@link SnapshotFormat#NO_EXPIRY}), its
     * access clock ({@code accessKind} {@link SnapshotFormat#ACCESS_NONE}, {@link
     * SnapshotFormat#ACCESS_IDLE} with {@code access} the idle seconds, or {@link
     * SnapshotFormat#ACCESS_FREQUENCY} with the LFU counter) and its value as the codec encoded it.
     * A key must be added once per database.
     */
    public void add(int database, byte[] key, int keyOffset, int keyLength, long expiresAt, int accessKind,
            long access, byte[] value, int valueOffset, int valueLength) throws IOException {
        byte[] rowKey = SnapshotFormat.rowKey(database, key, keyOffset, keyLength);
        byte[] rowValue = format >= SnapshotFormat.FORMAT
                ? SnapshotFormat.rowValue(expiresAt, accessKind, access, value, valueOffset, valueLength)
                : SnapshotFormat.rowValueWithoutClock(expiresAt, value, valueOffset, valueLength);
        if (checksum) {
            rowChecksums += SnapshotFormat.rowChecksum(rowKey, rowValue);
        }
        keys++;
        if (database >= keysPerDatabase.length) {
            keysPerDatabase = Arrays.copyOf(keysPerDatabase, Math.max(database + 1, keysPerDatabase.length * 2));
        }
        keysPerDatabase[database]++;
        try {
            batch.put(rowKey, rowValue);
            if (batch.getDataSize() >= BATCH_BYTES) {
                writeBatch();
            }
        } catch (RocksDBException e) {
            throw new IOException("Error writing the snapshot " + directory + ": " + e.getMessage(), e);
        }
    }

    private void writeBatch() throws RocksDBException {
        if (batch.count() > 0) {
            db.write(writeOptions, batch);
            batch.close();
            batch = new WriteBatch();
        }
    }

    /** Keys added so far. */
    public long keys() {
        return keys;
    }

    /**
     * Writes what is buffered, flushes RocksDB's memtables to files (which RocksDB syncs), closes
     * it and writes the marker: from here on the snapshot exists.
     */
    public void complete() throws IOException {
        try {
            writeBatch();
            try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
                db.flush(flush);
            }
            db.closeE();
            db = null;
        } catch (RocksDBException e) {
            throw new IOException("Error writing the snapshot " + directory + ": " + e.getMessage(), e);
        }
        SnapshotFormat.writeMarker(directory, new SnapshotFormat.Marker(format, keys, keysPerDatabase, checksum,
                rowChecksums, System.currentTimeMillis()));
        SnapshotFormat.syncDirectory(directory.getParent());
        done = true;
        close();
    }

    /** Closes RocksDB; a snapshot not completed is deleted. */
    @Override
    public void close() {
        if (db != null) {
            db.close();
            db = null;
        }
        if (batch != null) {
            batch.close();
            batch = null;
        }
        if (writeOptions != null) {
            writeOptions.close();
        }
        if (options != null) {
            options.close();
        }
        if (!done) {
            try {
                delete(directory);
            } catch (IOException ignored) {
                // a directory without its marker is never loaded; startup removes leftovers too
            }
        }
    }

    /** Deletes a snapshot directory and everything in it (the marker first, so a half-deleted one is incomplete). */
    public static void delete(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        Files.deleteIfExists(directory.resolve(SnapshotFormat.MARKER));
        Files.walkFileTree(directory, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Bytes on disk of a snapshot directory. */
    public static long size(Path directory) throws IOException {
        long[] total = {0};
        Files.walkFileTree(directory, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                total[0] += attributes.size();
                return FileVisitResult.CONTINUE;
            }
        });
        return total[0];
    }
}
