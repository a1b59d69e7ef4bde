package io.nuthatch.server.type.stream;

/**
 * Builds a stream from a serialized form (RESTORE, a snapshot, an RDB file): the nodes as they
 * were, tombstones included, so that the stream reads back with the same node boundaries, XINFO
 * figures and trimming behaviour as the one that was written. The caller gives the entries in ID
 * order and says where each node starts; {@link #finish} sets the counters the form carries.
 */
public final class StreamBuilder {
    private final StreamValue stream = new StreamValue();
    private final byte[] scratch = new byte[64];
    private StreamNode node;
    private boolean nodeRequested = true;
    private long lastMs;
    private long lastSeq;
    private boolean any;
    private long live;

    /** The next entry starts a node. */
    public void startNode() {
        closeNode();
        nodeRequested = true;
    }

    /**
     * Appends an entry; false (and nothing appended) when its ID is not above the previous one's.
     */
    public boolean append(long ms, long seq, EntryFields fields, boolean deleted) {
        if (any && StreamIds.compare(ms, seq, lastMs, lastSeq) <= 0) {
            return false;
        }
        if (nodeRequested) {
            node = StreamNode.start(ms, seq, fields);
            nodeRequested = false;
        }
        node.append(ms, seq, fields, scratch);
        int header = node.lastHeader();
        if (deleted) {
            node.markDeleted(header);
        } else {
            live++;
        }
        any = true;
        lastMs = ms;
        lastSeq = seq;
        return true;
    }

    /** Entries appended and not deleted. */
    public long liveEntries() {
        return live;
    }

    /** The stream, with the counters of its serialized form. */
    public StreamValue finish(long lastIdMs, long lastIdSeq, long firstIdMs, long firstIdSeq, long maxDeletedMs,
            long maxDeletedSeq, long entriesAdded) {
        closeNode();
        stream.loaded(live, lastIdMs, lastIdSeq, firstIdMs, firstIdSeq, maxDeletedMs, maxDeletedSeq, entriesAdded);
        return stream;
    }

    private void closeNode() {
        if (node != null) {
            node.seal();
            stream.addLoadedNode(node);
            node = null;
        }
    }
}
