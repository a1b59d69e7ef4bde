package io.nuthatch.server.type.sortedset;

import io.nuthatch.server.type.Listpack;
import io.nuthatch.server.type.MemoryLayout;
import io.nuthatch.server.type.StoredValue;
import io.nuthatch.server.type.UndoPoint;
import io.nuthatch.server.type.ValueType;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * A sorted set: unique members (byte strings), each with a score (a double, never NaN), ordered by
 * score and then by member bytes.
 *
 * <p><b>Two encodings, as in Redis 7.0.</b> A small set is one {@link Listpack} of member/score
 * pairs in order ({@link PackedSortedSet}), about what Redis's listpack costs; OBJECT ENCODING
 * calls it "listpack". Adding a member when the set already holds {@code zset-max-listpack-entries}
 * members, or a member longer than {@code zset-max-listpack-value} bytes, converts it for good to
 * a {@link SkipList} (order and ranks in O(log n)) plus a {@link MemberTable} (member to node in
 * O(1)) sharing one node per element: "skiplist". A new set starts as a skiplist when listpacks are
 * off ({@code zset-max-listpack-entries 0}) or its first member is already too long. A set never
 * converts back by itself; {@link #create} and {@link #add} take the two limits from the caller,
 * since the type knows nothing of configuration.
 *
 * <p>Changes go through the keyspace's writable accessor (see the type package); the memory
 * figure is kept current by every change, in O(1).
 */
public final class SortedSet implements StoredValue {
    public static final String LISTPACK = "listpack";
    public static final String SKIPLIST = "skiplist";

    /** {@link #add} flags: only add new members (NX), only update existing ones (XX). */
    public static final int NX = 1;
    public static final int XX = 2;
    /** {@link #add} flags: update an existing member only to a greater (GT) or lower (LT) score. */
    public static final int GT = 4;
    public static final int LT = 8;
    /** {@link #add} flag: the score is an increment of the current one (0 for a new member). */
    public static final int INCR = 16;

    /** {@link #add} outcomes. The member is there with the score it had (an increment of 0, the same score). */
    public static final int UNCHANGED = 0;
    public static final int ADDED = 1;
    public static final int UPDATED = 2;
    /** NX, XX, GT or LT left the member as it was, or absent. */
    public static final int SKIPPED = 3;
    /** The score, or the sum of an increment, is NaN; nothing changed. */
    public static final int NOT_A_NUMBER = 4;

    private static final long OBJECT_BYTES = MemoryLayout.align(MemoryLayout.OBJECT_HEADER + 4L * MemoryLayout.REFERENCE);

    private Listpack packed;
    private SkipList list;
    private MemberTable members;
    /** While an {@link #undoPoint} is held (skiplist only): what each change replaced; else null. */
    private ScoreJournal journal;

    private SortedSet() {
    }

    /**
     * An empty set in the encoding Redis 7.0 gives a new key: a skiplist when listpacks are off
     * ({@code maxEntries} 0) or the first member to come is longer than {@code maxValue} bytes, a
     * listpack otherwise.
     */
    public static SortedSet create(int firstMemberLength, long maxEntries, long maxValue) {
        SortedSet set = new SortedSet();
        if (maxEntries == 0 || firstMemberLength > maxValue) {
            set.list = new SkipList();
            set.members = new MemberTable();
        } else {
            set.packed = new Listpack();
        }
        return set;
    }

    /** Room for about {@code bytes} of members and scores while packed (loading; trim afterwards). */
    public void reserve(int bytes) {
        if (packed != null) {
            packed.reserve(bytes);
        }
    }

    /** Gives back the spare room of a packed set once it is built. */
    public void trimToSize() {
        if (packed != null) {
            packed.trimToSize();
        }
    }

    /**
     * An empty set in the skiplist encoding, for results built whole and then packed by
     * {@link #packIfFits}, as Redis builds ZUNIONSTORE's: scores stay exact doubles while they are
     * aggregated (a negative zero included).
     */
    public static SortedSet createSkipList() {
        SortedSet set = new SortedSet();
        set.list = new SkipList();
        set.members = new MemberTable();
        return set;
    }

    /**
     * Converts a skiplist to a listpack when it holds at most {@code maxEntries} members, none longer
     * than {@code maxValue} bytes (Redis's zsetConvertToListpackIfNeeded, for stored results).
     */
    public void packIfFits(long maxEntries, long maxValue) {
        if (packed != null || list.length() > maxEntries) {
            return;
        }
        for (SkipListNode node = list.first(); node != null; node = node.next) {
            if (node.member.length > maxValue) {
                return;
            }
        }
        Listpack result = new Listpack();
        for (SkipListNode node = list.first(); node != null; node = node.next) {
            PackedSortedSet.append(result, node.member, node.score);
        }
        packed = result;
        list = null;
        members = null;
    }

    @Override
    public ValueType type() {
        return ValueType.ZSET;
    }

    @Override
    public String encoding() {
        return packed != null ? LISTPACK : SKIPLIST;
    }

    /** Whether the set is in its compact encoding. */
    public boolean isPacked() {
        return packed != null;
    }

    @Override
    public long memoryUsage() {
        return OBJECT_BYTES + (packed != null ? packed.memoryUsage() : list.memoryUsage() + members.memoryUsage());
    }

    public int size() {
        return packed != null ? packed.size() / 2 : list.length();
    }

    public boolean isEmpty() {
        return size() == 0;
    }

    /**
     * A listpack set is small and has none (a copy does); a skiplist set notes each score it
     * replaces from now on, and is brought back by undoing them, the last first.
     */
    @Override
    public UndoPoint undoPoint() {
        if (packed != null || journal != null) {
            return null;
        }
        journal = new ScoreJournal();
        return new UndoPoint() {
            @Override
            public StoredValue restore() {
                ScoreJournal changes = journal;
                journal = null;
                for (int i = changes.count() - 1; i >= 0; i--) {
                    byte[] member = changes.member(i);
                    double score = changes.score(i);
                    if (Double.isNaN(score)) {
                        remove(member, 0, member.length);
                    } else {
                        add(member, 0, member.length, score, 0, Long.MAX_VALUE, Long.MAX_VALUE);
                    }
                }
                return SortedSet.this;
            }

            @Override
            public void release() {
                journal = null;
            }
        };
    }

    /** Where a range removal notes the elements it removes: the journal, while a point is held. */
    private ElementVisitor journalOfRemovals() {
        return journal == null ? null : journal::note;
    }

    @Override
    public SortedSet copy() {
        SortedSet copy = new SortedSet();
        if (packed != null) {
            copy.packed = packed.copy();
            return copy;
        }
        copy.list = new SkipList();
        copy.members = new MemberTable();
        copy.members.presize(list.length());
        // From the tail: each insertion then stops at the header, O(1) instead of O(log n).
        for (SkipListNode node = list.last(); node != null; node = node.backward) {
            copy.insertNode(node.member.clone(), node.hash, node.score);
        }
        return copy;
    }

    // ---------------------------------------------------------------- single members

    /** The member's score, or NaN when it is not in the set. */
    public double score(byte[] member, int offset, int length) {
        if (packed != null) {
            int position = PackedSortedSet.find(packed, member, offset, length);
            return position == Listpack.NONE ? Double.NaN : PackedSortedSet.scoreAt(packed, packed.next(position));
        }
        SkipListNode node = members.find(member, offset, length, MemberTable.hash(member, offset, length));
        return node == null ? Double.NaN : node.score;
    }

    public double score(byte[] member) {
        return score(member, 0, member.length);
    }

    public boolean contains(byte[] member, int offset, int length) {
        return !Double.isNaN(score(member, offset, length));
    }

    /**
     * Adds a member or changes its score, as ZADD with the given flags does for one pair, converting
     * to a skiplist first if a new member would break the listpack limits. With {@link #INCR}
     * the score is added to the current one; read the result with {@link #score}.
     *
     * @return {@link #ADDED}, {@link #UPDATED}, {@link #UNCHANGED}, {@link #SKIPPED} or {@link #NOT_A_NUMBER}
     */
    public int add(byte[] member, int offset, int length, double score, int flags, long maxEntries, long maxValue) {
        if (Double.isNaN(score)) {
            return NOT_A_NUMBER;
        }
        if (packed != null) {
            int position = PackedSortedSet.find(packed, member, offset, length);
            if (position != Listpack.NONE) {
                double current = PackedSortedSet.scoreAt(packed, packed.next(position));
                int outcome = outcome(current, score, flags);
                if (outcome == UPDATED) {
                    double updated = (flags & INCR) != 0 ? current + score : score;
                    PackedSortedSet.delete(packed, position);
                    PackedSortedSet.insert(packed, member, offset, length, updated);
                }
                return outcome;
            }
            if ((flags & XX) != 0) {
                return SKIPPED;
            }
            if (size() + 1 <= maxEntries && length <= maxValue) {
                PackedSortedSet.insert(packed, member, offset, length, score);
                return ADDED;
            }
            convertToSkipList();
        }
        int hash = MemberTable.hash(member, offset, length);
        SkipListNode node = members.find(member, offset, length, hash);
        if (node != null) {
            int outcome = outcome(node.score, score, flags);
            if (outcome == UPDATED) {
                if (journal != null) {
                    journal.note(node.member, node.score);
                }
                list.updateScore(node, (flags & INCR) != 0 ? node.score + score : score);
            }
            return outcome;
        }
        if ((flags & XX) != 0) {
            return SKIPPED;
        }
        byte[] added = Arrays.copyOfRange(member, offset, offset + length);
        if (journal != null) {
            journal.note(added, Double.NaN);
        }
        insertNode(added, hash, score);
        return ADDED;
    }

    /**
     * What {@link #add} would answer, without changing anything: a command opens the set for
     * writing only once it knows a change will happen, so that a ZADD that changes nothing is not
     * propagated or counted, as in Redis.
     */
    public int outcomeOf(byte[] member, int offset, int length, double score, int flags) {
        if (Double.isNaN(score)) {
            return NOT_A_NUMBER;
        }
        double current = score(member, offset, length);
        if (Double.isNaN(current)) {
            return (flags & XX) != 0 ? SKIPPED : ADDED;
        }
        return outcome(current, score, flags);
    }

    public int add(byte[] member, double score, long maxEntries, long maxValue) {
        return add(member, 0, member.length, score, 0, maxEntries, maxValue);
    }

    /** What ZADD's flags make of an existing member of score {@code current}. */
    private static int outcome(double current, double score, int flags) {
        if ((flags & NX) != 0) {
            return SKIPPED;
        }
        double updated = score;
        if ((flags & INCR) != 0) {
            updated = current + score;
            if (Double.isNaN(updated)) {
                return NOT_A_NUMBER;
            }
        }
        if (((flags & LT) != 0 && updated >= current) || ((flags & GT) != 0 && updated <= current)) {
            return SKIPPED;
        }
        return updated == current ? UNCHANGED : UPDATED;
    }

    /**
     * Converts a listpack to the skiplist encoding for good, as Redis's SORT does to every sorted
     * set it sorts (OBJECT ENCODING then says "skiplist"); nothing for a skiplist.
     */
    public void unpack() {
        if (packed != null) {
            convertToSkipList();
        }
    }

    /** Moves the elements of the listpack into a skiplist and a member table, for good. */
    private void convertToSkipList() {
        Listpack source = packed;
        list = new SkipList();
        members = new MemberTable();
        members.presize(source.size() / 2 + 1);
        // From the tail, for the same reason as in copy().
        for (int scorePosition = source.last(); scorePosition != Listpack.NONE; ) {
            int memberPosition = source.previous(scorePosition);
            byte[] member = PackedSortedSet.memberCopy(source, memberPosition);
            insertNode(member, MemberTable.hash(member, 0, member.length), PackedSortedSet.scoreAt(source, scorePosition));
            scorePosition = source.previous(memberPosition);
        }
        packed = null;
    }

    private void insertNode(byte[] member, int hash, double score) {
        SkipListNode node = SkipList.newNode(member, hash, score);
        list.insert(node);
        members.add(node);
    }

    /** Removes a member; false when it was not there. */
    public boolean remove(byte[] member, int offset, int length) {
        if (packed != null) {
            int position = PackedSortedSet.find(packed, member, offset, length);
            if (position == Listpack.NONE) {
                return false;
            }
            PackedSortedSet.delete(packed, position);
            return true;
        }
        SkipListNode node = members.find(member, offset, length, MemberTable.hash(member, offset, length));
        if (node == null) {
            return false;
        }
        if (journal != null) {
            journal.note(node.member, node.score);
        }
        members.remove(node);
        list.delete(node);
        members.shrinkIfSparse();
        return true;
    }

    /** The member's 0-based rank, counted from the highest score when {@code reverse}; -1 when absent. */
    public int rank(byte[] member, int offset, int length, boolean reverse) {
        int rank;
        if (packed != null) {
            int position = PackedSortedSet.find(packed, member, offset, length);
            if (position == Listpack.NONE) {
                return -1;
            }
            rank = PackedSortedSet.rankOf(packed, position);
        } else {
            SkipListNode node = members.find(member, offset, length, MemberTable.hash(member, offset, length));
            if (node == null) {
                return -1;
            }
            rank = list.rankOf(node) - 1;
        }
        return reverse ? size() - 1 - rank : rank;
    }

    // ---------------------------------------------------------------- ranks

    /**
     * Visits the elements of 0-based ranks {@code start} to {@code end}, both within the set,
     * counted from the highest score when {@code reverse}, in that order.
     */
    public void visitRanks(int start, int end, boolean reverse, ElementVisitor visitor) {
        int count = end - start + 1;
        if (packed != null) {
            int position = PackedSortedSet.memberAt(packed, reverse ? size() - 1 - start : start);
            for (int i = 0; i < count; i++) {
                PackedSortedSet.visit(packed, position, visitor);
                position = PackedSortedSet.step(packed, position, reverse);
            }
            return;
        }
        SkipListNode node = list.nodeAt(reverse ? size() - start : start + 1);
        for (int i = 0; i < count; i++) {
            visitor.element(node.member, 0, node.member.length, node.score);
            node = reverse ? node.backward : node.next;
        }
    }

    /** Removes the elements of 0-based ranks {@code start} to {@code end}, both within the set; returns how many. */
    public int removeRanks(int start, int end) {
        if (packed != null) {
            packed.delete(PackedSortedSet.memberAt(packed, start), 2 * (end - start + 1));
            return end - start + 1;
        }
        int removed = list.deleteRanks(start + 1, end + 1, members, journalOfRemovals());
        members.shrinkIfSparse();
        return removed;
    }

    // ---------------------------------------------------------------- score ranges

    /** How many elements have a score in the range. */
    public int count(ScoreRange range) {
        if (packed != null) {
            int count = 0;
            for (int position = PackedSortedSet.firstIn(packed, range); position != Listpack.NONE
                    && range.belowMax(PackedSortedSet.scoreAt(packed, packed.next(position)));
                    position = PackedSortedSet.step(packed, position, false)) {
                count++;
            }
            return count;
        }
        SkipListNode first = list.firstIn(range);
        if (first == null) {
            return 0;
        }
        return list.rankOf(list.lastIn(range)) - list.rankOf(first) + 1;
    }

    /**
     * Visits the elements whose score is in the range, from the lowest (or from the highest when
     * {@code reverse}), skipping the first {@code offset} of them and visiting at most
     * {@code limit} (all when negative), as ZRANGEBYSCORE's LIMIT does: a negative offset visits
     * nothing.
     *
     * @return the number of elements visited
     */
    public int visit(ScoreRange range, boolean reverse, long offset, long limit, ElementVisitor visitor) {
        if (offset < 0 || (offset > 0 && offset >= size()) || limit == 0) {
            return 0;
        }
        int visited = 0;
        if (packed != null) {
            int position = reverse ? PackedSortedSet.lastIn(packed, range) : PackedSortedSet.firstIn(packed, range);
            for (long skipped = 0; skipped < offset && position != Listpack.NONE; skipped++) {
                position = PackedSortedSet.step(packed, position, reverse);
            }
            while (position != Listpack.NONE && (limit < 0 || visited < limit)) {
                double score = PackedSortedSet.scoreAt(packed, packed.next(position));
                if (reverse ? !range.aboveMin(score) : !range.belowMax(score)) {
                    break;
                }
                PackedSortedSet.visit(packed, position, visitor);
                visited++;
                position = PackedSortedSet.step(packed, position, reverse);
            }
            return visited;
        }
        SkipListNode node = reverse ? list.lastIn(range) : list.firstIn(range);
        node = skip(node, offset, reverse);
        while (node != null && (limit < 0 || visited < limit)) {
            if (reverse ? !range.aboveMin(node.score) : !range.belowMax(node.score)) {
                break;
            }
            visitor.element(node.member, 0, node.member.length, node.score);
            visited++;
            node = reverse ? node.backward : node.next;
        }
        return visited;
    }

    /** The node {@code offset} places further in the walk's direction: by rank, in O(log n). */
    private SkipListNode skip(SkipListNode node, long offset, boolean reverse) {
        if (node == null || offset == 0) {
            return node;
        }
        long rank = list.rankOf(node) + (reverse ? -offset : offset);
        return rank < 1 || rank > list.length() ? null : list.nodeAt((int) rank);
    }

    /** Removes the elements whose score is in the range; returns how many. */
    public int remove(ScoreRange range) {
        if (packed != null) {
            return PackedSortedSet.deleteRange(packed, range);
        }
        int removed = list.deleteRange(range, members, journalOfRemovals());
        members.shrinkIfSparse();
        return removed;
    }

    // ---------------------------------------------------------------- lex ranges

    /** How many elements have a member in the range (meaningful when all scores are equal). */
    public int count(LexRange range) {
        if (packed != null) {
            int count = 0;
            for (int position = PackedSortedSet.firstIn(packed, range); position != Listpack.NONE
                    && PackedSortedSet.memberBelowMax(packed, position, range);
                    position = PackedSortedSet.step(packed, position, false)) {
                count++;
            }
            return count;
        }
        SkipListNode first = list.firstIn(range);
        if (first == null) {
            return 0;
        }
        // On a set of mixed scores the last node may not be found where the first was: Redis then
        // counts to the end.
        SkipListNode last = list.lastIn(range);
        return (last == null ? list.length() : list.rankOf(last)) - list.rankOf(first) + 1;
    }

    /** As {@link #visit(ScoreRange, boolean, long, long, ElementVisitor)}, for a range of members. */
    public int visit(LexRange range, boolean reverse, long offset, long limit, ElementVisitor visitor) {
        if (offset < 0 || limit == 0) {
            return 0;
        }
        int visited = 0;
        if (packed != null) {
            int position = reverse ? PackedSortedSet.lastIn(packed, range) : PackedSortedSet.firstIn(packed, range);
            for (long skipped = 0; skipped < offset && position != Listpack.NONE; skipped++) {
                position = PackedSortedSet.step(packed, position, reverse);
            }
            while (position != Listpack.NONE && (limit < 0 || visited < limit)
                    && (reverse ? PackedSortedSet.memberAboveMin(packed, position, range)
                            : PackedSortedSet.memberBelowMax(packed, position, range))) {
                PackedSortedSet.visit(packed, position, visitor);
                visited++;
                position = PackedSortedSet.step(packed, position, reverse);
            }
            return visited;
        }
        SkipListNode node = reverse ? list.lastIn(range) : list.firstIn(range);
        node = skip(node, offset, reverse);
        while (node != null && (limit < 0 || visited < limit)
                && (reverse ? range.aboveMin(node.member) : range.belowMax(node.member))) {
            visitor.element(node.member, 0, node.member.length, node.score);
            visited++;
            node = reverse ? node.backward : node.next;
        }
        return visited;
    }

    /**
     * Whether {@link #remove(LexRange)} would remove anything: a command opens the set for writing
     * only then. (On a set of mixed scores the answer is the walk's, not the count's.)
     */
    public boolean removesAny(LexRange range) {
        return packed != null ? PackedSortedSet.firstIn(packed, range) != Listpack.NONE : list.removesAny(range);
    }

    /** Whether {@link #remove(ScoreRange)} would remove anything. */
    public boolean removesAny(ScoreRange range) {
        return packed != null ? PackedSortedSet.firstIn(packed, range) != Listpack.NONE : list.firstIn(range) != null;
    }

    /** Removes the elements whose member is in the range; returns how many. */
    public int remove(LexRange range) {
        if (packed != null) {
            return PackedSortedSet.deleteRange(packed, range);
        }
        int removed = list.deleteRange(range, members, journalOfRemovals());
        members.shrinkIfSparse();
        return removed;
    }

    // ---------------------------------------------------------------- popping, sampling, iterating

    /**
     * Visits the element with the lowest score (the highest when {@code highest}), then removes
     * it. The set must not be empty.
     */
    public void pop(boolean highest, ElementVisitor visitor) {
        if (packed != null) {
            int position = highest ? packed.previous(packed.last()) : packed.first();
            PackedSortedSet.visit(packed, position, visitor);
            PackedSortedSet.delete(packed, position);
            return;
        }
        SkipListNode node = highest ? list.last() : list.first();
        visitor.element(node.member, 0, node.member.length, node.score);
        if (journal != null) {
            journal.note(node.member, node.score);
        }
        members.remove(node);
        list.delete(node);
        members.shrinkIfSparse();
    }

    /** Visits one element drawn uniformly at random; the set must not be empty. */
    public void visitRandom(RandomGenerator random, ElementVisitor visitor) {
        int rank = random.nextInt(size());
        visitRanks(rank, rank, false, visitor);
    }

    /** Visits every element, in order. */
    public void forEach(ElementVisitor visitor) {
        if (!isEmpty()) {
            visitRanks(0, size() - 1, false, visitor);
        }
    }

    /**
     * One step of ZSCAN: a listpack is visited whole and answers cursor 0; a skiplist visits the
     * members of the member table's buckets at the cursor (see {@link MemberTable}) and returns the
     * next cursor, 0 when the scan is complete.
     */
    public long scan(long cursor, ElementVisitor visitor) {
        if (packed != null) {
            forEach(visitor);
            return 0;
        }
        return members.scan(cursor, node -> visitor.element(node.member, 0, node.member.length, node.score));
    }
}
