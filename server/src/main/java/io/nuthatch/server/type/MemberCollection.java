package io.nuthatch.server.type;

/**
 * A value read as a collection of distinct members: a set. ZUNIONSTORE, ZINTERSTORE, ZDIFF and
 * the rest of that family accept plain sets among their inputs, each member with score 1, and
 * read them through this interface, so that the sorted-set commands need nothing else of the set
 * type.
 */
public interface MemberCollection {

    /** Receives the members of a collection one at a time; the bytes are valid only during the call. */
    @FunctionalInterface
    interface MemberVisitor {
        void member(byte[] array, int offset, int length);
    }

    /** Number of members. */
    int memberCount();

    boolean containsMember(byte[] member, int offset, int length);

    /** Visits every member, in the collection's own order. */
    void forEachMember(MemberVisitor visitor);
}
