/**
 * JMH benchmarks of the per-request path: decoding, reply encoding, and a command run through the
 * real dispatcher without sockets. Run with {@code -prof gc}: the figure that matters most is
 * {@code gc.alloc.rate.norm}, the bytes allocated per request, which must stay at what the
 * command stores (0 for reads). bench/README.md says how to run them.
 */
package io.nuthatch.bench;
