package io.nuthatch.persistence.snapshot;

import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Reads a complete snapshot row by row, in RocksDB's order (database by database). Checks on the
 * way: the marker must be there and whole before anything is read; RocksDB checks each block's
 * checksum as it reads it (unless {@code verify} is off); at the end the number of rows and,
 * when the marker carries one, their checksum must match. Any failure is a
 * {@link SnapshotDamagedException}: what was read before it must then be thrown away.
 */
public final class SnapshotReader implements AutoCloseable {
    static {
        RocksDB.loadLibrary();
    }

    /** The row {@link #next} read: valid until the next call. */
    public static final class Row {
        private int database;
        private byte[] key;
        private long expiresAt;
        private byte[] value;

        public int database() {
            return database;
        }

        public byte[] key() {
            return key;
        }

        /** Unix ms, or {@link SnapshotFormat#NO_EXPIRY}. */
        public long expiresAt() {
            return expiresAt;
        }

        /** The value's bytes in the codec's format: {@code value()[valueOffset() ...]}. */
        public byte[] value() {
            return value;
        }

        public int valueOffset() {
            return SnapshotFormat.ROW_VALUE_PREFIX;
        }

        public int valueLength() {
            return value.length - SnapshotFormat.ROW_VALUE_PREFIX;
        }
    }

    private final Path directory;
    private final SnapshotFormat.Marker marker;
    private final boolean verify;
    private final Options options;
    private final ReadOptions readOptions;
    private RocksDB db;
    private RocksIterator iterator;
    private long rows;
    private long rowChecksums;
    private boolean ended;

    private SnapshotReader(Path directory, boolean verify) throws IOException {
        this.directory = directory;
        this.verify = verify;
        this.marker = SnapshotFormat.readMarker(directory);
        this.options = new Options().setCreateIfMissing(false).setParanoidChecks(verify);
        this.readOptions = new ReadOptions().setVerifyChecksums(verify).setFillCache(false).setReadaheadSize(2L << 20);
        try {
            db = RocksDB.openReadOnly(options, directory.toString());
            iterator = db.newIterator(readOptions);
            iterator.seekToFirst();
        } catch (RocksDBException | RuntimeException e) {
            close();
            throw new SnapshotDamagedException(directory, "RocksDB cannot open it: " + e.getMessage(), e);
        }
    }

    /**
     * Opens a snapshot directory for reading.
     *
     * @param verify rdbchecksum: check block checksums and the marker's row checksum
     * @throws SnapshotDamagedException when it has no marker (never completed) or cannot be opened
     */
    public static SnapshotReader open(Path directory, boolean verify) throws IOException {
        return new SnapshotReader(directory, verify);
    }

    /** Rows the marker says the snapshot holds. */
    public long keys() {
        return marker.keys();
    }

    public SnapshotFormat.Marker marker() {
        return marker;
    }

    /** Rows read so far. */
    public long rowsRead() {
        return rows;
    }

    /**
     * Reads the next row into {@code row}.
     *
     * @return false at the end, once the counts and checksums are verified
     * @throws SnapshotDamagedException at a damaged block, a malformed row, or totals that do not match
     */
    public boolean next(Row row) throws IOException {
        if (ended) {
            return false;
        }
        try {
            if (!iterator.isValid()) {
                iterator.status();
                ended = true;
                verifyTotals();
                return false;
            }
            byte[] key = iterator.key();
            byte[] value = iterator.value();
            if (key.length < SnapshotFormat.ROW_KEY_PREFIX || value.length < SnapshotFormat.ROW_VALUE_PREFIX + 1) {
                throw new SnapshotDamagedException(directory, "row " + rows + " is too short");
            }
            if (verify && marker.checked()) {
                rowChecksums += SnapshotFormat.rowChecksum(key, value);
            }
            rows++;
            row.database = ((key[0] & 0xff) << 8) | (key[1] & 0xff);
            row.key = java.util.Arrays.copyOfRange(key, SnapshotFormat.ROW_KEY_PREFIX, key.length);
            row.expiresAt = ByteBuffer.wrap(value).getLong();
            row.value = value;
            iterator.next();
            return true;
        } catch (RocksDBException e) {
            throw new SnapshotDamagedException(directory, "RocksDB read error after " + rows + " rows: "
                    + e.getMessage(), e);
        }
    }

    private void verifyTotals() throws SnapshotDamagedException {
        if (rows != marker.keys()) {
            throw new SnapshotDamagedException(directory, "it holds " + rows + " rows and its marker says "
                    + marker.keys());
        }
        if (verify && marker.checked() && rowChecksums != marker.checksum()) {
            throw new SnapshotDamagedException(directory, String.format(
                    "the rows' checksum is %016x and the marker says %016x", rowChecksums, marker.checksum()));
        }
    }

    @Override
    public void close() {
        if (iterator != null) {
            iterator.close();
            iterator = null;
        }
        if (db != null) {
            db.close();
            db = null;
        }
        readOptions.close();
        options.close();
    }
}
