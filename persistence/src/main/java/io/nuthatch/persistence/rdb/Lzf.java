package io.nuthatch.persistence.rdb;

import java.util.Arrays;

/**
 * LZF, the compression RDB uses for strings when {@code rdbcompression} is on.
 *
 * <p><b>The format.</b> A sequence of runs, each led by a control byte. {@code 000LLLLL}: L + 1
 * literal bytes follow. {@code LLLOOOOO} with L from 1 to 6, then one byte: copy L + 2 bytes from
 * ((O << 8) | that byte) + 1 bytes back in the output; with L = 7 a byte between the two adds to the
 * length (L = 7 + it). So a back reference reaches 8 KB back and copies up to 264 bytes, and may
 * overlap what it produces (a run of one byte repeated is a copy from one back).
 *
 * <p><b>The compressor</b> follows liblzf's greedy parse with its "very fast" settings, which is
 * what Redis links: a 64K-slot table maps a hash of the next three bytes to the last position they
 * were seen at; a candidate within 8 KB whose three bytes match is extended as far as it goes, and
 * the last two positions inside a match are hashed too. Given the same input, it makes the same
 * choices as Redis when Redis's table starts empty (Redis leaves its table uninitialised, so its
 * output is not fully determined by the input; any valid parse decompresses the same).
 */
public final class Lzf {
    private static final int HASH_LOG = 16;
    private static final int MAX_LITERAL = 1 << 5;
    private static final int MAX_OFFSET = 1 << 13;
    private static final int MAX_REFERENCE = (1 << 8) + (1 << 3);

    private Lzf() {
    }

    /**
     * Compresses {@code input[0, length)} into {@code output}, using at most {@code maxOutput} bytes of it.
     *
     * @return the compressed length, or 0 when it would not fit in {@code maxOutput} bytes
     */
    public static int compress(byte[] input, int inputOffset, int length, byte[] output, int maxOutput, int[] table) {
        if (length == 0) {
            return 0;
        }
        Arrays.fill(table, 0);
        int inEnd = inputOffset + length;
        int ip = inputOffset;
        int op = 1;
        int literals = 0;
        int hash = ((input[ip] & 0xff) << 8) | (input[ip + 1 < inEnd ? ip + 1 : ip] & 0xff);
        while (ip < inEnd - 2) {
            hash = (hash << 8) | (input[ip + 2] & 0xff);
            int slot = index(hash);
            int reference = table[slot] + inputOffset;
            table[slot] = ip - inputOffset;
            int offset = ip - reference - 1;
            if (reference > inputOffset && offset >= 0 && offset < MAX_OFFSET
                    && input[reference + 2] == input[ip + 2]
                    && input[reference] == input[ip] && input[reference + 1] == input[ip + 1]) {
                int matched = 2;
                int maxMatch = Math.min(inEnd - ip - matched, MAX_REFERENCE);
                if (op - (literals == 0 ? 1 : 0) + 3 + 1 >= maxOutput) {
                    return 0;
                }
                output[op - literals - 1] = (byte) (literals - 1);
                if (literals == 0) {
                    op--;
                }
                do {
                    matched++;
                } while (matched < maxMatch && input[reference + matched] == input[ip + matched]);
                int encodedLength = matched - 2;
                ip++;
                if (encodedLength < 7) {
                    output[op++] = (byte) ((offset >>> 8) + (encodedLength << 5));
                } else {
                    output[op++] = (byte) ((offset >>> 8) + (7 << 5));
                    output[op++] = (byte) (encodedLength - 7);
                }
                output[op++] = (byte) offset;
                literals = 0;
                op++;
                ip += encodedLength + 1;
                if (ip >= inEnd - 2) {
                    break;
                }
                ip -= 2;
                hash = ((input[ip] & 0xff) << 8) | (input[ip + 1] & 0xff);
                hash = (hash << 8) | (input[ip + 2] & 0xff);
                table[index(hash)] = ip - inputOffset;
                ip++;
                hash = (hash << 8) | (input[ip + 2] & 0xff);
                table[index(hash)] = ip - inputOffset;
                ip++;
            } else {
                if (op >= maxOutput) {
                    return 0;
                }
                literals++;
                output[op++] = input[ip++];
                if (literals == MAX_LITERAL) {
                    output[op - literals - 1] = (byte) (literals - 1);
                    literals = 0;
                    op++;
                }
            }
        }
        if (op + 3 > maxOutput) {
            return 0;
        }
        while (ip < inEnd) {
            literals++;
            output[op++] = input[ip++];
            if (literals == MAX_LITERAL) {
                output[op - literals - 1] = (byte) (literals - 1);
                literals = 0;
                op++;
            }
        }
        output[op - literals - 1] = (byte) (literals - 1);
        if (literals == 0) {
            op--;
        }
        return op;
    }

    /** A table for {@link #compress}, reusable across calls of one thread. */
    public static int[] newTable() {
        return new int[1 << HASH_LOG];
    }

    private static int index(int hash) {
        return ((hash >>> (3 * 8 - HASH_LOG)) - hash * 5) & ((1 << HASH_LOG) - 1);
    }

    /**
     * Decompresses {@code input[offset, offset + length)} into exactly {@code output.length} bytes.
     *
     * @throws RdbFormatException when the data is not LZF or does not make exactly that many bytes
     */
    public static void decompress(byte[] input, int offset, int length, byte[] output) throws RdbFormatException {
        int ip = offset;
        int inEnd = offset + length;
        int op = 0;
        int outEnd = output.length;
        while (ip < inEnd) {
            int control = input[ip++] & 0xff;
            if (control < (1 << 5)) {
                int run = control + 1;
                if (op + run > outEnd || ip + run > inEnd) {
                    throw new RdbFormatException("LZF literal run past the end");
                }
                System.arraycopy(input, ip, output, op, run);
                ip += run;
                op += run;
            } else {
                int run = control >>> 5;
                if (run == 7) {
                    if (ip >= inEnd) {
                        throw new RdbFormatException("LZF back reference past the end");
                    }
                    run += input[ip++] & 0xff;
                }
                if (ip >= inEnd) {
                    throw new RdbFormatException("LZF back reference past the end");
                }
                int reference = op - ((control & 0x1f) << 8) - 1 - (input[ip++] & 0xff);
                run += 2;
                if (op + run > outEnd) {
                    throw new RdbFormatException("LZF output longer than declared");
                }
                if (reference < 0) {
                    throw new RdbFormatException("LZF back reference before the start");
                }
                // Byte by byte: the reference may overlap the bytes it produces.
                for (int i = 0; i < run; i++) {
                    output[op++] = output[reference++];
                }
            }
        }
        if (op != outEnd) {
            throw new RdbFormatException("LZF output shorter than declared");
        }
    }
}
