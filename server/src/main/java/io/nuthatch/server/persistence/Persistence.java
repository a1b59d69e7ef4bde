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

    private volatile AppendOnlyLog appendOnlyLog;
    private AppendOnlyLogWriter writer;
    private Manifest manifest;
    private DataDirectory directory;
    private long lastRetryNanos;
    private volatile boolean loadFailed;
    /** Sizes of the segments before the current one, for aof_current_size. */
    private long earlierSegmentsSize;
    private long lastLoadKeys;

    public Persistence(Engine engine) {
        this.engine = engine;
        this.config = engine.config();
        this.log = engine.log();
        this.propagation = engine.propagation();
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
     * Loads the dataset on the gate's thread, in the LOADING state; returns at once. With
     * {@code appendonly no} there is nothing to load (snapshots do not exist yet).
     *
     * @param onFailure run (on a thread of its own) when the load fails: the server must stop
     */
    public void startLoading(Runnable onFailure) {
        if (!config.persistence.appendonly.value()) {
            return;
        }
        directory = new DataDirectory(config.dir.path(), config.persistence.appenddirname.value(),
                config.persistence.appendfilename.value());
        progress.started(0);
        engine.gate().load(new StartupLoad(engine, directory, config.persistence.aofLoadTruncated.value(), progress,
                new StartupLoad.Outcome() {
                    @Override
                    public void loaded(Manifest loadedManifest, long keys, double seconds) {
                        progress.ended();
                        lastLoadKeys = keys;
                        log.notice(String.format(Locale.ROOT, "DB loaded from append only file: %.3f seconds, %d keys",
                                seconds, keys));
                        try {
                            openLog(loadedManifest);
                        } catch (IOException e) {
                            log.warning("Can't open the append only file: " + e.getMessage());
                            failed();
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
     * runs between the load and the attachment.
     */
    private void openLog(Manifest loaded) throws IOException {
        if (!config.persistence.appendonly.value()) {
            // CONFIG SET appendonly no while the dataset loaded.
            return;
        }
        Manifest current = loaded;
        if (current.lastSegment() == null) {
            directory.createLogDirectory();
            long sequence = current.sequence() + 1;
            current = current.withSegmentAdded(directory.segmentName(sequence), sequence);
            Files.newByteChannel(directory.resolve(current.lastSegment()),
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE).close();
            current.write(directory.path());
        } else if (Manifest.read(directory.path()) == null) {
            // Rebuilt from the segments found: make it the manifest again.
            current.write(directory.path());
        }
        manifest = current;
        earlierSegmentsSize = 0;
        for (int i = 0; i < current.segments().size() - 1; i++) {
            earlierSegmentsSize += Files.size(directory.resolve(current.segments().get(i)));
        }
        AppendOnlyLog opened = new AppendOnlyLog(directory.resolve(current.lastSegment()), policy(), this);
        opened.timestamps(config.persistence.aofTimestampEnabled.value());
        appendOnlyLog = opened;
        writer = new AppendOnlyLogWriter(opened);
        propagation.durableThrough(propagation.lastOffset());
        propagation.readsAwaitWrites(policy() == FsyncPolicy.ALWAYS);
        propagation.awaitDurability(true);
        propagation.addListener(writer);
    }

    /** CONFIG SET appendonly. */
    private void appendonlyChanged() throws ConfigException {
        boolean wanted = config.persistence.appendonly.value();
        if (wanted == (appendOnlyLog != null)) {
            return;
        }
        if (!wanted) {
            detachLog();
            return;
        }
        // Redis turns the log on by rewriting it from the dataset first; that needs snapshots.
        throw new ConfigException("Turning appendonly on at run time needs a rewrite of the dataset, which needs"
                + " snapshots (not available yet): set appendonly yes in the configuration and restart");
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
    public void durableThrough(long offset) {
        propagation.durableThrough(offset);
    }

    @Override
    public void warning(String message) {
        log.warning(message);
    }

    // ---------------------------------------------------------------- stopping

    /** Writes and fsyncs what the log holds; called once the server no longer runs commands. */
    public void close() {
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
