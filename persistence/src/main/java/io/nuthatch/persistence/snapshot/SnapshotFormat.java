package io.nuthatch.persistence.snapshot;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The layout of a snapshot directory.
 *
 * <p><b>Rows.</b> One RocksDB row per key. The row key is the database number (2 bytes, big-endian)
 * then the key's bytes, so that RocksDB's order groups a database's keys together and a key can
 * appear only once per database. The row value is the expiry time (8 bytes, big-endian Unix
 * milliseconds, -1 for none) then the value in the server codec's format (Redis's RDB value
 * encoding: type byte, payload).
 *
 * <p><b>The marker.</b> {@value #MARKER} is written last, after RocksDB has flushed its memtables
 * and closed (the rows are written without RocksDB's own write-ahead log: the marker is what makes
 * them count), by temporary file, fsync, rename and directory fsync. A directory without it is a
 * snapshot that never completed and is never loaded. It holds the number of rows, the rows of each
 * database (so that a load sizes each database's table once instead of growing it twenty times)
 * and, unless {@code rdbchecksum no}, the sum of the CRC-32C of every row (key and value), which a
 * load checks at the end; its last line is the CRC-32C of the lines before it:
 *
 * <pre>
 * nuthatch-snapshot 3
 * keys 1000000
 * databases 0:999990 3:10
 * checksum 00000a3f6c81e2d4
 * created 1764567890123
 * crc 5e1d22aa
 * </pre>
 *
 * Format 1 (written before the per-database counts) has no {@code databases} line and is still read;
 * format 2 has the same marker as format 3 and rows without the access clock.
 * The row checksum is a sum so that it does not depend on the order: the rows are written in the
 * walk's order and read back file by file, in parallel. RocksDB also checks each block's own
 * checksum as it reads.
 */
public final class SnapshotFormat {
    /** The completion marker's file name, inside the snapshot directory. */
    public static final String MARKER = "NUTHATCH-SNAPSHOT-COMPLETE";
    static final int FORMAT = 3;
    /** The first format, without the {@code databases} line. */
    static final int FORMAT_WITHOUT_COUNTS = 1;
    /** The second: rows without the access clock. */
    static final int FORMAT_WITHOUT_CLOCKS = 2;
    /** Access clock of a row: none kept (the policy was neither an LRU nor an LFU one). */
    public static final int ACCESS_NONE = 0;
    /** Access clock of a row: seconds since the last access (Redis's RDB_OPCODE_IDLE). */
    public static final int ACCESS_IDLE = 1;
    /** Access clock of a row: the LFU counter, 0-255 (Redis's RDB_OPCODE_FREQ). */
    public static final int ACCESS_FREQUENCY = 2;
    /** Database numbers are two bytes of the row key. */
    static final int MAX_DATABASES = 1 << 16;
    static final int ROW_KEY_PREFIX = 2;
    static final int ROW_VALUE_PREFIX = 8;
    /** The expiry at the start of a row value: big-endian. */
    static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    /** Expiry time of a key without one. */
    public static final long NO_EXPIRY = -1;

    private SnapshotFormat() {
    }

    /**
     * What a marker says; {@code checksum} means something only when {@code checked} (rdbchecksum
     * yes). {@code keysPerDatabase} is indexed by database number (trailing empty ones left out);
     * empty for a format 1 marker, which did not record it.
     */
    public record Marker(int format, long keys, long[] keysPerDatabase, boolean checked, long checksum,
            long createdMillis) {
        /** Whether the rows carry an access clock (format 3 on). */
        public boolean rowsHaveAccessClock() {
            return format >= FORMAT;
        }

        /** Rows of database {@code database}, or -1 when the marker does not say (format 1). */
        public long keys(int database) {
            if (keysPerDatabase.length == 0 && keys > 0) {
                return -1;
            }
            return database < keysPerDatabase.length ? keysPerDatabase[database] : 0;
        }
    }

    static byte[] rowKey(int database, byte[] key, int offset, int length) {
        byte[] row = new byte[ROW_KEY_PREFIX + length];
        row[0] = (byte) (database >>> 8);
        row[1] = (byte) database;
        System.arraycopy(key, offset, row, ROW_KEY_PREFIX, length);
        return row;
    }

    static byte[] rowValue(long expiresAt, int accessKind, long access, byte[] value, int offset, int length) {
        int clockBytes = accessBytes(accessKind, access);
        byte[] row = new byte[ROW_VALUE_PREFIX + clockBytes + length];
        LONG.set(row, 0, expiresAt);
        int at = ROW_VALUE_PREFIX;
        row[at++] = (byte) accessKind;
        if (accessKind == ACCESS_FREQUENCY) {
            row[at++] = (byte) access;
        } else if (accessKind == ACCESS_IDLE) {
            long rest = access;
            while ((rest & ~0x7FL) != 0) {
                row[at++] = (byte) (rest | 0x80);
                rest >>>= 7;
            }
            row[at++] = (byte) rest;
        }
        System.arraycopy(value, offset, row, at, length);
        return row;
    }

    /** A row of format 1 or 2: no access clock. */
    static byte[] rowValueWithoutClock(long expiresAt, byte[] value, int offset, int length) {
        byte[] row = new byte[ROW_VALUE_PREFIX + length];
        LONG.set(row, 0, expiresAt);
        System.arraycopy(value, offset, row, ROW_VALUE_PREFIX, length);
        return row;
    }

    private static int accessBytes(int accessKind, long access) {
        switch (accessKind) {
            case ACCESS_NONE:
                return 1;
            case ACCESS_FREQUENCY:
                if (access < 0 || access > 255) {
                    throw new IllegalArgumentException("LFU counter " + access);
                }
                return 2;
            case ACCESS_IDLE:
                if (access < 0) {
                    throw new IllegalArgumentException("idle seconds " + access);
                }
                int bytes = 2;
                for (long rest = access >>> 7; rest != 0; rest >>>= 7) {
                    bytes++;
                }
                return bytes;
            default:
                throw new IllegalArgumentException("access clock kind " + accessKind);
        }
    }

    static long rowChecksum(byte[] rowKey, byte[] rowValue) {
        return rowChecksum(rowKey, rowKey.length, rowValue, rowValue.length);
    }

    static long rowChecksum(byte[] rowKey, int keyLength, byte[] rowValue, int valueLength) {
        CRC32C crc = new CRC32C();
        crc.update(rowKey, 0, keyLength);
        crc.update(rowValue, 0, valueLength);
        return crc.getValue();
    }

    static void writeMarker(Path directory, Marker marker) throws IOException {
        StringBuilder text = new StringBuilder()
                .append("nuthatch-snapshot ").append(marker.format()).append('\n')
                .append("keys ").append(marker.keys()).append('\n');
        if (marker.format() >= FORMAT_WITHOUT_CLOCKS) {
            text.append("databases").append(databasesText(marker.keysPerDatabase())).append('\n');
        }
        text
                .append("checksum ").append(marker.checked() ? String.format("%016x", marker.checksum()) : "none")
                .append('\n')
                .append("created ").append(marker.createdMillis()).append('\n');
        byte[] body = text.toString().getBytes(StandardCharsets.US_ASCII);
        CRC32C crc = new CRC32C();
        crc.update(body, 0, body.length);
        byte[] last = String.format("crc %08x\n", crc.getValue()).getBytes(StandardCharsets.US_ASCII);
        Path temporary = directory.resolve(MARKER + ".tmp");
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ByteBuffer[] buffers = {ByteBuffer.wrap(body), ByteBuffer.wrap(last)};
            long remaining = body.length + last.length;
            while (remaining > 0) {
                remaining -= channel.write(buffers);
            }
            channel.force(true);
        }
        Files.move(temporary, directory.resolve(MARKER), StandardCopyOption.ATOMIC_MOVE);
        syncDirectory(directory);
    }

    /**
     * The marker of a snapshot directory.
     *
     * @throws SnapshotDamagedException when there is none (the snapshot never completed) or it is damaged
     */
    public static Marker readMarker(Path directory) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(directory.resolve(MARKER), StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            if (!Files.isDirectory(directory)) {
                throw new SnapshotDamagedException(directory, "the directory is missing");
            }
            throw new SnapshotDamagedException(directory, "no completion marker (" + MARKER
                    + "): the snapshot was never completed");
        }
        int format = lines.isEmpty() ? 0 : formatOf(lines.get(0));
        boolean withCounts = format >= FORMAT_WITHOUT_CLOCKS;
        int expected = withCounts ? 6 : 5;
        if (lines.size() != expected) {
            throw new SnapshotDamagedException(directory, "the marker has " + lines.size() + " lines, not " + expected);
        }
        CRC32C crc = new CRC32C();
        for (int i = 0; i < expected - 1; i++) {
            byte[] line = (lines.get(i) + "\n").getBytes(StandardCharsets.US_ASCII);
            crc.update(line, 0, line.length);
        }
        try {
            if (!lines.get(expected - 1).equals(String.format("crc %08x", crc.getValue()))
                    || format == 0) {
                throw new SnapshotDamagedException(directory, "the marker is damaged or of another format");
            }
            int line = 1;
            long keys = Long.parseLong(value(lines.get(line++), "keys"));
            long[] perDatabase = withCounts ? parseDatabases(lines.get(line++)) : new long[0];
            String checksum = value(lines.get(line++), "checksum");
            boolean checked = !checksum.equals("none");
            long sum = checked ? Long.parseUnsignedLong(checksum, 16) : 0;
            long created = Long.parseLong(value(lines.get(line), "created"));
            if (withCounts && Arrays.stream(perDatabase).sum() != keys) {
                throw new SnapshotDamagedException(directory, "the marker's keys per database do not add up to "
                        + keys);
            }
            return new Marker(format, keys, perDatabase, checked, sum, created);
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            throw new SnapshotDamagedException(directory, "the marker is damaged: " + e.getMessage());
        }
    }

    /** The format a marker's first line names, 0 when it is none this reader knows. */
    private static int formatOf(String first) {
        for (int format = FORMAT_WITHOUT_COUNTS; format <= FORMAT; format++) {
            if (first.equals("nuthatch-snapshot " + format)) {
                return format;
            }
        }
        return 0;
    }

    private static String databasesText(long[] perDatabase) {
        StringBuilder text = new StringBuilder();
        for (int database = 0; database < perDatabase.length; database++) {
            if (perDatabase[database] > 0) {
                text.append(' ').append(database).append(':').append(perDatabase[database]);
            }
        }
        return text.toString();
    }

    private static long[] parseDatabases(String line) {
        if (!line.equals("databases") && !line.startsWith("databases ")) {
            throw new NumberFormatException("expected 'databases', found '" + line + "'");
        }
        long[] perDatabase = new long[0];
        for (String pair : line.substring("databases".length()).trim().split(" ")) {
            if (pair.isEmpty()) {
                continue;
            }
            int colon = pair.indexOf(':');
            int database = Integer.parseInt(pair.substring(0, colon));
            if (database < 0 || database >= MAX_DATABASES) {
                throw new NumberFormatException("database " + database);
            }
            if (database >= perDatabase.length) {
                perDatabase = Arrays.copyOf(perDatabase, database + 1);
            }
            perDatabase[database] = Long.parseLong(pair.substring(colon + 1));
        }
        return perDatabase;
    }

    private static String value(String line, String word) {
        if (!line.startsWith(word + " ")) {
            throw new NumberFormatException("expected '" + word + "', found '" + line + "'");
        }
        return line.substring(word.length() + 1);
    }

    static void syncDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
