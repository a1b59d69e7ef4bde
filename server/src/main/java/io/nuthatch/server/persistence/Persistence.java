package io.nuthatch.server.persistence;

import io.nuthatch.persistence.DataDirectory;
import io.nuthatch.persistence.Manifest;
import io.nuthatch.persistence.log.AppendOnlyLog;
import io.nuthatch.persistence.log.FsyncPolicy;
import io.nuthatch.server.Engine;
import io.nuthatch.server.command.CommandError;
import io.nuthatch.server.command.CommandFlag;
import io.nuthatch.server.command.CommandSpec;
import io.nuthatch.server.config.ConfigException;
import io.nuthatch.server.config.ServerConfig;
import io.nuthatch.server.info.InfoFields;
import io.nuthatch.server.log.ServerLog;
import io.nuthatch.server.propagation.WritePropagation;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The server's side of persistence: loads the dataset at startup, keeps the append-only log
 * attached to write propagation, writes each turn's batch before the turn's replies leave,
 * refuses writes while the log cannot be written (MISCONF), and reports all of it to INFO.
 *
 * <p><b>Before replies leave.</b> The log's batch is written from the execution gate's
 * before-release hook: every turn that holds the engine (a connection's read batch, a wake-up, the
 * cron, long work) ends with it, and replies are sent only after the turn lets the engine go. So
 * a reply never leaves before the records it may show reached the kernel, one write(2) per turn
 * whatever the pipeline depth. On top of that replies wait for {@link WritePropagation}'s durable
 * offset, which the log advances once a unit is written (everysec, no) or fsynced (always): in
 * the normal case it is already past them when they are sent; after a failed write it is not,
 * and they wait until a retry succeeds.
 *
 * <p>This class must stay the only place the server touches persistence/; that module sees
 * records and values only as bytes.
 */
public final class Persistence implements AppendOnlyLog.Observer {
    /** A failed write is retried at most this often, from the turns and the cron. */
    private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final Engine engine;
    private final ServerConfig config;
    private final ServerLog log;
    private final WritePropagation propagation;
    private final LoadingProgress progress = new LoadingProgress();
    private final Snapshots snapshots;

    private volatile AppendOnlyLog appendOnlyLog;
    private AppendOnlyLogWriter writer;
    private Manifest manifest;
    private DataDirectory directory;
    private long lastRetryNanos;
    private volatile boolean loadFailed;
    /** Sizes of the segments before the current one, for aof_current_size. */
    private long earlierSegmentsSize;
    private long lastLoadKeys;
    private long lastLoadSnapshotKeys;
    private long lastLoadSnapshotKeysExpired;
    /** The last sequence number given to a file, listed in the manifest or not. */
    private long lastSequence;
    /** Whether the log's segment is not in the manifest yet (the log turned on at run time, rewrite pending). */
    private boolean segmentUnlisted;

    public Persistence(Engine engine) {
        this.engine = engine;
        this.config = engine.config();
        this.log = engine.log();
        this.propagation = engine.propagation();
        this.snapshots = new Snapshots(engine, this);
        config.persistence.appendfsync.onChange(() -> {
            AppendOnlyLog current = appendOnlyLog;
            if (current != null) {
                current.policy(policy());
                propagation.readsAwaitWrites(policy() == FsyncPolicy.ALWAYS);
            }
        });
        config.persistence.aofTimestampEnabled.onChange(() -> {
            AppendOnlyLog current = appendOnlyLog;
            if (current != null) {
                current.timestamps(config.persistence.aofTimestampEnabled.value());
            }
        });
        config.persistence.appendonly.onApply(this::appendonlyChanged);
    }

    private FsyncPolicy policy() {
        return FsyncPolicy.byName(config.persistence.appendfsync.value());
    }

    // ---------------------------------------------------------------- startup

