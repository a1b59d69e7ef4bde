package io.nuthatch.server.client;

import io.nuthatch.resp.RequestArguments;
import io.nuthatch.server.command.CommandContext;

import java.util.ArrayDeque;

/**
 * CLIENT PAUSE: for a while, the commands of every client (ALL), or those that may change the
 * dataset or propagate something (WRITE), are held before they run, and the dataset stands still:
 * no active expiry, no eviction, and an expired key a command reads answers as gone but stays,
 * as Redis 7.0 keeps it so that a failover sees the dataset the pause froze.
 *
 * <p><b>Holding.</b> The dispatcher asks {@link #holds} before a command would run or be queued
 * for EXEC, where Redis's processCommand asks. A held client is parked as a blocking command
 * parks it ({@link BlockedClient#hold}): its request is kept, no thread waits for it, what it
 * sends next stays unread in its buffer, and it counts as blocked (flag b, blocked_clients). At
 * CLIENT UNPAUSE, or once the end time passed, every held client is released in the order it was
 * held, each on its own thread, and its request runs from the start, so that it is held again if
 * a new pause began meanwhile.
 *
 * <p><b>Ending by itself.</b> Nothing polls: each held client has a timer for the end time on its
 * own thread, and the first to fire releases them all (after an extension it re-arms itself).
 * With no client held, the pause needs no timer: {@link #isPaused} reads the clock and the pause
 * ends the first time it is asked after its end, as Redis ends it lazily.
 *
 * <p>A later PAUSE never shortens the pause nor narrows it: the end time only moves later and
 * WRITE becomes ALL, not the other way. Under ALL, CLIENT UNPAUSE and the pausing client's own
 * commands are held too (redis-server 7.0.15 does so: ALL means every command of every client but
 * a replica or a MONITOR). Read and changed with the engine held; the mode is one field read on
 * the path of every command.
 */
public final class ClientPause {
    /** The pause, from none to widest: a later PAUSE may only move up. */
    public enum Mode { NONE, WRITE, ALL }

    private Mode mode = Mode.NONE;
    private long endMillis;
    private final ArrayDeque<BlockedClient> held = new ArrayDeque<>();

    /** Whether commands are paused now; ends the pause when its end time has passed. */
    public boolean isPaused() {
        if (mode == Mode.NONE) {
            return false;
        }
        if (System.currentTimeMillis() > endMillis) {
            unpause();
            return false;
        }
        return true;
    }

    /** The mode now (NONE once the end time has passed). */
    public Mode mode() {
        return isPaused() ? mode : Mode.NONE;
    }

    /**
     * CLIENT PAUSE: pauses until {@code endMillis} (an absolute time) in {@code newMode}, or widens
     * and extends the pause in force.
     */
    public void pause(long endMillis, Mode newMode) {
        if (!isPaused()) {
            this.endMillis = endMillis;
            this.mode = newMode;
            return;
        }
        if (newMode.ordinal() > mode.ordinal()) {
            mode = newMode;
        }
        if (endMillis > this.endMillis) {
            this.endMillis = endMillis;
        }
    }

    /** CLIENT UNPAUSE, or the end time passed: the held clients go on, in the order they were held. */
    public void unpause() {
        mode = Mode.NONE;
        for (BlockedClient client; (client = held.poll()) != null; ) {
            client.release();
        }
    }

    /**
     * Whether a pause was set and not yet found ended: one field read, for the path of every
     * command; {@link #mode} then says whether it is still in force.
     */
    public boolean isSet() {
        return mode != Mode.NONE;
    }

    /** Parks the context's client with a copy of its request, until the pause ends. */
    public void hold(CommandContext context, RequestArguments request) {
        BlockedClient blocked = BlockedClient.hold(context, request.detach());
        held.add(blocked);
        armTimer(blocked);
    }

    private void armTimer(BlockedClient blocked) {
        long delay = Math.max(0, endMillis - System.currentTimeMillis()) + 1;
        blocked.timer(delay, () -> endOrRearm(blocked));
    }

    /** A held client's timer fired, on its thread with the engine held. */
    private void endOrRearm(BlockedClient blocked) {
        if (blocked.isEnded()) {
            return;
        }
        if (isPaused()) {
            // The pause was extended after this client's timer was set.
            armTimer(blocked);
        }
        // Otherwise isPaused() ended the pause and released every held client, this one included.
    }

    /** Number of clients held now (those that went away included until the pause ends). */
    public int heldCount() {
        return held.size();
    }
}
