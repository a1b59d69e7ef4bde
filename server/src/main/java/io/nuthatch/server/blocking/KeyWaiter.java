package io.nuthatch.server.blocking;

import io.nuthatch.server.client.BlockedClient;
import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.type.ValueType;

/**
 * What a command blocked on keys leaves behind: how to serve it when one of its keys becomes ready,
 * and what it replies when its wait ends without data. One object per blocked client, built by the
 * command's handler before it calls {@link CommandContext#blockOnKeys}; it holds copies of what it
 * needs from the request (the key of the destination, the count, the ID), since the request's
 * arguments are gone once the handler returns.
 *
 * <p>Serving runs with the engine held, on whichever thread ended the execution unit that made the
 * key ready, inside an execution unit of its own. The waiter does its whole command at that moment
 * (pops, moves, reads), propagates what it changed through {@link ServedKey#propagate} in the form
 * Redis writes to its AOF (a served BLPOP as LPOP, BLMOVE as LMOVE), and returns the reply to
 * write; the reply is written later, on the blocked client's own thread. It must not write to any
 * reply writer itself, and must copy into the returned reply whatever it shows (the popped
 * elements): the value may change before the reply is written.
 */
public interface KeyWaiter {

    /**
     * The type of value that can serve this client: {@link ValueType#LIST} for BLPOP and BLMOVE,
     * {@link ValueType#ZSET} for BZPOPMIN, {@link ValueType#STREAM} for XREAD. A key that becomes
     * ready holding another type does not reach this waiter, as in Redis 7.0: a BLPOP whose key
     * becomes a sorted set waits on.
     */
    ValueType awaitedType();

    /**
     * Whether this waiter must also hear of its key going away: deleted, expired, flushed, renamed
     * or moved off, or overwritten by a value of another type. XREADGROUP's waiters do (they reply
     * "-UNBLOCKED the stream key no longer exists"); the others wait on.
     */
    default boolean wakesOnDeletion() {
        return false;
    }

    /**
     * Tries to serve the client from a key that became ready.
     *
     * @param key the key, in the client's database, with its live entry (which may be absent, or
     *     of another type only for a waiter that {@link #wakesOnDeletion()})
     * @return the reply that ends the wait (the data, or an error such as WRONGTYPE when BLMOVE's
     *     destination holds another type), or null to keep waiting (nothing changed)
     */
    BlockedClient.Reply serve(ServedKey key);

    /**
     * Writes the reply of a wait that ended without data: its timeout passed, or CLIENT UNBLOCK
     * ... TIMEOUT (a null array for BLPOP, a null for BLMOVE).
     */
    void writeTimeout(CommandContext c);
}