    /**
     * Loads the dataset on the gate's thread, in the LOADING state; returns at once. What is loaded:
     * what the manifest names (snapshot, then segments), whatever {@code appendonly} says; without a
     * manifest, the segments of a log whose manifest was lost (appendonly yes), else the files of a
     * Redis or Valkey found in {@code dir} (imported, then saved as a snapshot so the import
     * happens once); else nothing, and the server serves at once.
     *
     * @param onFailure run (on a thread of its own) when the load fails: the server must stop
     */
    public void startLoading(Runnable onFailure) {
        directory = new DataDirectory(config.dir.path(), config.persistence.appenddirname.value(),
                config.persistence.appendfilename.value());
        manifest = Manifest.empty();
        boolean appendonly = config.persistence.appendonly.value();
        boolean somethingToLoad;
        try {
            somethingToLoad = Files.exists(Manifest.path(directory.path()))
                    || (appendonly && directory.rebuildManifest() != null)
                    || StartupLoad.redisFiles(directory, config) != null;
        } catch (IOException e) {
            somethingToLoad = true;
        }
        if (!somethingToLoad) {
            if (appendonly) {
                try {
                    openLog(Manifest.empty());
                } catch (IOException e) {
                    log.warning("Can't open the append only file: " + e.getMessage());
                    loadFailed = true;
                    new Thread(onFailure, "nuthatch-load-failed").start();
                }
            }
            // Only now: a write served before the log is open would not be in it.
            engine.gate().loadNotNeeded();
            return;
        }
        progress.started(0);
        engine.gate().load(new StartupLoad(engine, directory, config.persistence.aofLoadTruncated.value(), progress,
                new StartupLoad.Outcome() {
                    @Override
                    public void loaded(Manifest loadedManifest, long keys, double seconds, boolean imported,
                            long snapshotKeys, long snapshotKeysExpired) {
                        progress.ended();
                        lastLoadKeys = keys;
                        lastLoadSnapshotKeys = snapshotKeys;
                        lastLoadSnapshotKeysExpired = snapshotKeysExpired;
                        if (loadedManifest.snapshot() != null) {
                            log.notice("Done loading RDB, keys loaded: " + snapshotKeys + ", keys expired: "
                                    + snapshotKeysExpired + ".");
                        }
                        manifest = loadedManifest;
                        lastSequence = loadedManifest.sequence();
                        log.notice(String.format(Locale.ROOT, "DB loaded from %s: %.3f seconds, %d keys",
                                loadedManifest.snapshot() != null ? "snapshot " + loadedManifest.snapshot()
                                        + (loadedManifest.segments().isEmpty() ? "" : " and the append only file")
                                        : imported ? "the imported files" : "append only file", seconds, keys));
                        try {
                            openLog(loadedManifest);
                        } catch (IOException e) {
                            log.warning("Can't open the append only file: " + e.getMessage());
                            failed();
                            return;
                        }
                        if (imported) {
                            // So that the import happens once: from now on dir has a manifest of ours.
                            if (!snapshots.saveNow()) {
                                log.warning("The imported data could not be saved as a snapshot: the Redis files"
                                        + " will be imported again at the next start.");
                            }
                        }
                    }

                    @Override
                    public void failed() {
                        progress.ended();
                        loadFailed = true;
                        log.warning("Fatal error loading the DB, check server logs. Exiting.");
                        new Thread(onFailure, "nuthatch-load-failed").start();
                    }
                }));
    }

    /** Whether the dataset is loading: expiry deletes nothing meanwhile, as in Redis. */
    public boolean isLoading() {
        return progress.isLoading();
    }

    /** Whether loading the dataset failed (the server stops with status 1). */
    public boolean loadFailed() {
        return loadFailed;
    }

    /**
     * Opens the last segment of the manifest for appending (creating the first one when there is
     * none), and attaches the log to write propagation. With the engine held, so that no write
     * runs between the load and the attachment. Does nothing with {@code appendonly no}.
     */
    private void openLog(Manifest loaded) throws IOException {
        manifest = loaded;
        lastSequence = Math.max(lastSequence, loaded.sequence());
        if (!config.persistence.appendonly.value()) {
            return;
        }
        Manifest current = loaded;
        if (current.lastSegment() == null) {
            directory.createLogDirectory();
            long sequence = nextSequence();
            current = current.withSegmentAdded(directory.segmentName(sequence), sequence);
            Files.newByteChannel(directory.resolve(current.lastSegment()),
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE).close();
            current.write(directory.path());
        } else if (Manifest.read(directory.path()) == null) {
            // Rebuilt from the segments found: make it the manifest again.
            current.write(directory.path());
        }
        manifest = current;
        attachLog(current.lastSegment());
    }

    private void attachLog(String segment) throws IOException {
        earlierSegmentsSize = 0;
        for (String earlier : manifest.segments()) {
            if (!earlier.equals(segment)) {
                earlierSegmentsSize += Files.size(directory.resolve(earlier));
            }
        }
        AppendOnlyLog opened = new AppendOnlyLog(directory.resolve(segment), policy(), this);
        opened.timestamps(config.persistence.aofTimestampEnabled.value());
        appendOnlyLog = opened;
        writer = new AppendOnlyLogWriter(opened);
        propagation.durableThrough(propagation.lastOffset());
        propagation.readsAwaitWrites(policy() == FsyncPolicy.ALWAYS);
        propagation.awaitDurability(true);
        propagation.addListener(writer);
    }

