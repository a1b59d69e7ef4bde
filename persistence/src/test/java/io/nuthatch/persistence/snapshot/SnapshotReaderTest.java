package io.nuthatch.persistence.snapshot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A snapshot is read back file by file, in parts that threads read side by side: every row comes
 * back once, with its database, expiry and value; the totals are checked against the marker; the
 * marker records the rows of each database, and a marker of the first format (without them) is
 * still read.
 */
class SnapshotReaderTest {
    /** Enough incompressible bytes to fill several of the writer's 8 MB memtables. */
    private static final int ROWS = 60_000;
    private static final int VALUE_BYTES = 400;

    @TempDir
    Path dir;

    private final Map<String, byte[]> written = new HashMap<>();
    /** The access clock each row was written with, as "kind:value". */
    private final Map<String, String> clocks = new HashMap<>();

    private Path writeSnapshot() throws IOException {
        return writeSnapshot(SnapshotFormat.FORMAT);
    }

    /**
     * Rows of database 3 keep an LFU counter, those of database 0 idle seconds (up to past the
     * 24-bit clock's range) or, one in three, nothing; a format before 3 drops them.
     */
    private Path writeSnapshot(int format) throws IOException {
        Path snapshot = dir.resolve("dump.rdb.1.snapshot");
        Random random = new Random(9);
        try (SnapshotWriter writer = SnapshotWriter.createOfFormat(snapshot, true, true, format)) {
            for (int i = 0; i < ROWS; i++) {
                int database = i % 10 == 0 ? 3 : 0;
                byte[] key = ("key:" + i).getBytes(StandardCharsets.US_ASCII);
                byte[] value = new byte[VALUE_BYTES];
                random.nextBytes(value);
                long expiresAt = i % 2 == 0 ? SnapshotFormat.NO_EXPIRY : 1_900_000_000_000L + i;
                int kind = database == 3 ? SnapshotFormat.ACCESS_FREQUENCY
                        : i % 3 == 0 ? SnapshotFormat.ACCESS_NONE : SnapshotFormat.ACCESS_IDLE;
                long access = kind == SnapshotFormat.ACCESS_FREQUENCY ? i % 256
                        : kind == SnapshotFormat.ACCESS_IDLE ? (long) i * i * 7 : 0;
                writer.add(database, key, 0, key.length, expiresAt, kind, access, value, 0, value.length);
                written.put(database + "/key:" + i + "/" + expiresAt, value);
                clocks.put(database + "/key:" + i + "/" + expiresAt,
                        format >= SnapshotFormat.FORMAT ? kind + ":" + access : SnapshotFormat.ACCESS_NONE + ":0");
            }
            writer.complete();
        }
        return snapshot;
    }

    /** Reads every part on a thread of its own; the rows as "database/key/expiry" to value. */
    private static Map<String, byte[]> readInParallel(SnapshotReader reader) throws Exception {
        return readInParallel(reader, new HashMap<>());
    }

    /** The same, and each row's access clock as "kind:value" into {@code clocks}. */
    private static Map<String, byte[]> readInParallel(SnapshotReader reader, Map<String, String> clocks)
            throws Exception {
        Map<String, String> readClocks = java.util.Collections.synchronizedMap(clocks);
        ExecutorService threads = Executors.newFixedThreadPool(reader.parts().size());
        try {
            List<Future<Map<String, byte[]>>> results = new ArrayList<>();
            for (SnapshotReader.Part part : reader.parts()) {
                results.add(threads.submit(() -> {
                    Map<String, byte[]> rows = new HashMap<>();
                    SnapshotReader.Row row = new SnapshotReader.Row();
                    while (part.next(row)) {
                        String key = new String(row.keyArray(), row.keyOffset(), row.keyLength(),
                                StandardCharsets.US_ASCII);
                        byte[] value = Arrays.copyOfRange(row.value(), row.valueOffset(),
                                row.valueOffset() + row.valueLength());
                        rows.put(row.database() + "/" + key + "/" + row.expiresAt(), value);
                        readClocks.put(row.database() + "/" + key + "/" + row.expiresAt(),
                                row.accessKind() + ":" + row.access());
                    }
                    return rows;
                }));
            }
            Map<String, byte[]> all = new HashMap<>();
            for (Future<Map<String, byte[]>> result : results) {
                for (Map.Entry<String, byte[]> row : result.get().entrySet()) {
                    assertTrue(all.put(row.getKey(), row.getValue()) == null, "read twice: " + row.getKey());
                }
            }
            return all;
        } finally {
            threads.shutdown();
        }
    }

