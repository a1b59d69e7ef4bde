package io.nuthatch.server.type;

import java.nio.charset.StandardCharsets;

/** The data types a key can hold, with the names TYPE and SCAN TYPE use. */
public enum ValueType {
    STRING("string"),
    LIST("list"),
    SET("set"),
    ZSET("zset"),
    HASH("hash"),
    STREAM("stream");

    private final String typeName;
    private final byte[] typeNameBytes;

    ValueType(String typeName) {
        this.typeName = typeName;
        this.typeNameBytes = typeName.getBytes(StandardCharsets.US_ASCII);
    }

    /** The name TYPE replies with. */
    public String typeName() {
        return typeName;
    }

    public byte[] typeNameBytes() {
        return typeNameBytes;
    }

    /** The type of the given name, ignoring case, or null. */
    public static ValueType byName(String name) {
        for (ValueType type : values()) {
            if (type.typeName.equalsIgnoreCase(name)) {
                return type;
            }
        }
        return null;
    }
}
