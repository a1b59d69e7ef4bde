package io.nuthatch.persistence;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ManifestTest {
    @TempDir
    Path dir;

    @Test
    void writtenManifestReadsBackAndLeavesNoTemporaryFile() throws IOException {
        Manifest manifest = new Manifest(7, "dump.rdb.6.snapshot", List.of("appendonlydir/a.7.segment.aof"));
        manifest.write(dir);
        assertEquals(manifest, Manifest.read(dir));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(Manifest.path(dir)), files.toList());
        }
    }

    @Test
    void noManifestIsNull() throws IOException {
        assertNull(Manifest.read(dir));
    }

    @Test
    void anEditedOrCutManifestIsRefused() throws IOException {
        new Manifest(3, null, List.of("appendonlydir/a.2.segment.aof", "appendonlydir/a.3.segment.aof")).write(dir);
        String text = Files.readString(Manifest.path(dir));
        Files.writeString(Manifest.path(dir), text.replace("a.2.", "a.1."));
        assertTrue(assertThrows(IOException.class, () -> Manifest.read(dir)).getMessage().contains("checksum mismatch"));
        Files.writeString(Manifest.path(dir), text.substring(0, text.indexOf("checksum")));
        assertTrue(assertThrows(IOException.class, () -> Manifest.read(dir)).getMessage().contains("no checksum"));
    }

    @Test
    void pathsOutsideTheDirectoryAreRefused() throws IOException {
        new Manifest(1, null, List.of("../elsewhere.aof")).write(dir);
        assertThrows(IOException.class, () -> Manifest.read(dir));
    }

    @Test
    void segmentsFoundRebuildAManifestInSequenceOrder() throws IOException {
        DataDirectory data = new DataDirectory(dir, "appendonlydir", "appendonly.aof");
        data.createLogDirectory();
        for (long sequence : new long[] {10, 2, 9}) {
            Files.createFile(data.resolve(data.segmentName(sequence)));
        }
        Files.createFile(data.resolve("appendonlydir/appendonly.aof.1.incr.aof"));
        Manifest rebuilt = data.rebuildManifest();
        assertEquals(10, rebuilt.sequence());
        assertEquals(List.of(data.segmentName(2), data.segmentName(9), data.segmentName(10)), rebuilt.segments());
    }
}
