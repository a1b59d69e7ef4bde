package io.nuthatch.server;

import io.nuthatch.server.client.ClientSession;
import io.nuthatch.server.gate.ExecutionGate;
import io.nuthatch.server.keyspace.ActiveExpiryCycle;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The periodic work of the server (Redis's serverCron), {@code hz} times a second on its own
 * thread, with the engine held: active expiry, incremental rehashing, the scan of an abandoned
 * keyspace walk, the save rules and automatic log rewrite, idle client timeouts.
 *
 * <p>A run is skipped while long work (a script, a load) holds the engine, as Redis runs no
 * serverCron then either: the cron never waits behind long work.
 */
final class ServerCron implements AutoCloseable {
    /** Time given to rehashing per database and cycle, as Redis's activerehashing (1 ms). */
    private static final long REHASH_NANOS = 1_000_000;

    private final Engine engine;
    private final ActiveExpiryCycle expiryCycle;
    private final ScheduledExecutorService scheduler;
    private ScheduledFuture<?> task;

    ServerCron(Engine engine) {
        this.engine = engine;
        this.expiryCycle = new ActiveExpiryCycle(engine.keyspace());
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "nuthatch-cron");
            thread.setDaemon(true);
            return thread;
        });
    }

    void start() {
        schedule();
        engine.config().hz.onChange(this::schedule);
    }

    private synchronized void schedule() {
        if (task != null) {
            task.cancel(false);
        }
        long hz = Math.max(1, Math.min(500, engine.config().hz.value()));
        task = scheduler.scheduleAtFixedRate(this::runSafely, 1000 / hz, 1000 / hz, TimeUnit.MILLISECONDS);
    }

    private void runSafely() {
        try {
            run();
        } catch (RuntimeException e) {
            engine.log().warning("Cron task failed: " + e);
        }
    }

    private void run() {
        int hz = (int) Math.max(1, Math.min(500, engine.config().hz.value()));
        ExecutionGate gate = engine.gate();
        if (!gate.tryEnterFree()) {
            return;
        }
        try {
            engine.beginServerTask();
            if (engine.isActiveExpiryEnabled()) {
                long started = System.nanoTime();
                int expired = expiryCycle.run(hz);
                engine.stats().expiryCycleRan(expiryCycle.lastSampled(), expired, expiryCycle.lastHitTimeLimit(),
                        System.nanoTime() - started);
                engine.introspection().latency("expire-cycle", (System.nanoTime() - started) / 1_000_000);
                // A stream that expired wakes its XREADGROUP waiters, as Redis's beforeSleep serves them.
                engine.blocking().serveReadyKeys();
            }
            for (int i = 0; i < engine.keyspace().count(); i++) {
                engine.keyspace().database(i).maintainTable(System.nanoTime() + REHASH_NANOS);
            }
            engine.keyspace().finishAbandonedWalk(System.nanoTime() + REHASH_NANOS);
            engine.persistence().cron();
            closeIdleClients();
            engine.eviction().clients().cronTick();
            engine.info().cronTick();
            engine.tracking().afterServerTask();
        } finally {
            gate.exit();
        }
    }

    private void closeIdleClients() {
        long timeoutSeconds = engine.config().timeout.value();
        if (timeoutSeconds <= 0) {
            return;
        }
        long now = System.currentTimeMillis();
        for (ClientSession client : engine.clients().all()) {
            // As in Redis, a client parked by a blocking command is not idle: its own timeout applies.
            if (!client.isBlocked() && now - client.lastInteractionMillis() > timeoutSeconds * 1000) {
                engine.log().verbose("Closing idle client");
                client.transport().closeNow();
            }
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
