package io.nuthatch.persistence.snapshot;

import org.rocksdb.LiveFileMetaData;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.SstFileReader;
import org.rocksdb.SstFileReaderIterator;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * Reads a complete snapshot, in {@linkplain Part parts} that threads can read side by side.
 *
 * <h2>Why file by file</h2>
 * A snapshot is written in the walk's order (the hash table's), so every memtable RocksDB flushed
 * holds keys from the whole key range: the directory is a dozen level-0 files that all overlap.
 * RocksDB's own iterator would merge them, comparing keys across a dozen cursors for every row,
 * on one thread. But the writer puts each key once and never deletes, so the files hold disjoint
 * sets of rows whose union is the snapshot, and a load does not care about order. So each live
 * file (RocksDB's current version, as a read-only open sees it) is one part, read with its own
 * {@link SstFileReader}: no merge, and as many threads as there are files.
 *
 * <p>Checks on the way: the marker must be there and whole before anything is read; RocksDB must
 * open the directory (its MANIFEST names the files); each block's checksum is checked as it is
 * read (unless {@code verify} is off); at the end ({@link #verifyTotals}) the number of rows and,
 * when the marker carries one, their checksum (a sum, so the order does not matter) must match.
 * Any failure is a {@link SnapshotDamagedException}: what was read before it must be thrown away.
 */
public final class SnapshotReader implements AutoCloseable {
    static {
        RocksDB.loadLibrary();
    }

    /** Bytes read ahead in a file: whole files are read front to back. */
    private static final long READ_AHEAD = 4L << 20;

    /** The row {@link Part#next} read: valid until the next call on that part. */
    public static final class Row {
        private int database;
        private byte[] key = new byte[256];
        private int keyLength;
        private long expiresAt;
        private byte[] value = new byte[1024];
        private int valueLength;
        private int valueStart = SnapshotFormat.ROW_VALUE_PREFIX;
        private int accessKind;
        private long access;

        public int database() {
            return database;
        }

        /** The key's bytes: {@code keyArray()[keyOffset() ...]}, {@link #keyLength()} of them. */
        public byte[] keyArray() {
            return key;
        }

        public int keyOffset() {
            return SnapshotFormat.ROW_KEY_PREFIX;
        }

        public int keyLength() {
            return keyLength - SnapshotFormat.ROW_KEY_PREFIX;
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
            return valueStart;
        }

        public int valueLength() {
            return valueLength - valueStart;
        }

        /**
         * What the row keeps of the key's access clock: {@link SnapshotFormat#ACCESS_NONE} (also
         * for every row of a format 1 or 2 snapshot), {@link SnapshotFormat#ACCESS_IDLE} or
         * {@link SnapshotFormat#ACCESS_FREQUENCY}.
         */
        public int accessKind() {
            return accessKind;
        }

        /** The idle seconds or the LFU counter, as {@link #accessKind()} says. */
        public long access() {
            return access;
        }

        /** Reads the access clock after the expiry; false when the row is malformed. */
        private boolean readAccessClock() {
            int at = SnapshotFormat.ROW_VALUE_PREFIX;
            int kind = value[at++];
            long read = 0;
            if (kind == SnapshotFormat.ACCESS_FREQUENCY) {
                if (at >= valueLength) {
                    return false;
                }
                read = value[at++] & 0xff;
            } else if (kind == SnapshotFormat.ACCESS_IDLE) {
                int shift = 0;
                int b;
                do {
                    if (at >= valueLength || shift > 56) {
                        return false;
                    }
                    b = value[at++];
                    read |= (long) (b & 0x7F) << shift;
                    shift += 7;
                } while (b < 0);
            } else if (kind != SnapshotFormat.ACCESS_NONE) {
                return false;
            }
            accessKind = kind;
            access = read;
            valueStart = at;
            return at < valueLength;
        }
    }

    private final Path directory;
    private final SnapshotFormat.Marker marker;
    private final boolean verify;
    private final Options options;
    private final List<Part> parts = new ArrayList<>();
    private RocksDB db;

    private SnapshotReader(Path directory, boolean verify) throws IOException {
        this.directory = directory;
        this.verify = verify;
        this.marker = SnapshotFormat.readMarker(directory);
        this.options = new Options().setCreateIfMissing(false).setParanoidChecks(verify);
        try {
            db = RocksDB.openReadOnly(options, directory.toString());
            List<LiveFileMetaData> files = new ArrayList<>(db.getLiveFilesMetaData());
            files.sort(Comparator.comparingLong(LiveFileMetaData::size).reversed());
            for (LiveFileMetaData file : files) {
                parts.add(new Part(Path.of(file.path(), file.fileName()), file.size()));
            }
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

    /** The parts, largest first; each is read by one thread at a time, any number side by side. */
    public List<Part> parts() {
        return Collections.unmodifiableList(parts);
    }

    /** Rows read so far by the parts that ended. */
    public long rowsRead() {
        long rows = 0;
        for (Part part : parts) {
            rows += part.rowsAtEnd;
        }
        return rows;
    }

    /**
     * Once every part has ended: the rows' number and checksum against the marker's.
     *
     * @throws SnapshotDamagedException when a part did not end or the totals do not match
     */
    public void verifyTotals() throws SnapshotDamagedException {
        long rows = 0;
        long checksum = 0;
        for (Part part : parts) {
            if (!part.ended) {
                throw new SnapshotDamagedException(directory, "the file " + part.file + " was not read to its end");
            }
            rows += part.rowsAtEnd;
            checksum += part.checksumAtEnd;
        }
        if (rows != marker.keys()) {
            throw new SnapshotDamagedException(directory, "it holds " + rows + " rows and its marker says "
                    + marker.keys());
        }
        if (verify && marker.checked() && checksum != marker.checksum()) {
            throw new SnapshotDamagedException(directory, String.format(
                    "the rows' checksum is %016x and the marker says %016x", checksum, marker.checksum()));
        }
    }

    /** Closes every part (a thread still reading one must have stopped) and the database. */
    @Override
    public void close() {
        for (Part part : parts) {
            part.close();
        }
        if (db != null) {
            db.close();
            db = null;
        }
        options.close();
    }

    /** One file of the snapshot, read front to back by one thread. */
    public final class Part implements AutoCloseable {
        private final Path file;
        private final long bytes;
        private SstFileReader fileReader;
        private ReadOptions readOptions;
        private SstFileReaderIterator iterator;
        private ByteBuffer keyBuffer;
        private ByteBuffer valueBuffer;
        private long rows;
        private long checksum;
        /** Published once at the end, for {@link #verifyTotals} on another thread. */
        private volatile boolean ended;
        private volatile long rowsAtEnd;
        private volatile long checksumAtEnd;
        private boolean closed;

        private Part(Path file, long bytes) {
            this.file = file;
            this.bytes = bytes;
        }

        /** The file's size on disk. */
        public long bytes() {
            return bytes;
        }

        /** Rows read from this part so far (for the thread reading it). */
        public long rowsRead() {
            return rows;
        }

        /**
         * Reads the next row into {@code row}: its arrays are reused, so the row is valid until the
         * next call.
         *
         * @return false at the end of the part
         * @throws SnapshotDamagedException at a damaged block or a malformed row
         */
        public synchronized boolean next(Row row) throws SnapshotDamagedException {
            if (ended) {
                return false;
            }
            if (closed) {
                throw new SnapshotDamagedException(directory, "the reading of " + file + " was stopped");
            }
            try {
                if (iterator == null) {
                    open();
                } else {
                    iterator.next();
                }
                if (!iterator.isValid()) {
                    iterator.status();
                    rowsAtEnd = rows;
                    checksumAtEnd = checksum;
                    ended = true;
                    release();
                    return false;
                }
                row.keyLength = readKey(row);
                row.valueLength = readValue(row);
                if (row.keyLength < SnapshotFormat.ROW_KEY_PREFIX
                        || row.valueLength < SnapshotFormat.ROW_VALUE_PREFIX + 1) {
                    throw new SnapshotDamagedException(directory, "row " + rows + " of " + file + " is too short");
                }
                if (marker.rowsHaveAccessClock() && !row.readAccessClock()) {
                    throw new SnapshotDamagedException(directory, "row " + rows + " of " + file
                            + " has a malformed access clock");
                }
                if (verify && marker.checked()) {
                    checksum += SnapshotFormat.rowChecksum(row.key, row.keyLength, row.value, row.valueLength);
                }
                rows++;
                row.database = ((row.key[0] & 0xff) << 8) | (row.key[1] & 0xff);
                row.expiresAt = (long) SnapshotFormat.LONG.get(row.value, 0);
                return true;
            } catch (RocksDBException | RuntimeException e) {
                throw new SnapshotDamagedException(directory, "RocksDB read error in " + file + " after " + rows
                        + " rows: " + e.getMessage(), e);
            }
        }

        private void open() throws RocksDBException {
            fileReader = new SstFileReader(options);
            fileReader.open(file.toString());
            readOptions = new ReadOptions().setVerifyChecksums(verify).setFillCache(false)
                    .setReadaheadSize(READ_AHEAD);
            iterator = fileReader.newIterator(readOptions);
            iterator.seekToFirst();
        }

        /** Copies the key into the row's array, growing it when the key does not fit. */
        private int readKey(Row row) {
            if (keyBuffer == null || keyBuffer.array() != row.key) {
                keyBuffer = ByteBuffer.wrap(row.key);
            }
            keyBuffer.clear();
            int length = iterator.key(keyBuffer);
            if (length > row.key.length) {
                row.key = new byte[Math.max(length, row.key.length * 2)];
                keyBuffer = ByteBuffer.wrap(row.key);
                iterator.key(keyBuffer);
            }
            return length;
        }

        private int readValue(Row row) {
            if (valueBuffer == null || valueBuffer.array() != row.value) {
                valueBuffer = ByteBuffer.wrap(row.value);
            }
            valueBuffer.clear();
            int length = iterator.value(valueBuffer);
            if (length > row.value.length) {
                row.value = new byte[Math.max(length, row.value.length * 2)];
                valueBuffer = ByteBuffer.wrap(row.value);
                iterator.value(valueBuffer);
            }
            return length;
        }

        /**
         * Lets go of the file. Synchronized with {@link #next}, so that the owner closing a part
         * another thread reads never frees what RocksDB is reading; that thread's next call fails.
         */
        @Override
        public synchronized void close() {
            closed = true;
            release();
        }

        private void release() {
            if (iterator != null) {
                iterator.close();
                iterator = null;
            }
            if (fileReader != null) {
                fileReader.close();
                fileReader = null;
            }
            if (readOptions != null) {
                readOptions.close();
                readOptions = null;
            }
        }
    }
}
