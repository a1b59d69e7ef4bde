package io.nuthatch.server.tracking;

import io.netty.buffer.Unpooled;
import io.nuthatch.resp.ReplyWriter;
import io.nuthatch.resp.RequestArguments;
import io.nuthatch.server.Engine;
import io.nuthatch.server.client.ClientSession;
import io.nuthatch.server.client.TrackingMode;
import io.nuthatch.server.command.CommandFlag;
import io.nuthatch.server.command.CommandKeys;
import io.nuthatch.server.command.CommandSpec;
import io.nuthatch.server.transaction.Transaction;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * Client-side caching, server-wide: which clients track, what they read, and the invalidation
 * messages a change sends them (Redis's tracking.c, 7.0 behaviour).
 *
 * <p><b>Default mode.</b> After a read-only command of a tracking client, each of its keys is
 * remembered with the client's id ({@link TrackedKeys}); the first change to such a key (a command,
 * expiry, eviction) sends each of those clients an invalidation and forgets the key, so a key read
 * once is invalidated once. A change made by the client whose command runs is held back and sent
 * after that command's reply ({@link #afterCommand}), as Redis 7.0 orders them; NOLOOP drops it.
 *
 * <p><b>BCAST mode.</b> Nothing is remembered; every change is checked against the registered
 * prefixes ({@link BroadcastPrefixes}) and sent at the end of the command, EXEC or cron turn.
 *
 * <p><b>Flush.</b> FLUSHDB and FLUSHALL send every tracking client (BCAST ones too) one
 * invalidation with a null in place of the keys and forget every remembered key, once per command
 * (the keyspace reports each flushed database; the message goes at the end of the call).
 *
 * <p><b>Where messages go.</b> To the client itself in RESP3 (a push {@code invalidate}); with
 * REDIRECT to the client named, as a push in RESP3 or, in RESP2, as a pub/sub message of channel
 * {@code __redis__:invalidate} when that client is subscribed to anything; a RESP2 client without
 * redirection gets nothing. A redirect to a client that has gone marks the tracker's redirect as
 * broken and sends it {@code tracking-redir-broken} (RESP3 only). Messages enter the receiver's
 * output through {@link io.nuthatch.server.pubsub.PubSub#deliver}, which counts them against its
 * output buffer limit.
 *
 * <p>Everything here runs with the engine held. With no tracking client the server pays one
 * null check per command ({@code client.tracking()}) and {@link #isActive} per change.
 */
public final class ClientTracking {
    private static final byte[] INVALIDATE = "invalidate".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] REDIRECT_BROKEN = "tracking-redir-broken".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MESSAGE = "message".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CHANNEL = "__redis__:invalidate".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RESP3_NULL = "_\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RESP2_NULL = "$-1\r\n".getBytes(StandardCharsets.US_ASCII);
    /** Redis's trackingLimitUsedSlots: keys let go per turn over the limit, times the turns it stayed over. */
    private static final int LIMIT_EFFORT = 100;
    private static final int SCRATCH_KEPT_CAPACITY = 64 * 1024;

    private final Engine engine;
    private final TrackedKeys keys = new TrackedKeys();
    private final BroadcastPrefixes prefixes = new BroadcastPrefixes();
    private ReplyWriter scratch = newScratch();
    private int trackingClients;
    /** Invalidations of the client whose command runs, sent after its reply; a null element is a flush. */
    private final List<byte[]> ownInvalidations = new ArrayList<>();
    /** Whose they are: the client whose command ran (a blocked client served, or the one the dispatcher ran). */
    private ClientSession ownInvalidationsClient;
    private boolean flushPending;
    /** Turns in a row that ended still over tracking-table-max-keys. */
    private int limitOverruns;

    public ClientTracking(Engine engine) {
        this.engine = engine;
    }

    // ---------------------------------------------------------------- CLIENT TRACKING ON/OFF

    /**
     * CLIENT TRACKING ON, options already checked: turns tracking on, or replaces the options of
     * tracking already on; BCAST prefixes add to those registered before (none given: the empty
     * prefix, which matches every key).
     */
    public void enable(ClientSession client, long redirect, boolean broadcast, boolean optIn, boolean optOut,
                       boolean noLoop, List<byte[]> newPrefixes) {
        TrackingMode mode = client.tracking();
        if (mode == null) {
            mode = new TrackingMode();
            client.tracking(mode);
            trackingClients++;
        }
        mode.redirect(redirect);
        mode.options(broadcast, optIn, optOut, noLoop);
        if (broadcast) {
            if (newPrefixes.isEmpty()) {
                addPrefix(client, mode, new byte[0]);
            }
            for (byte[] prefix : newPrefixes) {
                addPrefix(client, mode, prefix);
            }
        }
    }

    private void addPrefix(ClientSession client, TrackingMode mode, byte[] prefix) {
        if (prefixes.add(prefix, client)) {
            mode.prefixes().add(prefix);
        }
    }

    /**
     * CLIENT TRACKING OFF, RESET, or the client gone. The keys it read stay remembered until they
     * change, when its id is found no longer tracking and skipped, as in Redis.
     */
    public void disable(ClientSession client) {
        TrackingMode mode = client.tracking();
        if (mode == null) {
            return;
        }
        for (byte[] prefix : mode.prefixes()) {
            prefixes.remove(prefix, client);
        }
        client.tracking(null);
        trackingClients--;
    }

    // ---------------------------------------------------------------- around commands

    /**
     * After each command that ran, EXEC's inner ones included: a flush the command made is sent,
     * and the keys of a read-only command of a tracking client are remembered.
     */
    public void afterCall(ClientSession client, CommandSpec command, RequestArguments arguments) {
        if (flushPending) {
            sendFlush();
        }
        if (client.tracking() != null && command.has(CommandFlag.READONLY) && !command.has(CommandFlag.PUBSUB)
                && !runsReadOnlyScript(command)) {
            rememberKeys(client, command, arguments);
        }
    }

    /**
     * A script's read-only command ran. Redis 7.0 then tracks, for the client that ran the script,
     * the keys of that client's command (EVAL's or FCALL's declared keys), not the keys the
     * script's command read: a script that reads only keys it did not declare is not tracked.
     */
    public void scriptRead(ClientSession caller, CommandSpec scriptCommand, RequestArguments arguments) {
        rememberKeys(caller, scriptCommand, arguments);
    }

    private void rememberKeys(ClientSession client, CommandSpec command, RequestArguments arguments) {
        TrackingMode mode = client.tracking();
        if (mode != null && mode.remembersReads()) {
            for (CommandKeys.KeyReference key : CommandKeys.find(command, arguments, 0)) {
                int index = key.position();
                keys.remember(arguments.array(index), arguments.offset(index), arguments.length(index), client.id());
            }
        }
    }

    /**
     * EVAL_RO, EVALSHA_RO and FCALL_RO are flagged readonly, but Redis 7.0 tracks their keys only
     * when their script runs a read-only command ({@link #scriptRead}), as for EVAL.
     */
    private static boolean runsReadOnlyScript(CommandSpec command) {
        String name = command.name();
        return name.equals("eval_ro") || name.equals("evalsha_ro") || name.equals("fcall_ro");
    }

    /**
     * After a client's command, its reply written and the client still the current one: its own
     * invalidations, then the broadcasts and the table's limit (Redis's beforeSleep work), all after
     * the reply; CLIENT CACHING lasts one command (or one MULTI/EXEC), as in Redis.
     */
    public void afterCommand(ClientSession client) {
        if (trackingClients == 0 && ownInvalidations.isEmpty()) {
            return;
        }
        if (!ownInvalidations.isEmpty()) {
            sendOwnInvalidations();
        }
        endOfTurn();
        TrackingMode mode = client.tracking();
        if (mode != null && mode.caching() && !inTransaction(client) && !isClientCommand(client.lastCommand())) {
            mode.caching(false);
        }
    }

    /** After work that is not a client's command (the cron's expiry): broadcasts and the table's limit. */
    public void afterServerTask() {
        if (!ownInvalidations.isEmpty()) {
            sendOwnInvalidations();
        }
        if (flushPending) {
            sendFlush();
        }
        endOfTurn();
    }

    private void endOfTurn() {
        if (prefixes.hasChanges()) {
            prefixes.broadcast(this::sendKeys);
        }
        if (trackingClients > 0) {
            limitTable();
        }
        if (scratch.buffer().capacity() > SCRATCH_KEPT_CAPACITY) {
            scratch = newScratch();
        }
    }

    private static boolean inTransaction(ClientSession client) {
        Transaction transaction = client.transaction();
        return transaction != null && transaction.isOpen();
    }

    private static boolean isClientCommand(CommandSpec command) {
        CommandSpec container = command == null ? null : command.container();
        return container != null && container.name().equals("client");
    }

    // ---------------------------------------------------------------- changes

    /** Whether a change can concern anyone: a key is remembered or a prefix registered. */
    public boolean isActive() {
        return !keys.isEmpty() || !prefixes.isEmpty();
    }

    /**
     * A key changed (a command, expiry, eviction). {@code changer} is the client whose command
     * changed it, or null (expiry, eviction): BCAST's NOLOOP skips the changer's own keys, the
     * default mode's NOLOOP the client whose command runs, as Redis tells them apart.
     */
    public void keyChanged(byte[] key, int offset, int length, ClientSession changer) {
        if (!prefixes.isEmpty()) {
            prefixes.keyChanged(key, offset, length, changer);
        }
        invalidate(key, offset, length, engine.currentClient());
    }

    /** Sends the key's invalidation to the clients that read it; {@code running}'s own waits for its reply. */
    private void invalidate(byte[] key, int offset, int length, ClientSession running) {
        TrackedKeys.Readers readers = keys.remove(key, offset, length);
        if (readers == null) {
            return;
        }
        for (int i = 0; i < readers.size(); i++) {
            ClientSession target = engine.clients().find(readers.id(i));
            TrackingMode mode = target == null ? null : target.tracking();
            if (mode == null || mode.broadcast() || (mode.noLoop() && target == running)) {
                continue;
            }
            if (target == running) {
                ownInvalidationsClient = running;
                ownInvalidations.add(Arrays.copyOfRange(key, offset, offset + length));
            } else {
                sendKey(target, key, offset, length);
            }
        }
    }

    /** A database is about to be emptied: every remembered key is forgotten; the null goes at the end of the call. */
    public void flushing() {
        keys.clear();
        flushPending = trackingClients > 0;
    }

    private void sendFlush() {
        flushPending = false;
        ClientSession running = engine.currentClient();
        for (ClientSession client : engine.clients().all()) {
            if (client.tracking() == null) {
                continue;
            }
            if (client == running) {
                ownInvalidationsClient = running;
                ownInvalidations.add(null);
            } else {
                sendNull(client);
            }
        }
    }

    // ---------------------------------------------------------------- tracking-table-max-keys

    /**
     * Redis's trackingLimitUsedSlots: over tracking-table-max-keys, keys are let go with an
     * invalidation until the table is back under the limit, at most a hundred per turn times the
     * turns in a row it stayed over, so one turn never stalls on a huge table.
     */
    private void limitTable() {
        long max = engine.config().network.trackingTableMaxKeys.value();
        long over = keys.keyCount() - max;
        if (max == 0 || over <= 0) {
            limitOverruns = 0;
            return;
        }
        int effort = LIMIT_EFFORT * (limitOverruns + 1);
        for (byte[] victim : keys.victims((int) Math.min(effort, over))) {
            invalidate(victim, 0, victim.length, null);
        }
        limitOverruns = keys.keyCount() > max ? limitOverruns + 1 : 0;
    }

    // ---------------------------------------------------------------- messages

    private void sendOwnInvalidations() {
        ClientSession client = ownInvalidationsClient;
        ownInvalidationsClient = null;
        for (byte[] key : ownInvalidations) {
            if (client.tracking() == null) {
                break;
            }
            if (key == null) {
                sendNull(client);
            } else {
                sendKey(client, key, 0, key.length);
            }
        }
        ownInvalidations.clear();
    }

    private void sendKey(ClientSession tracker, byte[] key, int offset, int length) {
        ClientSession receiver = beginMessage(tracker);
        if (receiver != null) {
            scratch.arrayHeader(1);
            scratch.bulk(key, offset, length);
            deliver(receiver);
        }
    }

    private void sendKeys(ClientSession tracker, Collection<byte[]> changed) {
        if (tracker.tracking() == null) {
            return;
        }
        ClientSession receiver = beginMessage(tracker);
        if (receiver != null) {
            scratch.arrayHeader(changed.size());
            for (byte[] key : changed) {
                scratch.bulk(key);
            }
            deliver(receiver);
        }
    }

    /** A flush: the null of the tracking client's own protocol, wherever the message goes (as Redis sends it). */
    private void sendNull(ClientSession tracker) {
        ClientSession receiver = beginMessage(tracker);
        if (receiver != null) {
            scratch.raw(tracker.protocol() == ReplyWriter.RESP3 ? RESP3_NULL : RESP2_NULL);
            deliver(receiver);
        }
    }

    /**
     * Finds where the tracker's invalidations go and writes the message's head into the scratch
     * buffer, or returns null when nothing is to be sent (a RESP2 client without a subscribed
     * redirect, a redirect to a client gone).
     */
    private ClientSession beginMessage(ClientSession tracker) {
        TrackingMode mode = tracker.tracking();
        ClientSession receiver = tracker;
        boolean redirected = mode.redirect() != 0;
        if (redirected) {
            receiver = engine.clients().find(mode.redirect());
            if (receiver == null || !receiver.transport().isConnected()) {
                mode.brokenRedirect(true);
                if (tracker.protocol() == ReplyWriter.RESP3) {
                    scratch.buffer().clear();
                    scratch.protocol(ReplyWriter.RESP3);
                    scratch.pushHeader(2);
                    scratch.bulk(REDIRECT_BROKEN);
                    scratch.integer(mode.redirect());
                    deliver(tracker);
                }
                return null;
            }
        }
        scratch.buffer().clear();
        if (receiver.protocol() == ReplyWriter.RESP3) {
            scratch.protocol(ReplyWriter.RESP3);
            scratch.pushHeader(2);
            scratch.bulk(INVALIDATE);
        } else if (redirected && receiver.subscriptions() != null) {
            scratch.protocol(ReplyWriter.RESP2);
            scratch.arrayHeader(3);
            scratch.bulk(MESSAGE);
            scratch.bulk(CHANNEL);
        } else {
            return null;
        }
        return receiver;
    }

    private void deliver(ClientSession receiver) {
        engine.pubsub().deliver(receiver, scratch.buffer());
    }

    private static ReplyWriter newScratch() {
        ReplyWriter writer = new ReplyWriter();
        writer.target(Unpooled.buffer(256));
        return writer;
    }

    // ---------------------------------------------------------------- INFO

    /** Clients with tracking on (INFO tracking_clients). */
    public int trackingClients() {
        return trackingClients;
    }

    /** Keys remembered for the default mode (INFO tracking_total_keys). */
    public int trackedKeys() {
        return keys.keyCount();
    }

    /** Key/client pairs remembered (INFO tracking_total_items). */
    public long trackedItems() {
        return keys.itemCount();
    }

    /** BCAST prefixes registered by any client (INFO tracking_total_prefixes). */
    public int prefixCount() {
        return prefixes.count();
    }
}