    private long nextSequence() {
        lastSequence = Math.max(lastSequence, manifest.sequence()) + 1;
        return lastSequence;
    }

    // ---------------------------------------------------------------- for snapshots, with the engine held

    public Snapshots snapshots() {
        return snapshots;
    }

    DataDirectory directory() {
        return directory;
    }

    Manifest manifest() {
        return manifest;
    }

    /** A sequence number for a new snapshot: never one a file had before. */
    long snapshotSequence() {
        return nextSequence();
    }

    /**
     * Moves the log to a new segment, for a snapshot starting at this instant: null when the log is
     * off. The new segment is listed in the manifest at once (so that a crash before the snapshot
     * completes replays it after the old ones), unless the current one is itself unlisted (the log
     * turned on at run time and its rewrite is still to complete): then the new one replaces it, since
     * the snapshot starting now covers what it held.
     */
    String startNewSegment() throws IOException {
        AppendOnlyLog current = appendOnlyLog;
        if (current == null) {
            return null;
        }
        long sequence = nextSequence();
        String segment = directory.segmentName(sequence);
        Files.newByteChannel(directory.resolve(segment), java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.WRITE).close();
        if (!segmentUnlisted) {
            Manifest next = manifest.withSegmentAdded(segment, sequence);
            next.write(directory.path());
            manifest = next;
        }
        java.nio.file.Path replaced = current.path();
        detachLog();
        attachLog(segment);
        if (segmentUnlisted) {
            Files.deleteIfExists(replaced);
        }
        return segment;
    }

    /** The manifest now names a new snapshot (written to disk by the caller). */
    void manifestSwitched(Manifest next) {
        manifest = next;
        lastSequence = Math.max(lastSequence, next.sequence());
        segmentUnlisted = false;
        AppendOnlyLog current = appendOnlyLog;
        if (current != null) {
            earlierSegmentsSize = 0;
            for (String segment : next.segments()) {
                java.nio.file.Path path = directory.resolve(segment);
                if (!path.equals(current.path())) {
                    try {
                        earlierSegmentsSize += Files.size(path);
                    } catch (IOException e) {
                        // only aof_current_size is off
                    }
                }
            }
        }
    }

    /** Whether the log writes to a segment a pending rewrite has still to list. */
    boolean segmentUnlisted() {
        return segmentUnlisted;
    }

    /** aof_current_size, or -1 when the log is off. */
    long logSize() {
        AppendOnlyLog current = appendOnlyLog;
        return current == null ? -1 : earlierSegmentsSize + current.writtenSize();
    }

    /** The save rules, a scheduled save or rewrite, the automatic rewrite: from the cron, engine held. */
    public void cron() {
        if (!progress.isLoading() && directory != null && manifest != null) {
            snapshots.cron();
        }
    }

    /**
     * CONFIG SET appendonly. Turning it on opens the log on a new segment the manifest does not list
     * yet and starts a rewrite (snapshot) at the same instant, which lists it once complete, as
     * Redis rewrites its AOF before it counts.
     */
    private void appendonlyChanged() throws ConfigException {
        boolean wanted = config.persistence.appendonly.value();
        if (wanted == (appendOnlyLog != null)) {
            return;
        }
        if (!wanted) {
            detachLog();
            return;
        }
        if (directory == null || progress.isLoading()) {
            // Still loading: the log opens at the end of the load, as the directive now says.
            return;
        }
        String segment;
        try {
            directory.createLogDirectory();
            segment = directory.segmentName(nextSequence());
            Files.newByteChannel(directory.resolve(segment), java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.WRITE).close();
            attachLog(segment);
            segmentUnlisted = true;
        } catch (IOException e) {
            log.warning("Redis needs to enable the AOF but can't trigger a background AOF rewrite operation: "
                    + e.getMessage());
            detachLog();
            throw new ConfigException("Redis needs to enable the AOF but can't trigger a background AOF rewrite"
                    + " operation. Check the above logs for more info about the error.");
        }
        if (!snapshots.rewriteForNewLog(segment)) {
            log.warning("The rewrite that makes the new append only file count could not start; it is retried.");
        }
    }