    @Test
    void everyRowComesBackOnceFromPartsReadSideBySide() throws Exception {
        Path snapshot = writeSnapshot();
        try (SnapshotReader reader = SnapshotReader.open(snapshot, true)) {
            assertTrue(reader.parts().size() >= 2, "parts: " + reader.parts().size());
            Map<String, byte[]> read = readInParallel(reader);
            reader.verifyTotals();
            assertEquals(ROWS, reader.rowsRead());
            assertEquals(written.keySet(), read.keySet());
            for (Map.Entry<String, byte[]> row : written.entrySet()) {
                assertArrayEquals(row.getValue(), read.get(row.getKey()), row.getKey());
            }
        }
    }

    @Test
    void rowsOfTheThirdFormatKeepTheirIdleSecondsOrLfuCounter() throws Exception {
        Path snapshot = writeSnapshot(3);
        assertTrue(Files.readString(snapshot.resolve(SnapshotFormat.MARKER)).startsWith("nuthatch-snapshot 3\n"));
        Map<String, String> read = new HashMap<>();
        try (SnapshotReader reader = SnapshotReader.open(snapshot, true)) {
            Map<String, byte[]> rows = readInParallel(reader, read);
            reader.verifyTotals();
            for (Map.Entry<String, byte[]> row : written.entrySet()) {
                assertArrayEquals(row.getValue(), rows.get(row.getKey()), row.getKey());
            }
        }
        assertEquals(clocks, read);
        assertEquals("2:246", read.get("3/key:2550/-1"));
        assertEquals("1:" + 59_999L * 59_999 * 7, read.get("0/key:59999/" + (1_900_000_000_000L + 59_999)));
        assertEquals("0:0", read.get("0/key:3/" + (1_900_000_000_000L + 3)));
    }

    @Test
    void aSnapshotOfTheSecondFormatWithoutAccessClocksIsStillRead() throws Exception {
        Path snapshot = writeSnapshot(2);
        assertTrue(Files.readString(snapshot.resolve(SnapshotFormat.MARKER)).startsWith("nuthatch-snapshot 2\n"));
        Map<String, String> read = new HashMap<>();
        try (SnapshotReader reader = SnapshotReader.open(snapshot, true)) {
            assertEquals(ROWS - ROWS / 10, reader.marker().keys(0));
            Map<String, byte[]> rows = readInParallel(reader, read);
            reader.verifyTotals();
            for (Map.Entry<String, byte[]> row : written.entrySet()) {
                assertArrayEquals(row.getValue(), rows.get(row.getKey()), row.getKey());
            }
        }
        assertEquals(clocks, read, "no clock: every row reads as ACCESS_NONE");
    }

    @Test
    void aSnapshotOfTheFirstFormatIsStillRead() throws Exception {
        Path snapshot = writeSnapshot(1);
        String marker = Files.readString(snapshot.resolve(SnapshotFormat.MARKER));
        assertTrue(marker.startsWith("nuthatch-snapshot 1\nkeys " + ROWS + "\nchecksum "), marker);
        try (SnapshotReader reader = SnapshotReader.open(snapshot, true)) {
            assertEquals(-1, reader.marker().keys(0));
            Map<String, byte[]> rows = readInParallel(reader);
            reader.verifyTotals();
            for (Map.Entry<String, byte[]> row : written.entrySet()) {
                assertArrayEquals(row.getValue(), rows.get(row.getKey()), row.getKey());
            }
        }
    }

