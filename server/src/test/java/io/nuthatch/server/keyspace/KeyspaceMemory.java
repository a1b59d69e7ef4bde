package io.nuthatch.server.keyspace;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** For tests outside this package: the keyspace's memory account against a count of every entry. */
public final class KeyspaceMemory {
    private KeyspaceMemory() {
    }

    /** Each database's running total equals its entries counted one by one. Under the engine lock. */
    public static void assertExact(Keyspace keyspace) {
        for (int i = 0; i < keyspace.count(); i++) {
            Database database = keyspace.database(i);
            assertEquals(database.countMemory(), database.datasetMemory(), "memory of db" + i);
        }
    }
}
