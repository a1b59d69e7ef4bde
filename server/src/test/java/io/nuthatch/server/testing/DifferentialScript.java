package io.nuthatch.server.testing;

import io.netty.buffer.Unpooled;
import io.nuthatch.resp.ProtocolLimits;
import io.nuthatch.resp.RequestArguments;
import io.nuthatch.resp.RequestDecoder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A differential test script: cases of commands whose replies must be the same, byte for byte, from
 * redis-server and from Nuthatch, in RESP2 and in RESP3. Scripts live in
 * src/test/resources/differential and read like this:
 *
 * <pre>
 * # SET NX does not overwrite
 * SET k v
 * SET k other NX
 * GET k
 *
 * # a client parked by WAIT does not hold up the others
 * &#64;B [send] WAIT 1 0
 * &#64;B [blocked]
 * SET k v
 * CLIENT KILL ID &#64;B.id
 * &#64;B [closed]
 * </pre>
 *
 * <h2>Cases</h2>
 * A line starting with '#' begins a case and gives its title; a line starting with '//' is a
 * comment. A case without commands is an error in the script, not a test that passes. Flags in
 * brackets before the title restrict the case:
 * <ul>
 * <li>{@code # [resp2] title}, {@code # [resp3] title}: the case runs in that protocol only;</li>
 * <li>{@code # [redis-only] title}: the case runs against a second redis-server in place of
 *     Nuthatch, for behaviour Nuthatch does not have yet (lists, pub/sub, WATCH, tracking). It
 *     proves the case and the harness against the reference; the issue that brings the feature
 *     deletes the flag and the case becomes a differential test.</li>
 * </ul>
 *
 * <h2>Connections</h2>
 * A line may start with {@code @name} (letters, digits, '-', '_') to run on that connection of the
 * case; a line without one runs on {@code @A}. Each connection is opened at its first use, on both
 * servers, switched to the case's protocol; it keeps its own database, name and state until the
 * case ends. The first one opened flushes both servers, so every case starts from empty databases
 * and no function libraries.
 * An argument spelled exactly {@code @B.id} or {@code @B.addr} is replaced, on each server, by that
 * connection's client id or its {@code ip:port} as the server sees it (for CLIENT KILL, CLIENT
 * TRACKING REDIRECT). Opening a connection in RESP3 sends HELLO 3: a connection first used while
 * the server is held (DEBUG SLEEP, CLIENT PAUSE ALL) waits for it, so use it once before; and
 * MONITOR shows that HELLO.
 *
 * <h2>What a line does</h2>
 * A command is written as in redis-cli, with "double quotes" allowing escapes such as \x00, \r
 * and \n. By default it is sent and its reply compared. Prefixes in brackets, after the connection,
 * change that:
 * <ul>
 * <li>{@code [send] BLPOP l 0}: send without reading the reply;</li>
 * <li>{@code [read]}: read and compare the connection's next reply: one owed to a [send], or one
 *     the server sent unasked (a pub/sub message, a RESP3 push, an invalidation);</li>
 * <li>{@code [no-reply 100]}: wait that many milliseconds (100 when not given) and check that
 *     neither server has sent anything on the connection, nor closed it;</li>
 * <li>{@code [blocked]}: wait until both servers list the connection as blocked (flag 'b' in
 *     CLIENT LIST), so the next lines meet a client that is really parked;</li>
 * <li>{@code [busy]}: wait until neither server answers a PING at once any more, because a
 *     command sent on another connection holds it (DEBUG SLEEP; later a long script);</li>
 * <li>{@code [closed]}: check that both servers close the connection, with nothing sent first;</li>
 * <li>{@code [close]}: close the connection from the client's side;</li>
 * <li>{@code [sleep 1100]}: wait that many milliseconds;</li>
 * <li>{@code [raw] *1\r\n$4\r\nPING\r\n}: send these bytes (escapes allowed) as they are, then
 *     compare one reply, or that both servers closed the connection. It is the last prefix of a
 *     line; with [send] it sends only.</li>
 * </ul>
 * After a [closed] or [close], the next use of the name opens a new connection. A command sent on
 * a connection that still owes replies to [send] is an error in the script: [read] them first.
 *
 * <h2>How replies are compared</h2>
 * Byte for byte, unless a prefix says otherwise (with a command or with [read]):
 * <ul>
 * <li>{@code [type] TTL k}: the reply's type byte only, for values that depend on time;</li>
 * <li>{@code [any] DEBUG SLEEP 0}: nothing; the line runs for its effect;</li>
 * <li>{@code [unordered] KEYS *}: the elements of the reply may come in any order.
 *     {@code [unordered 2]} frees the order of the elements one level down instead (each array
 *     inside an array), {@code [unordered 1 2]} both, {@code [unordered deep]} every level. A
 *     map's entries always move as key-value pairs; {@code pairs} after a depth (or alone, for
 *     depth 1) makes an array's elements move two by two, as RESP2's flattened maps need
 *     ({@code [unordered pairs] CONFIG GET *});</li>
 * <li>{@code [clients name flags db] CLIENT LIST}: CLIENT LIST or CLIENT INFO text reduced to the
 *     lines of the case's own connections, each shown by its script name with the fields asked;</li>
 * <li>{@code [replies 2] SUBSCRIBE a b}: read that many replies (with a command or [read]) and
 *     compare them as one array of them, so that [unordered] frees their order and depth 2 is
 *     inside each reply;</li>
 * <li>{@code [mask \d+\.\d+] [read]}: every match of the regular expression in the escaped reply
 *     is replaced before comparing (for MONITOR's time stamps); the expression cannot hold ']'
 *     (write \x5d) and its words are joined by single spaces.</li>
 * </ul>
 * {@code [resp2]} or {@code [resp3]} runs a line only in that protocol. A failed comparison shows
 * both replies, one value per line, and their bytes.
 */
