package io.nuthatch.server.keyspace;

/**
 * How a command wrote a string it computed, which decides what OBJECT ENCODING reports for it, as
 * Redis decides by the function the command stores the string with.
 */
public enum StringForm {
    /** As SET stores it: "int" when it reads as a canonical integer, else "embstr" or "raw" by length. */
    WHOLE(KeyEntry.WHOLE),
    /** Never "int", whatever the text (INCRBYFLOAT's result): "embstr" or "raw" by length. */
    NEVER_INTEGER(KeyEntry.PLAIN),
    /** "raw" whatever the text and length (BITOP's result, SETRANGE and SETBIT of a new key). */
    RAW(KeyEntry.RAW);

    final int bits;

    StringForm(int bits) {
        this.bits = bits;
    }
}
