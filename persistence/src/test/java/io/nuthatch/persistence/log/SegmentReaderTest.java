package io.nuthatch.persistence.log;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Segments written by AppendOnlyLog, read back by SegmentReader, whole, cut and damaged. */
class SegmentReaderTest {
    @TempDir
    Path dir;

    private final List<Long> durable = new ArrayList<>();

    private Path writeUnits(int units, int recordsPerBatch) throws IOException {
        Path file = dir.resolve("segment.aof");
        try (AppendOnlyLog log = new AppendOnlyLog(file, FsyncPolicy.NO, observer())) {
            long offset = 0;
            for (int unit = 0; unit < units; unit++) {
                byte[] key = ("key:" + unit).getBytes(StandardCharsets.US_ASCII);
                log.beginRecord(unit % 3, 3);
                log.argument("SET".getBytes(StandardCharsets.US_ASCII), 0, 3);
                log.argument(key, 0, key.length);
                log.argument(new byte[unit], 0, unit);
                log.endUnit(++offset);
                if ((unit + 1) % recordsPerBatch == 0) {
                    log.writeBatch();
                }
            }
        }
        return file;
    }

    private AppendOnlyLog.Observer observer() {
        return new AppendOnlyLog.Observer() {
            @Override
            public void durableThrough(long offset) {
                durable.add(offset);
            }

            @Override
            public void warning(String message) {
            }
        };
    }

    private static List<String> commands(SegmentReader reader) throws IOException {
        List<String> commands = new ArrayList<>();
        while (reader.next((bytes, offset, length, count) -> {
            String text = new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
            for (String command : text.split("(?=\\*\\d+\\r\\n\\$)")) {
                commands.add(command);
            }
        })) {
            // read on
        }
        return commands;
    }

    @Test
    void everyRecordComesBackWithItsSelectsAndEachUnitIsReportedOnceWritten() throws IOException {
        Path file = writeUnits(30, 4);
        try (SegmentReader reader = new SegmentReader(file)) {
            List<String> commands = commands(reader);
            assertEquals(SegmentReader.Problem.NONE, reader.problem());
            assertEquals(30 + 30, commands.size(), "a SELECT before each record: the database changes every time");
            assertEquals("*2\r\n$6\r\nSELECT\r\n$1\r\n1\r\n", commands.get(2));
            assertEquals("*3\r\n$3\r\nSET\r\n$5\r\nkey:1\r\n$1\r\n\0\r\n", commands.get(3));
            assertEquals(8, reader.batches(), "7 batches of 4 and the last 2 written at close");
            assertEquals(Files.size(file), reader.verifiedSize());
        }
        assertEquals(List.of(4L, 8L, 12L, 16L, 20L, 24L, 28L, 30L, 30L), durable);
    }

    @Test
    void aCutAnywhereInsideTheLastBatchIsATornTailAtItsStart() throws IOException {
        Path file = writeUnits(8, 4);
        byte[] whole = Files.readAllBytes(file);
        int secondBatch = new String(whole, StandardCharsets.ISO_8859_1).indexOf("#C:") + 13;
        for (int cut = secondBatch + 1; cut < whole.length; cut++) {
            Files.write(file, java.util.Arrays.copyOf(whole, cut));
            try (SegmentReader reader = new SegmentReader(file)) {
                assertEquals(4 * 2, commands(reader).size(), "cut at " + cut);
                assertEquals(SegmentReader.Problem.TORN_TAIL, reader.problem(), "cut at " + cut);
                assertEquals(secondBatch, reader.problemOffset(), "cut at " + cut);
            }
        }
    }

    @Test
    void aFlippedBitIsDamageInTheMiddleAndATornTailInTheLastBatch() throws IOException {
        Path file = writeUnits(12, 4);
        byte[] whole = Files.readAllBytes(file);
        String text = new String(whole, StandardCharsets.ISO_8859_1);
        int firstEnd = text.indexOf("#C:") + 13;
        int lastStart = text.lastIndexOf("#C:", text.length() - 14) + 13;

        byte[] middle = whole.clone();
        middle[text.indexOf("key:5")] ^= 0x20;
        Files.write(file, middle);
        try (SegmentReader reader = new SegmentReader(file)) {
            commands(reader);
            assertEquals(SegmentReader.Problem.CORRUPT, reader.problem());
            assertEquals(firstEnd, reader.problemOffset());
        }

        byte[] last = whole.clone();
        last[text.indexOf("key:10")] ^= 0x20;
        Files.write(file, last);
        try (SegmentReader reader = new SegmentReader(file)) {
            commands(reader);
            assertEquals(SegmentReader.Problem.TORN_TAIL, reader.problem());
            assertEquals(lastStart, reader.problemOffset());
        }
    }

    @Test
    void bytesThatAreNoCommandAreDamageUnlessTheyAreZerosToTheEnd() throws IOException {
        Path file = writeUnits(4, 4);
        long size = Files.size(file);
        Files.write(file, new byte[100], StandardOpenOption.APPEND);
        try (SegmentReader reader = new SegmentReader(file)) {
            commands(reader);
            assertEquals(SegmentReader.Problem.TORN_TAIL, reader.problem());
            assertEquals(size, reader.problemOffset());
        }
        Files.write(file, "x\r\n".getBytes(StandardCharsets.US_ASCII), StandardOpenOption.APPEND);
        try (SegmentReader reader = new SegmentReader(file)) {
            commands(reader);
            assertEquals(SegmentReader.Problem.CORRUPT, reader.problem());
        }
    }

    @Test
    void aBatchLargerThanTheReadWindowIsReadWhole() throws IOException {
        Path file = writeUnits(600, 600);
        try (SegmentReader reader = new SegmentReader(file)) {
            assertEquals(1200, commands(reader).size());
            assertEquals(SegmentReader.Problem.NONE, reader.problem());
            assertEquals(1, reader.batches());
        }
    }
}
