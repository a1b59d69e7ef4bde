/**
 * The server: the {@link io.nuthatch.server.Engine} every command runs against, the process
 * ({@link io.nuthatch.server.Main}) and the embedded API ({@link io.nuthatch.server.NuthatchServer}).
 *
 * <h2>Threading model</h2>
 *
 * <p>Every command, and later every MULTI/EXEC block and script, runs atomically and in one total
 * order; that order is the order of {@link io.nuthatch.server.propagation.WritePropagation}, which
 * the append-only log will write. Commands run on the Netty event loop that read them, after
 * entering the engine's {@link io.nuthatch.server.gate.ExecutionGate}: parsing, socket reads and
 * writes may run in parallel on several event loops, execution never does. A connection enters the
 * gate once per read batch (not per command) and lets it go early when another thread waits for
 * it, so pipelines pay one compare-and-set per batch and several event loops still interleave. A
 * blocking command parks its client ({@link io.nuthatch.server.client.BlockedClient}) without
 * holding any thread; the wake-up runs on the client's event loop, inside the gate.
 *
 * <p><b>The gate, not a lock every thread waits on.</b> The gate knows what holds the engine: short
 * work (a read batch, the cron, an exporter read), or long work that runs on a thread of its own,
 * a script running for seconds (HELD, then BUSY past {@code busy-reply-threshold}) or the dataset
 * loading in slices (LOADING). Short work waits for short work only; no event loop and not the
 * cron ever waits behind long work. A connection that cannot run keeps its requests buffered, as a
 * parked client does, and is queued at the gate; it is resumed on its own event loop at a yield
 * point of the long work (where the dispatcher answers -BUSY or -LOADING, as Redis does between the
 * slices of a script or a load, and runs what is flagged allow-busy or loading-ok), or once the
 * gate is free again, in the order the connections queued. The cron skips its run while long work
 * holds the engine (Redis runs no serverCron then either); the exporter's INFO read is run by the
 * long work at its next yield point. A blocked client's timeout that falls during long work is
 * answered once the work ends, as in Redis.
 *
 * <p>The common path costs what the lock it replaced cost: a volatile read of the gate's state, an
 * uncontended compare-and-set, and a volatile read again. Measured with JMH (CommandPathBenchmark,
 * {@code -f 2 -wi 3 -i 5 -prof gc}, the lock's build and the gate's build alternated twice on the
 * shared 2-core VM, 2026-12-01), operations per second, mean ± 99.9% interval:
 * <pre>
 *                     GET                      SET over an existing key
 * lock (before)       1.09M ± 0.24M, 1.13M ± 0.22M   0.96M ± 0.05M, 0.88M ± 0.21M
 * gate                1.21M ± 0.13M, 1.12M ± 0.24M   1.11M ± 0.19M, 0.81M ± 0.22M
 * </pre>
 * level within the noise, and allocating the same: 0 B per GET, 144 B per SET (the stored value),
 * also with a propagation listener attached (the record of a SET is a view over the request).
 *
 * <p><b>Execution units and durability.</b> Each command is one execution unit of write
 * propagation (EXEC and scripts will open an outer one): its records are delivered together when it
 * ends, wrapped as Redis 7.0 wraps them, with the next log offset. When the log needs replies to
 * wait for durability (appendfsync always), each connection holds its batch's replies until the log
 * is durable through the newest unit delivered when the batch's last command ran, whoever wrote
 * it, so a read never shows a write a crash could lose; the wait off, it costs one comparison per
 * batch.
 *
 * <p><b>How it was chosen.</b> Two designs were built and measured with {@code bench/compare.sh}
 * (redis-benchmark, 50 clients, 100-byte values, 100k random keys, N=200000, median of 3 rounds,
 * against redis-server 7.0.15 in the same run, on a 2-core VM, 2026-11-23):
 * <ul>
 * <li>(a) commands on the event loop under the lock, with one event loop ({@code io-threads 1})
 *     and with two;</li>
 * <li>(b) one dedicated execution thread fed by the event loops (Redis 6's io-threads shape),
 *     selected for the measurement with {@code -Dnuthatch.execution=dedicated}.</li>
 * </ul>
 * Requests per second as a ratio of redis-server's, pipeline 1 / pipeline 16:
 * <pre>
 *                 SET          GET          INCR         MSET
 * (a) 1 loop      0.89 / 1.08  0.99 / 0.90  0.92 / 0.72  0.73 / 1.22
 * (a) 2 loops     0.91 / 1.01  0.90 / 0.81  0.82 / 0.68  1.06 / 1.11
 * (b) dedicated   0.60 / 0.80  0.72 / 0.89  0.53 / 0.63  0.74 / 1.21
 * </pre>
 * Design (b) pays two thread hand-offs per request: its GET latency at pipeline 1 doubled (p50
 * 0.51 ms against 0.25 ms) and it allocated about 150 bytes per request for the hand-offs. Two
 * event loops on two cores compete with the benchmark client and the GC for the CPU, and their
 * lock hand-offs tripled GET's p99 at pipeline 1 (2.1 ms against 0.6 ms). One event loop running
 * commands under an uncontended lock was best or level everywhere, so it is the default;
 * {@code io-threads N} gives N event loops for machines with cores to spare, and the dedicated
 * thread remains only as the measured alternative. The design does not rule out 1.0x: the
 * remaining gap at pipeline 1 is per-request latency, not contention.
 *
 * <p>This package must never do blocking work (disk, DNS, sleeps other than DEBUG SLEEP's
 * deliberate one) while holding the engine as short work: every client waits while it is held.
 * Work that takes long belongs on the gate's own thread ({@link
 * io.nuthatch.server.gate.ExecutionGate#runLong}, {@link io.nuthatch.server.gate.ExecutionGate#load}).
 */
package io.nuthatch.server;
