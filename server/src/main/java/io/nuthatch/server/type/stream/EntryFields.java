package io.nuthatch.server.type.stream;

/**
 * The field-value pairs of an entry being added, read where they lie (in a request's arguments),
 * so that adding an entry copies each byte once, into its node. Element {@code 2i} is the i-th
 * field, {@code 2i + 1} its value.
 */
public interface EntryFields {
    /** Number of field-value pairs; at least one. */
    int pairs();

    byte[] array(int element);

    int offset(int element);

    int length(int element);
}
