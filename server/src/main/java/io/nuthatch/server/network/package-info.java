/**
 * Sockets: the Netty event loops (epoll on Linux, NIO elsewhere), the listening addresses, and one
 * {@link io.nuthatch.server.network.ClientConnection} per client that turns bytes into requests
 * and replies into bytes, one flush per read batch. It runs commands only through the dispatcher,
 * after entering the engine's {@link io.nuthatch.server.gate.ExecutionGate}, and must never make an
 * event loop wait while long work holds the engine: a connection that cannot run keeps its bytes
 * and is resumed by the gate.
 *
 * <p>TLS (tls-port) is Netty's SslHandler with the JDK's provider, in front of the same
 * ClientConnection, which never knows whether its bytes were encrypted; the client connection is
 * put in place only once the handshake succeeded (TlsHandshake). A plain connection's pipeline is
 * the ClientConnection alone, so TLS costs plain clients nothing.
 */
package io.nuthatch.server.network;
