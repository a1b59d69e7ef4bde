/**
 * Migration from Redis and Valkey: the data files a redis-server leaves in {@code dir}
 * (dump.rdb, appendonly.aof, appendonlydir/ with its manifest), read into this server's keyspace
 * on a first start.
 *
 * <p>What it owns: loading the records of an RDB file ({@link io.nuthatch.server.migration.RdbKeyspaceLoader},
 * fed by persistence's {@code RdbFileReader}, values decoded by the server's codec), with Redis's
 * rules for what a load keeps and skips.
 *
 * <p>What it must never do: write to {@code dir} (the files stay as Redis left them, so a failed
 * import can be retried or the old image put back), or load into a keyspace that serves clients
 * without holding the engine.
 */
package io.nuthatch.server.migration;
