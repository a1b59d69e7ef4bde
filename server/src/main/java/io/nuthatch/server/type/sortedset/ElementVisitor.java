package io.nuthatch.server.type.sortedset;

/**
 * Receives the elements of a sorted set one at a time, in the order the operation gives them. The
 * member's bytes are valid only during the call (they may be inside the set's packed array, which
 * the next change moves), so a visitor copies what it keeps.
 */
@FunctionalInterface
public interface ElementVisitor {
    void element(byte[] member, int offset, int length, double score);
}
