package io.nuthatch.server.introspection;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.nuthatch.resp.RequestArguments;
import io.nuthatch.server.client.ClientSession;
import io.nuthatch.server.command.CommandFlag;
import io.nuthatch.server.command.CommandSpec;
import io.nuthatch.server.pubsub.PubSub;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * MONITOR's feed: one line for every command that ran, sent to every client that asked for it.
 *
 * <p>What is shown follows Redis 7.0, which feeds its monitors from call(), after the command ran:
 * <ul>
 * <li>commands that ran, errors included (a WRONGTYPE reply); never a command refused before it
 *     ran (arity, unknown command, ACL, OOM, -LOADING), nor one only queued by MULTI: EXEC shows
 *     each queued command as it runs it, then itself;</li>
 * <li>never a command flagged admin (CONFIG, DEBUG, CLIENT LIST, SLOWLOG, LATENCY, MONITOR...) or
 *     skip_monitor, except the commands that run scripts, shown before they run
 *     ({@link #scriptStarts}), then each command of the script from the client "lua";</li>
 * <li>the database the client has selected once the command ran (SELECT 5 shows 5);</li>
 * <li>secrets replaced with "(redacted)": every argument of AUTH, the user name and password after
 *     HELLO's AUTH, the password after MIGRATE's AUTH and the user name and password after its
 *     AUTH2. Redis redacts them while the command parses them, so it leaves them readable in a
 *     HELLO or MIGRATE that failed before reaching them; here they are redacted wherever they
 *     stand, which never shows a password Redis would hide.</li>
 * </ul>
 * The line is {@code +<unix seconds>.<microseconds> [<db> <address>] "arg" "arg"...}, each
 * argument quoted as Redis's sdscatrepr quotes (backslash escapes for \ " \n \r \t \a \b, \xhh for
 * any other byte outside printable ASCII). It is the same status line in RESP2 and RESP3.
 *
 * <p>A monitor receives lines through the same path as pub/sub messages ({@link PubSub#deliver}),
 * so they count against its output-buffer limit (the normal class, as in Redis) and come in
 * command order. A monitor that disconnected is dropped at the next line.
 *
 * <p>Everything here runs under the engine lock. With no monitor the dispatcher's cost is the read
 * of {@link #isActive}; with monitors the line is built once into one reused buffer and copied to each.
 */
public final class MonitorFeed {
    private static final byte[] REDACTED = "(redacted)".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] AUTH = "AUTH".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] AUTH2 = "AUTH2".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SETNAME = "SETNAME".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEYS = "KEYS".getBytes(StandardCharsets.US_ASCII);
    /** HELLO's fixed arguments (command, protover) and MIGRATE's (host port key db timeout). */
    private static final int HELLO_OPTIONS_FROM = 2;
    private static final int MIGRATE_OPTIONS_FROM = 6;

    private final List<ClientSession> monitors = new ArrayList<>();
    private final ByteBuf line = Unpooled.buffer(256);
    private final PubSub delivery;
    private boolean active;

    public MonitorFeed(PubSub delivery) {
        this.delivery = delivery;
    }

    /** MONITOR: the client receives a line per command from now on. */
    public void add(ClientSession client) {
        client.monitoring(true);
        monitors.add(client);
        active = true;
    }

    /** RESET or a closed connection: the client receives no more lines. */
    public void remove(ClientSession client) {
        if (client.isMonitoring()) {
            client.monitoring(false);
            monitors.remove(client);
            active = !monitors.isEmpty();
        }
    }

    /** Whether any client monitors: the one thing the dispatcher reads per command. */
    public boolean isActive() {
        return active;
    }

    /** The number of clients monitoring now. */
    public int count() {
        return monitors.size();
    }

    /** A command ran for {@code client}: its line goes to every monitor unless Redis hides it. */
    public void commandRan(ClientSession client, CommandSpec command, RequestArguments arguments) {
        if (command.has(CommandFlag.ADMIN) || command.has(CommandFlag.SKIP_MONITOR)) {
            return;
        }
        feed(client, command, arguments);
    }

    /**
     * EVAL, EVALSHA, their _RO forms and FCALL are flagged skip_monitor and fed here instead,
     * before they run (whatever their outcome), so that the lines of their scripts' commands
     * ("[0 lua]") come after theirs, as Redis's evalCommand and fcallCommand feed them.
     */
    public void scriptStarts(ClientSession client, CommandSpec command, RequestArguments arguments) {
        feed(client, command, arguments);
    }

    private void feed(ClientSession client, CommandSpec command, RequestArguments arguments) {
        format(client, command, arguments);
        for (int i = monitors.size() - 1; i >= 0; i--) {
            if (monitors.get(i).isClosing()) {
                remove(monitors.get(i));
            }
        }
        for (int i = 0; i < monitors.size(); i++) {
            delivery.deliver(monitors.get(i), line);
        }
    }

    private void format(ClientSession client, CommandSpec command, RequestArguments arguments) {
        line.clear();
        Instant now = Instant.now();
        line.writeByte('+');
        writeNumber(now.getEpochSecond());
        line.writeByte('.');
        String micros = Integer.toString(now.getNano() / 1000);
        for (int pad = micros.length(); pad < 6; pad++) {
            line.writeByte('0');
        }
        line.writeCharSequence(micros, StandardCharsets.US_ASCII);
        line.writeByte(' ').writeByte('[');
        writeNumber(client.database());
        line.writeByte(' ');
        line.writeCharSequence(client.transport().remoteAddress(), StandardCharsets.ISO_8859_1);
        line.writeByte(']');
        String base = baseName(command);
        for (int i = 0; i < arguments.count(); i++) {
            line.writeByte(' ');
            if (i > 0 && redacted(base, arguments, i)) {
                quote(REDACTED, 0, REDACTED.length);
            } else {
                quote(arguments.array(i), arguments.offset(i), arguments.length(i));
            }
        }
        line.writeByte('\r').writeByte('\n');
    }

    private static String baseName(CommandSpec command) {
        String name = command.name();
        int bar = name.indexOf('|');
        return bar < 0 ? name : name.substring(0, bar);
    }

    /** Whether argument {@code index} is a secret; see the class comment. */
    static boolean redacted(String command, RequestArguments arguments, int index) {
        switch (command) {
            case "auth":
                return true;
            case "hello":
                for (int i = HELLO_OPTIONS_FROM; i < arguments.count(); i++) {
                    if (arguments.isKeyword(i, AUTH)) {
                        if (index == i + 1 || index == i + 2) {
                            return true;
                        }
                        i += 2;
                    } else if (arguments.isKeyword(i, SETNAME)) {
                        i++;
                    }
                }
                return false;
            case "migrate":
                for (int i = MIGRATE_OPTIONS_FROM; i < arguments.count(); i++) {
                    if (arguments.isKeyword(i, AUTH)) {
                        if (index == i + 1) {
                            return true;
                        }
                        i++;
                    } else if (arguments.isKeyword(i, AUTH2)) {
                        if (index == i + 1 || index == i + 2) {
                            return true;
                        }
                        i += 2;
                    } else if (arguments.isKeyword(i, KEYS)) {
                        return false;
                    }
                }
                return false;
            default:
                return false;
        }
    }

    private void quote(byte[] bytes, int offset, int length) {
        line.writeByte('"');
        for (int i = offset; i < offset + length; i++) {
            int b = bytes[i] & 0xff;
            switch (b) {
                case '\\', '"' -> line.writeByte('\\').writeByte(b);
                case '\n' -> line.writeByte('\\').writeByte('n');
                case '\r' -> line.writeByte('\\').writeByte('r');
                case '\t' -> line.writeByte('\\').writeByte('t');
                case 7 -> line.writeByte('\\').writeByte('a');
                case '\b' -> line.writeByte('\\').writeByte('b');
                default -> {
                    if (b >= 0x20 && b < 0x7f) {
                        line.writeByte(b);
                    } else {
                        line.writeByte('\\').writeByte('x').writeByte(HEX[b >> 4]).writeByte(HEX[b & 0xf]);
                    }
                }
            }
        }
        line.writeByte('"');
    }

    private void writeNumber(long value) {
        line.writeCharSequence(Long.toString(value), StandardCharsets.US_ASCII);
    }
}