    private void detachLog() {
        AppendOnlyLog current = appendOnlyLog;
        if (current == null) {
            return;
        }
        propagation.removeListener(writer);
        appendOnlyLog = null;
        writer = null;
        try {
            current.close();
        } catch (IOException e) {
            log.warning("Error closing the append only file: " + e.getMessage());
        }
        propagation.awaitDurability(false);
        propagation.readsAwaitWrites(true);
    }

    // ---------------------------------------------------------------- each turn, with the engine held

    /** The gate's before-release hook: writes the turn's batch before its replies can leave. */
    public void beforeRelease() {
        AppendOnlyLog current = appendOnlyLog;
        if (current == null || !current.hasBatch()) {
            return;
        }
        if (current.lastWriteError() != null) {
            long now = System.nanoTime();
            if (now - lastRetryNanos < RETRY_NANOS) {
                return;
            }
            lastRetryNanos = now;
        }
        current.writeBatch();
    }

    /**
     * Redis's check before a write command (and PING) while the log cannot be written or synced:
     * null when the command may run.
     */
    public CommandError writeRejection(CommandSpec command) {
        CommandError snapshotError = snapshots.writeRejection(command);
        if (snapshotError != null) {
            return snapshotError;
        }
        AppendOnlyLog current = appendOnlyLog;
        if (current == null || !(command.has(CommandFlag.WRITE) || command.name().equals("ping"))) {
            return null;
        }
        IOException error = current.lastWriteError();
        if (error == null) {
            error = current.lastFsyncError();
        }
        return error == null ? null
                : new CommandError("MISCONF Errors writing to the AOF file: " + AppendOnlyLog.describe(error));
    }

    // ---------------------------------------------------------------- AppendOnlyLog.Observer

    @Override
    public void fsynced(long nanos) {
        engine.introspection().measurements().aofFsynced(nanos);
    }

    @Override
    public void durableThrough(long offset) {
        propagation.durableThrough(offset);
    }

    @Override
    public void warning(String message) {
        log.warning(message);
    }

    // ---------------------------------------------------------------- stopping

    /**
     * Stops a background snapshot (its directory is deleted) and writes and fsyncs what the log
     * holds; called once the server no longer runs commands, with the engine held.
     */
    public void close() {
        snapshots.close();
        detachLog();
    }

    // ---------------------------------------------------------------- INFO persistence

    /** aof_enabled and aof_last_write_status, where INFO prints them. */
    public boolean aofEnabled() {
        return appendOnlyLog != null;
    }

    public String aofLastWriteStatus() {
        AppendOnlyLog current = appendOnlyLog;
        return current != null && current.lastWriteError() != null ? "err" : "ok";
    }

    public long lastLoadKeys() {
        return lastLoadKeys;
    }

    /** INFO's rdb_last_load_keys_loaded: keys the startup load took from the snapshot. */
    public long lastLoadSnapshotKeys() {
        return lastLoadSnapshotKeys;
    }

    /** INFO's rdb_last_load_keys_expired: keys of the snapshot left out because their time had passed. */
    public long lastLoadSnapshotKeysExpired() {
        return lastLoadSnapshotKeysExpired;
    }

    /** The aof_* fields Redis adds while the log is on, then the loading_* fields while loading. */
    public void writeLogAndLoadingFields(InfoFields out) {
        AppendOnlyLog current = appendOnlyLog;
        if (current != null) {
            out.add("aof_current_size", earlierSegmentsSize + current.writtenSize())
                    .add("aof_base_size", 0)
                    .add("aof_pending_rewrite", 0)
                    .add("aof_buffer_length", current.bufferedBytes())
                    .add("aof_pending_bio_fsync", current.fsyncInProgress() ? 1 : 0)
                    .add("aof_delayed_fsync", current.delayedFsyncs())
                    // Nuthatch's own: what of the current segment is known on disk (the crash tests cut
                    // a copy of the segment there to simulate a machine that lost the rest).
                    .add("aof_fsynced_size", current.syncedSize())
                    .add("aof_current_segment", current.path().getFileName().toString());
        }
        if (progress.isLoading()) {
            out.add("loading_start_time", progress.startSeconds())
                    .add("loading_total_bytes", progress.totalBytes())
                    .add("loading_rdb_used_mem", 0)
                    .add("loading_loaded_bytes", progress.loadedBytes())
                    .addRatio("loading_loaded_perc", progress.percent())
                    .add("loading_eta_seconds", progress.etaSeconds());
        }
    }
}
