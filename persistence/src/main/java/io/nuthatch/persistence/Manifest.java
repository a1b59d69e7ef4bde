package io.nuthatch.persistence;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * What is current in the data directory: the snapshot to load (or none) and the log segments to
 * replay after it, in order. {@value #FILE_NAME} in {@code dir}; its presence is also what says the
 * directory is Nuthatch's (a directory with Redis files and no manifest is imported instead).
 *
 * <p>Text, one entry per line, readable and diffable:
 *
 * <pre>
 * # Nuthatch manifest ...
 * format 1
 * sequence 7
 * snapshot dump.rdb.6.snapshot
 * segment appendonlydir/appendonly.aof.7.segment.aof
 * previous-snapshot dump.rdb.3.snapshot
 * previous-segment appendonlydir/appendonly.aof.4.segment.aof
 * checksum 89ab01cd
 * </pre>
 *
 * Paths are relative to {@code dir}, so a volume mounted elsewhere still loads. {@code sequence}
 * is the last number given to a file: new files take the next, so a name is never reused. The
 * checksum (CRC-32C of every line before it) catches a manifest damaged on disk.
 *
 * <p><b>One generation back.</b> {@code previous-snapshot} and the {@code previous-segment}s are
 * the snapshot before the current one and the segments that lead from it to the current one. They
 * are kept so that a current snapshot found damaged at load can be ignored in favour of the
 * previous one: previous snapshot, previous segments, then the current segments give the same
 * dataset. They are retired (deleted) when the next snapshot completes. A snapshot that never
 * completed is never named here at all: the manifest switches to a snapshot only after its marker
 * is on disk.
 *
 * <p>It is replaced, never edited in place ({@link #write}): written whole to a temporary file,
 * fsynced, renamed over the old one (atomic), and the directory fsynced so that the rename itself
 * survives a machine failure. A crash at any point leaves either the old manifest or the new one.
 * Files the old one named and the new one does not are deleted only after that.
 */
public record Manifest(long sequence, String snapshot, List<String> segments, String previousSnapshot,
        List<String> previousSegments) {
    public static final String FILE_NAME = "nuthatch.manifest";
    private static final String TEMPORARY_NAME = FILE_NAME + ".tmp";
    private static final int FORMAT = 1;

    public Manifest {
        segments = List.copyOf(segments);
        previousSegments = List.copyOf(previousSegments);
    }

    /** A manifest with no previous generation. */
    public Manifest(long sequence, String snapshot, List<String> segments) {
        this(sequence, snapshot, segments, null, List.of());
    }

    /**
     * The manifest once snapshot {@code newSnapshot} (taken exactly where segment {@code newSegment}
     * began) completed: the current snapshot and the segments before {@code newSegment} become the
     * previous generation; what was previous before is retired (see {@link #retiredBy}).
     */
    public Manifest withSnapshot(String newSnapshot, String newSegment, long newSequence) {
        List<String> before = new ArrayList<>();
        List<String> after = new ArrayList<>();
        // Without a new segment (no log) every segment so far leads to the new snapshot.
        boolean reached = false;
        for (String segment : segments) {
            reached |= newSegment != null && segment.equals(newSegment);
            (reached ? after : before).add(segment);
        }
        if (newSegment != null && !reached) {
            // A segment opened unlisted (the log turned on at run time): it starts with this snapshot.
            after.add(newSegment);
        }
        return new Manifest(Math.max(sequence, newSequence), newSnapshot, after, snapshot, before);
    }

    /** The files this manifest names, snapshots and segments, current and previous. */
    public List<String> files() {
        List<String> files = new ArrayList<>();
        if (snapshot != null) {
            files.add(snapshot);
        }
        files.addAll(segments);
        if (previousSnapshot != null) {
            files.add(previousSnapshot);
        }
        files.addAll(previousSegments);
        return files;
    }

    /** The files {@code older} named that this one does not: to delete once this one is written. */
    public List<String> retiredBy(Manifest older) {
        List<String> retired = new ArrayList<>(older.files());
        retired.removeAll(files());
        return retired;
    }

    /** A manifest naming nothing yet. */
    public static Manifest empty() {
        return new Manifest(0, null, List.of());
    }

    public Manifest withSegmentAdded(String segment, long newSequence) {
        List<String> more = new ArrayList<>(segments);
        more.add(segment);
        return new Manifest(Math.max(sequence, newSequence), snapshot, more, previousSnapshot, previousSegments);
    }

    /** The current segment: the last one, appended to. */
    public String lastSegment() {
        return segments.isEmpty() ? null : segments.get(segments.size() - 1);
    }

    public static Path path(Path directory) {
        return directory.resolve(FILE_NAME);
    }

    /** The manifest of {@code directory}, or null when it has none. */
    public static Manifest read(Path directory) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(path(directory), StandardCharsets.UTF_8);
        } catch (NoSuchFileException none) {
            return null;
        }
        CRC32C crc = new CRC32C();
        long sequence = -1;
        String snapshot = null;
        List<String> segments = new ArrayList<>();
        String previousSnapshot = null;
        List<String> previousSegments = new ArrayList<>();
        boolean checked = false;
        int lineNumber = 0;
        for (String line : lines) {
            lineNumber++;
            if (checked) {
                throw damaged(directory, lineNumber, "text after the checksum");
            }
            if (line.startsWith("checksum ")) {
                long stated = parseHex(line.substring(9), directory, lineNumber);
                if (stated != crc.getValue()) {
                    throw damaged(directory, lineNumber, "checksum mismatch");
                }
                checked = true;
                continue;
            }
            byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
            crc.update(bytes, 0, bytes.length);
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int space = line.indexOf(' ');
            String word = space < 0 ? line : line.substring(0, space);
            String value = space < 0 ? "" : line.substring(space + 1);
            switch (word) {
                case "format" -> {
                    if (!value.equals(Integer.toString(FORMAT))) {
                        throw damaged(directory, lineNumber, "format " + value + " is not one this version reads");
                    }
                }
                case "sequence" -> sequence = parseLong(value, directory, lineNumber);
                case "snapshot" -> snapshot = safeRelative(value, directory, lineNumber);
                case "segment" -> segments.add(safeRelative(value, directory, lineNumber));
                case "previous-snapshot" -> previousSnapshot = safeRelative(value, directory, lineNumber);
                case "previous-segment" -> previousSegments.add(safeRelative(value, directory, lineNumber));
                default -> throw damaged(directory, lineNumber, "unknown entry '" + word + "'");
            }
        }
        if (!checked) {
            throw damaged(directory, lineNumber, "no checksum line (the file is cut short)");
        }
        if (sequence < 0) {
            throw damaged(directory, lineNumber, "no sequence line");
        }
        return new Manifest(sequence, snapshot, segments, previousSnapshot, previousSegments);
    }

    /** Replaces the manifest of {@code directory} with this one, atomically and durably. */
    public void write(Path directory) throws IOException {
        StringBuilder text = new StringBuilder()
                .append("# Nuthatch manifest: the snapshot and log segments that hold the dataset, in load order.\n")
                .append("# Written by the server; replaced by rename. Check with nuthatch-server --check-aof.\n")
                .append("format ").append(FORMAT).append('\n')
                .append("sequence ").append(sequence).append('\n');
        if (snapshot != null) {
            text.append("snapshot ").append(snapshot).append('\n');
        }
        for (String segment : segments) {
            text.append("segment ").append(segment).append('\n');
        }
        if (previousSnapshot != null) {
            text.append("previous-snapshot ").append(previousSnapshot).append('\n');
        }
        for (String segment : previousSegments) {
            text.append("previous-segment ").append(segment).append('\n');
        }
        byte[] body = text.toString().getBytes(StandardCharsets.UTF_8);
        CRC32C crc = new CRC32C();
        crc.update(body, 0, body.length);
        byte[] checksum = String.format("checksum %08x\n", crc.getValue()).getBytes(StandardCharsets.US_ASCII);

        Path temporary = directory.resolve(TEMPORARY_NAME);
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ByteBuffer[] buffers = {ByteBuffer.wrap(body), ByteBuffer.wrap(checksum)};
            long remaining = body.length + checksum.length;
            while (remaining > 0) {
                remaining -= channel.write(buffers);
            }
            channel.force(true);
        }
        try {
            Files.move(temporary, path(directory), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system of " + directory + " cannot rename atomically", e);
        }
        syncDirectory(directory);
    }

    /** fsyncs a directory, so that files created, renamed or deleted in it stay so after a crash. */
    public static void syncDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    private static String safeRelative(String value, Path directory, int lineNumber) throws IOException {
        Path relative = Path.of(value);
        if (value.isEmpty() || relative.isAbsolute() || relative.normalize().startsWith("..")) {
            throw damaged(directory, lineNumber, "'" + value + "' is not a path inside the directory");
        }
        return value;
    }

    private static long parseLong(String value, Path directory, int lineNumber) throws IOException {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw damaged(directory, lineNumber, "'" + value + "' is not a number");
        }
    }

    private static long parseHex(String value, Path directory, int lineNumber) throws IOException {
        try {
            return Long.parseLong(value, 16);
        } catch (NumberFormatException e) {
            throw damaged(directory, lineNumber, "'" + value + "' is not a checksum");
        }
    }

    private static IOException damaged(Path directory, int lineNumber, String what) {
        return new IOException("The manifest " + path(directory) + " is damaged at line " + lineNumber + ": " + what);
    }
}
