package io.nuthatch.server.type.sortedset;

import java.util.Arrays;

/**
 * What each change to a large sorted set replaced, in order, while an undo point is held
 * ({@link SortedSet#undoPoint}): a member and the score it had, NaN when it was absent. Members
 * are the set's own arrays (a node's member never changes), or copies for a new member.
 */
final class ScoreJournal {
    private byte[][] members = new byte[8][];
    private double[] scores = new double[8];
    private int count;

    /** A member is about to change: it had {@code score}, or was absent (NaN). */
    void note(byte[] member, double score) {
        if (count == members.length) {
            members = Arrays.copyOf(members, count * 2);
            scores = Arrays.copyOf(scores, count * 2);
        }
        members[count] = member;
        scores[count] = score;
        count++;
    }

    /** A member given as a range, kept as the array itself when the range is all of it. */
    void note(byte[] member, int offset, int length, double score) {
        note(offset == 0 && length == member.length ? member : Arrays.copyOfRange(member, offset, offset + length),
                score);
    }

    int count() {
        return count;
    }

    byte[] member(int index) {
        return members[index];
    }

    double score(int index) {
        return scores[index];
    }
}
