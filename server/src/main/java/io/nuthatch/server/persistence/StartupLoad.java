package io.nuthatch.server.persistence;

import io.nuthatch.persistence.DataDirectory;
import io.nuthatch.persistence.Manifest;
import io.nuthatch.persistence.log.SegmentReader;
import io.nuthatch.server.Engine;
import io.nuthatch.server.command.CommandSpec;
import io.nuthatch.server.gate.ExecutionGate;
import io.nuthatch.server.info.ServerStats;
import io.nuthatch.server.log.ServerLog;

import io.nuthatch.persistence.rdb.RdbFormatException;
import io.nuthatch.persistence.snapshot.SnapshotDamagedException;
import io.nuthatch.persistence.snapshot.SnapshotFormat;
import io.nuthatch.persistence.snapshot.SnapshotReader;
import io.nuthatch.persistence.snapshot.SnapshotWriter;
import io.nuthatch.server.codec.EncodingLimits;
import io.nuthatch.server.config.ServerConfig;
import io.nuthatch.server.keyspace.LoadBatch;
import io.nuthatch.server.migration.RedisDataImport;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.util.ArrayList;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Loads what the manifest names, in slices of the execution gate's LOADING state (clients get
 * -LOADING meanwhile, and INFO, CONFIG and the other loading-ok commands between slices): the
 * snapshot, decoded by {@link SnapshotDecoding}'s threads and inserted here in batches into tables
 * sized from the marker's counts, then each segment in order, each batch
 * checked before it is applied.
 *
 * <p>A snapshot that cannot be used (no marker, a damaged block, totals or checksum that do not
 * match at the end, a value the codec refuses) is dropped with a warning: what it loaded is
 * cleared, and the manifest's previous generation is loaded instead (the previous snapshot, the
 * segments that led from it to the damaged one, then the current segments), which gives the same
 * dataset. With no previous generation to fall back on, startup stops and names the snapshot and
 * {@code --check-snapshot}.
 *
 * <p>Without a manifest: the segments found (a lost manifest, appendonly yes), else the files of a
 * Redis or Valkey found in {@code dir} ({@link RedisDataImport}), imported in one slice; the
 * caller then saves a snapshot so the import happens once.
 *
 * <p>What a damaged segment leads to:
 * <ul>
 * <li>a torn tail of the last segment: with {@code aof-load-truncated yes} the segment is cut at
 *     its last whole batch (and the cut fsynced), the load goes on and a warning says how many
 *     bytes went; with {@code no} startup stops, naming the file and the repair command.</li>
 * <li>a torn tail of another segment, damage anywhere (a checksum that does not match with more
 *     after it, bytes that are no command), a missing segment, an unknown command: startup stops
 *     with the file, the offset and the repair command ({@code nuthatch-server --check-aof --fix}).</li>
 * </ul>
 */
final class StartupLoad implements ExecutionGate.Loading {
    /** How long one slice runs before the clients waiting get their turn. */
    private static final long SLICE_NANOS = 5_000_000;

    /** What the load ends with. */
    interface Outcome {
        /**
         * Called with the engine held, in the last slice: the dataset is loaded and clients may
         * write. {@code snapshotKeys} were loaded from the snapshot and {@code snapshotKeysExpired}
         * left out of it as expired (Redis's rdb_last_load_keys_loaded and _expired).
         */
        void loaded(Manifest manifest, long keys, double seconds, boolean imported, long snapshotKeys,
                long snapshotKeysExpired);

        /** The load failed; the messages are logged. Called with the engine held. */
        void failed();
    }

    private final Engine engine;
    private final ServerLog log;
    private final DataDirectory directory;
    private final boolean loadTruncated;
    private final Outcome outcome;
    private final LoadingProgress progress;
    private final LogReplay replay;


    private Manifest manifest;
    private List<String> segments;
    private int segmentIndex = -1;
    private SegmentReader reader;
    private SnapshotReader snapshotReader;
    private SnapshotDecoding decoding;
    private long insertedRows;
    private long snapshotKeysLoaded;
    private long snapshotKeysExpired;
    private long snapshotBytes;
    private boolean fellBack;
    private boolean imported;
    private long started;

