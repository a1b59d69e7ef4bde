package io.nuthatch.server.type;

import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * A hash: fields and their values, in the two layouts Redis 7.0 uses and names the same way. A
 * {@link Listpack} of field and value alternately ("listpack") while there are at most
 * hash-max-listpack-entries fields and no field or value is longer than hash-max-listpack-value
 * bytes; then, for good, a {@link MemberTable} of {@link FieldValue} pairs ("hashtable"). The
 * small layout is what most hashes in our users' data are (job hashes of ten fields): one array
 * of a few hundred bytes, as in Redis.
 *
 * <p>The layout is one reference to either, not a field for each, for the same reason as in
 * {@link SetValue}: eight bytes on each of a hundred thousand small hashes.
 *
 * <p><b>Positions</b> name a field and its value: the position of the field's entry in the
 * listpack, or a table position. Read them with {@link #fieldArray}/{@link #fieldOffset}/
 * {@link #fieldLength} and the value counterparts, which allocate nothing. They stay valid until
 * the next change.
 */
public final class HashValue implements StoredValue {
    public static final String LISTPACK = "listpack";
    public static final String HASHTABLE = "hashtable";
    public static final int NONE = -1;

    private static final long SHALLOW_BYTES = MemoryLayout.align(MemoryLayout.OBJECT_HEADER + MemoryLayout.REFERENCE);

    /** A {@link Listpack} (field, value, field, value ...) or a {@link MemberTable} of pairs. */
    private Object fields;

    private HashValue(Object fields) {
        this.fields = fields;
    }

    /** An empty hash, in the small layout Redis creates hashes in. */
    public static HashValue empty() {
        return new HashValue(new Listpack());
    }

    @Override
    public ValueType type() {
        return ValueType.HASH;
    }

    @Override
    public String encoding() {
        return fields instanceof Listpack ? LISTPACK : HASHTABLE;
    }

    public boolean isListpack() {
        return fields instanceof Listpack;
    }

    public int size() {
        return fields instanceof Listpack listpack ? listpack.size() / 2 : ((MemberTable) fields).size();
    }

    public boolean isEmpty() {
        return size() == 0;
    }

    // ---------------------------------------------------------------- lookups

    /** The position of a field, or {@link #NONE}. */
    public int find(byte[] field, int offset, int length) {
        if (fields instanceof Listpack listpack) {
            return listpack.find(listpack.first(), 2, field, offset, length);
        }
        return ((MemberTable) fields).find(field, offset, length);
    }

    public byte[] fieldArray(int position) {
        return fields instanceof Listpack listpack ? listpack.array() : ((MemberTable) fields).elementAt(position);
    }

    public int fieldOffset(int position) {
        if (fields instanceof Listpack listpack) {
            return listpack.dataOffset(position);
        }
        return FieldValue.fieldOffset(((MemberTable) fields).elementAt(position));
    }

    public int fieldLength(int position) {
        if (fields instanceof Listpack listpack) {
            return listpack.dataLength(position);
        }
        return FieldValue.fieldLength(((MemberTable) fields).elementAt(position));
    }

    public byte[] valueArray(int position) {
        return fieldArray(position);
    }

    public int valueOffset(int position) {
        if (fields instanceof Listpack listpack) {
            return listpack.dataOffset(listpack.next(position));
        }
        return FieldValue.valueOffset(((MemberTable) fields).elementAt(position));
    }

    public int valueLength(int position) {
        if (fields instanceof Listpack listpack) {
            return listpack.dataLength(listpack.next(position));
        }
        return FieldValue.valueLength(((MemberTable) fields).elementAt(position));
    }

    // ---------------------------------------------------------------- iteration

    /** The first field's position (listpack order, or table order), or {@link #NONE}. */
    public int first() {
        if (fields instanceof Listpack listpack) {
            return listpack.first();
        }
        return ((MemberTable) fields).first();
    }

    public int next(int position) {
        if (fields instanceof Listpack listpack) {
            return listpack.next(listpack.next(position));
        }
        return ((MemberTable) fields).next(position);
    }

    /** A position drawn at random, every field being equally likely; {@link #NONE} when empty. */
    public int randomPosition(RandomGenerator random) {
        if (fields instanceof Listpack listpack) {
            int size = listpack.size() / 2;
            return size == 0 ? NONE : listpack.positionOf(2L * random.nextInt(size));
        }
        return ((MemberTable) fields).randomPosition(random);
    }

    /**
     * One SCAN step of a table hash, visiting {@link FieldValue} pairs ({@link MemberTable#scan});
     * a listpack has no cursor, and HSCAN returns it whole, as Redis does.
     */
    public long scan(long cursor, Consumer<byte[]> visitor) {
        return ((MemberTable) fields).scan(cursor, visitor);
    }

    // ---------------------------------------------------------------- changes

    /**
     * Sets a field to a value (both copied); true if the field is new. The hash becomes a table,
     * as in Redis, when the field or the value is longer than {@code maxListpackValue} bytes or
     * the fields would pass {@code maxListpackEntries}.
     */
    public boolean set(byte[] field, int fieldOffset, int fieldLength, byte[] value, int valueOffset, int valueLength,
            long maxListpackEntries, long maxListpackValue) {
        if (fields instanceof Listpack listpack) {
            if (fieldLength > maxListpackValue || valueLength > maxListpackValue) {
                toTable(listpack.size() / 2 + 1);
            } else {
                int position = listpack.find(listpack.first(), 2, field, fieldOffset, fieldLength);
                if (position != Listpack.NONE) {
                    listpack.replace(listpack.next(position), value, valueOffset, valueLength);
                    // Redis checks the count after every set, an update too: a hash left over the
                    // limit by a lowered hash-max-listpack-entries becomes a table at its next write.
                    if (listpack.size() / 2 > maxListpackEntries) {
                        toTable(listpack.size() / 2);
                    }
                    return false;
                }
                listpack.append(field, fieldOffset, fieldLength);
                listpack.append(value, valueOffset, valueLength);
                if (listpack.size() / 2 > maxListpackEntries) {
                    toTable(listpack.size() / 2);
                }
                return true;
            }
        }
        MemberTable table = (MemberTable) fields;
        byte[] pair = FieldValue.of(field, fieldOffset, fieldLength, value, valueOffset, valueLength);
        int position = table.find(field, fieldOffset, fieldLength);
        if (position != MemberTable.NONE) {
            table.replace(position, pair);
            return false;
        }
        table.insert(pair);
        return true;
    }

    /** Deletes a field; false if it was not there. */
    public boolean delete(byte[] field, int offset, int length) {
        int position = find(field, offset, length);
        if (position == NONE) {
            return false;
        }
        deleteAt(position);
        return true;
    }

    /** Deletes the field at a position, with its value. */
    public void deleteAt(int position) {
        if (fields instanceof Listpack listpack) {
            listpack.delete(position, 2);
        } else {
            ((MemberTable) fields).removeAt(position);
        }
    }

    private void toTable(int expectedSize) {
        Listpack listpack = (Listpack) fields;
        MemberTable table = MemberTable.ofPairs(expectedSize);
        byte[] bytes = listpack.array();
        for (int field = listpack.first(); field != Listpack.NONE; ) {
            int value = listpack.next(field);
            table.insert(FieldValue.of(bytes, listpack.dataOffset(field), listpack.dataLength(field),
                    bytes, listpack.dataOffset(value), listpack.dataLength(value)));
            field = listpack.next(value);
        }
        fields = table;
    }

    /**
     * Gives back the spare room of a listpack: called once a command that created the hash has
     * set all its fields, so that the hundred thousand small hashes a dataset may hold cost what
     * their fields take, not that plus the room growth keeps.
     */
    public void trimToSize() {
        if (fields instanceof Listpack listpack) {
            listpack.trimToSize();
        }
    }

    /** Room for about {@code bytes} of fields while the hash is a listpack (loading; trim afterwards). */
    public void reserve(int bytes) {
        if (fields instanceof Listpack listpack) {
            listpack.reserve(bytes);
        }
    }

    // ---------------------------------------------------------------- memory and copies

    @Override
    public long memoryUsage() {
        if (fields instanceof Listpack listpack) {
            return SHALLOW_BYTES + listpack.memoryUsage();
        }
        return SHALLOW_BYTES + ((MemberTable) fields).memoryUsage();
    }

    @Override
    public HashValue copy() {
        if (fields instanceof Listpack listpack) {
            return new HashValue(listpack.copy());
        }
        return new HashValue(((MemberTable) fields).copy());
    }
}
