package io.nuthatch.server.property;

import io.nuthatch.server.testing.Resp;

import java.util.List;

/**
 * One command of a generated sequence, and how its replies from the two servers are compared.
 * Arguments are text whose characters are bytes (ISO-8859-1), so binary members survive.
 */
record Operation(List<String> words, Comparison comparison) {

    /** How much of a reply must be the same on both servers. */
    enum Comparison {
        /** Every byte. */
        EXACT,
        /** Every byte, the top-level elements in any order (SMEMBERS of a hashtable set). */
        UNORDERED,
        /** As UNORDERED, elements moving two by two (HGETALL in RESP2). */
        UNORDERED_PAIRS,
        /**
         * The reply's type and, for an aggregate, its element count: replies drawn at random
         * (SRANDMEMBER, HRANDFIELD, ZRANDMEMBER), whose size is fixed but whose members are not.
         */
        SHAPE
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        for (String word : words) {
            if (!text.isEmpty()) {
                text.append(' ');
            }
            text.append(Resp.escape(word.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)));
        }
        return comparison == Comparison.EXACT ? text.toString() : text + " [" + comparison + "]";
    }
}