    StartupLoad(Engine engine, DataDirectory directory, boolean loadTruncated, LoadingProgress progress,
            Outcome outcome) {
        this.engine = engine;
        this.log = engine.log();
        this.directory = directory;
        this.loadTruncated = loadTruncated;
        this.progress = progress;
        this.outcome = outcome;
        this.replay = new LogReplay(engine);
    }

    /** The Redis/Valkey files to import from {@code dir} when it has no manifest, or null. */
    static RedisDataImport.Plan redisFiles(DataDirectory directory, ServerConfig config) throws IOException {
        if (Files.exists(Manifest.path(directory.path()))) {
            return null;
        }
        return RedisDataImport.find(directory.path(), config);
    }

    /**
     * One slice. As in Redis, whose loader calls the commands' code directly, replayed records
     * count in no statistics: the counters a slice moved are put back after it (clients run their
     * loading-ok commands only between slices), and the per-command figures are cleared once the
     * load is over (what clients ran while it loaded, INFO or PING, goes with them).
     */
    @Override
    public boolean loadSlice() {
        // The slice's time, which the keys it inserts are stamped with (their LRU clock or LFU
        // minutes): without it they took the time of whatever ran before, the epoch at startup.
        engine.beginServerTask();
        ServerStats stats = engine.stats();
        long processed = stats.commandsProcessed;
        long hits = stats.keyspaceHits;
        long misses = stats.keyspaceMisses;
        try {
            return replaySlice();
        } finally {
            stats.commandsProcessed = processed;
            stats.keyspaceHits = hits;
            stats.keyspaceMisses = misses;
        }
    }

    private boolean replaySlice() {
        try {
            if (manifest == null) {
                started = System.nanoTime();
                return start();
            }
            long deadline = System.nanoTime() + SLICE_NANOS;
            while (snapshotReader != null && System.nanoTime() < deadline) {
                if (!loadSnapshotRows(deadline)) {
                    return true;
                }
            }
            while (System.nanoTime() < deadline) {
                if (reader == null && !openNextSegment()) {
                    finish();
                    return false;
                }
                if (!reader.next(replay)) {
                    if (!segmentEnded()) {
                        fail();
                        return false;
                    }
                    continue;
                }
                progress.loadedBytes(reader.verifiedSize());
            }
            return true;
        } catch (IOException | RuntimeException e) {
            String where = reader == null ? "" : " (" + reader.path() + ", batch at offset " + reader.verifiedSize() + ")";
            log.warning("Error loading the dataset" + where + ": " + e.getMessage());
            if (reader != null) {
                log.warning(repairAdvice(reader.path()));
            }
            fail();
            return false;
        }
    }

    /**
     * Keys of the snapshot until the deadline, in the batches the decoding threads prepared. Whether
     * the snapshot is done with (read whole, or dropped for the previous generation).
     */
    private boolean loadSnapshotRows(long deadline) throws IOException {
        try {
            while (System.nanoTime() < deadline) {
                LoadBatch batch = decoding.poll(deadline);
                if (batch == null) {
                    if (!decoding.finished()) {
                        return false;
                    }
                    snapshotReader.verifyTotals();
                    snapshotKeysExpired += decoding.expiredDropped();
                    snapshotKeysLoaded += snapshotReader.keys() - decoding.expiredDropped();
                    progress.loadedBytes(snapshotBytes);
                    closeSnapshot();
                    return true;
                }
                insertedRows += batch.size();
                batch.insertInto(engine.keyspace());
                decoding.recycle(batch);
                long keys = Math.max(1, snapshotReader.keys());
                progress.loadedBytes(Math.min(snapshotBytes, snapshotBytes * insertedRows / keys));
            }
            return false;
        } catch (RdbFormatException | SnapshotDamagedException e) {
            fallBack(e);
            return true;
        }
    }

    private void closeSnapshot() {
        if (decoding != null) {
            decoding.close();
            decoding = null;
        }
        if (snapshotReader != null) {
            snapshotReader.close();
            snapshotReader = null;
        }
    }

