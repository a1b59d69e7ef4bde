package io.nuthatch.persistence.snapshot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * The function libraries of a snapshot (Redis 7's FUNCTION LOAD), beside its rows: one file,
 * {@value #FILE}, in the snapshot directory, written before the marker so that a snapshot that
 * exists has them. They are not rows because they belong to no database and are few; the bytes
 * are opaque here (the server writes FUNCTION DUMP's payload).
 *
 * <p>The file is the payload's length (8 bytes, big-endian), the payload, then the CRC-32C of
 * both (4 bytes, big-endian). A snapshot without the file (written before functions existed, or
 * by a server that had none) has no libraries.
 */
public final class SnapshotFunctions {
    /** The file's name, inside the snapshot directory. */
    public static final String FILE = "FUNCTIONS";
    private static final int HEADER = 8;
    private static final int TRAILER = 4;

    private SnapshotFunctions() {
    }

    /** Writes the libraries durably into a snapshot directory not yet completed. */
    public static void write(Path directory, byte[] payload) throws IOException {
        ByteBuffer file = ByteBuffer.allocate(HEADER + payload.length + TRAILER);
        file.putLong(payload.length).put(payload);
        CRC32C crc = new CRC32C();
        crc.update(file.array(), 0, HEADER + payload.length);
        file.putInt((int) crc.getValue()).flip();
        Path temporary = directory.resolve(FILE + ".tmp");
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            while (file.hasRemaining()) {
                channel.write(file);
            }
            channel.force(true);
        }
        Files.move(temporary, directory.resolve(FILE), StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * The libraries a snapshot holds, or null when it holds none.
     *
     * @throws SnapshotDamagedException when the file is cut short or its checksum does not match
     */
    public static byte[] read(Path directory) throws IOException {
        byte[] file;
        try {
            file = Files.readAllBytes(directory.resolve(FILE));
        } catch (NoSuchFileException none) {
            return null;
        }
        if (file.length < HEADER + TRAILER) {
            throw new SnapshotDamagedException(directory, FILE + " is cut short");
        }
        ByteBuffer buffer = ByteBuffer.wrap(file);
        long length = buffer.getLong();
        if (length != file.length - HEADER - TRAILER) {
            throw new SnapshotDamagedException(directory, FILE + " says " + length + " bytes and holds "
                    + (file.length - HEADER - TRAILER));
        }
        CRC32C crc = new CRC32C();
        crc.update(file, 0, file.length - TRAILER);
        if ((int) crc.getValue() != buffer.getInt(file.length - TRAILER)) {
            throw new SnapshotDamagedException(directory, FILE + " does not match its checksum");
        }
        byte[] payload = new byte[(int) length];
        System.arraycopy(file, HEADER, payload, 0, payload.length);
        return payload;
    }
}
