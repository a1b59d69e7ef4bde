package io.nuthatch.server.persistence;

import io.nuthatch.persistence.DataDirectory;
import io.nuthatch.persistence.Manifest;
import io.nuthatch.persistence.log.SegmentReader;
import io.nuthatch.server.Engine;
import io.nuthatch.server.command.CommandSpec;
import io.nuthatch.server.gate.ExecutionGate;
import io.nuthatch.server.info.ServerStats;
import io.nuthatch.server.log.ServerLog;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Loads what the manifest names, in slices of the execution gate's LOADING state (clients get
 * -LOADING meanwhile, and INFO, CONFIG and the other loading-ok commands between slices): the
 * snapshot (none exists yet), then each segment in order, each batch checked before it is applied.
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
        /** Called with the engine held, in the last slice: the dataset is loaded and clients may write. */
        void loaded(Manifest manifest, long keys, double seconds);

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

    /**
     * One slice. As in Redis, whose loader calls the commands' code directly, replayed records
     * count in no statistics: the counters a slice moved are put back after it (clients run their
     * loading-ok commands only between slices), and the per-command figures are cleared once the
     * load is over (what clients ran while it loaded, INFO or PING, goes with them).
     */
    @Override
    public boolean loadSlice() {
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

    private boolean start() throws IOException {
        Manifest found = directory.readManifest();
        if (found == null) {
            found = directory.rebuildManifest();
            if (found != null) {
                log.warning("The manifest " + Manifest.path(directory.path()) + " is missing; rebuilt it from the "
                        + found.segments().size() + " log segments found: " + String.join(", ", found.segments()));
            } else {
                found = Manifest.empty();
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
        progress.started(total);
        return true;
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
        outcome.loaded(manifest, keys, seconds);
    }

    private void fail() {
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
