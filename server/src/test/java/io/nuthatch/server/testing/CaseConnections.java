package io.nuthatch.server.testing;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One server's side of a running differential case: the case's named connections to it, each
 * opened at its first use in the case's protocol, and a control connection of the harness's own
 * that looks at the others through CLIENT LIST without running anything on them.
 *
 * <p>The first connection opened flushes the server, so a case starts from empty databases.
 */
final class CaseConnections implements ReplyComparison.ConnectionNames, AutoCloseable {
    /** An argument that stands for something known only once the connection exists: @B.id, @B.addr. */
    static final Pattern PLACEHOLDER = Pattern.compile("@([A-Za-z0-9_-]+)\\.(id|addr)");

    private static final Pattern FLAGS = Pattern.compile(" flags=(\\S*)");
    private static final long LISTING_WAIT_NANOS = 5_000_000_000L;
    /** How long the server stays silent to a PING before it counts as busy. */
    private static final int BUSY_SILENCE_MILLIS = 50;

    /** A case's connection and the replies it still owes to requests sent without reading. */
    private static final class ScriptConnection {
        final RawConnection raw;
        int unread;
        /** Raw bytes were sent without reading: how many replies they owe is unknown. */
        boolean uncounted;
        /** The client id the server gave it, once a step asked: kept, so it still names the client once closed. */
        String id;

        ScriptConnection(RawConnection raw) {
            this.raw = raw;
        }
    }

    private final String serverName;
    private final int port;
    private final int protocol;
    private final Map<String, ScriptConnection> open = new LinkedHashMap<>();
    private boolean flushed;
    private RawConnection control;
    /** A PING the control connection sent while the server was busy: its reply is still to come. */
    private boolean controlOwesReply;

    CaseConnections(String serverName, int port, int protocol) {
        this.serverName = serverName;
        this.port = port;
        this.protocol = protocol;
    }

    String serverName() {
        return serverName;
    }

    /** Sends a request and reads its reply; the connection must owe no earlier reply. */
    byte[] call(String name, List<byte[]> arguments, byte[] rawBytes, String where) throws IOException {
        ScriptConnection connection = connection(name);
        if (!connection.uncounted && connection.unread > 0) {
            throw new IllegalStateException(where + ": @" + name + " still owes " + connection.unread
                    + " repl" + (connection.unread == 1 ? "y" : "ies") + " to requests sent with [send]; [read] "
                    + (connection.unread == 1 ? "it" : "them") + " first");
        }
        connection.raw.send(rawBytes != null ? rawBytes : Resp.request(expand(arguments)));
        return read(connection, name, where);
    }

    /** Sends a request and leaves its reply to a later [read]. */
    void send(String name, List<byte[]> arguments, byte[] rawBytes) throws IOException {
        ScriptConnection connection = connection(name);
        connection.raw.send(rawBytes != null ? rawBytes : Resp.request(expand(arguments)));
        if (rawBytes != null) {
            connection.uncounted = true;
        } else {
            connection.unread++;
        }
    }

    /** The next reply on the connection: one owed to a [send], or one the server sent unasked. */
    byte[] read(String name, String where) throws IOException {
        ScriptConnection connection = connection(name);
        if (connection.unread > 0) {
            connection.unread--;
        }
        return read(connection, name, where);
    }

    private byte[] read(ScriptConnection connection, String name, String where) throws IOException {
        try {
            return connection.raw.readReply();
        } catch (SocketTimeoutException e) {
            throw new AssertionError(where + ": " + serverName + " sent no reply on @" + name + " within "
                    + connection.raw.socket().getSoTimeout() + " ms");
        }
    }

    /** What has arrived on the connection after a wait, consuming nothing. */
    RawConnection.Arrival arrival(String name, int waitMillis) throws IOException {
        return connection(name).raw.awaitArrival(waitMillis);
    }

    /** Closes the connection from this end, as a client going away; a later use opens a new one. */
    void close(String name) throws IOException {
        ScriptConnection connection = open.remove(name);
        if (connection != null) {
            connection.raw.close();
        }
    }

    /** Opens the connection now if the case has not used it yet (a step about it needs it to exist). */
    void ensureOpen(String name) throws IOException {
        connection(name);
    }

