package io.nuthatch.server.propagation;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The one place every change to the dataset passes through, in its deterministic form, in the
 * order it was made: what the append-only log writes and what a replica would receive.
 *
 * <p>Commands are propagated as Redis propagates them: a write command as it was sent unless it
 * rewrote itself (relative expiry becomes absolute: SET EX becomes SET PXAT, EXPIRE becomes
 * PEXPIREAT; INCRBYFLOAT becomes SET), and a key deleted by expiry or eviction as a DEL. Replaying
 * the stream on an empty server rebuilds the same dataset.
 *
 * <p>Records are delivered synchronously, on the thread that runs the command and under the engine
 * lock, so their order is the order of execution. With no listener, nothing is built at all.
 */
public final class WritePropagation {

    /** Receives the propagated writes. */
    public interface Listener {
        /**
         * @param database the database the command applies to
         * @param arguments the command and its arguments, valid during the call only: they may be
         *     the stored value itself, so a listener that keeps them copies them
         */
        void onWrite(int database, byte[][] arguments);
    }

    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean active;

    public void addListener(Listener listener) {
        listeners.add(listener);
        active = true;
    }

    public void removeListener(Listener listener) {
        listeners.remove(listener);
        active = !listeners.isEmpty();
    }

    /** Whether anyone listens; commands skip building propagated forms when nobody does. */
    public boolean isActive() {
        return active;
    }

    public void propagate(int database, byte[][] arguments) {
        for (Listener listener : listeners) {
            listener.onWrite(database, arguments);
        }
    }
}
