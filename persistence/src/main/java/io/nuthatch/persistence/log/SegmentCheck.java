package io.nuthatch.persistence.log;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * {@code nuthatch-server --check-aof [--fix] FILE}: reads a log segment as startup would, every
 * batch's checksum included, and says whether it is whole; with {@code --fix} it truncates the
 * segment at the first batch that is torn or damaged, as redis-check-aof --fix truncates an AOF,
 * after which the server starts from what is left. What comes after that point is lost, which the
 * report says in bytes before anything is cut.
 */
public final class SegmentCheck {
    private SegmentCheck() {
    }

    /** @return the exit status: 0 valid (or fixed), 1 not valid, 2 unreadable */
    public static int run(Path file, boolean fix, PrintStream out) {
        if (!Files.isRegularFile(file)) {
            out.println("Cannot open " + file + ": no such file");
            return 2;
        }
        SegmentReader reader;
        try {
            reader = new SegmentReader(file);
            try (reader) {
                while (reader.next((bytes, offset, length, count) -> { })) {
                    // every batch is verified by next
                }
            }
        } catch (IOException e) {
            out.println("Cannot read " + file + ": " + e.getMessage());
            return 2;
        }
        out.println("Log segment analyzed: filename=" + file + ", size=" + reader.fileSize() + ", batches="
                + reader.batches() + ", commands=" + reader.records() + ", ok_up_to=" + reader.verifiedSize()
                + ", diff=" + (reader.fileSize() - reader.verifiedSize()));
        if (reader.problem() == SegmentReader.Problem.NONE) {
            out.println("Log segment " + file + " is valid");
            return 0;
        }
        String what = reader.problem() == SegmentReader.Problem.TORN_TAIL ? "torn tail" : "damage";
        out.println("Found " + what + " at offset " + reader.problemOffset() + ": " + reader.problemDetail());
        long lost = reader.fileSize() - reader.problemOffset();
        if (!fix) {
            out.println("Log segment is not valid. Use the --fix option to truncate it at offset "
                    + reader.problemOffset() + " (" + lost + " bytes after it are lost).");
            return 1;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(reader.problemOffset());
            channel.force(true);
        } catch (IOException e) {
            out.println("Failed to truncate " + file + ": " + e.getMessage());
            return 2;
        }
        out.println("Successfully truncated the log segment " + file + " to " + reader.problemOffset() + " bytes ("
                + lost + " bytes removed)");
        return 0;
    }
}
