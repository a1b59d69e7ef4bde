package io.nuthatch.server.type.stream;

import io.nuthatch.server.type.MemoryLayout;

import java.util.Arrays;

/**
 * The consumer groups of a stream, ordered by name as Redis's radix tree orders them (bytes
 * unsigned, a prefix first), in a sorted array: a stream has few groups, and finding one by a
 * name given in a request compares the request's bytes in place.
 */
public final class StreamGroups {
    private static final long OBJECT_BYTES = MemoryLayout.align(MemoryLayout.OBJECT_HEADER + MemoryLayout.REFERENCE + 4);
    private static final ConsumerGroup[] NONE = new ConsumerGroup[0];

    private ConsumerGroup[] groups = NONE;
    private int count;

    public int size() {
        return count;
    }

    /** The group at {@code index} in name order. */
    public ConsumerGroup group(int index) {
        return groups[index];
    }

    /** The group of this name, or null. */
    public ConsumerGroup find(byte[] bytes, int offset, int length) {
        int index = indexOf(bytes, offset, length);
        return index >= 0 ? groups[index] : null;
    }

    /** Creates a group; null when one of that name exists. */
    public ConsumerGroup create(byte[] bytes, int offset, int length, long lastMs, long lastSeq, long entriesRead) {
        int index = indexOf(bytes, offset, length);
        if (index >= 0) {
            return null;
        }
        int at = -index - 1;
        if (count == groups.length) {
            groups = Arrays.copyOf(groups, count + 2);
        }
        System.arraycopy(groups, at, groups, at + 1, count - at);
        ConsumerGroup group = new ConsumerGroup(Arrays.copyOfRange(bytes, offset, offset + length), lastMs, lastSeq,
                entriesRead);
        groups[at] = group;
        count++;
        return group;
    }

    public void destroy(ConsumerGroup group) {
        int index = indexOf(group.name(), 0, group.name().length);
        System.arraycopy(groups, index + 1, groups, index, count - index - 1);
        groups[--count] = null;
    }

    long memoryUsage() {
        long bytes = OBJECT_BYTES + MemoryLayout.referenceArray(groups.length);
        for (int i = 0; i < count; i++) {
            bytes += groups[i].memoryUsage();
        }
        return bytes;
    }

    StreamGroups copy() {
        StreamGroups copy = new StreamGroups();
        copy.groups = new ConsumerGroup[groups.length];
        for (int i = 0; i < count; i++) {
            copy.groups[i] = groups[i].copy();
        }
        copy.count = count;
        return copy;
    }

    private int indexOf(byte[] bytes, int offset, int length) {
        int low = 0;
        int high = count - 1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            byte[] candidate = groups[middle].name();
            int order = Arrays.compareUnsigned(candidate, 0, candidate.length, bytes, offset, offset + length);
            if (order < 0) {
                low = middle + 1;
            } else if (order > 0) {
                high = middle - 1;
            } else {
                return middle;
            }
        }
        return -(low + 1);
    }
}