    @Test
    void theMarkerRecordsTheRowsOfEachDatabase() throws Exception {
        Path snapshot = writeSnapshot();
        SnapshotFormat.Marker marker = SnapshotFormat.readMarker(snapshot);
        assertEquals(ROWS, marker.keys());
        assertEquals(ROWS - ROWS / 10, marker.keys(0));
        assertEquals(ROWS / 10, marker.keys(3));
        assertEquals(0, marker.keys(1));
        assertEquals(0, marker.keys(15));
        assertTrue(Files.readString(snapshot.resolve(SnapshotFormat.MARKER))
                .contains("\ndatabases 0:" + (ROWS - ROWS / 10) + " 3:" + ROWS / 10 + "\n"));
    }

    @Test
    void aMarkerOfTheFirstFormatWithoutCountsIsStillRead() throws Exception {
        Path snapshot = writeSnapshot();
        Path markerFile = snapshot.resolve(SnapshotFormat.MARKER);
        List<String> lines = new ArrayList<>(Files.readAllLines(markerFile));
        lines.remove(2);
        lines.set(0, "nuthatch-snapshot 1");
        lines.remove(lines.size() - 1);
        CRC32C crc = new CRC32C();
        byte[] body = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.US_ASCII);
        crc.update(body, 0, body.length);
        Files.writeString(markerFile, new String(body, StandardCharsets.US_ASCII)
                + String.format("crc %08x\n", crc.getValue()));

        SnapshotFormat.Marker marker = SnapshotFormat.readMarker(snapshot);
        assertEquals(ROWS, marker.keys());
        assertEquals(-1, marker.keys(0), "not recorded");
        try (SnapshotReader reader = SnapshotReader.open(snapshot, true)) {
            assertEquals(written.keySet(), readInParallel(reader).keySet());
            reader.verifyTotals();
        }
    }

    @Test
    void countsPerDatabaseThatDoNotAddUpAreRefused() throws Exception {
        Path snapshot = writeSnapshot();
        Path markerFile = snapshot.resolve(SnapshotFormat.MARKER);
        List<String> lines = new ArrayList<>(Files.readAllLines(markerFile));
        lines.set(2, "databases 0:1 3:" + ROWS / 10);
        lines.remove(lines.size() - 1);
        CRC32C crc = new CRC32C();
        byte[] body = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.US_ASCII);
        crc.update(body, 0, body.length);
        Files.writeString(markerFile, new String(body, StandardCharsets.US_ASCII)
                + String.format("crc %08x\n", crc.getValue()));

        SnapshotDamagedException refused = assertThrows(SnapshotDamagedException.class,
                () -> SnapshotReader.open(snapshot, true));
        assertTrue(refused.getMessage().contains("do not add up"), refused.getMessage());
    }

    @Test
    void totalsAreRefusedUntilEveryPartWasReadToItsEnd() throws Exception {
        Path snapshot = writeSnapshot();
        try (SnapshotReader reader = SnapshotReader.open(snapshot, true)) {
            SnapshotReader.Row row = new SnapshotReader.Row();
            SnapshotReader.Part first = reader.parts().get(0);
            while (first.next(row)) {
                assertFalse(row.keyLength() == 0);
            }
            SnapshotDamagedException refused = assertThrows(SnapshotDamagedException.class, reader::verifyTotals);
            assertTrue(refused.getMessage().contains("was not read to its end"), refused.getMessage());
            SnapshotReader.Part second = reader.parts().get(1);
            second.close();
            assertThrows(SnapshotDamagedException.class, () -> second.next(row), "a closed part reads nothing more");
        }
    }

    @Test
    void theCheckCommandReadsEveryPart() throws Exception {
        Path snapshot = writeSnapshot();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        assertEquals(0, SnapshotCheck.run(snapshot, new java.io.PrintStream(out, true, StandardCharsets.UTF_8)));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("complete and sound: " + ROWS + " keys (" + ROWS / 2 + " with an expiry)"), text);
        assertTrue(text.contains("db3: " + ROWS / 10 + " keys"), text);
    }
}
