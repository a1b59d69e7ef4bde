package io.nuthatch.persistence.rdb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The manifest of Redis 7's multi-part append-only file ({@code appendonlydir/<appendfilename>.manifest}):
 * one line per file, {@code file <name> seq <n> type <b|h|i>} (keys in any order, values quoted
 * when they hold spaces), naming the base (an RDB or an AOF), the incremental AOFs in order, and
 * history files a rewrite left behind, which are not part of the data.
 */
public record AofManifest(String base, List<String> increments) {

    public static AofManifest read(Path file) throws IOException {
        String base = null;
        List<String> increments = new ArrayList<>();
        int lineNumber = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            lineNumber++;
            String trimmed = line.trim();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            List<String> words = split(trimmed);
            String name = null;
            String type = null;
            for (int i = 0; i + 1 < words.size(); i += 2) {
                switch (words.get(i)) {
                    case "file" -> name = words.get(i + 1);
                    case "type" -> type = words.get(i + 1);
                    default -> {
                        // seq and keys of later versions: order is the manifest's own
                    }
                }
            }
            if (name == null || type == null || name.contains("/")) {
                throw new RdbFormatException("line " + lineNumber + " of " + file + " names no file or type: " + line);
            }
            switch (type) {
                case "b" -> {
                    if (base != null) {
                        throw new RdbFormatException(file + " names two base files");
                    }
                    base = name;
                }
                case "i" -> increments.add(name);
                case "h" -> {
                    // a file a rewrite retired
                }
                default -> throw new RdbFormatException("line " + lineNumber + " of " + file + ": unknown type " + type);
            }
        }
        return new AofManifest(base, increments);
    }

    /** Words separated by spaces, a double-quoted word taken whole (with \" and \\ escapes). */
    private static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        int i = 0;
        while (i < line.length()) {
            while (i < line.length() && line.charAt(i) == ' ') {
                i++;
            }
            if (i == line.length()) {
                break;
            }
            StringBuilder word = new StringBuilder();
            if (line.charAt(i) == '"') {
                i++;
                while (i < line.length() && line.charAt(i) != '"') {
                    char c = line.charAt(i++);
                    if (c == '\\' && i < line.length()) {
                        c = line.charAt(i++);
                    }
                    word.append(c);
                }
                i++;
            } else {
                while (i < line.length() && line.charAt(i) != ' ') {
                    word.append(line.charAt(i++));
                }
            }
            words.add(word.toString());
        }
        return words;
    }
}
