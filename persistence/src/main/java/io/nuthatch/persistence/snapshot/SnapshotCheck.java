package io.nuthatch.persistence.snapshot;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * {@code nuthatch-server --check-snapshot DIR}: reads a whole snapshot with every check on and
 * says whether it is complete and sound, with its keys per database. Exit status 0 when it is,
 * 1 otherwise. Values are not decoded here (this module does not know them): a value that RocksDB
 * and the checksums accept but the codec would refuse is found only by a load.
 */
public final class SnapshotCheck {
    private SnapshotCheck() {
    }

    public static int run(Path directory, PrintStream out) {
        long[] perDatabase = new long[65536];
        long expiring = 0;
        try (SnapshotReader reader = SnapshotReader.open(directory, true)) {
            SnapshotReader.Row row = new SnapshotReader.Row();
            for (SnapshotReader.Part part : reader.parts()) {
                while (part.next(row)) {
                    perDatabase[row.database()]++;
                    if (row.expiresAt() != SnapshotFormat.NO_EXPIRY) {
                        expiring++;
                    }
                }
            }
            reader.verifyTotals();
            for (int database = 0; database < perDatabase.length; database++) {
                long stated = reader.marker().keys(database);
                if (stated >= 0 && stated != perDatabase[database]) {
                    throw new SnapshotDamagedException(directory, "it holds " + perDatabase[database] + " rows of db"
                            + database + " and its marker says " + stated);
                }
            }
            byte[] functions = SnapshotFunctions.read(directory);
            out.println("Snapshot " + directory + " is complete and sound: " + reader.rowsRead() + " keys ("
                    + expiring + " with an expiry), checksum " + (reader.marker().checked() ? "verified" : "not recorded"
                    + " (written with rdbchecksum no)") + ", taken at Unix ms " + reader.marker().createdMillis()
                    + ", " + SnapshotWriter.size(directory) + " bytes on disk in " + reader.parts().size() + " files"
                    + (functions == null ? "." : ", function libraries of " + functions.length + " bytes."));
            for (int database = 0; database < perDatabase.length; database++) {
                if (perDatabase[database] > 0) {
                    out.println("db" + database + ": " + perDatabase[database] + " keys");
                }
            }
            return 0;
        } catch (IOException e) {
            out.println(e.getMessage());
            out.println("The server ignores this snapshot and loads the previous one (if the manifest keeps one).");
            return 1;
        }
    }
}