public final class DifferentialScript {

    /** What a line does on each server. */
    public enum Action { CALL, SEND, READ, NO_REPLY, BLOCKED, BUSY, CLOSED, CLOSE, SLEEP }

    /**
     * One line of a case. {@code protocol} is 2 or 3 for a line of one protocol, 0 for both;
     * {@code arguments} or {@code rawBytes} is the request of a CALL or SEND; {@code millis} is the
     * wait of a SLEEP or NO_REPLY; {@code replies} is how many replies a CALL or READ takes.
     */
    public record Step(int lineNumber, String text, String connection, int protocol, Action action,
                       List<byte[]> arguments, byte[] rawBytes, ReplyComparison comparison, int millis,
                       int replies) {
    }

    /** A case: its title, where it runs, and its steps. */
    public record Case(String title, boolean redisOnly, int protocol, List<Step> steps) {

        public boolean runsIn(int caseProtocol) {
            return protocol == 0 || protocol == caseProtocol;
        }

        /** The title, with [redis-only] kept visible in test reports. */
        public String displayName() {
            return redisOnly ? "[redis-only] " + title : title;
        }
    }

    static final String DEFAULT_CONNECTION = "A";
    private static final Pattern CONNECTION_NAME = Pattern.compile("[A-Za-z0-9_-]+");
    private static final int DEFAULT_NO_REPLY_MILLIS = 100;

    private DifferentialScript() {
    }

    public static List<Case> load(String resourceName) {
        try (InputStream in = DifferentialScript.class.getResourceAsStream("/differential/" + resourceName)) {
            if (in == null) {
                throw new IllegalArgumentException("no differential script " + resourceName);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Case> parse(String script) {
        List<Case> cases = new ArrayList<>();
        Case header = null;
        List<Step> steps = new ArrayList<>();
        String[] lines = script.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.startsWith("//")) {
                continue;
            }
            if (line.startsWith("#")) {
                if (header != null) {
                    cases.add(checked(header, steps));
                }
                header = parseHeader(i + 1, line.substring(1).strip());
                steps = new ArrayList<>();
                continue;
            }
            if (line.isEmpty()) {
                continue;
            }
            if (header == null) {
                throw new IllegalArgumentException("line " + (i + 1) + ": a command before the first '# case'");
            }
            try {
                steps.add(parseStep(i + 1, line));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("line " + (i + 1) + ": " + e.getMessage() + ": " + line, e);
            }
        }
        if (header != null) {
            cases.add(checked(header, steps));
        }
        return cases;
    }

    private static Case parseHeader(int lineNumber, String text) {
        boolean redisOnly = false;
        int protocol = 0;
        String title = text;
        while (title.startsWith("[")) {
            int close = title.indexOf(']');
            String flag = close < 0 ? title : title.substring(1, close).strip();
            switch (flag) {
                case "redis-only" -> redisOnly = true;
                case "resp2" -> protocol = 2;
                case "resp3" -> protocol = 3;
                default -> throw new IllegalArgumentException("line " + lineNumber + ": unknown case flag ["
                        + flag + "]; a case takes [redis-only], [resp2] or [resp3]");
            }
            title = title.substring(close + 1).strip();
        }
        return new Case(title, redisOnly, protocol, List.of());
    }

    private static Case checked(Case header, List<Step> steps) {
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("case without commands: " + header.title());
        }
        boolean protocolStep = steps.stream().anyMatch(s -> s.protocol() == 0 || header.runsIn(s.protocol()));
        if (!protocolStep) {
            throw new IllegalArgumentException("case without commands in its protocol: " + header.title());
        }
        return new Case(header.title(), header.redisOnly(), header.protocol(), List.copyOf(steps));
    }