    /** Opens the snapshot the plan starts with; a damaged one is dropped for the previous generation. */
    private void openSnapshot(String name) throws IOException {
        Path path = directory.resolve(name);
        try {
            snapshotReader = SnapshotReader.open(path, engine.config().persistence.rdbchecksum.value());
            SnapshotLibraries.load(engine, path);
            snapshotBytes = SnapshotWriter.size(path);
            progress.nextFile(snapshotBytes);
            insertedRows = 0;
            SnapshotFormat.Marker marker = snapshotReader.marker();
            for (int database = 0; database < engine.keyspace().count(); database++) {
                long keys = marker.keys(database);
                if (keys > 0) {
                    engine.keyspace().database(database).reserve(keys);
                }
            }
            // As Redis loading an RDB file drops the keys whose time has passed, and an AOF's
            // preamble keeps them: the log replayed after it may still use them.
            boolean[] frequencyClocks = new boolean[engine.keyspace().count()];
            for (int database = 0; database < frequencyClocks.length; database++) {
                frequencyClocks[database] = engine.keyspace().database(database).usesFrequencyClock();
            }
            decoding = new SnapshotDecoding(snapshotReader, EncodingLimits.of(engine.config().encoding),
                    frequencyClocks, segments.isEmpty());
            decoding.start();
        } catch (SnapshotDamagedException e) {
            fallBack(e);
        }
    }

    /**
     * The current snapshot cannot be used: clear what it loaded and load the previous generation
     * (previous snapshot, previous segments) before the current segments.
     */
    private void fallBack(IOException problem) throws IOException {
        closeSnapshot();
        snapshotKeysLoaded = 0;
        snapshotKeysExpired = 0;
        engine.keyspace().clear();
        engine.clearFunctionLibraries();
        boolean previousExists = manifest.previousSnapshot() != null || !manifest.previousSegments().isEmpty();
        if (fellBack || !previousExists) {
            log.warning(problem.getMessage());
            throw new IOException("no earlier snapshot to fall back on. Check it with 'nuthatch-server --check-snapshot "
                    + directory.resolve(fellBack ? manifest.previousSnapshot() : manifest.snapshot()) + "'", problem);
        }
        fellBack = true;
        log.warning(problem.getMessage());
        log.warning("Ignoring the snapshot " + manifest.snapshot() + ": loading the previous one ("
                + (manifest.previousSnapshot() == null ? "none: the log from its start" : manifest.previousSnapshot())
                + ") and the " + (manifest.previousSegments().size() + manifest.segments().size())
                + " log segments after it instead.");
        List<String> all = new ArrayList<>(manifest.previousSegments());
        all.addAll(manifest.segments());
        segments = all;
        if (manifest.previousSnapshot() != null) {
            openSnapshot(manifest.previousSnapshot());
        }
    }

    private boolean start() throws IOException {
        Manifest found = directory.readManifest();
        if (found == null && engine.config().persistence.appendonly.value()) {
            found = directory.rebuildManifest();
            if (found != null) {
                log.warning("The manifest " + Manifest.path(directory.path()) + " is missing; rebuilt it from the "
                        + found.segments().size() + " log segments found: " + String.join(", ", found.segments()));
            }
        }
        if (found == null) {
            found = Manifest.empty();
            RedisDataImport.Plan plan = redisFiles(directory, engine.config());
            if (plan != null) {
                log.notice("No Nuthatch manifest in " + directory.path() + ": importing " + plan.description());
                plan.load(engine);
                imported = true;
            }
        }
        manifest = found;
        segments = found.segments();
        long total = 0;
        for (String segment : segments) {
            Path path = directory.resolve(segment);
            if (!Files.exists(path)) {
                throw new NoSuchFileException(path + " (named by the manifest)");
            }
            total += Files.size(path);
        }
        if (found.snapshot() != null && Files.isDirectory(directory.resolve(found.snapshot()))) {
            total += SnapshotWriter.size(directory.resolve(found.snapshot()));
        }
        progress.started(total);
        removeIncompleteSnapshots(found);
        if (found.snapshot() != null) {
            openSnapshot(found.snapshot());
        }
        return true;
    }

