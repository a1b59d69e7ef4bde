package io.nuthatch.server.type;

import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * A set of byte strings, in the two layouts Redis 7.0 uses and names the same way: an
 * {@link IntSet} ("intset") while every member is a canonical integer and there are at most
 * set-max-intset-entries of them, then a {@link MemberTable} ("hashtable") for good. Redis 7.0
 * has no listpack sets, so even a small set of short words is a "hashtable"; ours is a compact
 * one (a set of ten short words takes about half of what Redis's dict takes).
 *
 * <p>The layout is one reference to either a intset array or a table rather than a field
 * for each: a set of ten small integers is then this 16-byte object and a 40-byte array, which
 * matters when a dataset has a hundred thousand such sets.
 *
 * <p><b>Positions</b> name members as {@link MemberTable} positions do: an index in the intset
 * (ascending order), or a table position; read them with {@link #integerAt} (intset) or
 * {@link #memberAt} (table). They stay valid until the next change.
 */
public final class SetValue implements StoredValue, MemberCollection {
    public static final String INTSET = "intset";
    public static final String HASHTABLE = "hashtable";
    public static final int NONE = -1;

    private static final long SHALLOW_BYTES = MemoryLayout.align(MemoryLayout.OBJECT_HEADER + MemoryLayout.REFERENCE);
    /** An {@link IntSet} array or a {@link MemberTable}. */
    private Object members;

    private SetValue(Object members) {
        this.members = members;
    }

    /** An empty set in the layout Redis creates a set in for its first member (setTypeCreate). */
    public static SetValue forFirstMember(byte[] member, int offset, int length) {
        return NumericStrings.isLong(member, offset, length) ? emptyIntset() : new SetValue(MemberTable.ofMembers(1));
    }

    /** An empty intset, which Redis's set algebra fills its results from. */
    public static SetValue emptyIntset() {
        return new SetValue(IntSet.empty());
    }

    @Override
    public ValueType type() {
        return ValueType.SET;
    }

    @Override
    public String encoding() {
        return members instanceof MemberTable ? HASHTABLE : INTSET;
    }

    public boolean isIntset() {
        return !(members instanceof MemberTable);
    }

    public int size() {
        return members instanceof MemberTable table ? table.size() : IntSet.size(members);
    }

    public boolean isEmpty() {
        return size() == 0;
    }

    // ---------------------------------------------------------------- membership

    public boolean contains(byte[] member, int offset, int length) {
        if (!(members instanceof MemberTable)) {
            Object ints = members;
            long value;
            try {
                value = NumericStrings.parseLong(member, offset, length);
            } catch (NumberFormatException notAnInteger) {
                return false;
            }
            return IntSet.contains(ints, value);
        }
        return ((MemberTable) members).find(member, offset, length) != MemberTable.NONE;
    }

    public boolean contains(byte[] member) {
        return contains(member, 0, member.length);
    }

    /** Whether the member whose canonical decimal form is {@code value} is in the set. */
    public boolean containsInteger(long value) {
        if (!(members instanceof MemberTable)) {
            Object ints = members;
            return IntSet.contains(ints, value);
        }
        byte[] text = NumericStrings.toBytes(value);
        return ((MemberTable) members).find(text, 0, text.length) != MemberTable.NONE;
    }

    // ---------------------------------------------------------------- changes

    /**
     * Adds a member (copied); false if it was there. The set becomes a table, as in Redis, when
     * the member is not an integer or the intset would pass {@code maxIntsetEntries}.
     */
    public boolean add(byte[] member, int offset, int length, long maxIntsetEntries) {
        if (!(members instanceof MemberTable)) {
            Object ints = members;
            long value;
            try {
                value = NumericStrings.parseLong(member, offset, length);
            } catch (NumberFormatException notAnInteger) {
                toTable(IntSet.size(ints) + 1);
                return addToTable(member, offset, length);
            }
            Object grown = IntSet.add(ints, value);
            if (grown == ints) {
                return false;
            }
            members = grown;
            if (IntSet.size(grown) > maxIntsetEntries) {
                toTable(IntSet.size(grown));
            }
            return true;
        }
        return addToTable(member, offset, length);
    }

    public boolean add(byte[] member, long maxIntsetEntries) {
        return add(member, 0, member.length, maxIntsetEntries);
    }

    /** Adds an integer member, as {@link #add} would add its decimal form. */
    public boolean addInteger(long value, long maxIntsetEntries) {
        if (!(members instanceof MemberTable)) {
            Object ints = members;
            Object grown = IntSet.add(ints, value);
            if (grown == ints) {
                return false;
            }
            members = grown;
            if (IntSet.size(grown) > maxIntsetEntries) {
                toTable(IntSet.size(grown));
            }
            return true;
        }
        byte[] text = NumericStrings.toBytes(value);
        return addToTable(text, 0, text.length);
    }

    private boolean addToTable(byte[] member, int offset, int length) {
        MemberTable table = (MemberTable) members;
        if (table.find(member, offset, length) != MemberTable.NONE) {
            return false;
        }
        byte[] copy = new byte[length];
        System.arraycopy(member, offset, copy, 0, length);
        table.insert(copy);
        return true;
    }

    /** Removes a member; false if it was not there. */
    public boolean remove(byte[] member, int offset, int length) {
        if (!(members instanceof MemberTable)) {
            Object ints = members;
            long value;
            try {
                value = NumericStrings.parseLong(member, offset, length);
            } catch (NumberFormatException notAnInteger) {
                return false;
            }
            Object shrunk = IntSet.remove(ints, value);
            members = shrunk;
            return shrunk != ints;
        }
        MemberTable table = (MemberTable) members;
        int position = table.find(member, offset, length);
        if (position == MemberTable.NONE) {
            return false;
        }
        table.removeAt(position);
        return true;
    }

    public boolean remove(byte[] member) {
        return remove(member, 0, member.length);
    }

    /** Removes the member at a position. */
    public void removeAt(int position) {
        if (!(members instanceof MemberTable)) {
            Object ints = members;
            members = IntSet.removeAt(ints, position);
        } else {
            ((MemberTable) members).removeAt(position);
        }
    }

    private void toTable(int expectedSize) {
        Object ints = members;
        MemberTable table = MemberTable.ofMembers(expectedSize);
        for (int i = 0, size = IntSet.size(ints); i < size; i++) {
            table.insert(NumericStrings.toBytes(IntSet.get(ints, i)));
        }
        members = table;
    }

    // ---------------------------------------------------------------- positions

    public int first() {
        if (!(members instanceof MemberTable)) {
            Object ints = members;
            return IntSet.size(ints) == 0 ? NONE : 0;
        }
        return ((MemberTable) members).first();
    }

    public int next(int position) {
        if (!(members instanceof MemberTable)) {
            Object ints = members;
            return position + 1 < IntSet.size(ints) ? position + 1 : NONE;
        }
        return ((MemberTable) members).next(position);
    }

    /** The bytes each member of an intset takes (2, 4 or 8): what Redis's intset header records. */
    public int intsetWidth() {
        return IntSet.width(members);
    }

    /** The integer at a position of an intset. */
    public long integerAt(int position) {
        return IntSet.get(members, position);
    }

    /** The member at a position of a table; the array must not be changed. */
    public byte[] memberAt(int position) {
        return ((MemberTable) members).elementAt(position);
    }

    /** A copy of the member at a position, whatever the layout. */
    public byte[] copyOfMemberAt(int position) {
        if (!(members instanceof MemberTable)) {
            Object ints = members;
            return NumericStrings.toBytes(IntSet.get(ints, position));
        }
        return ((MemberTable) members).elementAt(position).clone();
    }

    /** A position drawn at random, every member being equally likely; {@link #NONE} when empty. */
    public int randomPosition(RandomGenerator random) {
        if (!(members instanceof MemberTable)) {
            Object ints = members;
            int size = IntSet.size(ints);
            return size == 0 ? NONE : random.nextInt(size);
        }
        return ((MemberTable) members).randomPosition(random);
    }

    /**
     * One SCAN step of a table set ({@link MemberTable#scan}); an intset has no cursor, and SSCAN
     * returns it whole, as Redis does.
     */
    public long scan(long cursor, Consumer<byte[]> visitor) {
        return ((MemberTable) members).scan(cursor, visitor);
    }

    // ---------------------------------------------------------------- read as a member collection

    @Override
    public int memberCount() {
        return size();
    }

    @Override
    public boolean containsMember(byte[] member, int offset, int length) {
        return contains(member, offset, length);
    }

    /** Every member in the set's order; an intset's integers are written as text into one reused buffer. */
    @Override
    public void forEachMember(MemberVisitor visitor) {
        if (members instanceof MemberTable table) {
            for (int position = table.first(); position != NONE; position = table.next(position)) {
                byte[] member = table.elementAt(position);
                visitor.member(member, 0, member.length);
            }
            return;
        }
        Object ints = members;
        byte[] digits = new byte[20];
        for (int i = 0; i < IntSet.size(ints); i++) {
            long value = IntSet.get(ints, i);
            int length = NumericStrings.decimalLength(value);
            NumericStrings.writeDecimal(value, digits, 0);
            visitor.member(digits, 0, length);
        }
    }

    // ---------------------------------------------------------------- memory and copies

    @Override
    public long memoryUsage() {
        if (!(members instanceof MemberTable)) {
            Object ints = members;
            return SHALLOW_BYTES + IntSet.memoryUsage(ints);
        }
        return SHALLOW_BYTES + ((MemberTable) members).memoryUsage();
    }

    @Override
    public SetValue copy() {
        if (!(members instanceof MemberTable)) {
            Object ints = members;
            return new SetValue(IntSet.copy(ints));
        }
        return new SetValue(((MemberTable) members).copy());
    }
}