    /** The prefixes of a line as they are read, then checked together. */
    private static final class Prefixes {
        String connection;
        int protocol;
        Action action;
        int millis = -1;
        int replies;
        boolean raw;
        ReplyComparison comparison;

        void action(Action chosen, String word) {
            if (action != null) {
                throw new IllegalArgumentException("[" + word + "] after another action on the same line");
            }
            action = chosen;
        }
    }

    private static Step parseStep(int lineNumber, String line) {
        Prefixes prefixes = new Prefixes();
        String rest = line;
        while (!prefixes.raw && (rest.startsWith("@") || rest.startsWith("["))) {
            if (rest.startsWith("@")) {
                int end = endOfWord(rest);
                String name = rest.substring(1, end);
                if (prefixes.connection != null || !CONNECTION_NAME.matcher(name).matches()) {
                    throw new IllegalArgumentException("a connection is @ then letters, digits, '-' or '_', once");
                }
                prefixes.connection = name;
                rest = rest.substring(end).strip();
            } else {
                int close = rest.indexOf(']');
                if (close < 0) {
                    throw new IllegalArgumentException("'[' without ']'");
                }
                List<String> words = Arrays.asList(rest.substring(1, close).strip().split("\\s+"));
                prefix(prefixes, words.get(0), words.subList(1, words.size()));
                rest = rest.substring(close + 1).strip();
            }
        }
        return checked(lineNumber, line, prefixes, rest);
    }

    private static void prefix(Prefixes prefixes, String word, List<String> arguments) {
        switch (word) {
            case "resp2", "resp3" -> {
                if (prefixes.protocol != 0) {
                    throw new IllegalArgumentException("two protocols on one line");
                }
                prefixes.protocol = word.charAt(4) - '0';
                noArguments(word, arguments);
            }
            case "send" -> prefixAction(prefixes, Action.SEND, word, arguments);
            case "read" -> prefixAction(prefixes, Action.READ, word, arguments);
            case "blocked" -> prefixAction(prefixes, Action.BLOCKED, word, arguments);
            case "busy" -> prefixAction(prefixes, Action.BUSY, word, arguments);
            case "closed" -> prefixAction(prefixes, Action.CLOSED, word, arguments);
            case "close" -> prefixAction(prefixes, Action.CLOSE, word, arguments);
            case "no-reply" -> {
                prefixes.action(Action.NO_REPLY, word);
                prefixes.millis = arguments.isEmpty() ? DEFAULT_NO_REPLY_MILLIS : millis(word, arguments);
            }
            case "sleep" -> {
                prefixes.action(Action.SLEEP, word);
                prefixes.millis = millis(word, arguments);
            }
            case "raw" -> {
                noArguments(word, arguments);
                prefixes.raw = true;
            }
            case "replies" -> {
                if (arguments.size() != 1 || !arguments.get(0).matches("[1-9][0-9]{0,3}")) {
                    throw new IllegalArgumentException("[replies] takes how many replies to read");
                }
                prefixes.replies = Integer.parseInt(arguments.get(0));
            }
            default -> {
                ReplyComparison comparison = ReplyComparison.parse(word, arguments);
                if (comparison == null) {
                    throw new IllegalArgumentException("unknown prefix [" + word + "]");
                }
                if (prefixes.comparison != null) {
                    throw new IllegalArgumentException("two comparisons on one line");
                }
                prefixes.comparison = comparison;
            }
        }
    }

