package io.nuthatch.server;

import io.nuthatch.resp.ProtocolLimits;
import io.nuthatch.server.acl.AclUsers;
import io.nuthatch.server.blocking.BlockingKeys;
import io.nuthatch.server.client.ClientPause;
import io.nuthatch.server.client.ClientRegistry;
import io.nuthatch.server.client.ClientSession;
import io.nuthatch.server.command.CommandDispatcher;
import io.nuthatch.server.command.CommandTable;
import io.nuthatch.server.config.RequirepassFile;
import io.nuthatch.server.config.ServerConfig;
import io.nuthatch.server.eviction.Eviction;
import io.nuthatch.server.gate.ExecutionGate;
import io.nuthatch.server.info.InfoReport;
import io.nuthatch.server.info.ServerStats;
import io.nuthatch.server.introspection.Introspection;
import io.nuthatch.server.keyspace.AccessFrequency;
import io.nuthatch.server.keyspace.AccessRecency;
import io.nuthatch.server.keyspace.Database;
import io.nuthatch.server.keyspace.KeyEntry;
import io.nuthatch.server.keyspace.Keyspace;
import io.nuthatch.server.keyspace.KeyspaceHooks;
import io.nuthatch.server.log.ServerLog;
import io.nuthatch.server.persistence.Persistence;
import io.nuthatch.server.propagation.WritePropagation;
import io.nuthatch.server.scripting.LuaScripts;
import io.nuthatch.server.pubsub.EventNames;
import io.nuthatch.server.pubsub.KeyspaceEvents;
import io.nuthatch.server.pubsub.PubSub;
import io.nuthatch.server.tracking.ClientTracking;
import io.nuthatch.server.transaction.WatchedKeys;
import io.nuthatch.server.type.ValueType;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The state every command runs against: configuration, keyspace, command table, clients,
 * statistics, and the gate that puts all commands in one order. See the package documentation
 * for the threading model.
 *
 * <p>Everything here that commands change is guarded by the {@link #gate()}: a connection runs
 * commands after {@link ExecutionGate#enter}, the cron after {@link ExecutionGate#tryEnterFree}, a
 * reader from another thread through {@link ExecutionGate#runExclusive}.
 */
public final class Engine implements KeyspaceHooks {
    /** Redis's LRU clock: seconds, 24 bits, wrapping. */
    public static final int LRU_CLOCK_MAX = AccessRecency.CLOCK_MAX;

    private static final byte[] DEL = "DEL".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] UNLINK = "UNLINK".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EXPIRED_EVENT = KeyspaceEvents.name("expired");
    private static final byte[] KEYMISS_EVENT = KeyspaceEvents.name("keymiss");
    private static final byte[] NEW_EVENT = KeyspaceEvents.name("new");

    private final ServerConfig config;
    private final ServerLog log;
    private final CommandTable commands;
    private final Keyspace keyspace;
    private final ClientRegistry clients = new ClientRegistry();
    private final ClientPause clientPause = new ClientPause();
    private final ServerStats stats = new ServerStats();
    private final WritePropagation propagation = new WritePropagation();
    private final ProtocolLimits protocolLimits = new ProtocolLimits();
    private final CommandDispatcher dispatcher;
    private final ExecutionGate gate;
    private final SplittableRandom random = new SplittableRandom();
    private final long startedMillis = System.currentTimeMillis();
    private final long startedNanos = System.nanoTime();
    private final InfoReport info;
    private final BlockingKeys blocking;
    private final Persistence persistence;
    private final Eviction eviction;
    private final WatchedKeys watchedKeys;
    private LuaScripts scripts;
    private final PubSub pubsub = new PubSub(this);
    private final KeyspaceEvents keyspaceEvents;
    private final ClientTracking tracking = new ClientTracking(this);
    private final Introspection introspection;
    private final AclUsers acl;
    private final RequirepassFile requirepassFile;

    private long commandTime;
    private ClientSession currentClient;
    private long dirty;
    /** The key the running command changed last, so that one key's several changes count once. */
    private byte[] lastModifiedKey;
    private volatile boolean activeExpiryEnabled = true;
    private volatile Runnable shutdownAction = () -> { };

    public Engine(ServerConfig config, CommandTable commands, ServerLog log) {
        this.config = config;
        this.commands = commands;
        this.log = log;
        this.keyspace = new Keyspace(config.databases.intValue(), this);
        this.gate = new ExecutionGate(config.monitoring.busyReplyThreshold::value);
        this.blocking = new BlockingKeys(this);
        this.watchedKeys = new WatchedKeys(keyspace);
        this.dispatcher = new CommandDispatcher(this);
        this.info = new InfoReport(this);
        this.persistence = new Persistence(this);
        this.acl = new AclUsers(commands, () -> config.security.aclPubsubDefault.value().equals("allchannels"),
                config.security.acllogMaxLen::value);
        config.describeUsersWith(acl::describeAll);
        acl.requirepass(config.requirepass.value());
        config.requirepass.onChange(() -> acl.requirepass(config.requirepass.value()));
        this.requirepassFile = new RequirepassFile(config.security.requirepassFile, acl::requirepass, log);
        gate.beforeRelease(persistence::beforeRelease);
        this.keyspaceEvents = new KeyspaceEvents(pubsub, config.monitoring.notifyKeyspaceEvents);
        this.introspection = new Introspection(config, pubsub);
        protocolLimits.maxBulkLength(config.protoMaxBulkLen.value());
        protocolLimits.queryBufferLimit(config.clientQueryBufferLimit.value());
        config.protoMaxBulkLen.onChange(() -> protocolLimits.maxBulkLength(config.protoMaxBulkLen.value()));
        config.clientQueryBufferLimit.onChange(
                () -> protocolLimits.queryBufferLimit(config.clientQueryBufferLimit.value()));
        this.eviction = new Eviction(this);
        // An evicted key breaks its watchers' transactions, as Redis's eviction signals the key.
        eviction.addListener(watchedKeys::keyModified);
        eviction.addListener((database, entry) -> keyspaceEvents.notify(KeyspaceEvents.EVICTED, EventNames.EVICTED,
                database.index(), entry.keyArray(), entry.keyOffset(), entry.keyLength()));
        eviction.addListener((database, entry) -> keyChangedUnasked(entry));
    }

    public ServerConfig config() {
        return config;
    }

    public ServerLog log() {
        return log;
    }

    public CommandTable commands() {
        return commands;
    }

    public Keyspace keyspace() {
        return keyspace;
    }

    public ClientRegistry clients() {
        return clients;
    }

    /** CLIENT PAUSE's state and the clients it holds. */
    public ClientPause clientPause() {
        return clientPause;
    }

    public ServerStats stats() {
        return stats;
    }

    public WritePropagation propagation() {
        return propagation;
    }

    public ProtocolLimits protocolLimits() {
        return protocolLimits;
    }

    public CommandDispatcher dispatcher() {
        return dispatcher;
    }

    /** The keys clients are blocked on, and those ready to serve them. */
    public BlockingKeys blocking() {
        return blocking;
    }

    /** The append-only log, the load at startup, and what INFO persistence reports of them. */
    public Persistence persistence() {
        return persistence;
    }

    /** maxmemory: eviction, and the out-of-memory answer of denyoom commands. */
    public Eviction eviction() {
        return eviction;
    }

    /** The keys clients WATCH, touched by every change this engine hears of. */
    public WatchedKeys watchedKeys() {
        return watchedKeys;
    }

    /** The Lua scripts of EVAL: cache and interpreter, made the first time a script runs. */
    public LuaScripts scripts() {
        if (scripts == null) {
            scripts = new LuaScripts(this);
        }
        return scripts;
    }

    /** The scripts' cache and interpreter if a script or function ever ran or loaded, else null (INFO asks so). */
    public LuaScripts scriptsIfStarted() {
        return scripts;
    }

    /**
     * FUNCTION DUMP's payload of the libraries loaded, for a snapshot; null when there are none,
     * without starting an interpreter for the question.
     */
    public byte[] functionLibrariesPayload() {
        if (scripts == null || scripts.functions().libraryCount() == 0) {
            return null;
        }
        return scripts.functions().dump(false);
    }

    /** Drops every function library (a load that starts over), without starting an interpreter for it. */
    public void clearFunctionLibraries() {
        if (scripts != null) {
            scripts.functions().flush();
        }
    }

    /** Subscriptions, and the delivery of messages to clients other than the one running a command. */
    public PubSub pubsub() {
        return pubsub;
    }

    /** Keyspace notifications: where commands, expiry and eviction report what happened to keys. */
    public KeyspaceEvents keyspaceEvents() {
        return keyspaceEvents;
    }

    /** Client-side caching: what tracking clients read, and the invalidations changes send them. */
    public ClientTracking tracking() {
        return tracking;
    }

    /** The INFO report; what the exporter reads. */
    public InfoReport info() {
        return info;
    }

    /** The slow log, the latency monitor and MONITOR's feed: what records commands as they run. */
    public Introspection introspection() {
        return introspection;
    }

    /** Who holds the engine, and in which state: every command runs after entering it. */
    public ExecutionGate gate() {
        return gate;
    }

    /**
     * The gate's mutex, for tests and tools that look at the engine from a thread of their own
     * ({@code lock(); try { ... } finally { unlock(); }}). It waits behind long work: never take it
     * on a thread that serves connections, nor on the cron's (see {@link ExecutionGate}).
     */
    public ReentrantLock lock() {
        return gate.mutex();
    }

    public SplittableRandom random() {
        return random;
    }

    public long startedMillis() {
        return startedMillis;
    }

    /** Milliseconds since the server started, from the monotonic clock. */
    public long uptimeMillis() {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    public long lastSaveMillis() {
        return persistence.snapshots().lastSaveMillis();
    }

    /** Writes since the last save (rdb_changes_since_last_save). */
    public long dirty() {
        return dirty;
    }

    public void markDirty() {
        dirty++;
    }

    /** Changes counted since {@code dirty} were taken back (see UndoLog): they count no more. */
    public void takeBackDirty(long dirty) {
        this.dirty = dirty;
        lastModifiedKey = null;
    }

    /** What stops the server: closes the embedded server, or ends the process for the command line. */
    void shutdownAction(Runnable action) {
        this.shutdownAction = action;
    }

    /**
     * Stops the server from a command (SHUTDOWN). The stop runs on a thread of its own, since it
     * waits for the threads that run commands to finish.
     */
    public void requestShutdown() {
        Thread stopper = new Thread(shutdownAction, "nuthatch-shutdown");
        stopper.start();
    }

    /** Whether the cron deletes expired keys nobody touches (DEBUG SET-ACTIVE-EXPIRE). */
    public boolean isActiveExpiryEnabled() {
        return activeExpiryEnabled;
    }

    public void activeExpiryEnabled(boolean enabled) {
        this.activeExpiryEnabled = enabled;
    }

    // ---------------------------------------------------------------- command scope

    /** Called by the dispatcher before a command runs: fixes the command's time. */
    public void beginCommand(ClientSession client) {
        currentClient = client;
        lastModifiedKey = null;
        commandTime = System.currentTimeMillis();
        client.lastInteractionMillis(commandTime);
    }

    /**
     * A command run inside another (by EXEC or a script) starts: its changes count apart from the
     * previous command's, even on the same key (SET k then DEL k are two changes, both propagated).
     */
    public void beginInnerCommand() {
        lastModifiedKey = null;
    }

    public void endCommand() {
        currentClient = null;
    }

    /** Starts a piece of work that is not a client's command (the cron): fixes its time. */
    public void beginServerTask() {
        currentClient = null;
        lastModifiedKey = null;
        commandTime = System.currentTimeMillis();
    }

    /** The client whose command is running, or null. */
    public ClientSession currentClient() {
        return currentClient;
    }

    /** Whether the client must authenticate before running commands. */
    public boolean authenticationRequired(ClientSession client) {
        return acl.authenticationRequired(client);
    }

    /** The users and their permissions. */
    /** requirepass-file, read again on SIGHUP. */
    public RequirepassFile requirepassFile() {
        return requirepassFile;
    }

    public AclUsers acl() {
        return acl;
    }

    /**
     * The LRU clock Redis keeps: seconds, on 24 bits, at the time the current command (or cron
     * task) runs at, so that touching a key costs no clock read of its own.
     */
    public int lruClock() {
        return AccessRecency.clock(commandTime);
    }

    // ---------------------------------------------------------------- keyspace hooks

    @Override
    public long now() {
        return commandTime;
    }

    @Override
    public boolean expiryDeletesKeys() {
        // While loading, as in Redis: a key the log wrote with a time now past is still there for
        // the records after it, and expires once the load is over.
        return !persistence.isLoading();
    }

    @Override
    public boolean keepsExpiredKeys() {
        // Redis 7.0's expireIfNeeded: a pause keeps the dataset as it froze it.
        return clientPause.isPaused();
    }

    @Override
    public void accessed(Database database, KeyEntry entry) {
        if (currentClient != null && currentClient.noTouch()) {
            return;
        }
        touch(database, entry);
    }

    /** Marks an entry as accessed whatever the client's NO-TOUCH mode: TOUCH exists to do that. */
    public void touch(Database database, KeyEntry entry) {
        if (database.usesFrequencyClock()) {
            int minutes = AccessFrequency.minutes(commandTime);
            entry.accessClock(AccessFrequency.accessed(entry.accessClock(), minutes, eviction.lfuLogFactor(),
                    eviction.lfuDecayMinutes(), random));
        } else {
            entry.accessClock(lruClock());
        }
    }

    @Override
    public void stored(Database database, KeyEntry entry, boolean added) {
        if (!database.usesFrequencyClock()) {
            entry.accessClock(lruClock());
        } else if (added) {
            entry.accessClock(AccessFrequency.initial(AccessFrequency.minutes(commandTime)));
        }
    }

    @Override
    public void keyExpired(Database database, KeyEntry entry) {
        stats.expiredKeys++;
        watchedKeys.keyExpired(database, entry);
        keyChangedUnasked(entry);
        keyspaceEvents.notify(KeyspaceEvents.EXPIRED, EXPIRED_EVENT, database.index(),
                entry.keyArray(), entry.keyOffset(), entry.keyLength());
        if (propagation.isActive()) {
            byte[] verb = config.lazyfreeLazyExpire.value() ? UNLINK : DEL;
            propagation.propagateDeletion(database.index(), verb, entry.keyArray(), entry.keyOffset(), entry.keyLength());
        }
    }

    @Override
    public void keyModified(Database database, KeyEntry entry) {
        // A command that changes one key in several steps (GETEX: value read, then expiry) counts
        // once, as Redis counts it; each further key counts one more (MSET, DEL k1 k2).
        byte[] key = entry.keyArray();
        if (key != lastModifiedKey) {
            lastModifiedKey = key;
            dirty++;
        }
        watchedKeys.keyModified(database, entry);
        if (tracking.isActive()) {
            tracking.keyChanged(key, entry.keyOffset(), entry.keyLength(), currentClient);
        }
    }

    /** A change no command asked for (expiry, eviction): tracking clients hear of it all the same. */
    private void keyChangedUnasked(KeyEntry entry) {
        if (tracking.isActive()) {
            tracking.keyChanged(entry.keyArray(), entry.keyOffset(), entry.keyLength(), null);
        }
    }

    @Override
    public void keyAdded(Database database, KeyEntry entry) {
        blocking.keyAdded(database, entry);
    }

    @Override
    public void valueRemoved(Database database, KeyEntry entry, ValueType type) {
        blocking.valueRemoved(database, entry, type);
    }

    @Override
    public void flushing(Database database) {
        blocking.flushing(database);
        watchedKeys.flushing(database);
        tracking.flushing();
    }

    @Override
    public void swapped(Database first, Database second) {
        blocking.swapped(first, second);
        watchedKeys.swapped(first, second);
    }

    @Override
    public void keyMissed(Database database, byte[] key, int offset, int length) {
        keyspaceEvents.notify(KeyspaceEvents.KEY_MISS, KEYMISS_EVENT, database.index(), key, offset, length);
    }

    @Override
    public void keyCreated(Database database, KeyEntry entry) {
        keyspaceEvents.notify(KeyspaceEvents.NEW, NEW_EVENT, database.index(), entry.keyArray(), entry.keyOffset(),
                entry.keyLength());
    }

    @Override
    public void lookedUp(boolean hit) {
        if (hit) {
            stats.keyspaceHits++;
        } else {
            stats.keyspaceMisses++;
        }
    }
}
