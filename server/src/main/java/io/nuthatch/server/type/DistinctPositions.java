package io.nuthatch.server.type;

/**
 * A set of value positions (non-negative ints), for drawing distinct random members or fields:
 * SRANDMEMBER, SPOP and HRANDFIELD with a positive count smaller than the value draw positions
 * until they have that many different ones. Open addressing over an int array sized for the
 * count, so a draw of five fields from a million-field hash costs five slots, not a bitmap of
 * the table; and no boxing.
 */
public final class DistinctPositions {
    private final int[] slots;
    private int size;

    /** Room for up to {@code capacity} positions. */
    public DistinctPositions(int capacity) {
        int length = 4;
        while (length < capacity * 2L) {
            length <<= 1;
        }
        slots = new int[length];
    }

    /** Adds a position; false if it was there already. */
    public boolean add(int position) {
        int stored = position + 1;
        int mask = slots.length - 1;
        int mixed = stored * 0x9E3779B9;
        int i = (mixed ^ (mixed >>> 16)) & mask;
        while (slots[i] != 0) {
            if (slots[i] == stored) {
                return false;
            }
            i = (i + 1) & mask;
        }
        slots[i] = stored;
        size++;
        return true;
    }

    public int size() {
        return size;
    }
}
