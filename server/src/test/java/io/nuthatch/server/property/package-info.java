/**
 * Property-based tests (jqwik): random sequences of operations on each data type, run on
 * redis-server and on Nuthatch, every reply and the final dataset compared.
 *
 * <p>Each {@code *SequencePropertyTest} generates sequences of up to 50 commands over a few keys
 * (so commands meet each other's values and the wrong types), mixing in commands on keys of any
 * type and changes of the encoding thresholds, so sequences cross the listpack/intset/hashtable
 * switch points. {@link io.nuthatch.server.property.SequenceRun} runs them and compares;
 * {@link io.nuthatch.server.property.DatasetDump} is the final state both servers must agree on.
 *
 * <p>Reproducing a failure: jqwik prints the failing (shrunk) sequence and a {@code seed = ...}
 * line; {@code @Property(seed = "...")} on the property repeats that run, and jqwik itself tries
 * the failed sample first on the next run (its database is {@code target/jqwik-database}). Seeds
 * are random otherwise, so each run explores new sequences. The tries are bounded so that all
 * the properties together take seconds, not minutes.
 *
 * <p>A type Nuthatch does not have yet is compared against a second redis-server, which keeps the
 * generators and the harness honest until the type lands.
 */
package io.nuthatch.server.property;
