package io.nuthatch.persistence;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The files of {@code dir} and their names: the manifest, and the log segments in
 * {@code appenddirname}, named {@code <appendfilename>.<sequence>.segment.aof} so that they never
 * collide with a Redis 7 multi-part AOF ({@code .base.rdb}, {@code .incr.aof}) that may sit in the
 * same directory waiting to be imported.
 */
public final class DataDirectory {
    private static final String SEGMENT_SUFFIX = ".segment.aof";

    private final Path directory;
    private final String logDirectoryName;
    private final String logFileName;

    /**
     * @param directory {@code dir}, absolute
     * @param logDirectoryName {@code appenddirname}
     * @param logFileName {@code appendfilename}
     */
    public DataDirectory(Path directory, String logDirectoryName, String logFileName) {
        this.directory = directory;
        this.logDirectoryName = logDirectoryName;
        this.logFileName = logFileName;
    }

    public Path path() {
        return directory;
    }

    /** A path of the manifest, relative to {@code dir}, made absolute. */
    public Path resolve(String relative) {
        return directory.resolve(relative);
    }

    /** The manifest's name of segment {@code sequence} (relative to {@code dir}). */
    public String segmentName(long sequence) {
        return logDirectoryName + "/" + logFileName + "." + sequence + SEGMENT_SUFFIX;
    }

    /**
     * The manifest's name of snapshot {@code sequence}: {@code <dbfilename>.<sequence>.snapshot}, a
     * RocksDB directory in {@code dir}. It never collides with Redis's {@code dump.rdb} itself, which
     * may sit beside it waiting to be imported.
     */
    public static String snapshotName(String dbfilename, long sequence) {
        return dbfilename + "." + sequence + ".snapshot";
    }

    /** Creates {@code appenddirname} if needed (and makes its creation durable). */
    public void createLogDirectory() throws IOException {
        Path logDirectory = directory.resolve(logDirectoryName);
        if (!Files.isDirectory(logDirectory)) {
            Files.createDirectories(logDirectory);
            Manifest.syncDirectory(directory);
        }
    }

    public Manifest readManifest() throws IOException {
        return Manifest.read(directory);
    }

    /**
     * The manifest a directory whose manifest is gone would have had: every segment found, in
     * sequence order. Segments a switch retired are deleted only after the new manifest is in
     * place, so what is left is what the last manifest named (or, if the server died between the
     * switch and the deletion, more, which replaying in order reproduces too).
     *
     * @return null when there is no segment
     */
    public Manifest rebuildManifest() throws IOException {
        Path logDirectory = directory.resolve(logDirectoryName);
        if (!Files.isDirectory(logDirectory)) {
            return null;
        }
        Pattern name = Pattern.compile(Pattern.quote(logFileName) + "\\.(\\d{1,18})" + Pattern.quote(SEGMENT_SUFFIX));
        List<long[]> found = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(logDirectory)) {
            for (Path file : files) {
                Matcher matcher = name.matcher(file.getFileName().toString());
                if (matcher.matches()) {
                    found.add(new long[] {Long.parseLong(matcher.group(1))});
                }
            }
        }
        if (found.isEmpty()) {
            return null;
        }
        found.sort(Comparator.comparingLong(entry -> entry[0]));
        List<String> segments = new ArrayList<>();
        for (long[] entry : found) {
            segments.add(segmentName(entry[0]));
        }
        return new Manifest(found.get(found.size() - 1)[0], null, segments);
    }
}
