package io.nuthatch.server.persistence;

import io.nuthatch.persistence.DataDirectory;
import io.nuthatch.persistence.Manifest;
import io.nuthatch.persistence.snapshot.SnapshotFormat;
import io.nuthatch.persistence.snapshot.SnapshotWriter;
import io.nuthatch.server.Engine;
import io.nuthatch.server.codec.EncodingLimits;
import io.nuthatch.server.command.CommandError;
import io.nuthatch.server.command.CommandFlag;
import io.nuthatch.server.command.CommandSpec;
import io.nuthatch.server.config.SaveDirective;
import io.nuthatch.server.config.ServerConfig;
import io.nuthatch.server.info.InfoFields;
import io.nuthatch.server.log.ServerLog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Snapshots for SAVE, BGSAVE, BGREWRITEAOF, the {@code save} rules, the automatic log rewrite and
 * the final snapshot of a shutdown: when one is taken, what it is called, how the manifest switches
 * to it, and the statuses INFO persistence reports. One snapshot is written at a time (there is
 * one point-in-time walk); a background one runs on a thread of its own ({@link SnapshotJob}).
 *
 * <h2>A snapshot and the log</h2>
 * When the log is on, a snapshot starts a new log segment at the same instant its walk starts
 * (both with the engine held), so the snapshot plus the segments from the new one on hold the
 * whole dataset. Once the snapshot is complete the manifest switches to it: the older segments and
 * the previous snapshot become the manifest's previous generation (the fallback should the new
 * snapshot be found damaged), and the generation before that is deleted, after the switch. So a
 * BGSAVE with the log on is also a log rewrite, and BGREWRITEAOF is the same operation: they
 * differ only in which INFO counters they move (rdb_* or aof_rewrite_*), as in Redis each has its own.
 *
 * <p>Everything here runs with the engine held, except the background thread's writing.
 */
public final class Snapshots {
    /** Redis's CONFIG_BGSAVE_RETRY_DELAY: after a failed BGSAVE the rules wait this long. */
    private static final long RETRY_DELAY_MILLIS = 5000;
    private static final CommandError BGSAVE_ERROR = new CommandError("MISCONF Redis is configured to save RDB"
            + " snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are"
            + " disabled, because this instance is configured to report errors during writes if RDB snapshotting"
            + " fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB"
            + " error.");

    /** What a snapshot is for: which counters it moves. */
    enum Purpose { SAVE, REWRITE }

    private final Engine engine;
    private final ServerConfig config;
    private final ServerLog log;
    private final Persistence persistence;

    private SnapshotJob job;
    private Purpose jobPurpose;
    private Thread jobThread;
    private volatile boolean abortRequested;
    /** A shutdown saved a final snapshot: writes that ran after it are saved again as the server closes. */
    private boolean shutdownSaved;

    private volatile long lastSaveMillis;
    private long dirtyAtLastSave;
    private boolean lastBgsaveOk = true;
    private long lastBgsaveTryMillis;
    private long lastRewriteTryMillis;
    private long lastBgsaveSeconds = -1;
    private long saves;
    private boolean bgsaveScheduled;
    private boolean rewriteScheduled;
    private boolean lastRewriteOk = true;
    private long lastRewriteSeconds = -1;
    private long rewrites;
    private long rewriteFailuresInARow;
    /** The log's size after the last rewrite, for auto-aof-rewrite-percentage. */
    private long logSizeAtRewrite;

    Snapshots(Engine engine, Persistence persistence) {
        this.engine = engine;
        this.config = engine.config();
        this.log = engine.log();
        this.persistence = persistence;
        this.lastSaveMillis = System.currentTimeMillis();
    }

    // ---------------------------------------------------------------- commands

