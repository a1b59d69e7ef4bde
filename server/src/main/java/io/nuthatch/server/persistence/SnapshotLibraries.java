package io.nuthatch.server.persistence;

import io.nuthatch.persistence.snapshot.SnapshotDamagedException;
import io.nuthatch.persistence.snapshot.SnapshotFunctions;
import io.nuthatch.server.Engine;
import io.nuthatch.server.command.CommandError;
import io.nuthatch.server.scripting.FunctionLibraries;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The function libraries a snapshot holds ({@link SnapshotFunctions}), loaded with it: they take
 * the place of any loaded before, as a snapshot is the whole state at its point in time. Libraries
 * that no longer load make the snapshot unusable, as a damaged row does.
 */
final class SnapshotLibraries {
    private SnapshotLibraries() {
    }

    static void load(Engine engine, Path snapshot) throws IOException {
        byte[] payload = SnapshotFunctions.read(snapshot);
        if (payload == null) {
            engine.clearFunctionLibraries();
            return;
        }
        try {
            engine.scripts().functions().restore(payload, FunctionLibraries.RestorePolicy.FLUSH);
        } catch (CommandError refused) {
            throw new SnapshotDamagedException(snapshot, "its function libraries do not load: " + refused.getMessage());
        }
        engine.log().notice("Loaded " + engine.scripts().functions().libraryCount() + " function libraries from "
                + snapshot.getFileName());
    }
}
