package io.nuthatch.server.scripting;

import java.util.ArrayList;
import java.util.List;

/**
 * The words of a library's first line, split as Redis splits it (sdssplitargs, the grammar of
 * redis-cli's input): blanks separate words, a word may be quoted with "..." (with \n, \r, \t,
 * \b, \a, \\, \" and \xHH escapes) or '...' (with \'), and a closing quote must end the word.
 */
final class ShebangWords {
    private ShebangWords() {
    }

    /** The words, or null when a quote is unbalanced or not followed by a blank. */
    static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        int i = 0;
        int length = line.length();
        while (true) {
            while (i < length && isBlank(line.charAt(i))) {
                i++;
            }
            if (i >= length) {
                return words;
            }
            StringBuilder word = new StringBuilder();
            boolean doubleQuoted = false;
            boolean singleQuoted = false;
            while (true) {
                if (i >= length) {
                    if (doubleQuoted || singleQuoted) {
                        return null;
                    }
                    break;
                }
                char c = line.charAt(i);
                if (doubleQuoted) {
                    if (c == '\\' && i + 3 < length && line.charAt(i + 1) == 'x' && isHex(line.charAt(i + 2))
                            && isHex(line.charAt(i + 3))) {
                        word.append((char) Integer.parseInt(line.substring(i + 2, i + 4), 16));
                        i += 3;
                    } else if (c == '\\' && i + 1 < length) {
                        i++;
                        word.append(switch (line.charAt(i)) {
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            case 't' -> '\t';
                            case 'b' -> '\b';
                            case 'a' -> (char) 7;
                            default -> line.charAt(i);
                        });
                    } else if (c == '"') {
                        if (i + 1 < length && !isBlank(line.charAt(i + 1))) {
                            return null;
                        }
                        i++;
                        break;
                    } else {
                        word.append(c);
                    }
                } else if (singleQuoted) {
                    if (c == '\\' && i + 1 < length && line.charAt(i + 1) == '\'') {
                        i++;
                        word.append('\'');
                    } else if (c == '\'') {
                        if (i + 1 < length && !isBlank(line.charAt(i + 1))) {
                            return null;
                        }
                        i++;
                        break;
                    } else {
                        word.append(c);
                    }
                } else if (isBlank(c)) {
                    break;
                } else if (c == '"') {
                    doubleQuoted = true;
                } else if (c == '\'') {
                    singleQuoted = true;
                } else {
                    word.append(c);
                }
                i++;
            }
            words.add(word.toString());
        }
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\0' || c == 0x0b || c == '\f';
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }
}
