package io.nuthatch.server.testing;

import io.nuthatch.server.NuthatchServer;
import io.nuthatch.server.config.ConfigException;
import io.nuthatch.server.config.ServerConfig;
import io.nuthatch.server.log.ServerLog;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A Debian redis-server and a Nuthatch server with the same settings, started once per test JVM
 * and shared by the differential tests (each test case flushes them first); and, started only when
 * a redis-only case first needs it, a second redis-server that plays Nuthatch's part in those cases.
 */
public final class ReferencePair {
    private static ReferencePair shared;
    private static RedisServerProcess secondRedis;

    private final RedisServerProcess redis;
    private final NuthatchServer nuthatch;

    private ReferencePair(RedisServerProcess redis, NuthatchServer nuthatch) {
        this.redis = redis;
        this.nuthatch = nuthatch;
    }

    public static synchronized ReferencePair shared() {
        if (shared == null) {
            try {
                RedisServerProcess redis = RedisServerProcess.start();
                NuthatchServer nuthatch = startNuthatch();
                shared = new ReferencePair(redis, nuthatch);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    nuthatch.close();
                    redis.close();
                }));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    /** A Nuthatch server configured as the reference redis-server is, on a free port. */
    public static NuthatchServer startNuthatch(String... directives) {
        ServerConfig config = new ServerConfig().useFreePort();
        try {
            config.find("bind").set("127.0.0.1");
            config.find("enable-debug-command").set("yes");
            config.find("save").set("");
            for (int i = 0; i + 1 < directives.length; i += 2) {
                config.find(directives[i]).set(directives[i + 1]);
            }
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e);
        }
        ServerLog log = new ServerLog();
        log.level(ServerLog.Level.WARNING);
        return NuthatchServer.start(config, log);
    }

    public int redisPort() {
        return redis.port();
    }

    /**
     * The port of a second redis-server like the first. Its hash seed is its own, so replies in
     * hash order differ from the first's as Nuthatch's may: the unordered comparisons meet real
     * differences even in cases only redis-server can run yet.
     */
    public int secondRedisPort() {
        synchronized (ReferencePair.class) {
            if (secondRedis == null) {
                try {
                    RedisServerProcess started = RedisServerProcess.start();
                    Runtime.getRuntime().addShutdownHook(new Thread(started::close));
                    secondRedis = started;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return secondRedis.port();
        }
    }

    public int nuthatchPort() {
        return nuthatch.port();
    }

    public NuthatchServer nuthatch() {
        return nuthatch;
    }
}
