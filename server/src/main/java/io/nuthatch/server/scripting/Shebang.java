package io.nuthatch.server.scripting;

import io.nuthatch.server.command.CommandError;

import java.nio.charset.StandardCharsets;

/**
 * A script's first line when it starts with {@code #!}: {@code #!lua} and options separated by
 * spaces, of which Redis 7.0 knows one, {@code flags=} with a comma-separated list. The line is
 * not Lua: the code compiled starts at its newline, so line numbers stay those of the body.
 *
 * @param codeStart where the code starts (the first line's newline)
 */
record Shebang(int codeStart, boolean noWrites, boolean allowOom) {

    /** The shebang of a body, null when it has none; errors as Redis 7.0 words them. */
    static Shebang parse(byte[] body) {
        if (body.length < 2 || body[0] != '#' || body[1] != '!') {
            return null;
        }
        int newline = -1;
        for (int i = 0; i < body.length; i++) {
            if (body[i] == '\n') {
                newline = i;
                break;
            }
        }
        if (newline < 0) {
            throw new CommandError("ERR Invalid script shebang");
        }
        String line = new String(body, 0, newline, StandardCharsets.ISO_8859_1);
        String[] parts = line.split(" ");
        if (!parts[0].equals("#!lua")) {
            throw new CommandError("ERR Unexpected engine in script shebang: " + parts[0]);
        }
        boolean noWrites = false;
        boolean allowOom = false;
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i];
            if (part.isEmpty()) {
                continue;
            }
            if (!part.startsWith("flags=")) {
                throw new CommandError("ERR Unknown lua shebang option: " + part);
            }
            for (String flag : part.substring("flags=".length()).split(",")) {
                switch (flag) {
                    case "no-writes" -> noWrites = true;
                    case "allow-oom" -> allowOom = true;
                    // Without a cluster or replicas these change nothing.
                    case "allow-stale", "no-cluster", "allow-cross-slot-keys", "" -> { }
                    default -> throw new CommandError("ERR Unexpected flag in script shebang: " + flag);
                }
            }
        }
        return new Shebang(newline, noWrites, allowOom);
    }
}