    /**
     * Waits until the server lists the connection with the flag 'b' (blocked: WAIT, BLPOP, a write
     * held by CLIENT PAUSE), so the steps after it run against a client that is really parked.
     */
    void awaitBlocked(String name, String where) throws IOException {
        String line = listing(name, where);
        long deadline = System.nanoTime() + LISTING_WAIT_NANOS;
        while (!flags(line).contains("b")) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(where + ": " + serverName + " does not show @" + name
                        + " as blocked after 5 s: " + line);
            }
            pause();
            line = listing(name, where);
        }
    }

    /**
     * Waits until the server stops answering other connections (a DEBUG SLEEP or, later, a long
     * script holds it): a PING on the control connection gets no reply within
     * {@value #BUSY_SILENCE_MILLIS} ms. Its reply is read before the control connection is used again.
     */
    void awaitBusy(String where) throws IOException {
        long deadline = System.nanoTime() + LISTING_WAIT_NANOS;
        while (true) {
            RawConnection connection = control();
            connection.send(Resp.request("PING"));
            RawConnection.Arrival arrival = connection.awaitArrival(BUSY_SILENCE_MILLIS);
            if (arrival == RawConnection.Arrival.NOTHING) {
                controlOwesReply = true;
                return;
            }
            if (arrival == RawConnection.Arrival.CLOSED) {
                throw new AssertionError(where + ": " + serverName + " closed the harness's control connection");
            }
            connection.readReply();
            if (System.nanoTime() > deadline) {
                throw new AssertionError(where + ": " + serverName + " still answers at once after 5 s: it is not busy");
            }
            pause();
        }
    }

    /** The connection's line in CLIENT LIST, waiting for the server to have registered it. */
    private String listing(String name, String where) throws IOException {
        ScriptConnection connection = connection(name);
        String address = "addr=127.0.0.1:" + connection.raw.localPort() + " ";
        long deadline = System.nanoTime() + LISTING_WAIT_NANOS;
        while (true) {
            for (String line : ((String) RespValue.parse(control().call("CLIENT", "LIST"))).split("\n")) {
                if (line.contains(address)) {
                    return line;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(where + ": " + serverName + " does not list @" + name + " (" + address + ")");
            }
            pause();
        }
    }

    private static String flags(String line) {
        Matcher flags = FLAGS.matcher(line);
        return flags.find() ? flags.group(1) : "";
    }

    private static void pause() {
        try {
            Thread.sleep(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private RawConnection control() throws IOException {
        if (control == null) {
            control = new RawConnection(port);
        }
        if (controlOwesReply) {
            control.readReply();
            controlOwesReply = false;
        }
        return control;
    }

    /** The arguments with @name.id and @name.addr replaced by this server's values. */
    private List<byte[]> expand(List<byte[]> arguments) throws IOException {
        List<byte[]> expanded = null;
        for (int i = 0; i < arguments.size(); i++) {
            byte[] argument = arguments.get(i);
            if (argument.length < 2 || argument[0] != '@') {
                continue;
            }
            Matcher placeholder = PLACEHOLDER.matcher(new String(argument, StandardCharsets.ISO_8859_1));
            if (!placeholder.matches()) {
                continue;
            }
            if (expanded == null) {
                expanded = new ArrayList<>(arguments);
            }
            String name = placeholder.group(1);
            ScriptConnection connection = connection(name);
            String value;
            if (placeholder.group(2).equals("addr")) {
                value = "127.0.0.1:" + connection.raw.localPort();
            } else {
                if (connection.id == null) {
                    connection.id = field(listing(name, "@" + name + ".id"), "id");
                }
                value = connection.id;
            }
            expanded.set(i, value.getBytes(StandardCharsets.ISO_8859_1));
        }
        return expanded == null ? arguments : expanded;
    }

    private static String field(String line, String field) {
        Matcher value = Pattern.compile("(?:^| )" + field + "=(\\S*)").matcher(line);
        if (!value.find()) {
            throw new AssertionError("no " + field + " in " + line);
        }
        return value.group(1);
    }

    @Override
    public String nameOfPort(int clientPort) {
        for (Map.Entry<String, ScriptConnection> entry : open.entrySet()) {
            if (entry.getValue().raw.localPort() == clientPort) {
                return entry.getKey();
            }
        }
        return null;
    }

    private ScriptConnection connection(String name) throws IOException {
        ScriptConnection connection = open.get(name);
        if (connection == null) {
            connection = new ScriptConnection(new RawConnection(port));
            open.put(name, connection);
            prepare(connection.raw);
        }
        return connection;
    }

    private void prepare(RawConnection connection) throws IOException {
        if (protocol == 3) {
            byte[] hello = connection.call("HELLO", "3");
            if (hello == null || hello[0] != '%') {
                throw new AssertionError(serverName + " did not switch to RESP3: " + Resp.escape(hello));
            }
        }
        if (!flushed) {
            byte[] reply = connection.call("FLUSHALL");
            if (!"+OK\\r\\n".equals(Resp.escape(reply))) {
                throw new AssertionError(serverName + " FLUSHALL: " + Resp.escape(reply));
            }
            // FLUSHALL leaves function libraries, which would carry from one case (or protocol) to the next.
            reply = connection.call("FUNCTION", "FLUSH");
            if (!"+OK\\r\\n".equals(Resp.escape(reply))) {
                throw new AssertionError(serverName + " FUNCTION FLUSH: " + Resp.escape(reply));
            }
            flushed = true;
        }
    }

    @Override
    public void close() throws IOException {
        IOException failure = null;
        List<RawConnection> all = new ArrayList<>();
        open.values().forEach(c -> all.add(c.raw));
        if (control != null) {
            all.add(control);
        }
        for (RawConnection connection : all) {
            try {
                connection.close();
            } catch (IOException e) {
                failure = e;
            }
        }
        open.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
