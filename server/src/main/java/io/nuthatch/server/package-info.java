/**
 * The server: the {@link io.nuthatch.server.Engine} every command runs against, the process
 * ({@link io.nuthatch.server.Main}) and the embedded API ({@link io.nuthatch.server.NuthatchServer}).
 *
 * <h2>Threading model</h2>
 *
 * <p>Every command, and later every MULTI/EXEC block and script, runs atomically and in one total
 * order; that order is the order of {@link io.nuthatch.server.propagation.WritePropagation}, which
 * the append-only log will write. Commands run on the Netty event loop that read them, each under
 * the engine's one lock ({@link io.nuthatch.server.Engine#lock()}): parsing, socket reads and writes
 * may run in parallel on several event loops, execution never does. The cron (active expiry,
 * rehashing, idle clients) takes the same lock. A blocking command parks its client
 * ({@link io.nuthatch.server.client.BlockedClient}) without holding any thread; the wake-up runs
 * on the client's event loop, under the lock.
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
 * <p>This package must never put blocking work (disk, DNS, sleeps other than DEBUG SLEEP's
 * deliberate one) under the engine lock: every client waits while it is held.
 */
package io.nuthatch.server;
