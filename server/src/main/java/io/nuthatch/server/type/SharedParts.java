package io.nuthatch.server.type;

import java.util.Arrays;

/**
 * The parts (nodes) a value made or copied since it gave an undo log a copy sharing its parts
 * ({@link StoredValue#sharingCopy}): those alone it may change in place; any other part it copies
 * first, so that the shared copy stays as it was. A script changes a few parts of a long list or
 * stream (its ends), so the set stays small and a linear search is the fast one.
 */
public final class SharedParts {
    private Object[] owned = new Object[4];
    private int count;

    /**
     * The undo point of a sharing copy: gives {@code copy} back, and {@code stopSharing} ends the
     * value's copying of shared parts once the point is released.
     */
    public static UndoPoint point(StoredValue copy, Runnable stopSharing) {
        return new UndoPoint() {
            @Override
            public StoredValue restore() {
                return copy;
            }

            @Override
            public void release() {
                stopSharing.run();
            }
        };
    }

    /** Whether the value made or copied the part since the sharing copy. */
    public boolean owns(Object part) {
        for (int i = 0; i < count; i++) {
            if (owned[i] == part) {
                return true;
            }
        }
        return false;
    }

    /** A part made or copied since the sharing copy, which the value may change in place. */
    public void own(Object part) {
        if (count == owned.length) {
            owned = Arrays.copyOf(owned, count * 2);
        }
        owned[count++] = part;
    }
}