    /**
     * Snapshot directories of this dbfilename that the manifest does not name: left by a save that
     * never completed (or completed but died before the manifest switched). Removed, with a log line.
     */
    private void removeIncompleteSnapshots(Manifest named) throws IOException {
        String prefix = engine.config().persistence.dbfilename.value() + ".";
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory.path(),
                entry -> entry.getFileName().toString().startsWith(prefix)
                        && entry.getFileName().toString().endsWith(".snapshot") && Files.isDirectory(entry))) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!named.files().contains(name)) {
                    log.warning("Removing the snapshot directory " + entry + ", which the manifest does not name (a save"
                            + " that did not complete).");
                    SnapshotWriter.delete(entry);
                }
            }
        }
    }

    private boolean openNextSegment() throws IOException {
        if (segmentIndex + 1 >= segments.size()) {
            return false;
        }
        segmentIndex++;
        reader = new SegmentReader(directory.resolve(segments.get(segmentIndex)));
        progress.nextFile(reader.fileSize());
        return true;
    }

    /** The reader stopped: at the end, or at a problem. Whether the load goes on. */
    private boolean segmentEnded() throws IOException {
        SegmentReader ended = reader;
        reader = null;
        ended.close();
        progress.loadedBytes(ended.fileSize());
        boolean last = segmentIndex == segments.size() - 1;
        switch (ended.problem()) {
            case NONE -> {
                return true;
            }
            case TORN_TAIL -> {
                long lost = ended.fileSize() - ended.problemOffset();
                if (last && loadTruncated) {
                    truncate(ended.path(), ended.problemOffset());
                    log.warning("!!! Warning: the log segment " + ended.path() + " ends with a torn write ("
                            + ended.problemDetail() + ") !!!");
                    log.warning("AOF loaded anyway because aof-load-truncated is enabled: the segment was truncated"
                            + " from " + ended.fileSize() + " to " + ended.problemOffset() + " bytes (" + lost
                            + " bytes of a write that never completed, so never acknowledged).");
                    return true;
                }
                if (last) {
                    log.warning("The log segment " + ended.path() + " ends with a torn write at offset "
                            + ended.problemOffset() + " (" + ended.problemDetail() + ", " + lost + " bytes)."
                            + " aof-load-truncated is no, so the server refuses to start.");
                } else {
                    log.warning("The log segment " + ended.path() + " is truncated at offset " + ended.problemOffset()
                            + " (" + ended.problemDetail() + ") but it is not the last segment.");
                }
                log.warning(repairAdvice(ended.path()));
                return false;
            }
            default -> {
                log.warning("Bad file format reading the log segment " + ended.path() + " at offset "
                        + ended.problemOffset() + ": " + ended.problemDetail() + ".");
                log.warning(repairAdvice(ended.path()));
                return false;
            }
        }
    }

    private static String repairAdvice(Path path) {
        return "Check it with 'nuthatch-server --check-aof " + path + "'; 'nuthatch-server --check-aof --fix " + path
                + "' truncates it at the first damaged batch (everything after it is lost).";
    }

    private static void truncate(Path path, long size) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
            channel.truncate(size);
            channel.force(true);
        }
    }

    private void finish() {
        long keys = engine.keyspace().size();
        double seconds = (System.nanoTime() - started) / 1e9;
        for (CommandSpec command : engine.commands().commands()) {
            command.stats().reset();
            for (CommandSpec subcommand : command.subcommands().values()) {
                subcommand.stats().reset();
            }
        }
        outcome.loaded(manifest, keys, seconds, imported, snapshotKeysLoaded, snapshotKeysExpired);
    }

    private void fail() {
        closeSnapshot();
        if (reader != null) {
            try {
                reader.close();
            } catch (IOException ignored) {
                // already failing
            }
        }
        outcome.failed();
    }

    long commandsReplayed() {
        return replay.commands();
    }
}
