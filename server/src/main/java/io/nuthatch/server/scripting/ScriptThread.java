package io.nuthatch.server.scripting;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The thread a script moves to when it cannot stay on its caller's thread, so that one running
 * long can leave the turn of the connection that called it without taking that connection's event
 * loop with it.
 *
 * <h2>Who comes here</h2>
 * A Lua call cannot move from one Java thread to another half way, and with one event loop
 * (io-threads 1, the default) a script that kept the loop's thread would hold every connection: no
 * -BUSY, no SCRIPT KILL. So a script first runs on its caller's thread (see LuaScripts#runInline)
 * and is run again from its start here when it runs past a short inline slice, or reaches an effect
 * that could not be taken back (a PUBLISH, a FLUSHALL, a change bigger than the keyspace's UndoLog
 * keeps): what it changed until then is taken back, so nobody can tell. Scripts that end quickly,
 * the common case, writing or not, never pay for the hand-off; those that come here pay two thread
 * wake-ups (measured: under a load average of 30 on two cores a wake-up costs milliseconds, which
 * put EVALSHA of every script here at 0.08x of redis-server with pipelining).
 *
 * <h2>Attached, then detached</h2>
 * While attached the caller waits and keeps the engine: the script's commands run on this thread
 * under the caller's hold, as if the caller ran them. When the script's first time slice expires
 * (its {@link InstructionHook} checkpoint asks {@link #detach}), the caller is told, hands the
 * engine over to this thread as long work ({@code ExecutionGate#handOver}), lets this thread go on
 * ({@link #release}) and returns to its other connections; from then on the script runs as the
 * gate's long work, yielding at its checkpoints. Both sides spin for {@link #SPIN_NANOS} before
 * they park, so that a quick script often avoids a park and an unpark on a quiet machine.
 *
 * <p>Phases move IDLE -> RUNNING -> (DETACHING -> DETACHED ->) IDLE; each change is one volatile
 * write followed by an unpark of the side that waits for it. One script at a time: scripts run
 * with the engine held, and a detached one holds the gate in a state where no other can start.
 */
final class ScriptThread {
    private static final int IDLE = 0;
    private static final int RUNNING = 1;
    private static final int DETACHING = 2;
    private static final int DETACHED = 3;
    private static final int DONE = 4;

    /** How long each side spins before it parks: about one short script. */
    private static final long SPIN_NANOS = 30_000;
    /** An idle thread ends after this long; the next script starts another. */
    private static final long IDLE_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final String name;
    private volatile int phase = IDLE;
    private volatile Thread caller;
    private volatile Thread thread;
    /** Written by the caller before the phase becomes RUNNING, read by the script's thread after. */
    private Runnable body;
    private long sliceDeadline;
    private boolean mayDetach;
    /** The script's thread's own: whether the running script detached. */
    private boolean detached;

    ScriptThread(String name) {
        this.name = name;
    }

    /**
     * Runs {@code script} on this thread while the calling thread waits, with the engine held.
     *
     * @return true when the script ended attached; false when it asked to detach: the caller must
     *     hand the engine over and then call {@link #release}
     */
    boolean runAttached(Runnable script, long sliceNanos) {
        body = script;
        long now = System.nanoTime();
        mayDetach = sliceNanos != Long.MAX_VALUE;
        sliceDeadline = now + (mayDetach ? sliceNanos : 0);
        caller = Thread.currentThread();
        LockSupport.unpark(start());
        int seen = awaitPhaseOtherThan(RUNNING);
        if (seen == DONE) {
            phase = IDLE;
            return true;
        }
        return false;
    }

    /** Marks the script as running, on the thread there is or on a new one; returns that thread. */
    private synchronized Thread start() {
        Thread current = thread;
        if (current == null) {
            current = new Thread(this::loop, name);
            current.setDaemon(true);
            thread = current;
            phase = RUNNING;
            current.start();
        } else {
            phase = RUNNING;
        }
        return current;
    }

    /** The thread scripts run on (the worker of the hand-over), once {@link #runAttached} started it. */
    Thread thread() {
        return thread;
    }

    /** On the script's thread: whether the running script still has its caller waiting. */
    boolean isAttached() {
        return !detached;
    }

    /** On the script's thread, at a checkpoint: whether the first slice is over. */
    boolean sliceExpired() {
        return mayDetach && !detached && System.nanoTime() - sliceDeadline >= 0;
    }

    /**
     * On the script's thread, when a detached script has ended and before it lets the engine go:
     * the next script may start as soon as the engine is free.
     */
    void detachedScriptEnded() {
        phase = IDLE;
    }

    /**
     * On the script's thread: tells the caller the script goes on as long work, and waits until the
     * caller has handed the engine over.
     */
    void detach() {
        detached = true;
        phase = DETACHING;
        LockSupport.unpark(caller);
        while (phase != DETACHED) {
            LockSupport.park(this);
        }
    }

    /** On the caller, after handing the engine over: the script's thread may go on. */
    void release() {
        phase = DETACHED;
        LockSupport.unpark(thread);
    }

    private void loop() {
        long idleSince = System.nanoTime();
        while (true) {
            if (phase != RUNNING) {
                if (!spinUntilRunning()) {
                    LockSupport.parkNanos(this, TimeUnit.SECONDS.toNanos(1));
                    if (phase != RUNNING && System.nanoTime() - idleSince > IDLE_LIMIT_NANOS && stopIfIdle()) {
                        return;
                    }
                    continue;
                }
            }
            // Only this thread writes detached: a detached script has already made the phase IDLE
            // (detachedScriptEnded) and the next script may have started by the time it returns.
            detached = false;
            try {
                body.run();
            } finally {
                idleSince = System.nanoTime();
                if (!detached) {
                    phase = DONE;
                    LockSupport.unpark(caller);
                }
            }
        }
    }

    private boolean spinUntilRunning() {
        long until = System.nanoTime() + SPIN_NANOS;
        while (phase != RUNNING) {
            if (System.nanoTime() - until > 0) {
                return false;
            }
            Thread.onSpinWait();
        }
        return true;
    }

    private synchronized boolean stopIfIdle() {
        if (phase == RUNNING) {
            return false;
        }
        thread = null;
        return true;
    }

    /** On the caller: spins a moment, then parks, until the phase is no longer {@code phaseNow}. */
    private int awaitPhaseOtherThan(int phaseNow) {
        long until = System.nanoTime() + SPIN_NANOS;
        int seen;
        while ((seen = phase) == phaseNow) {
            if (System.nanoTime() - until > 0) {
                LockSupport.park(this);
            } else {
                Thread.onSpinWait();
            }
        }
        return seen;
    }
}
