/**
 * The test harness: Debian's redis-server started as the reference ({@link
 * io.nuthatch.server.testing.RedisServerProcess}, {@link io.nuthatch.server.testing.ReferencePair}),
 * embedded Nuthatch servers, plain sockets that read raw replies, and the differential scripts that
 * compare the two servers reply by reply ({@link io.nuthatch.server.testing.DifferentialScript} for
 * the format, {@link io.nuthatch.server.testing.Differential} to run one).
 *
 * <p>It must never decide what a correct reply is: redis-server does. It holds no expected reply of
 * its own and never skips a test when redis-server is missing (it fails with the package to
 * install). The differential runner talks to servers only over their sockets, as a client would,
 * and its comparisons forgive only what a script asks them to, visibly on the script's line.
 */
package io.nuthatch.server.testing;
