package io.nuthatch.server.client;

import io.nuthatch.resp.RequestArguments;
import io.nuthatch.server.command.CommandContext;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;

/**
 * A client parked by a blocking command (WAIT, and through {@link io.nuthatch.server.blocking} the
 * commands that wait for keys: BLPOP, BZPOPMIN, XREAD BLOCK ...) until its reply is ready or its
 * timeout passes, without any thread waiting for it.
 *
 * <p>How a command blocks: its handler calls {@link CommandContext#block} and returns without
 * replying. From then on:
 * <ul>
 * <li>the connection decodes none of the client's further requests: they stay in its buffer, as
 *     Redis keeps them in the query buffer, and run once the client is woken;</li>
 * <li>the dispatcher leaves CLIENT REPLY OFF/SKIP to the deferred reply, which they apply to;</li>
 * <li>the wait ends exactly once, in one of four ways, always under the engine lock:
 *     {@link #complete} (called by whoever made the reply possible, on any thread holding the lock:
 *     a replica's acknowledgement, the LPUSH that fills a list), the timeout, CLIENT UNBLOCK
 *     ({@link #unblock}: the timeout's reply, or an -UNBLOCKED error), or the client going away
 *     (CLIENT KILL, a closed socket), which writes nothing;</li>
 * <li>the reply is written on the client's own thread, under the engine lock, through
 *     {@link ClientSession.Transport#runLater}; the connection then sends it and goes on with the
 *     requests that arrived meanwhile. While long work (a script, a load) holds the engine, the
 *     reply waits until the engine's gate is free again, as Redis answers no timed-out client
 *     before a running script ends.</li>
 * </ul>
 *
 * <p>A command that must act at the moment the wait ends (BLPOP pops the element in the same atomic
 * step as the LPUSH that woke it) does that work before calling {@link #complete} and hands over
 * only the writing of the reply. {@link #onEnd} hooks run however the wait ends, to undo any
 * registration (a key's list of waiting clients). The request's arguments are not valid after the
 * handler returns: a handler copies what its reply will need.
 */
public final class BlockedClient {

    /** Writes the reply of a parked client, on its thread, under the engine lock. */
    @FunctionalInterface
    public interface Reply {
        void write(CommandContext c);
    }

    /** What CLIENT UNBLOCK ... ERROR makes the client read. */
    private static final Reply UNBLOCKED = c -> c.reply().error("UNBLOCKED client unblocked via CLIENT UNBLOCK");

    private final CommandContext context;
    private final Reply onTimeout;
    private final boolean timed;
    /** The request CLIENT PAUSE holds, run again once released; null for a blocking command. */
    private final RequestArguments heldRequest;
    private final List<Runnable> endHooks = new ArrayList<>(1);
    private Future<?> timer;
    private boolean ended;

    private BlockedClient(CommandContext context, Reply onTimeout, boolean timed, RequestArguments heldRequest) {
        this.context = context;
        this.onTimeout = onTimeout;
        this.timed = timed;
        this.heldRequest = heldRequest;
    }

    /** Parks the context's client; see {@link CommandContext#block}. */
    public static BlockedClient park(CommandContext context, long timeoutMillis, Reply onTimeout) {
        BlockedClient blocked = new BlockedClient(context, onTimeout, timeoutMillis > 0, null);
        context.client().blocked(blocked);
        context.engine().clients().parked(blocked.timed);
        if (timeoutMillis > 0) {
            blocked.timer = context.client().transport().runLater(timeoutMillis, blocked::timedOut);
        }
        return blocked;
    }

    /**
     * Parks a client whose request CLIENT PAUSE holds (Redis's BLOCKED_POSTPONE): the request has
     * not run, it runs from the start once {@link #release}d. Counted as blocked, with no timeout of
     * its own, as Redis counts it; the pause's end, not the client, decides when it goes on.
     */
    static BlockedClient hold(CommandContext context, RequestArguments request) {
        BlockedClient blocked = new BlockedClient(context, null, false, request);
        context.client().blocked(blocked);
        context.engine().clients().parked(false);
        return blocked;
    }

    /** Whether this is a request CLIENT PAUSE holds rather than a blocking command's wait. */
    public boolean isHeldByPause() {
        return heldRequest != null;
    }

    /** Runs {@code task} on the client's thread after {@code delayMillis}, until the wait ends. */
    void timer(long delayMillis, Runnable task) {
        timer = context.client().transport().runLater(delayMillis, task);
    }

    /**
     * The pause ended: the held request runs again on the client's own thread, in a turn of its
     * own, and the requests the client sent after it follow. Under the engine lock.
     */
    void release() {
        if (end()) {
            context.client().transport().runLater(0, this::runHeld);
        }
    }

    private void runHeld() {
        ClientSession client = context.client();
        if (client.blocked() != this) {
            return;
        }
        client.blocked(null);
        context.engine().clients().unparked(false);
        context.engine().dispatcher().execute(context, heldRequest);
    }

    /** The client that waits. */
    public ClientSession client() {
        return context.client();
    }

    /** Whether the wait ends by itself after a time (INFO's clients_in_timeout_table counts these). */
    public boolean hasTimeout() {
        return timed;
    }

    /** Whether the wait is over (completed, timed out or abandoned). Read under the engine lock. */
    public boolean isEnded() {
        return ended;
    }

    /** Runs {@code hook} when the wait ends, however it ends; under the engine lock. */
    public void onEnd(Runnable hook) {
        endHooks.add(hook);
    }

    /**
     * Ends the wait with the reply {@code reply} writes. The caller holds the engine lock; the reply
     * is written on the client's own thread soon after. Does nothing when the wait is already over.
     *
     * @return whether this call ended the wait
     */
    public boolean complete(Reply reply) {
        if (!end()) {
            return false;
        }
        context.client().transport().runLater(0, () -> resume(reply));
        return true;
    }


    /**
     * CLIENT UNBLOCK: ends the wait as its timeout would, or with the error "-UNBLOCKED client
     * unblocked via CLIENT UNBLOCK". Under the engine lock, from the thread of the client that
     * asked.
     *
     * @return whether this call ended the wait (false when it was already over)
     */
    public boolean unblock(boolean withError) {
        if (heldRequest != null) {
            // Redis 7.0.15 crashes here; 7.2 leaves a client the pause holds where it is.
            return false;
        }
        return complete(withError ? UNBLOCKED : onTimeout);
    }

    /** The timeout passed; runs on the client's thread under the engine lock. */
    void timedOut() {
        if (end()) {
            resume(onTimeout);
        }
    }

    /** The client went away; under the engine lock. Nothing is written. */
    void abandon() {
        end();
        if (context.client().blocked() == this) {
            context.client().blocked(null);
            context.engine().clients().unparked(timed);
        }
    }

    private boolean end() {
        if (ended) {
            return false;
        }
        ended = true;
        if (timer != null) {
            timer.cancel(false);
        }
        for (Runnable hook : endHooks) {
            hook.run();
        }
        return true;
    }

    private void resume(Reply reply) {
        ClientSession client = context.client();
        if (client.blocked() != this) {
            return;
        }
        client.blocked(null);
        context.engine().clients().unparked(timed);
        context.engine().dispatcher().finishBlocked(context, reply);
    }
}
