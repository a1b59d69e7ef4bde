package io.nuthatch.server.network;

import io.netty.util.internal.PlatformDependent;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The replies every connection has queued and the kernel has not yet taken, summed over the whole
 * server, and the budget that sum must stay under.
 *
 * <p>Why a sum: each connection is bounded by Netty's high-water mark (about 1 MB before it stops
 * being read), but 1,200 clients that never read hold 1.2 GB together, past the JVM's direct memory;
 * the only event loop then sleeps in the JDK's reservation of direct memory and every client freezes
 * (the hostile-client probe of issue 11). redis-server has no such wall and lets the sum grow; here
 * the connection whose backlog takes the sum past the budget is closed as one over its output buffer
 * limit, so no allocation for output ever waits for memory the others hold.
 *
 * <p>Each connection reports its own backlog whenever it looks at it (after a write, when a backlog
 * drains); the sum is kept from the differences, so reading it costs nothing per connection.
 */
final class OutputBacklog {
    /** The system property that sets the budget in bytes (tests use a small one). */
    static final String BUDGET_PROPERTY = "nuthatch.client-output-budget";
    /** Backlogs smaller than this are never blamed for the sum: a healthy client's last write. */
    static final long SMALLEST_BLAMED_BACKLOG = 64 * 1024;

    private final AtomicLong total = new AtomicLong();
    private final long budget;

    OutputBacklog(long budget) {
        this.budget = budget;
    }

    /**
     * Half the direct memory the JVM allows (the rest for reads, batch buffers and the allocator's
     * own slack), unless {@link #BUDGET_PROPERTY} says otherwise.
     */
    static OutputBacklog fromSystem() {
        long configured = Long.getLong(BUDGET_PROPERTY, 0);
        return new OutputBacklog(configured > 0 ? configured : Math.max(64L << 20, PlatformDependent.maxDirectMemory() / 2));
    }

    long budget() {
        return budget;
    }

    long total() {
        return total.get();
    }

    /** One connection's share of the sum, updated from whichever thread sees its backlog. */
    static final class Share {
        private final OutputBacklog backlog;
        private final AtomicLong reported = new AtomicLong();

        Share(OutputBacklog backlog) {
            this.backlog = backlog;
        }

        /**
         * Reports the connection's backlog now. Two threads may report at once: each adds the
         * difference from the value it replaced, so the sum ends with the last value reported.
         */
        void report(long bytes) {
            long previous = reported.getAndSet(bytes);
            if (previous != bytes) {
                backlog.total.addAndGet(bytes - previous);
            }
        }

        /** Whether this connection, with its backlog, is one to close for the sum's sake. */
        boolean overBudget(long bytes) {
            return bytes >= SMALLEST_BLAMED_BACKLOG && backlog.total.get() > backlog.budget;
        }
    }
}
