package io.nuthatch.server.persistence;

import io.nuthatch.persistence.rdb.RdbInput;
import io.nuthatch.persistence.snapshot.SnapshotFormat;
import io.nuthatch.persistence.snapshot.SnapshotReader;
import io.nuthatch.server.codec.DecodedValue;
import io.nuthatch.server.codec.EncodingLimits;
import io.nuthatch.server.codec.ValueCodec;
import io.nuthatch.server.keyspace.AccessFrequency;
import io.nuthatch.server.keyspace.AccessRecency;
import io.nuthatch.server.keyspace.KeyEntry;
import io.nuthatch.server.keyspace.LoadBatch;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The reading half of a snapshot load: threads of their own read the snapshot's parts (its files,
 * see {@link SnapshotReader}), decode each value with a codec of their own and prepare each key's
 * entry ({@link LoadBatch}), and hand full batches to the engine thread, which only inserts them.
 *
 * <p>Decoding is most of a load's work (RocksDB's block reads and decompression, the codec, the
 * arrays of each entry), and none of it needs the keyspace; inserting does, and stays on the one
 * thread that may change it. The queue between them is bounded, so memory beyond the dataset is a
 * few batches; a decoder that runs ahead waits. The first failure (a damaged block, a value the
 * codec refuses, a database this server does not have) stops every decoder and is thrown by the
 * next {@link #poll}.
 *
 * <p>A row's access clock (format 3) becomes the entry's as Redis's RDB load applies IDLE and FREQ
 * records: under an LFU policy of the key's database the counter is kept, its decay counted from
 * the load; under any other policy the idle seconds are counted back from the load's start, so
 * the downtime is not idleness. A key without the kind its database keeps is stamped as new when it
 * is inserted.
 *
 * <p>Keys whose expiry has passed are dropped here when {@code dropExpired}, as Redis drops them
 * when it loads an RDB file (not its AOF's preamble, where commands after it may still use them);
 * they are counted ({@link #expiredDropped}).
 */
final class SnapshotDecoding implements AutoCloseable {
    /** Keys per batch: large enough that a hand-over costs nothing per key, small enough to fill 5 ms slices. */
    static final int BATCH_KEYS = 1024;
    /** Decoders beyond the cores would only take turns; beyond four, insertion is the bottleneck. */
    private static final int MAX_THREADS = 4;

    private final SnapshotReader reader;
    private final List<SnapshotReader.Part> parts;
    private final EncodingLimits limits;
    private final boolean dropExpired;
    private final long now = System.currentTimeMillis();
    private final int nowClock = AccessRecency.clock(now);
    private final int nowMinutes = AccessFrequency.minutes(now);
    /** By database number: whether its policy keeps LFU counters rather than idle times. */
    private final boolean[] frequencyClocks;
    private final Thread[] threads;
    private final BlockingQueue<LoadBatch> full;
    private final BlockingQueue<LoadBatch> empty;
    private final AtomicInteger nextPart = new AtomicInteger();
    private final AtomicInteger running;
    private final AtomicLong expired = new AtomicLong();
    private volatile IOException failure;
    private volatile boolean stopped;

    SnapshotDecoding(SnapshotReader reader, EncodingLimits limits, boolean[] frequencyClocks, boolean dropExpired) {
        this.reader = reader;
        this.frequencyClocks = frequencyClocks.clone();
        int databases = frequencyClocks.length;
        this.parts = reader.parts();
        this.limits = limits;
        this.dropExpired = dropExpired;
        int count = Math.max(1, Math.min(Math.min(Runtime.getRuntime().availableProcessors(), MAX_THREADS),
                parts.size()));
        this.threads = new Thread[count];
        this.running = new AtomicInteger(count);
        int batches = 2 * count + 2;
        this.full = new ArrayBlockingQueue<>(batches);
        this.empty = new ArrayBlockingQueue<>(batches);
        for (int i = 0; i < batches; i++) {
            empty.add(new LoadBatch(BATCH_KEYS));
        }
        for (int i = 0; i < count; i++) {
            threads[i] = new Thread(this::decode, "nuthatch-load-" + (i + 1));
            threads[i].setDaemon(true);
        }
    }

    void start() {
        for (Thread thread : threads) {
            thread.start();
        }
    }

    int threads() {
        return threads.length;
    }

    /**
     * The next full batch, waiting for one until {@code deadlineNanos}; null when none came in time
     * or none will come ({@link #finished}). Give it back with {@link #recycle} once inserted.
     *
     * @throws IOException the first failure of a decoder
     */
    LoadBatch poll(long deadlineNanos) throws IOException {
        LoadBatch batch = full.poll();
        if (batch == null && running.get() > 0) {
            try {
                batch = full.poll(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while loading the snapshot", e);
            }
        }
        IOException failed = failure;
        if (failed != null) {
            throw failed;
        }
        return batch;
    }

    void recycle(LoadBatch batch) {
        batch.clear();
        empty.add(batch);
    }

    /** Every decoder is done and every batch was taken: then verify the reader's totals. */
    boolean finished() {
        return running.get() == 0 && full.isEmpty() && failure == null;
    }

    long expiredDropped() {
        return expired.get();
    }

    private void decode() {
        SnapshotReader.Row row = new SnapshotReader.Row();
        ValueCodec codec = new ValueCodec(limits);
        LoadBatch batch = null;
        try {
            int index;
            while (!stopped && (index = nextPart.getAndIncrement()) < parts.size()) {
                SnapshotReader.Part part = parts.get(index);
                while (!stopped && part.next(row)) {
                    if (row.database() >= frequencyClocks.length) {
                        throw new IOException("The snapshot holds database " + row.database() + ", and this server has "
                                + frequencyClocks.length + " (raise 'databases')");
                    }
                    long expiresAt = row.expiresAt();
                    if (dropExpired && expiresAt != SnapshotFormat.NO_EXPIRY && expiresAt < now) {
                        expired.incrementAndGet();
                        continue;
                    }
                    DecodedValue value = codec.decode(new RdbInput(row.value(), row.valueOffset(), row.valueLength()));
                    if (value == null) {
                        continue;
                    }
                    if (batch == null) {
                        batch = empty.take();
                    }
                    long expiry = expiresAt == SnapshotFormat.NO_EXPIRY ? KeyEntry.NO_EXPIRY : expiresAt;
                    int clock = clock(row);
                    if (value.isString()) {
                        batch.addString(row.database(), row.keyArray(), row.keyOffset(), row.keyLength(), value.string(),
                                expiry, clock);
                    } else {
                        batch.addValue(row.database(), row.keyArray(), row.keyOffset(), row.keyLength(), value.value(),
                                expiry, clock);
                    }
                    if (batch.isFull()) {
                        full.put(batch);
                        batch = null;
                    }
                }
            }
            if (batch != null && batch.size() > 0) {
                full.put(batch);
            }
        } catch (InterruptedException e) {
            // stopped by close()
        } catch (IOException e) {
            fail(e);
        } catch (RuntimeException e) {
            fail(new IOException("Error decoding the snapshot: " + e, e));
        } finally {
            running.decrementAndGet();
        }
    }

    /** The entry clock of a row, or {@link LoadBatch#LOAD_TIME} when it keeps none its database uses. */
    private int clock(SnapshotReader.Row row) {
        if (frequencyClocks[row.database()]) {
            return row.accessKind() == SnapshotFormat.ACCESS_FREQUENCY
                    ? AccessFrequency.restored((int) row.access(), nowMinutes) : LoadBatch.LOAD_TIME;
        }
        return row.accessKind() == SnapshotFormat.ACCESS_IDLE
                ? AccessRecency.fromIdleSeconds(row.access(), nowClock) : LoadBatch.LOAD_TIME;
    }

    private void fail(IOException e) {
        if (failure == null) {
            failure = e;
        }
        stopped = true;
    }

    /** Stops the decoders and waits for them, so that the reader can be closed. */
    @Override
    public void close() {
        stopped = true;
        for (Thread thread : threads) {
            thread.interrupt();
        }
        boolean interrupted = false;
        for (Thread thread : threads) {
            while (thread.isAlive()) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        full.clear();
    }
}
