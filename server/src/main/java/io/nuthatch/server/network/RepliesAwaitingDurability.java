package io.nuthatch.server.network;

import io.nuthatch.server.propagation.WritePropagation;

/**
 * One connection's replies held until the log is durable past the writes they may show (the
 * seam of appendfsync always; see {@link WritePropagation}).
 *
 * <p>The offset they wait for is that of the newest unit delivered when the connection's last
 * command ran, whoever wrote it: a reply to a read may show another client's write, and must not
 * reach its client before that write could survive a crash. That holds when reads await writes
 * ({@link WritePropagation#readsAwaitWrites}, appendfsync always); otherwise (everysec, no, where a
 * read may show an unsynced write anyway) only a command that delivered units itself moves the
 * offset, so that reads keep being answered while the log cannot be written. With the wait off
 * (the default) a batch costs one volatile read and one comparison.
 */
final class RepliesAwaitingDurability {
    private final WritePropagation propagation;
    private final WritePropagation.DurabilityWaiter waiter;
    private long requiredOffset;
    private long offsetBefore;
    private boolean holding;

    /** @param whenDurable told, from any thread, once held replies may leave */
    RepliesAwaitingDurability(WritePropagation propagation, WritePropagation.DurabilityWaiter whenDurable) {
        this.propagation = propagation;
        this.waiter = whenDurable;
    }

    /** A command is about to run. */
    void commandStarting() {
        offsetBefore = propagation.lastOffset();
    }

    /**
     * A command ran (or a parked client's reply was written): replies now wait for the newest unit,
     * or only for those it delivered when reads need not await writes.
     */
    void commandRan() {
        long newest = propagation.lastOffset();
        if (newest != offsetBefore || propagation.readsAwaitWrites()) {
            requiredOffset = newest;
        }
        offsetBefore = newest;
    }

    /** Whether replies are held: the connection sends nothing and runs no more requests meanwhile. */
    boolean isHolding() {
        return holding;
    }

    /**
     * Whether the replies written so far may leave now; if not, they are held and the waiter is
     * told once they may.
     */
    boolean mayLeave() {
        if (holding) {
            return false;
        }
        if (!propagation.awaitsDurability() || requiredOffset <= propagation.durableOffset()) {
            return true;
        }
        holding = true;
        if (propagation.whenDurable(requiredOffset, waiter)) {
            holding = false;
            return true;
        }
        return false;
    }

    /**
     * The waiter was told: the held replies may leave.
     *
     * @return whether replies were held
     */
    boolean release() {
        boolean held = holding;
        holding = false;
        return held;
    }
}
