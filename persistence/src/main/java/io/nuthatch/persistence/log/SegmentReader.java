package io.nuthatch.persistence.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Reads a segment batch by batch (see {@link LogFormat}), checking each batch's checksum before
 * any of its records is handed on, so that nothing of a damaged or torn batch is ever applied.
 *
 * <p>It reads through a window that holds at least the current batch, so a segment of any size is
 * read in bounded memory (a batch is what one write(2) wrote: a pipeline's worth of records).
 *
 * <p>How a problem is classified, which decides what startup does with it:
 * <ul>
 * <li>{@link Problem#TORN_TAIL}: the segment ends inside a batch (a write the process did not
 *     finish, or a tail the machine lost), or the bytes from a batch to the end are zeros (a file
 *     system that extended the file before its data reached the disk), or the last batch's
 *     checksum is wrong with nothing after it. Nothing of it was acknowledged by a process that
 *     wrote it through {@link AppendOnlyLog}: replies leave only after the whole write returned.</li>
 * <li>{@link Problem#CORRUPT}: a checksum that does not match with more bytes after its batch, or
 *     bytes that are no RESP command: damage in the middle, which startup refuses to skip.</li>
 * </ul>
 */
public final class SegmentReader implements AutoCloseable {

    /** Receives the records of verified batches. */
    @FunctionalInterface
    public interface RecordSink {
        /**
         * {@code count} whole RESP commands, back to back in {@code bytes} from {@code offset} for
         * {@code length} bytes. The array is the reader's: valid during the call only.
         */
        void records(byte[] bytes, int offset, int length, int count) throws IOException;
    }

    public enum Problem { NONE, TORN_TAIL, CORRUPT }

    private static final int INITIAL_WINDOW = 64 * 1024;
    /** Decimal digits of a length line we accept (a bulk of up to 2^63). */
    private static final int MAX_NUMBER_DIGITS = 19;

    private final Path path;
    private final FileChannel channel;
    private final long fileSize;
    private final CRC32C crc = new CRC32C();

    /** The window: bytes of the file from {@link #windowStart}, {@link #windowLength} of them. */
    private byte[] window = new byte[INITIAL_WINDOW];
    private long windowStart;
    private int windowLength;

    /** File offset where the next batch starts: everything before it was verified and handed on. */
    private long verifiedSize;
    private long records;
    private long batches;
    private Problem problem = Problem.NONE;
    private long problemOffset = -1;
    private String problemDetail;

    /** Record runs of the batch being read: start and end window indexes, and record counts. */
    private int[] runStarts = new int[8];
    private int[] runEnds = new int[8];
    private int[] runCounts = new int[8];
    private int runs;

    public SegmentReader(Path path) throws IOException {
        this.path = path;
        this.channel = FileChannel.open(path, StandardOpenOption.READ);
        this.fileSize = channel.size();
    }

    public Path path() {
        return path;
    }

    public long fileSize() {
        return fileSize;
    }

    /** Bytes read and verified so far: the length the segment may be cut to. */
    public long verifiedSize() {
        return verifiedSize;
    }

    public long records() {
        return records;
    }

    public long batches() {
        return batches;
    }

    public Problem problem() {
        return problem;
    }

    /** Where the problem starts (the start of the batch that is torn or damaged), or -1. */
    public long problemOffset() {
        return problemOffset;
    }

    /** What is wrong, in words, or null. */
    public String problemDetail() {
        return problemDetail;
    }

    /**
     * Reads the next batch and hands its records to {@code sink} once its checksum matched.
     *
     * @return true when a batch was read; false at the end of the segment or at a problem
     */
    public boolean next(RecordSink sink) throws IOException {
        if (problem != Problem.NONE || verifiedSize == fileSize) {
            return false;
        }
        runs = 0;
        slide();
        long batchStart = verifiedSize;
        int position = index(batchStart);
        int runStart = -1;
        int runCount = 0;
        while (true) {
            if (!available(position, 1)) {
                return torn(batchStart, "the segment ends inside a batch that has no checksum line");
            }
            byte first = window[position];
            if (first == '*') {
                if (runStart < 0) {
                    runStart = position;
                    runCount = 0;
                }
                int end = commandEnd(position);
                if (end == -1) {
                    return torn(batchStart, "the segment ends inside a command");
                }
                if (end == -2) {
                    return zerosOrCorrupt(batchStart, position, "bytes that are not a RESP command");
                }
                runCount++;
                position = end;
                continue;
            }
            if (runStart >= 0) {
                addRun(runStart, position, runCount);
                runStart = -1;
            }
            if (first != '#') {
                return zerosOrCorrupt(batchStart, position, "bytes that are not a RESP command");
            }
            int lineEnd = lineEnd(position);
            if (lineEnd == -1) {
                return torn(batchStart, "the segment ends inside an annotation line");
            }
            if (lineEnd - position == LogFormat.CHECKSUM_LINE_LENGTH
                    && LogFormat.statedChecksum(window, position) >= 0) {
                long stated = LogFormat.statedChecksum(window, position);
                int start = index(batchStart);
                crc.reset();
                crc.update(window, start, position - start);
                long fileOffsetAfter = windowStart + lineEnd;
                if (crc.getValue() != stated) {
                    if (fileOffsetAfter == fileSize) {
                        return torn(batchStart, "the last batch's checksum does not match its bytes");
                    }
                    return corrupt(batchStart, "checksum mismatch (stated " + Long.toHexString(stated) + ", computed "
                            + Long.toHexString(crc.getValue()) + ")");
                }
                for (int run = 0; run < runs; run++) {
                    sink.records(window, runStarts[run], runEnds[run] - runStarts[run], runCounts[run]);
                    records += runCounts[run];
                }
                verifiedSize = fileOffsetAfter;
                batches++;
                return true;
            }
            position = lineEnd;
        }
    }

    private void addRun(int start, int end, int count) {
        if (runs == runStarts.length) {
            runStarts = Arrays.copyOf(runStarts, runs * 2);
            runEnds = Arrays.copyOf(runEnds, runs * 2);
            runCounts = Arrays.copyOf(runCounts, runs * 2);
        }
        runStarts[runs] = start;
        runEnds[runs] = end;
        runCounts[runs] = count;
        runs++;
    }

    private boolean torn(long batchStart, String detail) {
        problem = Problem.TORN_TAIL;
        problemOffset = batchStart;
        problemDetail = detail;
        return false;
    }

    private boolean corrupt(long batchStart, String detail) {
        problem = Problem.CORRUPT;
        problemOffset = batchStart;
        problemDetail = detail;
        return false;
    }

    /** Unreadable bytes are a torn tail when they and all after them are zeros, else damage. */
    private boolean zerosOrCorrupt(long batchStart, int position, String detail) throws IOException {
        long offset = windowStart + position;
        if (zerosToEnd(offset)) {
            return torn(batchStart, "the segment ends with " + (fileSize - offset) + " zero bytes");
        }
        return corrupt(batchStart, detail + " at offset " + offset);
    }

    private boolean zerosToEnd(long from) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        long position = from;
        while (position < fileSize) {
            buffer.clear();
            int read = channel.read(buffer, position);
            if (read <= 0) {
                return false;
            }
            for (int i = 0; i < read; i++) {
                if (buffer.get(i) != 0) {
                    return false;
                }
            }
            position += read;
        }
        return true;
    }

    // ---------------------------------------------------------------- RESP structure

    /**
     * The window index just after the command starting at {@code position}; -1 when the segment
     * ends inside it, -2 when it is not a RESP array of bulk strings.
     */
    private int commandEnd(int position) throws IOException {
        long count = number(position + 1);
        if (count < 0) {
            return (int) count;
        }
        int cursor = lineEndAfterNumber;
        if (count == 0) {
            return -2;
        }
        for (long argument = 0; argument < count; argument++) {
            if (!available(cursor, 1)) {
                return -1;
            }
            if (window[cursor] != '$') {
                return -2;
            }
            long length = number(cursor + 1);
            if (length < 0) {
                return (int) length;
            }
            if (length > Integer.MAX_VALUE - 64) {
                return -2;
            }
            cursor = lineEndAfterNumber;
            if (!available(cursor, (int) length + 2)) {
                return -1;
            }
            cursor += (int) length;
            if (window[cursor] != '\r' || window[cursor + 1] != '\n') {
                return -2;
            }
            cursor += 2;
        }
        return cursor;
    }

    /** Set by {@link #number}: the index after the CRLF that ended the number's line. */
    private int lineEndAfterNumber;

    /**
     * The unsigned decimal number at {@code position} ended by CRLF; -1 when the segment ends
     * inside it, -2 when it is no such number.
     */
    private long number(int position) throws IOException {
        long value = 0;
        int digits = 0;
        int cursor = position;
        while (true) {
            if (!available(cursor, 1)) {
                return -1;
            }
            byte b = window[cursor];
            if (b == '\r') {
                break;
            }
            if (b < '0' || b > '9' || ++digits > MAX_NUMBER_DIGITS) {
                return -2;
            }
            value = value * 10 + (b - '0');
            cursor++;
        }
        if (digits == 0) {
            return -2;
        }
        if (!available(cursor, 2)) {
            return -1;
        }
        if (window[cursor + 1] != '\n') {
            return -2;
        }
        lineEndAfterNumber = cursor + 2;
        return value;
    }

    /** The window index after the CRLF of the line at {@code position}; -1 when the segment ends first. */
    private int lineEnd(int position) throws IOException {
        int cursor = position;
        while (true) {
            if (!available(cursor, 2)) {
                return -1;
            }
            if (window[cursor] == '\r' && window[cursor + 1] == '\n') {
                return cursor + 2;
            }
            cursor++;
        }
    }

    // ---------------------------------------------------------------- the window

    private int index(long fileOffset) {
        return (int) (fileOffset - windowStart);
    }

    /**
     * Whether {@code count} bytes from window index {@code position} can be had, reading more of
     * the file when needed. The window only grows during a batch, so indexes stay valid; it
     * slides between batches ({@link #slide}).
     */
    private boolean available(int position, int count) throws IOException {
        long needEnd = (long) position + count;
        if (needEnd <= windowLength) {
            return true;
        }
        if (windowStart + needEnd > fileSize) {
            return false;
        }
        if (needEnd > window.length) {
            // Grow rather than slide: indexes held by the caller stay valid.
            long capacity = Math.max((long) window.length * 2, needEnd);
            if (capacity > Integer.MAX_VALUE - 16) {
                throw new IOException("a batch of " + path + " is larger than 2 GB");
            }
            window = Arrays.copyOf(window, (int) capacity);
        }
        while (windowLength < needEnd) {
            int read = channel.read(ByteBuffer.wrap(window, windowLength, window.length - windowLength),
                    windowStart + windowLength);
            if (read <= 0) {
                return false;
            }
            windowLength += read;
        }
        return true;
    }

    /**
     * Drops the verified bytes at the start of the window, between batches, so that the window
     * holds one batch at a time.
     */
    private void slide() {
        int drop = index(verifiedSize);
        if (drop <= 0) {
            return;
        }
        System.arraycopy(window, drop, window, 0, windowLength - drop);
        windowLength -= drop;
        windowStart += drop;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
