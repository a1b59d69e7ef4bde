package io.nuthatch.bench.hitratio;

import java.io.IOException;

/**
 * What a trace is replayed against: a server over the network or a cache in this process. Requests
 * come in windows so that a server can be sent a window's GETs in one pipelined write (a round trip
 * per request would make the replay, not the server, the subject of the measurement).
 */
interface CacheUnderTest extends AutoCloseable {
    /** Looks up {@code count} keys in order; {@code hits[i]} says whether keys[i] was present. */
    void lookup(int[] keys, int count, boolean[] hits) throws IOException;

    /** Stores {@code count} keys, each with the value size of the run. */
    void store(int[] keys, int count) throws IOException;

    /** A name for the results table. */
    String name();

    /** Key and memory figures once the trace has run ("keys=... used_memory=..."), for the report. */
    String finalState() throws IOException;

    @Override
    void close() throws IOException;
}
