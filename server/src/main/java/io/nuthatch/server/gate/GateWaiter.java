package io.nuthatch.server.gate;

/**
 * A caller queued at the {@link ExecutionGate} (a connection whose requests wait while long work
 * holds the engine). Its owner subclasses it once and passes the same instance to every
 * {@link ExecutionGate#enter}.
 */
public abstract class GateWaiter {
    /** Guarded by the gate's queue lock; read without it only as a hint. */
    volatile boolean queued;
    volatile boolean needsFree;
    /** The window of long work this waiter was admitted to; 0 for none. */
    volatile int ticket;

    /**
     * Whether the caller's pending work needs the gate free (a blocked client's wake-up, which
     * Redis too runs only once a script has ended), rather than a window of long work.
     */
    public final void needsFree(boolean needsFree) {
        this.needsFree = needsFree;
    }

    /**
     * The caller may try to {@link ExecutionGate#enter} again. Called from any thread, with no lock
     * held; the caller moves to its own thread before entering.
     */
    protected abstract void admit();
}
