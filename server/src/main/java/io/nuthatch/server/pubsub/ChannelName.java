package io.nuthatch.server.pubsub;

import java.util.Arrays;

/**
 * A channel name or pattern as a hash-map key. Names are bytes (binary-safe, never Strings); the
 * registry keeps one probe of this class to look a published channel up in place, inside the
 * request, so that PUBLISH allocates nothing to find its subscribers.
 */
public final class ChannelName {
    private byte[] bytes;
    private int offset;
    private int length;
    private int hash;

    private ChannelName() {
    }

    /** A name to keep: the array is owned by the name from now on. */
    public static ChannelName owning(byte[] bytes) {
        ChannelName name = new ChannelName();
        name.point(bytes, 0, bytes.length);
        return name;
    }

    /** A probe, pointed at a range with {@link #point} before each lookup. */
    static ChannelName probe() {
        return new ChannelName();
    }

    ChannelName point(byte[] array, int from, int count) {
        bytes = array;
        offset = from;
        length = count;
        int h = 1;
        for (int i = from, end = from + count; i < end; i++) {
            h = 31 * h + array[i];
        }
        hash = h;
        return this;
    }

    /** A copy of the name's bytes, for a probe's range that is to be kept. */
    ChannelName keep() {
        return owning(Arrays.copyOfRange(bytes, offset, offset + length));
    }

    /** The name's bytes; only for names made by {@link #owning}, whose array is exactly the name. */
    public byte[] bytes() {
        return bytes;
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ChannelName name && name.hash == hash
                && Arrays.equals(bytes, offset, offset + length, name.bytes, name.offset, name.offset + name.length);
    }
}
