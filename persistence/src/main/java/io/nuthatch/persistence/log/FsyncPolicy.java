package io.nuthatch.persistence.log;

import java.util.Locale;

/** appendfsync: when what was written to the log is forced to the disk. */
public enum FsyncPolicy {
    /** Before any reply that may show the write leaves (group commit across one batch of clients). */
    ALWAYS,
    /** On a background thread once a second; a write waits only when that fsync is over 2 seconds late. */
    EVERYSEC,
    /** Never by us: the kernel writes back when it decides. */
    NO;

    /** The policy named as appendfsync names it. */
    public static FsyncPolicy byName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
