package io.nuthatch.server.client;

import io.nuthatch.resp.RequestArguments;
import io.nuthatch.server.command.CommandContext;
import io.nuthatch.server.command.CommandSpec;
import io.nuthatch.server.transaction.Transaction;

/**
 * One line of CLIENT LIST and CLIENT INFO: Redis 7.0's fields in its order, then the lib-name and
 * lib-ver of Redis 7.2. Every figure comes from the connection.
 */
public final class ClientInfoLine {
    private ClientInfoLine() {
    }

    /** Appends the line of {@code client} (no newline); {@code running} is the context of the command asking. */
    public static void append(StringBuilder line, ClientSession client, CommandContext running) {
        ClientSession.Transport transport = client.transport();
        long now = System.currentTimeMillis();
        long argvBytes = running != null && client == running.client() ? argumentBytes(running.arguments()) : 0;
        CommandSpec last = client.lastCommand();
        line.append("id=").append(client.id())
                .append(" addr=").append(transport.remoteAddress())
                .append(" laddr=").append(transport.localAddress())
                .append(" fd=").append(transport.fileDescriptor())
                .append(" name=").append(client.name())
                .append(" age=").append((now - client.createdMillis()) / 1000)
                .append(" idle=").append(Math.max(0, now - client.lastInteractionMillis()) / 1000)
                .append(" flags=").append(flags(client))
                .append(" db=").append(client.database())
                .append(subscriptionCounts(client)).append(" multi=").append(queuedCount(client))
                .append(" qbuf=").append(transport.queryBufferBytes())
                .append(" qbuf-free=").append(transport.queryBufferFree())
                .append(" argv-mem=").append(argvBytes)
                .append(" multi-mem=0")
                .append(" rbs=").append(transport.replyBufferSize())
                .append(" rbp=").append(transport.replyBufferPeak())
                .append(" obl=").append(transport.replyBufferLength())
                .append(" oll=").append(transport.outputListLength())
                .append(" omem=").append(transport.outputBufferBytes())
                .append(" tot-mem=").append(ClientSession.CONNECTION_HEAP_BYTES + transport.bufferMemory() + argvBytes)
                .append(" events=").append(transport.outputBufferBytes() > 0 ? "rw" : "r")
                .append(" cmd=").append(last == null ? "NULL" : last.name())
                .append(" user=").append(client.user())
                .append(" redir=").append(client.tracking() == null ? -1 : client.tracking().redirect())
                .append(" resp=").append(client.protocol())
                .append(" lib-name=").append(client.libraryName())
                .append(" lib-ver=").append(client.libraryVersion());
    }

    /** The line of {@code client} when no command of its own is running (a log line about it). */
    public static String of(ClientSession client) {
        StringBuilder line = new StringBuilder(256);
        append(line, client, null);
        return line.toString();
    }

    /** Redis's flag letters, in its order; N when none applies. */
    private static String flags(ClientSession client) {
        StringBuilder flags = new StringBuilder(4);
        if (client.isMonitoring()) {
            flags.append('O');
        }
        if (client.subscriptions() != null) {
            flags.append('P');
        }
        Transaction transaction = client.transaction();
        if (transaction != null && transaction.isOpen()) {
            flags.append('x');
        }
        if (client.isBlocked()) {
            flags.append('b');
        }
        TrackingMode tracking = client.tracking();
        if (tracking != null) {
            flags.append('t');
            if (tracking.brokenRedirect()) {
                flags.append('R');
            }
            if (tracking.broadcast()) {
                flags.append('B');
            }
        }
        if (transaction != null && transaction.isWatchedKeyTouched()) {
            flags.append('d');
        }
        if (client.isClosing()) {
            flags.append('c');
        }
        if (client.noEvict()) {
            flags.append('e');
        }
        if (client.noTouch()) {
            flags.append('T');
        }
        return flags.isEmpty() ? "N" : flags.toString();
    }

    /** The commands queued since MULTI, or -1 outside MULTI. */
    private static int queuedCount(ClientSession client) {
        Transaction transaction = client.transaction();
        return transaction != null && transaction.isOpen() ? transaction.queuedCount() : -1;
    }

    private static String subscriptionCounts(ClientSession client) {
        Subscriptions subscriptions = client.subscriptions();
        if (subscriptions == null) {
            return " sub=0 psub=0 ssub=0";
        }
        return " sub=" + subscriptions.channels().size() + " psub=" + subscriptions.patterns().size()
                + " ssub=" + subscriptions.shardCount();
    }

    private static long argumentBytes(RequestArguments arguments) {
        long total = 0;
        for (int i = 0; i < arguments.count(); i++) {
            total += arguments.length(i);
        }
        return total;
    }
}
