package io.nuthatch.server.eviction;

import io.nuthatch.server.gate.ExecutionGate;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The rest of an eviction pass that ran out of time before a command (Redis's eviction time
 * proc): a thread of its own takes the engine between commands, when it is free, and runs passes
 * until one ends within its time. Clients' commands keep running in between; each still evicts
 * its own bounded share first.
 */
final class BackgroundEviction implements AutoCloseable {
    /** How long to wait before trying again when the engine was not free. */
    private static final long RETRY_MICROS = 200;

    private final ExecutionGate gate;
    private final Runnable pass;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private ScheduledExecutorService executor;

    BackgroundEviction(ExecutionGate gate, Runnable pass) {
        this.gate = gate;
        this.pass = pass;
    }

    /** Makes sure a pass runs soon; the pass itself requests the next one if it runs out of time again. */
    synchronized void request() {
        if (!scheduled.compareAndSet(false, true)) {
            return;
        }
        if (executor == null) {
            executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "nuthatch-eviction");
                thread.setDaemon(true);
                return thread;
            });
        }
        if (!executor.isShutdown()) {
            executor.execute(this::run);
        }
    }

    private void run() {
        if (!gate.tryEnterFree()) {
            schedule();
            return;
        }
        scheduled.set(false);
        try {
            pass.run();
        } finally {
            gate.exit();
        }
    }

    private synchronized void schedule() {
        if (!executor.isShutdown()) {
            executor.schedule(this::run, RETRY_MICROS, TimeUnit.MICROSECONDS);
        }
    }

    @Override
    public synchronized void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
