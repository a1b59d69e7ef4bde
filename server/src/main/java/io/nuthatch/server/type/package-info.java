/**
 * The data types values are made of, and the rules for numbers written as strings.
 *
 * <p>A type knows its own semantics and its own memory footprint and nothing of RESP or commands;
 * the representation it picks for small and large sizes is its private choice, reported through
 * {@link io.nuthatch.server.type.StoredValue#encoding()} in Redis's vocabulary.
 *
 * <p>Strings are the exception to "a value is an object": most live in their key's entry, next to
 * the key (the keyspace's package documentation says why), so their rules are here as functions of
 * bytes: the encoding OBJECT ENCODING names ({@link io.nuthatch.server.type.StringEncoding}), the
 * room a string grown in place gets ({@link io.nuthatch.server.type.StringCapacity}), bits and
 * bit fields ({@link io.nuthatch.server.type.Bitmaps}, {@link io.nuthatch.server.type.BitFields}),
 * numbers. {@link io.nuthatch.server.type.StringValue} is the object form, for values of 32 KB and
 * more that keep the array the request decoder gave them.
 *
 * <p>Hashes and sets ({@link io.nuthatch.server.type.HashValue},
 * {@link io.nuthatch.server.type.SetValue}) take Redis 7.0's layouts and names: a
 * {@link io.nuthatch.server.type.Listpack} hash and an {@link io.nuthatch.server.type.IntSet} set
 * while small, then a {@link io.nuthatch.server.type.MemberTable}, an open-addressing table of one
 * byte array per member (a hash's field and value together, {@link io.nuthatch.server.type.FieldValue})
 * that grows and shrinks incrementally and has the keyspace's SCAN guarantee. Each keeps its
 * memory figure current on every change, so reading it costs nothing.
 *
 * <p>A type must never be changed except through the keyspace's writable accessor for it (see
 * {@code io.nuthatch.server.keyspace}): a snapshot in progress has to see the change coming.
 */
package io.nuthatch.server.type;