    /** BGSAVE [SCHEDULE]: Redis's reply text, or a CommandError. */
    public String bgsave(boolean schedule) {
        if (job != null && jobPurpose == Purpose.SAVE) {
            throw new CommandError("ERR Background save already in progress");
        }
        if (job != null) {
            if (!schedule) {
                throw new CommandError("ERR Another child process is active (AOF?): can't BGSAVE right now."
                        + " Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.");
            }
            bgsaveScheduled = true;
            return "Background saving scheduled";
        }
        if (!startBackground(Purpose.SAVE)) {
            throw new CommandError("ERR");
        }
        return "Background saving started";
    }

    /** BGREWRITEAOF: Redis's reply text, or a CommandError. */
    public String bgrewriteaof() {
        if (job != null && jobPurpose == Purpose.REWRITE) {
            throw new CommandError("ERR Background append only file rewriting already in progress");
        }
        if (job != null) {
            rewriteScheduled = true;
            return "Background append only file rewriting scheduled";
        }
        if (!startBackground(Purpose.REWRITE)) {
            throw new CommandError("ERR Can't execute an AOF background rewriting. Please check the server logs for"
                    + " more information.");
        }
        return "Background append only file rewriting started";
    }

    /** SAVE: the snapshot written with the engine held; false when it failed (logged). */
    public boolean save() {
        if (job != null) {
            throw new CommandError("ERR Background save already in progress");
        }
        return saveNow();
    }

    public long lastSaveMillis() {
        return lastSaveMillis;
    }

    public boolean inProgress() {
        return job != null;
    }

    /**
     * Redis's check before a write command (and PING) after a failed background save while save
     * rules exist and stop-writes-on-bgsave-error is yes: null when the command may run.
     */
    CommandError writeRejection(CommandSpec command) {
        if (lastBgsaveOk || !config.persistence.stopWritesOnBgsaveError.value()
                || config.persistence.save.rules().isEmpty()) {
            return null;
        }
        return command.has(CommandFlag.WRITE) || command.name().equals("ping") ? BGSAVE_ERROR : null;
    }

    // ---------------------------------------------------------------- the cron

    /**
     * Redis's serverCron part: a scheduled BGSAVE or rewrite once nothing runs, the {@code save}
     * rules, the automatic log rewrite.
     */
    void cron() {
        if (job != null) {
            return;
        }
        long now = System.currentTimeMillis();
        boolean retryAllowed = lastBgsaveOk || now - lastBgsaveTryMillis > RETRY_DELAY_MILLIS;
        if (rewriteScheduled && (lastRewriteOk || now - lastRewriteTryMillis > RETRY_DELAY_MILLIS)) {
            rewriteScheduled = false;
            startBackground(Purpose.REWRITE);
            return;
        }
        if (bgsaveScheduled && retryAllowed) {
            bgsaveScheduled = false;
            startBackground(Purpose.SAVE);
            return;
        }
        long changes = changesSinceLastSave();
        for (SaveDirective.Rule rule : config.persistence.save.rules()) {
            if (changes >= rule.changes() && now - lastSaveMillis > rule.seconds() * 1000 && retryAllowed) {
                log.notice(rule.changes() + " changes in " + rule.seconds() + " seconds. Saving...");
                startBackground(Purpose.SAVE);
                return;
            }
        }
        long percentage = config.persistence.autoAofRewritePercentage.value();
        long logSize = persistence.logSize();
        if (logSize >= 0 && percentage > 0 && logSize > config.persistence.autoAofRewriteMinSize.value()) {
            long base = Math.max(1, logSizeAtRewrite);
            long growth = logSize * 100 / base - 100;
            if (growth >= percentage) {
                log.notice("Starting automatic rewriting of AOF on " + growth + "% growth");
                startBackground(Purpose.REWRITE);
            }
        }
    }

    public long changesSinceLastSave() {
        return engine.dirty() - dirtyAtLastSave;
    }

    // ---------------------------------------------------------------- shutdown

