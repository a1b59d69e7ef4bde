package io.nuthatch.server.gate;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Reads of the engine by threads that do not run commands (the exporter's INFO read), which must
 * not hang behind long work. A read waits for the mutex in short steps; meanwhile it sits in a
 * queue that the long work empties at each yield point, running the reads itself with the engine
 * held. Whichever comes first runs a read, exactly once; a read that neither did in time is given
 * up, and then never runs.
 */
final class ExclusiveReads {
    private static final long STEP_NANOS = 100_000;

    private final ReentrantLock mutex;
    private final ConcurrentLinkedQueue<Read> waiting = new ConcurrentLinkedQueue<>();
    private volatile boolean present;

    ExclusiveReads(ReentrantLock mutex) {
        this.mutex = mutex;
    }

    /** Runs the read with the mutex held, waiting at most {@code timeoutMillis}; whether it ran. */
    boolean run(Runnable task, long timeoutMillis) {
        Read read = new Read(task);
        waiting.add(read);
        present = true;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        try {
            while (!read.done) {
                if (lockForAStep()) {
                    try {
                        read.runOnce();
                    } finally {
                        mutex.unlock();
                    }
                } else if (System.nanoTime() - deadline > 0) {
                    if (read.claimed.compareAndSet(false, true)) {
                        return false;
                    }
                    // The long work is running it at this moment: it is short, wait for it.
                    while (!read.done) {
                        Thread.onSpinWait();
                    }
                }
            }
            return true;
        } finally {
            waiting.remove(read);
        }
    }

    /** Runs the reads waiting; called by the long work with the mutex held. */
    void runWaiting() {
        if (!present) {
            return;
        }
        present = false;
        for (Read read; (read = waiting.poll()) != null; ) {
            read.runOnce();
        }
    }

    private boolean lockForAStep() {
        try {
            return mutex.tryLock(STEP_NANOS, TimeUnit.NANOSECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return mutex.tryLock();
        }
    }

    private static final class Read {
        private final Runnable task;
        private final AtomicBoolean claimed = new AtomicBoolean();
        private volatile boolean done;

        Read(Runnable task) {
            this.task = task;
        }

        void runOnce() {
            if (claimed.compareAndSet(false, true)) {
                try {
                    task.run();
                } finally {
                    done = true;
                }
            }
        }
    }
}
