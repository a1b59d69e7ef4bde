package io.nuthatch.server.gate;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Who may run against the engine, and when: ordinary commands of any connection one at a time,
 * and long work (a script running for seconds, loading the dataset) on a thread of its own while
 * the other connections still get the answers Redis gives in that state.
 *
 * <h2>States</h2>
 * <ul>
 * <li>{@link State#FREE}: commands run, one at a time, in the order they take the engine.</li>
 * <li>{@link State#HELD}: long work holds the engine and has not yet run for the busy threshold
 *     ({@code busy-reply-threshold}, alias {@code lua-time-limit}). Other connections keep their
 *     requests buffered, as Redis leaves them unread while a script runs, and are resumed later.</li>
 * <li>{@link State#BUSY}: the long work ran past the threshold. At each of its yield points it lends
 *     the engine to the connections waiting: the command dispatcher answers -BUSY to every command
 *     not flagged allow-busy and runs those that are (SHUTDOWN NOSAVE, SCRIPT KILL...).</li>
 * <li>{@link State#LOADING}: the dataset is loading, in slices; between slices the waiting
 *     connections run what is flagged loading-ok (INFO, SELECT, CONFIG...) and get -LOADING for
 *     everything else.</li>
 * </ul>
 *
 * <h2>The engine lock and the rule that keeps threads free</h2>
 * One mutex guards the engine. Short work (a connection's read batch, the cron, an exporter read)
 * takes it for microseconds; long work takes it for its whole run and lets it go only at yield
 * points. The rule is that no thread serving connections ever waits for the mutex while long work
 * holds it: {@link #enter} waits only while the state is FREE (the holder is short work), checking
 * the state again every {@link #WAIT_QUANTUM_NANOS}; once long work holds the engine, a caller
 * that may not run is queued as a {@link GateWaiter} and returns at once, keeping its requests
 * buffered, and the gate calls {@link GateWaiter#admit} when it may try again: at a yield point of
 * long work past the threshold or of loading (a "window"), or when the gate is free again. The
 * long work waits (at most {@link #WINDOW_LIMIT_NANOS}) for the connections it admitted to take
 * their turn before it goes on, so a client is answered at every yield point, as Redis answers
 * between the slices of a script or a load.
 *
 * <p>The common path costs what an uncontended lock costs: one volatile read of the state, one
 * compare-and-set, and one volatile read again once held.
 *
 * <p>This package must never run commands itself, nor know of connections, RESP or propagation:
 * it decides who holds the engine; the dispatcher decides what a command may do in each state.
 */
public final class ExecutionGate implements AutoCloseable {

    /** What holds the engine. */
    public enum State { FREE, HELD, BUSY, LOADING }

    /** What long work is, for the -BUSY reply Redis gives while it runs. */
    public enum LongKind {
        /** EVAL / EVALSHA. */
        SCRIPT("BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE."),
        /** FCALL. */
        FUNCTION("BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE."),
        /** Anything else that runs long (a module command, in Redis). */
        OTHER("BUSY Redis is busy running a module command.");

        private final String busyReply;

        LongKind(String busyReply) {
            this.busyReply = busyReply;
        }

        /** The error reply, without the leading '-'. */
        public String busyReply() {
            return busyReply;
        }
    }

    /** Long work: runs on the gate's thread, holding the engine. */
    @FunctionalInterface
    public interface LongWork {
        /**
         * Runs the work. It calls {@link Holder#yieldPoint()} often (a script's instruction hook, every
         * few milliseconds at most) and stops early when {@link Holder#stopRequested()} says so.
         */
        void run(Holder holder);
    }

    /** Loading in slices: runs on the gate's thread, holding the engine during each slice. */
    @FunctionalInterface
    public interface Loading {
        /**
         * Loads the next slice (a few milliseconds of work).
         *
         * @return whether more remains
         */
        boolean loadSlice();
    }

    /** How long a caller waits for short work before looking at the state again. */
    static final long WAIT_QUANTUM_NANOS = 100_000;
    /** How long long work waits at a yield point for the connections it admitted. */
    static final long WINDOW_LIMIT_NANOS = 50_000_000;

    private final ReentrantLock mutex = new ReentrantLock();
    private final LongSupplier busyThresholdMillis;
    private volatile State state = State.FREE;
    private volatile LongKind longKind = LongKind.OTHER;
    private volatile boolean stopRequested;
    private volatile Thread worker;
    private long longStartedNanos;
    private long busyThresholdNanos;

    private final Object queueLock = new Object();
    /** GateWaiters a window admits; guarded by queueLock. */
    private final ArrayDeque<GateWaiter> windowWaiters = new ArrayDeque<>();
    /** GateWaiters only the end of the long work admits; guarded by queueLock. */
    private final ArrayDeque<GateWaiter> freeWaiters = new ArrayDeque<>();
    private volatile boolean windowWaitersPresent;
    private volatile boolean windowOpen;
    private volatile Runnable beforeRelease = () -> { };
    private volatile int windowTicket;
    private int lastTicket;
    private final AtomicInteger guestsOutstanding = new AtomicInteger();
    /** The holder, when it was admitted by the open window; only its holder touches it. */
    private GateWaiter guest;

    private final ExclusiveReads exclusiveReads = new ExclusiveReads(mutex);
    private final Holder holder = new Holder();
    private ExecutorService longWorkThread;
    private boolean closed;

    /** @param busyThresholdMillis read at the start of each long work: busy-reply-threshold */
    public ExecutionGate(LongSupplier busyThresholdMillis) {
        this.busyThresholdMillis = busyThresholdMillis;
    }

    // ---------------------------------------------------------------- short work

    /**
     * Takes the engine for short work, or queues {@code waiter} and returns false when long work
     * holds it and the caller may not run now (it is then admitted later; see {@link GateWaiter}).
     * When this returns true the caller holds the engine and must {@link #exit()}; it runs in the
     * state {@link #state()} says: FREE, or BUSY/LOADING inside a window.
     */
    public boolean enter(GateWaiter waiter) {
        if (state == State.FREE && mutex.tryLock()) {
            if (admits(waiter)) {
                if (waiter.queued) {
                    dequeue(waiter);
                }
                return true;
            }
            mutex.unlock();
        }
        return enterSlowly(waiter);
    }

    private boolean enterSlowly(GateWaiter waiter) {
        while (true) {
            State observed = state;
            boolean mayRun = observed == State.FREE
                    || (!waiter.needsFree && (observed == State.BUSY || observed == State.LOADING));
            if (!mayRun) {
                if (enqueue(waiter, observed)) {
                    return false;
                }
                continue;
            }
            // Wait only while the holder is short work: free, or a guest of an open window.
            boolean held = observed == State.FREE || windowOpen ? lockForAQuantum() : mutex.tryLock();
            if (held) {
                if (admits(waiter)) {
                    if (waiter.queued) {
                        dequeue(waiter);
                    }
                    return true;
                }
                mutex.unlock();
            } else if (observed != State.FREE && !windowOpen && enqueue(waiter, observed)) {
                return false;
            }
        }
    }

    /** With the mutex held: whether the caller may run in the current state. */
    private boolean admits(GateWaiter waiter) {
        State current = state;
        if (current == State.FREE) {
            return true;
        }
        if (current == State.HELD || waiter.needsFree) {
            return false;
        }
        int ticket = waiter.ticket;
        if (ticket != 0 && ticket == windowTicket) {
            guest = waiter;
            waiter.ticket = 0;
        }
        return true;
    }

    /** The waiter got in by itself while queued: it needs no admission later. */
    private void dequeue(GateWaiter waiter) {
        synchronized (queueLock) {
            if (waiter.queued) {
                waiter.queued = false;
                if (!windowWaiters.remove(waiter)) {
                    freeWaiters.remove(waiter);
                }
                windowWaitersPresent = !windowWaiters.isEmpty();
            }
        }
    }

    /**
     * The caller was admitted but has nothing left to do (its work ran meanwhile): the long work
     * need not wait for its turn, and it leaves the queue. Called on the caller's thread.
     */
    public void withdraw(GateWaiter waiter) {
        if (waiter.queued) {
            dequeue(waiter);
        }
        if (waiter.ticket != 0) {
            synchronized (queueLock) {
                if (windowOpen && waiter.ticket == windowTicket
                        && guestsOutstanding.decrementAndGet() == 0) {
                    LockSupport.unpark(worker);
                }
                waiter.ticket = 0;
            }
        }
    }

    /** Queues the waiter unless the state moved on since it was observed; false means try again. */
    private boolean enqueue(GateWaiter waiter, State observed) {
        synchronized (queueLock) {
            State current = state;
            if (current != observed || current == State.FREE) {
                return false;
            }
            boolean windowCanAdmit = !waiter.needsFree && current != State.HELD;
            if (windowCanAdmit && windowOpen) {
                return false;
            }
            if (!waiter.queued) {
                waiter.queued = true;
                if (windowCanAdmit) {
                    windowWaiters.add(waiter);
                    windowWaitersPresent = true;
                } else {
                    freeWaiters.add(waiter);
                }
            } else if (windowCanAdmit && freeWaiters.remove(waiter)) {
                windowWaiters.add(waiter);
                windowWaitersPresent = true;
            }
            return true;
        }
    }

    /**
     * Takes the engine for short work that is skipped when long work holds it (the cron: Redis
     * runs no cron job either while a script or a load runs).
     *
     * @return whether the caller holds the engine and must {@link #exit()}
     */
    public boolean tryEnterFree() {
        while (state == State.FREE) {
            if (lockForAQuantum()) {
                if (state == State.FREE) {
                    return true;
                }
                mutex.unlock();
                return false;
            }
        }
        return false;
    }

    private boolean lockForAQuantum() {
        try {
            return mutex.tryLock(WAIT_QUANTUM_NANOS, TimeUnit.NANOSECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return mutex.tryLock();
        }
    }

    /**
     * Work every holder does last, with the engine still held, before letting it go: what must be
     * done before the replies of the turn may leave (the append-only log writes its batch here).
     * It must be quick and must not throw.
     */
    public void beforeRelease(Runnable hook) {
        this.beforeRelease = hook;
    }

    /** Gives the engine back after {@link #enter} or {@link #tryEnterFree}. */
    public void exit() {
        beforeRelease.run();
        GateWaiter admitted = guest;
        if (admitted != null) {
            guest = null;
            if (guestsOutstanding.decrementAndGet() == 0) {
                LockSupport.unpark(worker);
            }
        }
        mutex.unlock();
    }

    /** Whether another thread waits for the engine: a batch holding it should let it go soon. */
    public boolean hasContenders() {
        return mutex.hasQueuedThreads();
    }

    /**
     * Runs {@code task} with the engine held, in any state, waiting at most {@code timeoutMillis}:
     * for readers that are not commands (the exporter's INFO read). While long work holds the
     * engine, the work runs the task at its next yield point.
     *
     * @return whether the task ran
     */
    public boolean runExclusive(Runnable task, long timeoutMillis) {
        return exclusiveReads.run(task, timeoutMillis);
    }

    // ---------------------------------------------------------------- state, for the dispatcher

    /** The state; read with the engine held, it stays as it is until the caller exits. */
    public State state() {
        return state;
    }

    /**
     * The state as the thread asking sees it: the long work's own thread runs its commands as if
     * the gate were free.
     */
    public State stateFor(Thread thread) {
        State current = state;
        return current == State.FREE || thread == worker ? State.FREE : current;
    }

    /** What runs long, for the -BUSY reply. */
    public LongKind longKind() {
        return longKind;
    }

    /**
     * Asks the long work to stop at its next yield point (SCRIPT KILL, FUNCTION KILL, SHUTDOWN
     * NOSAVE, the server closing).
     */
    public void requestStop() {
        stopRequested = true;
    }

    /** The mutex itself: for tests and tools that look at the engine from a thread of their own, never for threads that serve connections. */
    public ReentrantLock mutex() {
        return mutex;
    }

    // ---------------------------------------------------------------- long work

    /**
     * Hands the engine to the gate's own thread to run {@code work}; returns at once. Called from a
     * command (with the engine held: the work starts once the caller exits) or from any thread.
     */
    public void runLong(LongKind kind, LongWork work) {
        longWorkThread().execute(() -> {
            mutex.lock();
            begin(State.HELD, kind);
            try {
                work.run(holder);
            } finally {
                end();
            }
        });
    }

    /**
     * Before the server listens: a load may follow, so the gate says LOADING from now on, and a
     * connection that comes before the load begins gets -LOADING as it would during the load,
     * instead of running on the empty keyspace the load then fills (a write there would be lost:
     * the log opens at the end of the load). Ended by the load's end, or by {@link #loadNotNeeded}.
     */
    public void expectLoad() {
        synchronized (queueLock) {
            if (state == State.FREE) {
                longKind = LongKind.OTHER;
                state = State.LOADING;
            }
        }
    }

    /** Nothing to load after all: frees the gate {@link #expectLoad} marked, admitting who waited. */
    public void loadNotNeeded() {
        mutex.lock();
        if (state == State.LOADING && worker == null) {
            end();
        } else {
            mutex.unlock();
        }
    }

    /**
     * Loads the dataset on the gate's own thread, slice by slice, in the LOADING state; returns at
     * once. Between slices the connections waiting run what is allowed while loading.
     */
    public void load(Loading loading) {
        longWorkThread().execute(() -> {
            mutex.lock();
            begin(State.LOADING, LongKind.OTHER);
            try {
                boolean more = true;
                while (more && !stopRequested) {
                    more = loading.loadSlice();
                    // Not after the last slice: it has already said the load is over (INFO's
                    // loading:0), and a window then would still answer -LOADING to the clients
                    // that read that and went on.
                    if (more) {
                        holder.yieldPoint();
                    }
                }
            } finally {
                end();
            }
        });
    }

    /**
     * Short work that turned out long (a script past its first time slice, running on a thread of
     * its own while the caller waited) becomes long work without stopping: the caller, holding the
     * engine, marks it HELD for {@code worker}, as if that work had started at {@code startedNanos},
     * then exits as usual; the worker then calls {@link #takeOver} and, when done,
     * {@link #finishLong}. Between the exit and the take-over nobody else runs: the state already
     * says HELD, so callers queue.
     */
    public void handOver(LongKind kind, Thread worker, long startedNanos) {
        if (!mutex.isHeldByCurrentThread() || state != State.FREE) {
            throw new IllegalStateException("only short work holding the engine hands it over");
        }
        begin(State.HELD, kind, worker, startedNanos);
    }

    /** On the worker named by {@link #handOver}: takes the engine and returns the work's holder. */
    public Holder takeOver() {
        if (Thread.currentThread() != worker) {
            throw new IllegalStateException("the engine was handed to another thread");
        }
        mutex.lock();
        return holder;
    }

    /** On the worker, holding the engine after {@link #takeOver}: the long work is over. */
    public void finishLong() {
        end();
    }

    private synchronized ExecutorService longWorkThread() {
        if (closed) {
            throw new IllegalStateException("the gate is closed");
        }
        if (longWorkThread == null) {
            longWorkThread = Executors.newSingleThreadExecutor(runnable -> {
                Thread thread = new Thread(runnable, "nuthatch-long-work");
                thread.setDaemon(true);
                return thread;
            });
        }
        return longWorkThread;
    }

    private void begin(State held, LongKind kind) {
        begin(held, kind, Thread.currentThread(), System.nanoTime());
    }

    private void begin(State held, LongKind kind, Thread workerThread, long startedNanos) {
        worker = workerThread;
        stopRequested = false;
        longKind = kind;
        longStartedNanos = startedNanos;
        busyThresholdNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(0, busyThresholdMillis.getAsLong()));
        state = held;
    }

    /** Frees the gate and admits everyone queued, in the order they came. */
    private void end() {
        exclusiveReads.runWaiting();
        beforeRelease.run();
        List<GateWaiter> admitted = new ArrayList<>();
        synchronized (queueLock) {
            state = State.FREE;
            drainInto(windowWaiters, admitted, 0);
            drainInto(freeWaiters, admitted, 0);
            windowWaitersPresent = false;
        }
        worker = null;
        mutex.unlock();
        admitAll(admitted);
    }

    private static void drainInto(ArrayDeque<GateWaiter> queue, List<GateWaiter> admitted, int ticket) {
        for (GateWaiter waiter; (waiter = queue.poll()) != null; ) {
            waiter.queued = false;
            waiter.ticket = ticket;
            admitted.add(waiter);
        }
    }

    private static void admitAll(List<GateWaiter> admitted) {
        for (GateWaiter waiter : admitted) {
            waiter.admit();
        }
    }

    /** What long work holds while it runs: its yield points and its stop flag. */
    public final class Holder {
        private Holder() {
        }

        /**
         * A point where the work can let others in: runs the exclusive tasks waiting, turns HELD
         * into BUSY once the threshold has passed, and in BUSY or LOADING lends the engine to the
         * connections waiting, then takes it back. Cheap when there is nothing to do. Only the long
         * work's thread calls it, with the engine held.
         */
        public void yieldPoint() {
            exclusiveReads.runWaiting();
            if (state == State.HELD) {
                if (System.nanoTime() - longStartedNanos < busyThresholdNanos) {
                    return;
                }
                synchronized (queueLock) {
                    state = State.BUSY;
                    // Everyone queued while HELD that can run in a window gets the first one.
                    for (Iterator<GateWaiter> queued = freeWaiters.iterator(); queued.hasNext(); ) {
                        GateWaiter waiter = queued.next();
                        if (!waiter.needsFree) {
                            queued.remove();
                            windowWaiters.add(waiter);
                        }
                    }
                    windowWaitersPresent = !windowWaiters.isEmpty();
                }
            }
            if (windowWaitersPresent) {
                openWindow();
            }
        }

        /** Whether someone asked the work to stop (SCRIPT KILL, SHUTDOWN NOSAVE...). */
        public boolean stopRequested() {
            return stopRequested;
        }

        /** Milliseconds the work has held the engine. */
        public long elapsedMillis() {
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - longStartedNanos);
        }
    }

    /**
     * Lends the engine to the waiters admitted now, until each has taken its turn or
     * {@link #WINDOW_LIMIT_NANOS} passed, then takes it back.
     */
    private void openWindow() {
        List<GateWaiter> admitted = new ArrayList<>();
        synchronized (queueLock) {
            int ticket = ++lastTicket == 0 ? ++lastTicket : lastTicket;
            drainInto(windowWaiters, admitted, ticket);
            windowWaitersPresent = false;
            guestsOutstanding.set(admitted.size());
            windowTicket = ticket;
            windowOpen = true;
        }
        mutex.unlock();
        try {
            admitAll(admitted);
            long deadline = System.nanoTime() + WINDOW_LIMIT_NANOS;
            while (guestsOutstanding.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                LockSupport.parkNanos(this, left);
            }
        } finally {
            synchronized (queueLock) {
                windowOpen = false;
                windowTicket = 0;
            }
            mutex.lock();
        }
    }

    /** Asks the long work to stop and waits a moment for it; the gate runs nothing after this. */
    @Override
    public void close() {
        ExecutorService thread;
        synchronized (this) {
            closed = true;
            thread = longWorkThread;
        }
        requestStop();
        if (thread != null) {
            thread.shutdown();
            try {
                thread.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
