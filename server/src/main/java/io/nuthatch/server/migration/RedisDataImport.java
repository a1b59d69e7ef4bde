package io.nuthatch.server.migration;

import io.nuthatch.persistence.rdb.AofManifest;
import io.nuthatch.persistence.rdb.RdbFileReader;
import io.nuthatch.persistence.rdb.RdbFormatException;
import io.nuthatch.persistence.rdb.RdbInput;
import io.nuthatch.persistence.rdb.RedisAofReader;
import io.nuthatch.server.Engine;
import io.nuthatch.server.codec.EncodingLimits;
import io.nuthatch.server.command.CommandError;
import io.nuthatch.server.config.ServerConfig;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The first start on a volume a redis-server or valkey-server used: which of its files to import,
 * and the import itself.
 *
 * <p><b>Which files</b> ({@link #find}), Redis's own choice at startup: with {@code appendonly yes},
 * the multi-part AOF of {@code appenddirname} (its manifest's base, RDB or AOF, then the
 * increments in order), else a single {@code appendfilename} in {@code dir} (Redis 6 and older,
 * or Redis 7's layout before its first rewrite; its RDB preamble included); otherwise, or when
 * no AOF exists (where Redis would start empty and lose the RDB's data, an import takes it),
 * {@code dbfilename}. Nothing found: nothing to import.
 *
 * <p><b>The seam with startup.</b> Whoever decides what to load at startup (the persistence
 * engineer's manifest check) calls {@code RedisDataImport.find(dir, config)} only when no Nuthatch
 * manifest exists, then {@link Plan#load(Engine)} while the server still answers -LOADING, then
 * writes its own snapshot; the Redis files are never modified or deleted here.
 */
public final class RedisDataImport {
    private static final byte[] RDB_MAGIC = {'R', 'E', 'D', 'I', 'S'};

    private RedisDataImport() {
    }

    /** What one import will read, in order. */
    public record Plan(List<Path> files, String description, boolean truncatedAllowed) {

        /**
         * Loads the files into the engine's keyspace, which should be empty. Runs the AOFs'
         * commands through the engine as a client would.
         *
         * @return what was loaded
         * @throws IOException naming the file and offset of what could not be read
         */
        public Outcome load(Engine engine) throws IOException {
            long started = System.nanoTime();
            Outcome outcome = new Outcome();
            for (Path file : files) {
                loadFile(engine, file, outcome, truncatedAllowed);
            }
            outcome.seconds = (System.nanoTime() - started) / 1e9;
            engine.log().notice(String.format("Imported %s: %d keys from RDB data, %d commands replayed,"
                    + " %d expired keys skipped, in %.3f seconds", description, outcome.keys, outcome.commands,
                    outcome.expiredSkipped, outcome.seconds));
            if (!outcome.functionLibraries.isEmpty()) {
                engine.log().notice("Loaded " + outcome.functionLibraries.size() + " function librar"
                        + (outcome.functionLibraries.size() == 1 ? "y" : "ies") + " from the imported data");
            }
            return outcome;
        }
    }

    /** What an import loaded. */
    public static final class Outcome {
        long keys;
        long commands;
        long expiredSkipped;
        boolean truncated;
        double seconds;
        final List<byte[]> functionLibraries = new ArrayList<>();

        public long keys() {
            return keys;
        }

        public long commands() {
            return commands;
        }

        public long expiredSkipped() {
            return expiredSkipped;
        }

        /** Whether an AOF ended inside a command, which was dropped (aof-load-truncated yes). */
        public boolean truncated() {
            return truncated;
        }

        /** The Redis 7 function libraries found (FUNCTION2 records), loaded as they were read. */
        public List<byte[]> functionLibraries() {
            return functionLibraries;
        }
    }

    /**
     * The files to import from {@code dir}, or null when it holds none of Redis's; {@code config}
     * gives the file names, appendonly and aof-load-truncated.
     */
    public static Plan find(Path dir, ServerConfig config) throws IOException {
        String appendFile = config.persistence.appendfilename.value();
        boolean truncatedAllowed = config.persistence.aofLoadTruncated.value();
        if (config.persistence.appendonly.value()) {
            Path appendDir = dir.resolve(config.persistence.appenddirname.value());
            Path manifest = appendDir.resolve(appendFile + ".manifest");
            if (Files.isRegularFile(manifest)) {
                AofManifest parts = AofManifest.read(manifest);
                List<Path> files = new ArrayList<>();
                if (parts.base() != null) {
                    files.add(appendDir.resolve(parts.base()));
                }
                for (String increment : parts.increments()) {
                    files.add(appendDir.resolve(increment));
                }
                for (Path file : files) {
                    if (!Files.isRegularFile(file)) {
                        throw new RdbFormatException(manifest + " names " + file.getFileName() + ", which is missing");
                    }
                }
                return new Plan(files, "the multi-part AOF " + manifest, truncatedAllowed);
            }
            Path single = dir.resolve(appendFile);
            if (Files.isRegularFile(single)) {
                return new Plan(List.of(single), "the AOF " + single, truncatedAllowed);
            }
        }
        Path rdb = dir.resolve(config.persistence.dbfilename.value());
        if (Files.isRegularFile(rdb)) {
            return new Plan(List.of(rdb), "the RDB " + rdb, truncatedAllowed);
        }
        return null;
    }

    /** A file is an RDB (an RDB base, dump.rdb) or an AOF, which may start with an RDB preamble. */
    private static void loadFile(Engine engine, Path file, Outcome outcome, boolean truncatedAllowed)
            throws IOException {
        String name = file.getFileName().toString();
        try (InputStream stream = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            stream.mark(RDB_MAGIC.length);
            byte[] start = stream.readNBytes(RDB_MAGIC.length);
            stream.reset();
            InputStream commands = stream;
            long commandsOffset = 0;
            if (java.util.Arrays.equals(start, RDB_MAGIC)) {
                RdbInput in = new RdbInput(stream);
                engine.lock().lock();
                RdbKeyspaceLoader loader;
                try {
                    // The load's time, which its keys are stamped with and IDLE records count back from.
                    engine.beginServerTask();
                    loader = loader(engine);
                    RdbFileReader.read(in, loader);
                } catch (RdbFormatException e) {
                    throw new RdbFormatException(name + ": " + e.getMessage());
                } finally {
                    engine.lock().unlock();
                }
                outcome.keys += loader.loaded();
                outcome.expiredSkipped += loader.expiredSkipped();
                outcome.functionLibraries.addAll(loader.functionLibraries());
                loadLibraries(engine, name, loader.functionLibraries());
                commandsOffset = in.offset();
                commands = in.remainder();
            }
            AofReplay replay = new AofReplay(engine);
            try {
                boolean truncated = replay.replay(new RedisAofReader(commands, commandsOffset), name,
                        truncatedAllowed);
                outcome.truncated |= truncated;
                outcome.commands += replay.commands();
                outcome.functionLibraries.addAll(replay.functionLibraries());
            } finally {
                replay.close();
            }
        }
    }

    /**
     * The libraries of an RDB's FUNCTION2 records, loaded before the commands after it run (an AOF
     * increment may delete or replace them). As in Redis, one that does not load fails the import.
     */
    private static void loadLibraries(Engine engine, String file, List<byte[]> libraries) throws RdbFormatException {
        engine.lock().lock();
        try {
            for (byte[] code : libraries) {
                engine.scripts().functions().loadWithoutTimeLimit(code);
            }
        } catch (CommandError refused) {
            throw new RdbFormatException(file + ": a function library does not load: " + refused.getMessage());
        } finally {
            engine.lock().unlock();
        }
    }

    private static RdbKeyspaceLoader loader(Engine engine) {
        return new RdbKeyspaceLoader(engine.keyspace(), EncodingLimits.of(engine.config().encoding),
                engine.now(), engine.lruClock());
    }
}
