package io.nuthatch.persistence.log;

import java.util.zip.CRC32C;

/**
 * The bytes of a log segment, shared by the writer and the reader.
 *
 * <p>A segment is a sequence of <em>batches</em>, one per write(2) the server makes. A batch is
 * RESP commands, exactly as Redis writes them in its AOF (arrays of bulk strings; SELECT when the
 * database changes; MULTI ... EXEC around a unit of several records), optionally preceded by a
 * {@code #TS:<unix seconds>} annotation (aof-timestamp-enabled), and always ended by a checksum
 * line:
 *
 * <pre>
 * #C:1a2b3c4d\r\n
 * </pre>
 *
 * <p>The eight lower-case hex digits are the CRC-32C of every byte of the batch before the line
 * (from the end of the previous checksum line, or the start of the segment). A batch that ends
 * without its line is a write that did not complete (a process killed inside write(2), a machine
 * that lost the unsynced tail); a line that does not match is damaged bytes. Either is found at
 * the exact batch where it starts, so a torn tail is cut off at the last whole batch and damage in
 * the middle is reported with its offset.
 *
 * <p>Why an annotation line: Redis 7 skips every line of its AOF that starts with '#' (the
 * annotations its own {@code #TS:} uses), so {@code cat} shows the commands, and redis-server and
 * {@code redis-check-aof} read a segment as an ordinary AOF, checksums ignored. CRC-32C because
 * the JVM computes it with the CPU's instruction (about 20 GB/s), so checking costs nothing next
 * to executing the records, and one per batch costs 13 bytes per write(2), not per record.
 */
public final class LogFormat {
    /** The checksum line's prefix. */
    static final byte[] CHECKSUM_PREFIX = {'#', 'C', ':'};
    /** "#C:" + 8 hex digits + CRLF. */
    static final int CHECKSUM_LINE_LENGTH = 3 + 8 + 2;
    static final byte[] TIMESTAMP_PREFIX = {'#', 'T', 'S', ':'};

    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private LogFormat() {
    }

    /** Writes the checksum line of {@code crc} into {@code target} at {@code offset}. */
    static void checksumLine(long crc, byte[] target, int offset) {
        System.arraycopy(CHECKSUM_PREFIX, 0, target, offset, CHECKSUM_PREFIX.length);
        for (int i = 0; i < 8; i++) {
            target[offset + 3 + i] = HEX[(int) (crc >>> (28 - 4 * i)) & 0xf];
        }
        target[offset + 11] = '\r';
        target[offset + 12] = '\n';
    }

    /**
     * The checksum a checksum line at {@code offset} states, or -1 when the line is not one (its
     * 13 bytes must be available).
     */
    static long statedChecksum(byte[] source, int offset) {
        for (int i = 0; i < CHECKSUM_PREFIX.length; i++) {
            if (source[offset + i] != CHECKSUM_PREFIX[i]) {
                return -1;
            }
        }
        long crc = 0;
        for (int i = 0; i < 8; i++) {
            int digit = Character.digit(source[offset + 3 + i], 16);
            if (digit < 0) {
                return -1;
            }
            crc = (crc << 4) | digit;
        }
        if (source[offset + 11] != '\r' || source[offset + 12] != '\n') {
            return -1;
        }
        return crc;
    }

    static long crc(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return crc.getValue();
    }
}
