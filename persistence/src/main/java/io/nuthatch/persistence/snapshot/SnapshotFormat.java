package io.nuthatch.persistence.snapshot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
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
 * snapshot that never completed and is never loaded. It holds the number of rows and, unless
 * {@code rdbchecksum no}, the sum of the CRC-32C of every row (key and value), which a load checks
 * at the end; its last line is the CRC-32C of the lines before it:
 *
 * <pre>
 * nuthatch-snapshot 1
 * keys 1000000
 * checksum 00000a3f6c81e2d4
 * created 1764567890123
 * crc 5e1d22aa
 * </pre>
 *
 * The row checksum is a sum so that it does not depend on the order: the rows are written in the
 * walk's order and read back in RocksDB's. RocksDB also checks each block's own checksum as it reads.
 */
public final class SnapshotFormat {
    /** The completion marker's file name, inside the snapshot directory. */
    public static final String MARKER = "NUTHATCH-SNAPSHOT-COMPLETE";
    static final int FORMAT = 1;
    static final int ROW_KEY_PREFIX = 2;
    static final int ROW_VALUE_PREFIX = 8;
    /** Expiry time of a key without one. */
    public static final long NO_EXPIRY = -1;

    private SnapshotFormat() {
    }

    /** What a marker says; {@code checksum} means something only when {@code checked} (rdbchecksum yes). */
    public record Marker(long keys, boolean checked, long checksum, long createdMillis) {
    }

    static byte[] rowKey(int database, byte[] key, int offset, int length) {
        byte[] row = new byte[ROW_KEY_PREFIX + length];
        row[0] = (byte) (database >>> 8);
        row[1] = (byte) database;
        System.arraycopy(key, offset, row, ROW_KEY_PREFIX, length);
        return row;
    }

    static byte[] rowValue(long expiresAt, byte[] value, int offset, int length) {
        byte[] row = new byte[ROW_VALUE_PREFIX + length];
        ByteBuffer.wrap(row).putLong(expiresAt);
        System.arraycopy(value, offset, row, ROW_VALUE_PREFIX, length);
        return row;
    }

    static long rowChecksum(byte[] rowKey, byte[] rowValue) {
        CRC32C crc = new CRC32C();
        crc.update(rowKey, 0, rowKey.length);
        crc.update(rowValue, 0, rowValue.length);
        return crc.getValue();
    }

    static void writeMarker(Path directory, Marker marker) throws IOException {
        StringBuilder text = new StringBuilder()
                .append("nuthatch-snapshot ").append(FORMAT).append('\n')
                .append("keys ").append(marker.keys()).append('\n')
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
        if (lines.size() != 5) {
            throw new SnapshotDamagedException(directory, "the marker has " + lines.size() + " lines, not 5");
        }
        CRC32C crc = new CRC32C();
        for (int i = 0; i < 4; i++) {
            byte[] line = (lines.get(i) + "\n").getBytes(StandardCharsets.US_ASCII);
            crc.update(line, 0, line.length);
        }
        try {
            if (!lines.get(4).equals(String.format("crc %08x", crc.getValue()))
                    || !lines.get(0).equals("nuthatch-snapshot " + FORMAT)) {
                throw new SnapshotDamagedException(directory, "the marker is damaged or of another format");
            }
            long keys = Long.parseLong(value(lines.get(1), "keys"));
            String checksum = value(lines.get(2), "checksum");
            boolean checked = !checksum.equals("none");
            long sum = checked ? Long.parseUnsignedLong(checksum, 16) : 0;
            long created = Long.parseLong(value(lines.get(3), "created"));
            return new Marker(keys, checked, sum, created);
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            throw new SnapshotDamagedException(directory, "the marker is damaged: " + e.getMessage());
        }
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
