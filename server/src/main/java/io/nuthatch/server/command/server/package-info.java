/**
 * The commands about the server rather than the data: the connection (PING, HELLO, AUTH, SELECT),
 * CLIENT, CONFIG, INFO, COMMAND and the other introspection commands, SHUTDOWN, DEBUG, WAIT.
 * These are the families that may see the whole {@link io.nuthatch.server.Engine}.
 */
package io.nuthatch.server.command.server;
