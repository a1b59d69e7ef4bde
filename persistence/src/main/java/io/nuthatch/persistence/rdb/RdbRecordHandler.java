package io.nuthatch.persistence.rdb;

import java.io.IOException;

/**
 * Receives what {@link RdbFileReader} finds in an RDB file, in file order. The reader knows the
 * file's structure; what a value means is the handler's business: {@link #key} reads the value
 * itself from the input it is given, all of it, with the server's codec.
 */
public interface RdbRecordHandler {

    /** An auxiliary field (redis-ver, ctime, used-mem, aof-base, repl-id ...). */
    default void aux(byte[] name, byte[] value) throws IOException {
    }

    /** The keys that follow belong to database {@code index}. */
    default void selectDatabase(int index) throws IOException {
    }

    /** The writer's count of keys and keys with an expiry in the current database (a sizing hint). */
    default void resizeDatabase(long keys, long expiringKeys) throws IOException {
    }

    /**
     * One key of the current database. {@code expiresAt} is Unix milliseconds or -1;
     * {@code idleSeconds} the LRU idle time or -1; {@code frequency} the LFU counter or -1. The
     * handler must read the whole value of RDB type {@code type} from {@code in}.
     */
    void key(byte[] key, int type, long expiresAt, long idleSeconds, int frequency, RdbInput in) throws IOException;

    /** A Redis 7 function library (FUNCTION2): its code, starting with its #! engine line. */
    default void functionLibrary(byte[] code) throws IOException {
    }
}