    private static void prefixAction(Prefixes prefixes, Action action, String word, List<String> arguments) {
        prefixes.action(action, word);
        noArguments(word, arguments);
    }

    private static void noArguments(String word, List<String> arguments) {
        if (!arguments.isEmpty()) {
            throw new IllegalArgumentException("[" + word + "] takes no arguments");
        }
    }

    private static int millis(String word, List<String> arguments) {
        if (arguments.size() != 1 || !arguments.get(0).matches("[0-9]{1,6}")) {
            throw new IllegalArgumentException("[" + word + "] takes a number of milliseconds");
        }
        return Integer.parseInt(arguments.get(0));
    }

    private static Step checked(int lineNumber, String line, Prefixes prefixes, String command) {
        Action action = prefixes.action == null ? Action.CALL : prefixes.action;
        boolean takesCommand = action == Action.CALL || action == Action.SEND;
        if (takesCommand && command.isEmpty()) {
            throw new IllegalArgumentException("a command is missing");
        }
        if (!takesCommand && !command.isEmpty()) {
            throw new IllegalArgumentException("[" + action.name().toLowerCase().replace('_', '-')
                    + "] takes no command");
        }
        if (prefixes.raw && !takesCommand) {
            throw new IllegalArgumentException("[raw] sends bytes: it goes with a command or [send]");
        }
        if ((prefixes.comparison != null || prefixes.replies != 0) && action != Action.CALL && action != Action.READ) {
            throw new IllegalArgumentException("a comparison or [replies] goes with a command or [read]");
        }
        if ((action == Action.SLEEP || action == Action.BUSY) && prefixes.connection != null) {
            throw new IllegalArgumentException("[" + action.name().toLowerCase() + "] is about the whole server,"
                    + " not a connection");
        }
        String connection = prefixes.connection == null ? DEFAULT_CONNECTION : prefixes.connection;
        ReplyComparison comparison = prefixes.comparison == null ? new ReplyComparison.Exact() : prefixes.comparison;
        byte[] rawBytes = prefixes.raw ? unescape(command) : null;
        List<byte[]> arguments = takesCommand && !prefixes.raw ? split(command) : List.of();
        return new Step(lineNumber, line, connection, prefixes.protocol, action, arguments, rawBytes, comparison,
                prefixes.millis, prefixes.replies == 0 ? 1 : prefixes.replies);
    }

    private static int endOfWord(String text) {
        int end = 0;
        while (end < text.length() && !Character.isWhitespace(text.charAt(end))) {
            end++;
        }
        return end;
    }

    /** Splits a line as redis-cli does, with the server's own inline-request rules. */
    private static List<byte[]> split(String command) {
        List<byte[]> arguments = new ArrayList<>();
        RequestDecoder decoder = new RequestDecoder(new ProtocolLimits());
        byte[] line = (command + "\r\n").getBytes(StandardCharsets.UTF_8);
        RequestDecoder.Outcome outcome = decoder.decode(Unpooled.wrappedBuffer(line), (RequestArguments args) -> {
            for (int i = 0; i < args.count(); i++) {
                arguments.add(args.copy(i));
            }
            return true;
        });
        if (outcome == RequestDecoder.Outcome.PROTOCOL_ERROR || arguments.isEmpty()) {
            throw new IllegalArgumentException("cannot split the command");
        }
        return List.copyOf(arguments);
    }

    /** Unescapes \r \n \t \\ and \xHH in a raw line. */
    static byte[] unescape(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                char e = text.charAt(++i);
                switch (e) {
                    case 'r' -> out.write('\r');
                    case 'n' -> out.write('\n');
                    case 't' -> out.write('\t');
                    case '\\' -> out.write('\\');
                    case 'x' -> {
                        out.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
                        i += 2;
                    }
                    default -> {
                        out.write('\\');
                        out.write(e);
                    }
                }
            } else {
                out.write(c);
            }
        }
        return out.toByteArray();
    }
}