    /**
     * The final snapshot of SHUTDOWN or SIGTERM, as Redis's prepareForShutdown decides it: a
     * background save is stopped first; then a snapshot is written when {@code save} is asked, or
     * when save rules exist and {@code nosave} is not asked.
     *
     * @return whether the server may stop (false: the save failed and {@code force} was not given)
     */
    public boolean beforeShutdown(boolean save, boolean noSave, boolean force) {
        if (job != null) {
            log.warning("There is a child saving an .rdb. Killing it!");
            abortJob();
        }
        if (!(save || (!noSave && !config.persistence.save.rules().isEmpty()))) {
            return true;
        }
        log.notice("Saving the final RDB snapshot before exiting.");
        if (saveNow()) {
            shutdownSaved = true;
            return true;
        }
        if (force) {
            log.warning("Error trying to save the DB. Exit anyway.");
            return true;
        }
        log.warning("Error trying to save the DB, can't exit.");
        return false;
    }

    /**
     * The server is closing, no client runs commands any more; with the engine held. A background
     * snapshot is stopped (its directory deleted). After a shutdown's final snapshot, the writes
     * that other connections ran between it and the closing of their connections are saved too.
     */
    void close() {
        if (job != null) {
            abortJob();
        }
        if (shutdownSaved && changesSinceLastSave() > 0) {
            log.notice("Saving the " + changesSinceLastSave() + " changes made during the shutdown.");
            saveNow();
        }
    }

