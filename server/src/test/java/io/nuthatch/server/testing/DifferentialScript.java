package io.nuthatch.server.testing;

import io.netty.buffer.Unpooled;
import io.nuthatch.resp.ProtocolLimits;
import io.nuthatch.resp.RequestArguments;
import io.nuthatch.resp.RequestDecoder;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A differential test script: cases of commands whose replies must be the same, byte for byte, from
 * redis-server and from Nuthatch. Scripts live in src/test/resources/differential and read like
 * this:
 *
 * <pre>
 * # SET NX does not overwrite
 * SET k v
 * SET k other NX
 * GET k
 * </pre>
 *
 * <p>A line starting with '#' begins a case; each case runs on fresh connections to freshly
 * flushed servers. A line starting with '//' is a comment. A case without commands is an error
 * in the script, not a test that passes. A command is written as in redis-cli, with "double quotes" allowing escapes such
 * as \x00, \r and \n. A prefix in brackets changes how a line is checked:
 * <ul>
 * <li>{@code [unordered] KEYS *}: the elements of the reply may come in any order;</li>
 * <li>{@code [any] DEBUG SLEEP 0}: run on both, do not compare;</li>
 * <li>{@code [sleep 1100]}: wait that many milliseconds;</li>
 * <li>{@code [raw] *1\r\n$4\r\nPING\r\n}: send these bytes (escapes allowed) as they are; then
 *     compare one reply, or that both servers closed the connection;</li>
 * <li>{@code [resp2] ...} / {@code [resp3] ...}: run the line only in that protocol;</li>
 * <li>{@code [type] TTL k}: compare only the reply's type byte (for values that depend on time).</li>
 * </ul>
 */
public final class DifferentialScript {

    /** One line of a case. */
    public record Step(int lineNumber, String text, String mode, String modeArgument, List<byte[]> arguments,
                       byte[] rawBytes) {
    }

    /** A case: a title and its steps. */
    public record Case(String title, List<Step> steps) {
    }

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
        String title = null;
        List<Step> steps = new ArrayList<>();
        String[] lines = script.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.startsWith("//")) {
                continue;
            }
            if (line.startsWith("#")) {
                if (title != null) {
                    cases.add(checked(title, steps));
                }
                title = line.substring(1).strip();
                steps = new ArrayList<>();
                continue;
            }
            if (line.isEmpty()) {
                continue;
            }
            if (title == null) {
                throw new IllegalArgumentException("line " + (i + 1) + ": a command before the first '# case'");
            }
            steps.add(parseStep(i + 1, line));
        }
        if (title != null) {
            cases.add(checked(title, steps));
        }
        return cases;
    }

    private static Case checked(String title, List<Step> steps) {
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("case without commands: " + title);
        }
        return new Case(title, steps);
    }

    private static Step parseStep(int lineNumber, String line) {
        String mode = "compare";
        String modeArgument = null;
        String command = line;
        if (line.startsWith("[")) {
            int close = line.indexOf(']');
            String[] parts = line.substring(1, close).strip().split("\\s+", 2);
            mode = parts[0];
            modeArgument = parts.length > 1 ? parts[1] : null;
            command = line.substring(close + 1).strip();
        }
        if (mode.equals("raw")) {
            return new Step(lineNumber, line, mode, null, List.of(), unescape(command));
        }
        if (mode.equals("sleep")) {
            return new Step(lineNumber, line, mode, modeArgument, List.of(), null);
        }
        return new Step(lineNumber, line, mode, modeArgument, split(command, lineNumber), null);
    }

    /** Splits a line as redis-cli does, with the server's own inline-request rules. */
    private static List<byte[]> split(String command, int lineNumber) {
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
            throw new IllegalArgumentException("line " + lineNumber + ": cannot split " + command);
        }
        return arguments;
    }

    /** Unescapes \r \n \t \\ and \xHH in a raw line. */
    static byte[] unescape(String text) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
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
