/**
 * The data types values are made of, and the rules for numbers written as strings.
 *
 * <p>A type knows its own semantics and its own memory footprint and nothing of RESP or commands;
 * the representation it picks for small and large sizes is its private choice, reported through
 * {@link io.nuthatch.server.type.StoredValue#encoding()} in Redis's vocabulary.
 */
package io.nuthatch.server.type;
