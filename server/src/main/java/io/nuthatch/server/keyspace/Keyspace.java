package io.nuthatch.server.keyspace;

/** The numbered databases of a server (the {@code databases} directive, 16 by default). */
public final class Keyspace {
    private final Database[] databases;

    public Keyspace(int count, KeyspaceHooks hooks) {
        databases = new Database[count];
        for (int i = 0; i < count; i++) {
            databases[i] = new Database(i, hooks);
        }
    }

    public int count() {
        return databases.length;
    }

    public Database database(int index) {
        return databases[index];
    }

    /** Exchanges the contents of two databases (SWAPDB); clients stay on their database numbers. */
    public void swap(int first, int second) {
        if (first != second) {
            Database.swapContents(databases[first], databases[second]);
        }
    }

    /** Total keys in all databases. */
    public long size() {
        long keys = 0;
        for (Database database : databases) {
            keys += database.size();
        }
        return keys;
    }

    /** Memory estimate of all keys and values and the tables that index them. */
    public long usedMemory() {
        return datasetMemory() + indexMemory();
    }

    /** Memory estimate of the keys and values, with their entries. */
    public long datasetMemory() {
        long bytes = 0;
        for (Database database : databases) {
            bytes += database.datasetMemory();
        }
        return bytes;
    }

    /** Memory of the tables that index the keys. */
    public long indexMemory() {
        long bytes = 0;
        for (Database database : databases) {
            bytes += database.indexMemory();
        }
        return bytes;
    }

    /** Deletes every key of every database (FLUSHALL). */
    public void clear() {
        for (Database database : databases) {
            database.clear();
        }
    }
}
