package io.nuthatch.server.info;

import io.nuthatch.server.Engine;
import io.nuthatch.server.keyspace.Database;
import io.nuthatch.server.keyspace.KeyEntry;

import java.util.SplittableRandom;

/**
 * INFO keyspace: one line per database that holds keys, "db0:keys=N,expires=M,avg_ttl=T", then
 * one per database with an eviction policy of its own, "maxmemory_policy_db1:noeviction".
 *
 * <p>avg_ttl, in milliseconds, is an estimate in Redis too: its expiry cycle folds the TTLs of the
 * keys it samples into a moving average. Here INFO samples up to {@link #TTL_SAMPLES} keys with an
 * expiry, drawn uniformly (with replacement) from the database's expiry index, and averages the
 * time they have left, ignoring keys already past their time as Redis does. The standard error of
 * the estimate is the TTLs' spread over 8 — ample for a dashboard, and cheap at any database size.
 */
final class KeyspaceInfo {
    static final int TTL_SAMPLES = 64;

    private final Engine engine;
    private final SplittableRandom random = new SplittableRandom();

    KeyspaceInfo(Engine engine) {
        this.engine = engine;
    }

    void write(InfoFields out) {
        long now = System.currentTimeMillis();
        for (int i = 0; i < engine.keyspace().count(); i++) {
            Database database = engine.keyspace().database(i);
            if (database.size() == 0) {
                continue;
            }
            out.add("db" + i, "keys=" + database.size() + ",expires=" + database.expiringCount()
                    + ",avg_ttl=" + averageTtl(database, now));
        }
        // The databases with an eviction policy of their own (maxmemory-policy-db), on lines of
        // their own: a fourth field on a db line would make redis_exporter drop that line.
        for (int i = 0; i < engine.keyspace().count(); i++) {
            String policy = engine.config().memory.maxmemoryPolicyDb.policyOf(i);
            if (policy != null) {
                out.add("maxmemory_policy_db" + i, policy);
            }
        }
    }

    long averageTtl(Database database, long now) {
        int draws = database.expiringCount() == 0 ? 0 : TTL_SAMPLES;
        long sum = 0;
        int counted = 0;
        for (int i = 0; i < draws; i++) {
            KeyEntry entry = database.randomExpiringEntry(random);
            long left = entry == null ? 0 : entry.expiresAt() - now;
            if (left > 0) {
                sum += left;
                counted++;
            }
        }
        return counted == 0 ? 0 : sum / counted;
    }
}
