package io.nuthatch.persistence.log;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * The segment being appended to: records are encoded into a batch while commands run, the batch
 * is written with one write(2) before any reply that may show it leaves, and fsync follows the
 * {@link FsyncPolicy}.
 *
 * <h2>Threads</h2>
 * The thread running commands, with the engine held, calls {@link #beginRecord},
 * {@link #argument}, {@link #endUnit} and then {@link #writeBatch} before it lets the engine go
 * (the server calls it at the end of every turn, before replies are sent). A daemon thread of the
 * log's own does the fsyncs, so that no command waits for the disk:
 * <ul>
 * <li>always: it fsyncs whenever something was written since the last fsync, and then reports
 *     the units now on disk ({@link Observer#durableThrough}); the replies of a batch wait for
 *     that, so every client whose batch was written during one fsync is released by the next
 *     (group commit).</li>
 * <li>everysec: it fsyncs once a second. A write goes on while that fsync runs unless the fsync
 *     has run for more than 2 seconds (Redis's rule): then the writer waits for it, counts
 *     aof_delayed_fsync and logs it, so that no more than about 2 seconds of writes are ever
 *     unsynced. Units count as safe ({@link Observer#durableThrough}) once written.</li>
 * <li>no: nothing is fsynced before close; units count as safe once written.</li>
 * </ul>
 *
 * <h2>Failed writes</h2>
 * A write that fails (the disk is full, an I/O error) is undone: the file is truncated back to
 * its last whole batch, and the batch stays in memory. {@link Observer#durableThrough} is not
 * called, so the replies of its units stay held; the server refuses new writes meanwhile
 * ({@link #lastWriteError}) and calls {@link #writeBatch} again until it succeeds, which releases
 * them. An fsync that fails is retried the same way; under always the units wait for it.
 */
public final class AppendOnlyLog implements AutoCloseable {

    /** What the log tells the server. */
    public interface Observer {
        /**
         * Every unit up to {@code offset} is as safe as the fsync policy makes it: written (everysec,
         * no) or on disk (always). Called on the writing thread or on the fsync thread.
         */
        void durableThrough(long offset);

        /** A warning for the server log (a slow fsync, a failed write, a recovery). */
        void warning(String message);

        /** An fsync of the fsync thread took {@code nanos}, whether it succeeded or not. */
        default void fsynced(long nanos) {
        }
    }

    private static final long EVERYSEC_PERIOD_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long FSYNC_LATE_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final Observer observer;
    private final LogBatch batch = new LogBatch();
    private final Object fsyncLock = new Object();
    private final Thread fsyncThread;

    private volatile FsyncPolicy policy;
    private volatile FileChannel channel;
    private volatile Path path;

    /** Bytes of the segment written (whole batches). Guarded by fsyncLock for writes. */
    private volatile long writtenSize;
    /** Offset of the last unit written. */
    private volatile long writtenOffset;
    /** Bytes of the segment known to be on disk. */
    private volatile long syncedSize;
    private volatile long syncedOffset;
    /** When the running fsync started (System.nanoTime), 0 when none runs. */
    private volatile long fsyncStartedNanos;
    private volatile long lastFsyncNanos = System.nanoTime();

    private volatile IOException lastWriteError;
    private volatile IOException lastFsyncError;
    private volatile long delayedFsyncs;
    private volatile boolean closed;

    /**
     * Opens {@code segment} for appending, creating it when it does not exist, and starts the fsync
     * thread. A segment that exists must end with a whole batch (the loader truncated a torn tail).
     */
    public AppendOnlyLog(Path segment, FsyncPolicy policy, Observer observer) throws IOException {
        this.observer = observer;
        this.policy = policy;
        open(segment);
        this.syncedSize = writtenSize;
        this.fsyncThread = new Thread(this::fsyncLoop, "nuthatch-aof-fsync");
        fsyncThread.setDaemon(true);
        fsyncThread.start();
    }

    private void open(Path segment) throws IOException {
        FileChannel opened = FileChannel.open(segment, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        opened.position(opened.size());
        this.channel = opened;
        this.path = segment;
        this.writtenSize = opened.size();
    }

    // ---------------------------------------------------------------- encoding, with the engine held

    /** Starts a record of {@code argumentCount} arguments applying to {@code database}. */
    public void beginRecord(int database, int argumentCount) {
        batch.beginRecord(database, argumentCount);
    }

    /** One argument of the record being written. */
    public void argument(byte[] array, int offset, int length) {
        batch.argument(array, offset, length);
    }

    /** The unit with log offset {@code offset} is complete. */
    public void endUnit(long offset) {
        batch.endUnit(offset);
    }

    /** Whether records wait to be written. */
    public boolean hasBatch() {
        return !batch.isEmpty();
    }

    /** aof-timestamp-enabled: a {@code #TS:} line starts a batch in a new second. */
    public void timestamps(boolean enabled) {
        batch.timestamps(enabled);
    }

    // ---------------------------------------------------------------- writing, with the engine held

    /**
     * Writes the batch with one write(2): to be called before any reply that may show its units
     * leaves. Does nothing when the batch is empty.
     *
     * @return whether the batch is written (false: it failed and stays, see {@link #lastWriteError})
     */
    public boolean writeBatch() {
        if (batch.isEmpty() || closed) {
            return batch.isEmpty();
        }
        if (policy == FsyncPolicy.EVERYSEC) {
            waitForLateFsync();
        }
        FileChannel target = channel;
        long before = writtenSize;
        try {
            long remaining = batch.sealedLength();
            java.nio.ByteBuffer[] buffers = batch.sealed();
            while (remaining > 0) {
                remaining -= target.write(buffers);
            }
        } catch (IOException e) {
            undoPartialWrite(target, before, e);
            return false;
        }
        long offset = batch.lastOffset();
        long size = before + batch.sealedLength();
        batch.clear();
        if (lastWriteError != null) {
            observer.warning("AOF write error looks solved, the server can write again.");
            lastWriteError = null;
        }
        if (policy == FsyncPolicy.ALWAYS) {
            synchronized (fsyncLock) {
                writtenSize = size;
                writtenOffset = offset;
                fsyncLock.notifyAll();
            }
        } else {
            writtenSize = size;
            writtenOffset = offset;
            observer.durableThrough(offset);
        }
        return true;
    }

    private void undoPartialWrite(FileChannel target, long goodSize, IOException error) {
        boolean first = lastWriteError == null;
        lastWriteError = error;
        try {
            target.truncate(goodSize);
            target.position(goodSize);
        } catch (IOException truncateFailed) {
            observer.warning("Could not remove the partial AOF write from " + path + " (" + truncateFailed.getMessage()
                    + "): the next load truncates it as a torn tail.");
        }
        if (first) {
            observer.warning("Error writing to the AOF file: " + describe(error));
        }
    }

    /**
     * Redis's 2-second rule: while the background fsync runs, writes go on; once it has run for
     * more than 2 seconds the writer waits for it, so that the unsynced tail stays bounded.
     */
    private void waitForLateFsync() {
        long started = fsyncStartedNanos;
        if (started == 0 || System.nanoTime() - started <= FSYNC_LATE_NANOS) {
            return;
        }
        delayedFsyncs++;
        observer.warning("Asynchronous AOF fsync is taking too long (disk is busy?). Writing the AOF buffer after"
                + " waiting for the fsync to complete, this may slow down the server.");
        synchronized (fsyncLock) {
            while (fsyncStartedNanos != 0 && !closed) {
                try {
                    fsyncLock.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    // ---------------------------------------------------------------- fsync thread

    private void fsyncLoop() {
        while (!closed) {
            try {
                long target;
                long offset;
                synchronized (fsyncLock) {
                    if (!waitForWork()) {
                        continue;
                    }
                    target = writtenSize;
                    offset = writtenOffset;
                    fsyncStartedNanos = System.nanoTime();
                }
                fsync(target, offset);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Waits, holding fsyncLock, until there is something to fsync under the policy. */
    private boolean waitForWork() throws InterruptedException {
        switch (policy) {
            case ALWAYS -> {
                if (writtenSize == syncedSize || lastWriteError != null) {
                    fsyncLock.wait(lastFsyncError != null ? 100 : 1000);
                    return writtenSize != syncedSize;
                }
                return true;
            }
            case EVERYSEC -> {
                long wait = lastFsyncNanos + EVERYSEC_PERIOD_NANOS - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.timedWait(fsyncLock, wait);
                    return false;
                }
                lastFsyncNanos = System.nanoTime();
                return writtenSize != syncedSize;
            }
            default -> {
                fsyncLock.wait(1000);
                return false;
            }
        }
    }

    private void fsync(long size, long offset) {
        FileChannel target = channel;
        long started = System.nanoTime();
        try {
            target.force(false);
            observer.fsynced(System.nanoTime() - started);
            boolean recovered = lastFsyncError != null;
            lastFsyncError = null;
            if (recovered) {
                observer.warning("AOF fsync succeeded again.");
            }
        } catch (IOException e) {
            observer.fsynced(System.nanoTime() - started);
            if (lastFsyncError == null) {
                observer.warning("Error fsyncing the AOF file: " + describe(e));
            }
            lastFsyncError = e;
            fsyncDone();
            return;
        }
        synchronized (fsyncLock) {
            if (target == channel && size > syncedSize) {
                syncedSize = size;
                syncedOffset = offset;
            }
            fsyncStartedNanos = 0;
            fsyncLock.notifyAll();
        }
        // Under everysec and no the units were reported when written; this also releases replies
        // still held by always when the policy changed meanwhile.
        observer.durableThrough(offset);
    }

    private void fsyncDone() {
        synchronized (fsyncLock) {
            fsyncStartedNanos = 0;
            fsyncLock.notifyAll();
        }
    }

    // ---------------------------------------------------------------- settings and status

    /** appendfsync changed at run time. Moving to always syncs what was written before. */
    public void policy(FsyncPolicy newPolicy) {
        synchronized (fsyncLock) {
            this.policy = newPolicy;
            fsyncLock.notifyAll();
        }
    }

    public FsyncPolicy policy() {
        return policy;
    }

    /** The segment written to. */
    public Path path() {
        return path;
    }

    /** Bytes of the segment written (aof_current_size counts the segments before it too). */
    public long writtenSize() {
        return writtenSize;
    }

    /** Bytes of the segment known to be on disk: what a machine failure keeps at least. */
    public long syncedSize() {
        return syncedSize;
    }

    /** Offset of the last unit written. */
    public long writtenOffset() {
        return writtenOffset;
    }

    /** Bytes of records waiting for their write (aof_buffer_length). */
    public long bufferedBytes() {
        return batch.length();
    }

    /** Whether an fsync runs now (aof_pending_bio_fsync). */
    public boolean fsyncInProgress() {
        return fsyncStartedNanos != 0;
    }

    /** aof_delayed_fsync: writes that waited for an fsync over 2 seconds late. */
    public long delayedFsyncs() {
        return delayedFsyncs;
    }

    /** The error of the last write while writes fail, else null (aof_last_write_status). */
    public IOException lastWriteError() {
        return lastWriteError;
    }

    /** The error of the last fsync while fsyncs fail, else null. */
    public IOException lastFsyncError() {
        return lastFsyncError;
    }

    /** An I/O error as strerror would say it, for logs and MISCONF replies. */
    public static String describe(IOException error) {
        String message = error.getMessage();
        if (message == null) {
            return error.getClass().getSimpleName();
        }
        return message.contains("No space left") ? "No space left on device" : message;
    }

    /**
     * Writes what is buffered, fsyncs (whatever the policy: a clean stop loses nothing) and stops
     * the fsync thread.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        writeBatch();
        // Woken, not interrupted: an interrupt that lands during force() closes the channel under
        // the fsync (ClosedByInterruptException) and the final fsync below then fails.
        synchronized (fsyncLock) {
            closed = true;
            fsyncLock.notifyAll();
        }
        try {
            fsyncThread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        FileChannel target = channel;
        try {
            target.force(false);
            syncedSize = writtenSize;
            syncedOffset = writtenOffset;
            observer.durableThrough(writtenOffset);
        } finally {
            target.close();
        }
    }
}
