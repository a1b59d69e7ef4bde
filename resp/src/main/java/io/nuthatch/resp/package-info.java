/**
 * The Redis serialization protocol (RESP2 and RESP3) on the wire, and nothing else.
 *
 * <p>This package owns three things: {@link io.nuthatch.resp.RequestDecoder}, which turns the bytes
 * a client sends (multibulk or inline) into {@link io.nuthatch.resp.RequestArguments}, resumable
 * across TCP fragments; {@link io.nuthatch.resp.ReplyWriter}, which encodes replies for the protocol
 * version a connection negotiated; and {@link io.nuthatch.resp.ProtocolLimits}, the size limits
 * and their error texts, as Redis words them.
 *
 * <p>It must never know what a command is: no command names, no keyspace, no Netty channel. It
 * depends on netty-buffer only, so that a benchmark or another transport can drive it directly.
 *
 * <p>Arguments stay bytes. A request's arguments are copied once, from the socket buffer into a
 * per-connection arena that is reused for every request, so decoding a GET or a SET allocates
 * nothing; only the bytes a command decides to keep are copied out of the arena.
 */
package io.nuthatch.resp;
