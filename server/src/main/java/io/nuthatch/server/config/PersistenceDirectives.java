package io.nuthatch.server.config;

/** Snapshots, the append-only file, and the directory they live in. */
public final class PersistenceDirectives {
    private static final long INT_MAX = Integer.MAX_VALUE;

    public final DirectoryDirective dir;
    public final SaveDirective save;
    public final BooleanDirective stopWritesOnBgsaveError;
    public final BooleanDirective rdbcompression;
    public final BooleanDirective rdbchecksum;
    public final EnumDirective sanitizeDumpPayload;
    public final StringDirective dbfilename;
    public final BooleanDirective rdbDelSyncFiles;
    public final BooleanDirective rdbSaveIncrementalFsync;
    public final BooleanDirective appendonly;
    public final StringDirective appendfilename;
    public final StringDirective appenddirname;
    public final EnumDirective appendfsync;
    public final BooleanDirective noAppendfsyncOnRewrite;
    public final IntegerDirective autoAofRewritePercentage;
    public final MemoryDirective autoAofRewriteMinSize;
    public final BooleanDirective aofLoadTruncated;
    public final BooleanDirective aofUseRdbPreamble;
    public final BooleanDirective aofTimestampEnabled;
    public final BooleanDirective aofDisableAutoGc;
    public final BooleanDirective aofRewriteIncrementalFsync;
    public final IntegerDirective rdbKeySaveDelay;
    public final IntegerDirective keyLoadDelay;
    public final IntegerDirective loadingProcessEventsIntervalBytes;

    PersistenceDirectives(DirectiveRegistry registry) {
        dir = registry.add(new DirectoryDirective()).protectedConfig();
        save = registry.add(new SaveDirective());
        stopWritesOnBgsaveError = registry.add(new BooleanDirective("stop-writes-on-bgsave-error", true));
        // Snapshots are RocksDB directories: rdbcompression chooses LZ4 blocks, rdbchecksum whether the
        // rows' checksum is recorded and verified (see io.nuthatch.persistence.snapshot).
        rdbcompression = registry.add(new BooleanDirective("rdbcompression", true));
        rdbchecksum = registry.add(new BooleanDirective("rdbchecksum", true)).immutable();
        sanitizeDumpPayload = registry.add(new EnumDirective("sanitize-dump-payload", "no", "no", "yes", "clients"))
                .withoutEffect(NoEffect.NOT_YET);
        dbfilename = registry.add(new StringDirective("dbfilename", "dump.rdb")
                .validatedBy(name -> isBaseName(name) ? null : "dbfilename can't be a path, just a filename"))
                .protectedConfig();
        rdbDelSyncFiles = registry.add(new BooleanDirective("rdb-del-sync-files", false))
                .withoutEffect(NoEffect.REPLICATION);
        rdbSaveIncrementalFsync = registry.add(new BooleanDirective("rdb-save-incremental-fsync", true))
                .withoutEffect(NoEffect.PERSISTENCE);
        appendonly = registry.add(new BooleanDirective("appendonly", false));
        appendfilename = registry.add(new StringDirective("appendfilename", "appendonly.aof")
                .validatedBy(name -> name.isEmpty() ? "appendfilename can't be empty"
                        : isBaseName(name) ? null : "appendfilename can't be a path, just a filename"))
                .immutable();
        appenddirname = registry.add(new StringDirective("appenddirname", "appendonlydir")
                .validatedBy(name -> name.isEmpty() ? "appenddirname can't be empty"
                        : isBaseName(name) ? null : "appenddirname can't be a path, just a dirname"))
                .immutable();
        appendfsync = registry.add(new EnumDirective("appendfsync", "everysec", "everysec", "always", "no"));
        noAppendfsyncOnRewrite = registry.add(new BooleanDirective("no-appendfsync-on-rewrite", false))
                .withoutEffect(NoEffect.PERSISTENCE);
        autoAofRewritePercentage = registry.add(new IntegerDirective("auto-aof-rewrite-percentage", 100, 0, INT_MAX));
        autoAofRewriteMinSize = registry.add(new MemoryDirective("auto-aof-rewrite-min-size", 64L * 1024 * 1024, 0,
                Long.MAX_VALUE));
        aofLoadTruncated = registry.add(new BooleanDirective("aof-load-truncated", true));
        aofUseRdbPreamble = registry.add(new BooleanDirective("aof-use-rdb-preamble", true))
                .withoutEffect(NoEffect.PERSISTENCE);
        aofTimestampEnabled = registry.add(new BooleanDirective("aof-timestamp-enabled", false));
        aofDisableAutoGc = registry.add(new BooleanDirective("aof-disable-auto-gc", false))
                .withoutEffect(NoEffect.PERSISTENCE);
        aofRewriteIncrementalFsync = registry.add(new BooleanDirective("aof-rewrite-incremental-fsync", true))
                .withoutEffect(NoEffect.PERSISTENCE);
        rdbKeySaveDelay = registry.add(new IntegerDirective("rdb-key-save-delay", 0, Integer.MIN_VALUE, INT_MAX))
                .hidden().withoutEffect("a test hook of Redis");
        keyLoadDelay = registry.add(new IntegerDirective("key-load-delay", 0, Integer.MIN_VALUE, INT_MAX))
                .hidden().withoutEffect("a test hook of Redis");
        loadingProcessEventsIntervalBytes = registry.add(new IntegerDirective("loading-process-events-interval-bytes",
                2L * 1024 * 1024, 1024, INT_MAX)).hidden().withoutEffect(NoEffect.PERSISTENCE);
    }

    /** Redis's pathIsBaseName: no '/' and no '\'. */
    private static boolean isBaseName(String path) {
        return path.indexOf('/') < 0 && path.indexOf('\\') < 0;
    }
}
