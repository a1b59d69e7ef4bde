package io.nuthatch.persistence.log;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The records written since the last write(2), encoded as they will be on disk (see
 * {@link LogFormat}), in one reused array: encoding a record allocates nothing once the array is
 * large enough. Used by the thread that runs commands, with the engine held.
 *
 * <p>It remembers the database its records were last written in, so that a SELECT is written
 * only when the database changes, as Redis does; a new segment starts with none selected.
 */
final class LogBatch {
    /** An array that grew past this for one large batch is dropped after it is written. */
    private static final int RETAINED_LIMIT = 1 << 20;
    private static final int INITIAL_CAPACITY = 16 * 1024;
    private static final byte[] SELECT = {'S', 'E', 'L', 'E', 'C', 'T'};

    private byte[] bytes = new byte[INITIAL_CAPACITY];
    private int length;
    private final byte[] checksumLine = new byte[LogFormat.CHECKSUM_LINE_LENGTH];
    private final ByteBuffer[] gathered = new ByteBuffer[2];
    private final ByteBuffer checksumBuffer = ByteBuffer.wrap(checksumLine);
    private ByteBuffer body = ByteBuffer.wrap(bytes);
    private final CRC32C crc = new CRC32C();
    private int selectedDatabase = -1;
    /** Offset of the last unit whose records are in the batch; 0 when none is. */
    private long lastOffset;
    private boolean timestamps;
    private long lastTimestampSecond;

    boolean isEmpty() {
        return length == 0;
    }

    int length() {
        return length;
    }

    long lastOffset() {
        return lastOffset;
    }

    void timestamps(boolean enabled) {
        timestamps = enabled;
    }

    /** The next record goes to a new segment, which has no database selected yet. */
    void forgetSelectedDatabase() {
        selectedDatabase = -1;
    }

    /** Starts a record of {@code argumentCount} arguments in {@code database}. */
    void beginRecord(int database, int argumentCount) {
        if (timestamps && length == 0) {
            long second = System.currentTimeMillis() / 1000;
            if (second != lastTimestampSecond) {
                lastTimestampSecond = second;
                ensure(24);
                put(LogFormat.TIMESTAMP_PREFIX, 0, LogFormat.TIMESTAMP_PREFIX.length);
                putNumber(second);
                putLineEnd();
            }
        }
        if (database != selectedDatabase) {
            selectedDatabase = database;
            header('*', 2);
            bulk(SELECT, 0, SELECT.length);
            ensure(40);
            int digits = decimalLength(database);
            header('$', digits);
            putNumber(database);
            putLineEnd();
        }
        header('*', argumentCount);
    }

    void argument(byte[] array, int offset, int count) {
        bulk(array, offset, count);
    }

    /** The unit with this log offset is complete in the batch. */
    void endUnit(long offset) {
        lastOffset = offset;
    }

    /**
     * The batch as the buffers of one gathering write: its records, then its checksum line.
     * Valid until the batch changes.
     */
    ByteBuffer[] sealed() {
        crc.reset();
        crc.update(bytes, 0, length);
        LogFormat.checksumLine(crc.getValue(), checksumLine, 0);
        if (body.array() != bytes) {
            body = ByteBuffer.wrap(bytes);
        }
        body.clear().limit(length);
        checksumBuffer.clear();
        gathered[0] = body;
        gathered[1] = checksumBuffer;
        return gathered;
    }

    /** Bytes the sealed batch takes on disk. */
    int sealedLength() {
        return length + LogFormat.CHECKSUM_LINE_LENGTH;
    }

    /** Forgets the written batch. */
    void clear() {
        length = 0;
        if (bytes.length > RETAINED_LIMIT) {
            bytes = new byte[INITIAL_CAPACITY];
        }
    }

    // ---------------------------------------------------------------- encoding

    private void bulk(byte[] array, int offset, int count) {
        header('$', count);
        ensure(count + 2);
        System.arraycopy(array, offset, bytes, length, count);
        length += count;
        putLineEnd();
    }

    private void header(char kind, long count) {
        ensure(24);
        bytes[length++] = (byte) kind;
        putNumber(count);
        putLineEnd();
    }

    private void putLineEnd() {
        bytes[length++] = '\r';
        bytes[length++] = '\n';
    }

    private void put(byte[] array, int offset, int count) {
        System.arraycopy(array, offset, bytes, length, count);
        length += count;
    }

    /** A non-negative number's decimal digits; room must have been ensured. */
    private void putNumber(long value) {
        int digits = decimalLength(value);
        int position = length + digits;
        long rest = value;
        do {
            bytes[--position] = (byte) ('0' + rest % 10);
            rest /= 10;
        } while (rest != 0);
        length += digits;
    }

    private static int decimalLength(long value) {
        int digits = 1;
        for (long rest = value / 10; rest != 0; rest /= 10) {
            digits++;
        }
        return digits;
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            long wanted = Math.max((long) bytes.length * 2, (long) length + more);
            if (wanted > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("a log batch cannot hold more than 2 GB");
            }
            bytes = Arrays.copyOf(bytes, (int) wanted);
        }
    }
}
