/**
 * Sockets: the Netty event loops (epoll on Linux, NIO elsewhere), the listening addresses, and one
 * {@link io.nuthatch.server.network.ClientConnection} per client that turns bytes into requests
 * and replies into bytes, one flush per read batch. It runs commands only through the dispatcher,
 * after entering the engine's {@link io.nuthatch.server.gate.ExecutionGate}, and must never make an
 * event loop wait while long work holds the engine: a connection that cannot run keeps its bytes
 * and is resumed by the gate.
 */
package io.nuthatch.server.network;
