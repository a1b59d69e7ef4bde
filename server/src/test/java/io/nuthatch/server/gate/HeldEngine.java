package io.nuthatch.server.gate;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Long work for tests: holds the engine, as a script that loops would, until the test releases it,
 * passing a yield point every millisecond. Also usable as a load that runs one-millisecond slices
 * until released.
 */
final class HeldEngine implements ExecutionGate.LongWork, ExecutionGate.Loading {
    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch ended = new CountDownLatch(1);
    private final ExecutionGate gate;
    private volatile boolean released;
    private volatile boolean stopped;

    private HeldEngine(ExecutionGate gate) {
        this.gate = gate;
    }

    /** Holds the engine as long work of the given kind. */
    static HeldEngine holdLong(ExecutionGate gate, ExecutionGate.LongKind kind) throws InterruptedException {
        HeldEngine work = new HeldEngine(gate);
        gate.runLong(kind, work);
        work.awaitStarted();
        return work;
    }

    /** Holds the engine in the LOADING state. */
    static HeldEngine holdLoading(ExecutionGate gate) throws InterruptedException {
        HeldEngine work = new HeldEngine(gate);
        gate.load(work);
        work.awaitStarted();
        return work;
    }

    @Override
    public void run(ExecutionGate.Holder holder) {
        started.countDown();
        try {
            while (!released) {
                if (holder.stopRequested()) {
                    stopped = true;
                    return;
                }
                LockSupport.parkNanos(1_000_000);
                holder.yieldPoint();
            }
        } finally {
            ended.countDown();
        }
    }

    @Override
    public boolean loadSlice() {
        started.countDown();
        LockSupport.parkNanos(1_000_000);
        if (released) {
            ended.countDown();
            return false;
        }
        return true;
    }

    private void awaitStarted() throws InterruptedException {
        if (!started.await(10, TimeUnit.SECONDS)) {
            throw new AssertionError("the long work never started");
        }
    }

    /** Lets the work end; returns once it has and the gate is free. */
    void release() throws InterruptedException {
        released = true;
        if (!ended.await(10, TimeUnit.SECONDS)) {
            throw new AssertionError("the long work did not end");
        }
        awaitState(gate, ExecutionGate.State.FREE);
    }

    /** Whether the work ended because someone asked it to stop. */
    boolean stoppedOnRequest() {
        return stopped;
    }

    boolean hasEnded() {
        return ended.getCount() == 0;
    }

    /** Waits until the gate is in the given state. */
    static void awaitState(ExecutionGate gate, ExecutionGate.State state) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (gate.state() != state) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the gate never reached " + state + ", it is " + gate.state());
            }
            Thread.sleep(2);
        }
    }
}
