/**
 * Sockets: the Netty event loops (epoll on Linux, NIO elsewhere), the listening addresses, and one
 * {@link io.nuthatch.server.network.ClientConnection} per client that turns bytes into requests
 * and replies into bytes, one flush per read batch. It runs commands only through the dispatcher,
 * under the engine lock.
 */
package io.nuthatch.server.network;
