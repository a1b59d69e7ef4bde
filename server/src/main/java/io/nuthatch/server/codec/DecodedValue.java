package io.nuthatch.server.codec;

import io.nuthatch.server.type.StoredValue;

/**
 * What a decoded payload holds: a string (kept as bytes, since strings live in their key's entry)
 * or a value object.
 */
public final class DecodedValue {
    private final byte[] string;
    private final StoredValue value;

    private DecodedValue(byte[] string, StoredValue value) {
        this.string = string;
        this.value = value;
    }

    static DecodedValue ofString(byte[] string) {
        return new DecodedValue(string, null);
    }

    static DecodedValue ofValue(StoredValue value) {
        return new DecodedValue(null, value);
    }

    public boolean isString() {
        return string != null;
    }

    /** The string's bytes; null for a value object. */
    public byte[] string() {
        return string;
    }

    /** The value object; null for a string. */
    public StoredValue value() {
        return value;
    }
}
