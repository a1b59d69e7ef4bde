package io.nuthatch.persistence.rdb;

import java.io.IOException;

/**
 * Bytes that are not a valid RDB encoding: a length past the end, an unknown type, a listpack
 * whose sizes disagree. Thrown before anything half-decoded is used, so a caller can reject a
 * payload whole.
 */
public class RdbFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public RdbFormatException(String message) {
        super(message);
    }
}
