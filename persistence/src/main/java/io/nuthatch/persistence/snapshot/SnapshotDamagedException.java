package io.nuthatch.persistence.snapshot;

import java.io.IOException;
import java.nio.file.Path;

/** A snapshot that cannot be used: never completed, or damaged. Names the directory and what is wrong. */
public final class SnapshotDamagedException extends IOException {
    private final Path directory;

    public SnapshotDamagedException(Path directory, String what) {
        super("The snapshot " + directory + " cannot be used: " + what);
        this.directory = directory;
    }

    public SnapshotDamagedException(Path directory, String what, Throwable cause) {
        super("The snapshot " + directory + " cannot be used: " + what, cause);
        this.directory = directory;
    }

    public Path directory() {
        return directory;
    }
}