    private void abortJob() {
        abortRequested = true;
        Thread thread = jobThread;
        if (thread != null && thread != Thread.currentThread()) {
            // The thread waits for the engine in short steps and sees the request between them.
            try {
                thread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (job != null) {
            job.abandon();
            job = null;
            jobThread = null;
        }
        abortRequested = false;
    }

    // ---------------------------------------------------------------- writing

    /** A snapshot written now, with the engine held throughout (SAVE, shutdown, after an import). */
    boolean saveNow() {
        SnapshotJob started = begin(Purpose.SAVE, null);
        if (started == null) {
            return false;
        }
        long startedNanos = System.nanoTime();
        try {
            while (started.encodeSlice(SnapshotJob.SLICE_KEYS)) {
                started.writeStaged();
            }
            started.complete();
        } catch (IOException | RuntimeException e) {
            log.warning("Failed saving the DB: " + e.getMessage());
            failed(started, Purpose.SAVE, startedNanos);
            return false;
        }
        if (!switchTo(started, Purpose.SAVE, startedNanos)) {
            return false;
        }
        log.notice("DB saved on disk");
        return true;
    }

    private boolean startBackground(Purpose purpose) {
        return startBackground(purpose, null);
    }

    /**
     * CONFIG SET appendonly yes: the log was just opened on {@code segment}, which the manifest does
     * not list yet; a rewrite starts at this instant and lists it when it completes, as Redis waits
     * for its rewrite before the new AOF counts. A background snapshot running is stopped first,
     * as Redis stops a rewrite in progress.
     */
    boolean rewriteForNewLog(String segment) {
        if (job != null) {
            log.warning("AOF was enabled but there is already a snapshot being written. Stopping it and starting a"
                    + " rewrite now.");
            abortJob();
        }
        return startBackground(Purpose.REWRITE, segment);
    }

    private boolean startBackground(Purpose purpose, String presetSegment) {
        SnapshotJob started = begin(purpose, presetSegment);
        if (started == null) {
            return false;
        }
        jobPurpose = purpose;
        job = started;
        Thread thread = new Thread(() -> runInBackground(started, purpose), "nuthatch-bgsave");
        thread.setDaemon(true);
        jobThread = thread;
        thread.start();
        log.notice(purpose == Purpose.SAVE ? "Background saving started"
                : "Background append only file rewriting started");
        return true;
    }

    /**
     * Starts the log's new segment (unless {@code presetSegment} was just opened) and the walk at
     * one instant; null (logged) when it cannot.
     */
    /**
     * What each database's rows keep of the access clock, by its policy now (as Redis's RDB keeps
     * IDLE under an LRU policy, FREQ under an LFU one, nothing under the others).
     */
    private int[] accessKinds() {
        int[] kinds = new int[engine.keyspace().count()];
        for (int database = 0; database < kinds.length; database++) {
            kinds[database] = switch (engine.eviction().policyOf(database).choice()) {
                case LEAST_RECENT -> SnapshotFormat.ACCESS_IDLE;
                case LEAST_FREQUENT -> SnapshotFormat.ACCESS_FREQUENCY;
                default -> SnapshotFormat.ACCESS_NONE;
            };
        }
        return kinds;
    }

    private SnapshotJob begin(Purpose purpose, String presetSegment) {
        if (purpose == Purpose.SAVE) {
            lastBgsaveTryMillis = System.currentTimeMillis();
        } else {
            lastRewriteTryMillis = System.currentTimeMillis();
        }
        DataDirectory directory = persistence.directory();
        try {
            String newSegment = presetSegment != null ? presetSegment : persistence.startNewSegment();
            long sequence = persistence.snapshotSequence();
            String name = DataDirectory.snapshotName(config.persistence.dbfilename.value(), sequence);
            Path path = directory.resolve(name);
            if (Files.isDirectory(path)) {
                // Left by a snapshot that never completed (the manifest names only complete ones).
                SnapshotWriter.delete(path);
            }
            return new SnapshotJob(engine.keyspace(), path, name, sequence, newSegment,
                    EncodingLimits.of(config.encoding), config.persistence.rdbcompression.value(),
                    config.persistence.rdbchecksum.value(), engine.dirty(), engine.functionLibrariesPayload(),
                    accessKinds(), engine.eviction().lfuDecayMinutes());
        } catch (IOException | RuntimeException | LinkageError e) {
            // LinkageError: RocksDB's native library could not be loaded on this platform.
            log.warning((purpose == Purpose.SAVE ? "Can't save in background: " : "Can't rewrite append only file in"
                    + " background: ") + e.getMessage());
            recordFailure(purpose, 0);
            return null;
        }
    }

    /** The background thread: slices under the engine, RocksDB writes beside the clients. */
    private void runInBackground(SnapshotJob running, Purpose purpose) {
        long startedNanos = System.nanoTime();
        boolean[] more = {true};
        try {
            while (more[0]) {
                boolean ran = engine.gate().runExclusive(() -> {
                    if (!abortRequested) {
                        more[0] = running.encodeSlice(SnapshotJob.SLICE_KEYS);
                    }
                }, 100);
                if (abortRequested) {
                    return;
                }
                if (ran) {
                    running.writeStaged();
                }
            }
            running.complete();
        } catch (IOException | RuntimeException e) {
            log.warning((purpose == Purpose.SAVE ? "Background saving error: " : "Background AOF rewrite terminated"
                    + " with error: ") + e.getMessage());
            finishUnderLock(() -> {
                if (job == running) {
                    failed(running, purpose, startedNanos);
                }
            });
            return;
        }
        finishUnderLock(() -> {
            if (job == running && switchTo(running, purpose, startedNanos)) {
                log.notice(purpose == Purpose.SAVE ? "Background saving terminated with success"
                        : "Background AOF rewrite terminated with success");
            }
        });
    }

    private void finishUnderLock(Runnable task) {
        while (!abortRequested && !engine.gate().runExclusive(task, 100)) {
            Thread.onSpinWait();
        }
    }

    /** The snapshot is complete: the manifest names it; the generation before the previous goes. */
    private boolean switchTo(SnapshotJob done, Purpose purpose, long startedNanos) {
        Manifest old = persistence.manifest();
        Manifest next = old.withSnapshot(done.name(), done.newSegment(), done.sequence());
        try {
            next.write(persistence.directory().path());
        } catch (IOException e) {
            log.warning("Can't switch the manifest to the snapshot " + done.name() + ": " + e.getMessage());
            try {
                SnapshotWriter.delete(persistence.directory().resolve(done.name()));
            } catch (IOException ignored) {
                // a snapshot the manifest does not name is removed at the next start
            }
            failed(done, purpose, startedNanos);
            return false;
        }
        persistence.manifestSwitched(next);
        deleteRetired(next.retiredBy(old));
        long nanos = System.nanoTime() - startedNanos;
        engine.introspection().measurements().snapshotWritten(nanos);
        long seconds = Math.round(nanos / 1e9);
        lastSaveMillis = System.currentTimeMillis();
        dirtyAtLastSave = done.dirtyAtStart();
        if (purpose == Purpose.SAVE) {
            lastBgsaveOk = true;
            lastBgsaveSeconds = seconds;
            saves++;
        } else {
            lastRewriteOk = true;
            lastRewriteSeconds = seconds;
            rewrites++;
            rewriteFailuresInARow = 0;
        }
        logSizeAtRewrite = Math.max(0, persistence.logSize());
        job = null;
        jobThread = null;
        return true;
    }

    private void deleteRetired(List<String> retired) {
        for (String name : retired) {
            Path path = persistence.directory().resolve(name);
            try {
                if (Files.isDirectory(path)) {
                    SnapshotWriter.delete(path);
                } else {
                    Files.deleteIfExists(path);
                }
            } catch (IOException e) {
                log.warning("Can't delete " + path + ", which the manifest no longer names: " + e.getMessage());
            }
        }
    }

    private void failed(SnapshotJob failedJob, Purpose purpose, long startedNanos) {
        if (!failedJob.walkFinished()) {
            failedJob.abandon();
        } else {
            failedJob.discard();
        }
        recordFailure(purpose, Math.round((System.nanoTime() - startedNanos) / 1e9));
        if (job == failedJob) {
            job = null;
            jobThread = null;
        }
    }

    private void recordFailure(Purpose purpose, long seconds) {
        if (purpose == Purpose.SAVE) {
            lastBgsaveOk = false;
            lastBgsaveSeconds = seconds;
        } else {
            lastRewriteOk = false;
            lastRewriteSeconds = seconds;
            rewriteFailuresInARow++;
        }
        if (persistence.segmentUnlisted()) {
            // The log turned on at run time counts only once a rewrite completes: try again.
            rewriteScheduled = true;
        }
    }

    // ---------------------------------------------------------------- INFO persistence

    /** The snapshot fields of INFO persistence, from current_save_keys_processed to rdb_saves. */
    public void writeSaveFields(InfoFields out) {
        boolean saving = job != null && jobPurpose == Purpose.SAVE;
        out.add("current_save_keys_processed", job == null ? 0 : job.keysProcessed())
                .add("current_save_keys_total", job == null ? 0 : job.keysTotal())
                .add("rdb_changes_since_last_save", changesSinceLastSave())
                .add("rdb_bgsave_in_progress", saving ? 1 : 0)
                .add("rdb_last_save_time", lastSaveMillis / 1000)
                .add("rdb_last_bgsave_status", lastBgsaveOk ? "ok" : "err")
                .add("rdb_last_bgsave_time_sec", lastBgsaveSeconds)
                .add("rdb_current_bgsave_time_sec", saving ? secondsSince(job.startedMillis()) : -1)
                .add("rdb_saves", saves);
    }

    /** The rewrite fields of INFO persistence, from aof_rewrite_in_progress to aof_rewrites_consecutive_failures. */
    public void writeRewriteFields(InfoFields out) {
        boolean rewriting = job != null && jobPurpose == Purpose.REWRITE;
        out.add("aof_rewrite_in_progress", rewriting ? 1 : 0)
                .add("aof_rewrite_scheduled", rewriteScheduled ? 1 : 0)
                .add("aof_last_rewrite_time_sec", lastRewriteSeconds)
                .add("aof_current_rewrite_time_sec", rewriting ? secondsSince(job.startedMillis()) : -1)
                .add("aof_last_bgrewrite_status", lastRewriteOk ? "ok" : "err")
                .add("aof_rewrites", rewrites)
                .add("aof_rewrites_consecutive_failures", rewriteFailuresInARow);
    }

    long logSizeAtRewrite() {
        return logSizeAtRewrite;
    }

    private static long secondsSince(long millis) {
        return (System.currentTimeMillis() - millis) / 1000;
    }
}
