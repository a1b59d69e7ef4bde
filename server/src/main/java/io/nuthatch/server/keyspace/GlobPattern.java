package io.nuthatch.server.keyspace;

/**
 * Glob-style matching as Redis does it for KEYS, SCAN MATCH, CONFIG GET and PSUBSCRIBE: '*' any
 * run of bytes, '?' one byte, '[abc]' '[^abc]' '[a-z]' a byte of a set, '\' escapes the next
 * character. Bytes compare as C's signed chars, as in Redis.
 *
 * <p>Matching a '*' tries the rest of the pattern at each later position. When the rest fails
 * from every position, no longer match of an earlier '*' can succeed either, so the search stops
 * there instead of backtracking: this keeps patterns like "a*a*a*a*b" linear per star rather than
 * exponential. Nesting is capped, as Redis caps it, against abusive patterns.
 */
public final class GlobPattern {
    private static final int MAX_NESTING = 1000;

    private GlobPattern() {
    }

    public static boolean matches(byte[] pattern, byte[] subject) {
        return matches(pattern, subject, 0, subject.length, false);
    }

    public static boolean matches(byte[] pattern, byte[] subject, int offset, int length, boolean ignoreCase) {
        return new Matcher(pattern, subject, ignoreCase).match(0, offset, offset + length, 0);
    }

    /** Whether the pattern is "*", which matches everything (SCAN and KEYS skip matching then). */
    public static boolean matchesEverything(byte[] pattern) {
        return pattern.length == 1 && pattern[0] == '*';
    }

    private static final class Matcher {
        private final byte[] pattern;
        private final byte[] subject;
        private final boolean ignoreCase;
        private boolean skipLongerMatches;

        Matcher(byte[] pattern, byte[] subject, boolean ignoreCase) {
            this.pattern = pattern;
            this.subject = subject;
            this.ignoreCase = ignoreCase;
        }

        boolean match(int p, int s, int end, int nesting) {
            if (nesting > MAX_NESTING) {
                return false;
            }
            int patternEnd = pattern.length;
            while (p < patternEnd && s < end) {
                switch (pattern[p]) {
                    case '*' -> {
                        while (p + 1 < patternEnd && pattern[p + 1] == '*') {
                            p++;
                        }
                        if (p + 1 == patternEnd) {
                            return true;
                        }
                        while (s < end) {
                            if (match(p + 1, s, end, nesting + 1)) {
                                return true;
                            }
                            if (skipLongerMatches) {
                                return false;
                            }
                            s++;
                        }
                        skipLongerMatches = true;
                        return false;
                    }
                    case '?' -> s++;
                    case '[' -> {
                        p++;
                        boolean negated = p < patternEnd && pattern[p] == '^';
                        if (negated) {
                            p++;
                        }
                        boolean matched = false;
                        byte c = subject[s];
                        while (true) {
                            if (p < patternEnd && pattern[p] == '\\' && patternEnd - p >= 2) {
                                p++;
                                if (pattern[p] == c) {
                                    matched = true;
                                }
                            } else if (p < patternEnd && pattern[p] == ']') {
                                break;
                            } else if (p >= patternEnd) {
                                p--;
                                break;
                            } else if (patternEnd - p >= 3 && pattern[p + 1] == '-') {
                                int start = pattern[p];
                                int stop = pattern[p + 2];
                                int value = c;
                                if (start > stop) {
                                    int swap = start;
                                    start = stop;
                                    stop = swap;
                                }
                                if (ignoreCase) {
                                    start = lower(start);
                                    stop = lower(stop);
                                    value = lower(value);
                                }
                                p += 2;
                                if (value >= start && value <= stop) {
                                    matched = true;
                                }
                            } else if (same(pattern[p], c)) {
                                matched = true;
                            }
                            p++;
                        }
                        if (negated) {
                            matched = !matched;
                        }
                        if (!matched) {
                            return false;
                        }
                        s++;
                    }
                    case '\\' -> {
                        if (patternEnd - p >= 2) {
                            p++;
                        }
                        if (!same(pattern[p], subject[s])) {
                            return false;
                        }
                        s++;
                    }
                    default -> {
                        if (!same(pattern[p], subject[s])) {
                            return false;
                        }
                        s++;
                    }
                }
                p++;
                if (s == end) {
                    while (p < patternEnd && pattern[p] == '*') {
                        p++;
                    }
                    break;
                }
            }
            return p == patternEnd && s == end;
        }

        private boolean same(byte a, byte b) {
            return ignoreCase ? lower(a) == lower(b) : a == b;
        }

        private static int lower(int c) {
            return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
        }
    }
}
