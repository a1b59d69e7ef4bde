package io.nuthatch.server.type.stream;

/**
 * A stream entry ID held in a reusable, mutable slot: what a command parses its ID arguments into
 * and what an operation that computes an ID (XADD's next ID) writes its answer to, without making
 * an object per ID. See {@link StreamIds} for the rules of IDs.
 */
public final class StreamId {
    public long ms;
    public long seq;

    public StreamId set(long ms, long seq) {
        this.ms = ms;
        this.seq = seq;
        return this;
    }

    public StreamId set(StreamId other) {
        return set(other.ms, other.seq);
    }

    public int compareTo(long otherMs, long otherSeq) {
        return StreamIds.compare(ms, seq, otherMs, otherSeq);
    }

    public int compareTo(StreamId other) {
        return compareTo(other.ms, other.seq);
    }

    public boolean isMax() {
        return ms == StreamIds.MAX && seq == StreamIds.MAX;
    }

    /** Moves to the next ID; false (and 0-0) when this was the largest. */
    public boolean increment() {
        if (seq != StreamIds.MAX) {
            seq++;
            return true;
        }
        if (ms != StreamIds.MAX) {
            ms++;
            seq = 0;
            return true;
        }
        ms = 0;
        seq = 0;
        return false;
    }

    /** Moves to the previous ID; false (and the largest ID) when this was 0-0. */
    public boolean decrement() {
        if (seq != 0) {
            seq--;
            return true;
        }
        if (ms != 0) {
            ms--;
            seq = StreamIds.MAX;
            return true;
        }
        ms = StreamIds.MAX;
        seq = StreamIds.MAX;
        return false;
    }

    @Override
    public String toString() {
        return StreamIds.toString(ms, seq);
    }
}
