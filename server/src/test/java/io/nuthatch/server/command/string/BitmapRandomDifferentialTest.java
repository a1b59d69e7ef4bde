package io.nuthatch.server.command.string;

import io.nuthatch.server.testing.RawConnection;
import io.nuthatch.server.testing.ReferencePair;
import io.nuthatch.server.testing.Resp;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Random bit commands, from a fixed seed, sent to redis-server and to Nuthatch: the replies must be
 * the same. Ranges, offsets and field widths are drawn near the edges, where the rules are subtle.
 */
class BitmapRandomDifferentialTest {
    private static final String[] KEYS = {"a", "b", "c"};
    private final SplittableRandom random = new SplittableRandom(4242);

    @Test
    void randomBitCommandsAnswerAsRedisDoes() throws IOException {
        ReferencePair pair = ReferencePair.shared();
        try (RawConnection redis = new RawConnection(pair.redisPort());
             RawConnection nuthatch = new RawConnection(pair.nuthatchPort())) {
            redis.call("FLUSHALL");
            nuthatch.call("FLUSHALL");
            List<String> history = new ArrayList<>();
            for (int i = 0; i < 1500; i++) {
                List<byte[]> command = randomCommand();
                history.add(show(command));
                if (history.size() > 8) {
                    history.remove(0);
                }
                assertEquals(Resp.escape(redis.call(command)), Resp.escape(nuthatch.call(command)),
                        String.join("\n", history));
            }
        }
    }

    private List<byte[]> randomCommand() {
        String key = KEYS[random.nextInt(KEYS.length)];
        return switch (random.nextInt(9)) {
            case 0 -> List.of(b("SET"), b(key), randomValue());
            case 1 -> List.of(b("SETBIT"), b(key), b(Long.toString(random.nextInt(200))), b(Integer.toString(random.nextInt(2))));
            case 2 -> List.of(b("GETBIT"), b(key), b(Long.toString(random.nextInt(200))));
            case 3, 4 -> bitcountOrBitpos(key);
            case 5 -> {
                String[] operations = {"AND", "OR", "XOR", "NOT"};
                String operation = operations[random.nextInt(4)];
                List<byte[]> command = new ArrayList<>(List.of(b("BITOP"), b(operation), b(KEYS[random.nextInt(3)]), b(key)));
                if (!operation.equals("NOT")) {
                    command.add(b(KEYS[random.nextInt(3)]));
                }
                yield command;
            }
            default -> bitfield(key);
        };
    }

    private List<byte[]> bitcountOrBitpos(String key) {
        boolean bitpos = random.nextBoolean();
        List<byte[]> command = new ArrayList<>(List.of(b(bitpos ? "BITPOS" : "BITCOUNT"), b(key)));
        if (bitpos) {
            command.add(b(Integer.toString(random.nextInt(2))));
        }
        int extra = random.nextInt(4);
        if (extra >= 1) {
            command.add(b(Long.toString(randomIndex())));
        }
        if (extra >= 2 || (!bitpos && extra == 1)) {
            command.add(b(Long.toString(randomIndex())));
        }
        if (extra == 3) {
            command.add(b(random.nextBoolean() ? "BIT" : "byte"));
        }
        return command;
    }

    private long randomIndex() {
        return switch (random.nextInt(6)) {
            case 0 -> random.nextInt(400) - 200;
            case 1 -> random.nextBoolean() ? Long.MAX_VALUE : Long.MIN_VALUE;
            default -> random.nextInt(30) - 15;
        };
    }

    private List<byte[]> bitfield(String key) {
        List<byte[]> command = new ArrayList<>(List.of(b(random.nextInt(5) == 0 ? "BITFIELD_RO" : "BITFIELD"), b(key)));
        int operations = 1 + random.nextInt(4);
        for (int i = 0; i < operations; i++) {
            int kind = random.nextInt(7);
            if (kind == 0) {
                String[] rules = {"WRAP", "SAT", "FAIL"};
                command.add(b("OVERFLOW"));
                command.add(b(rules[random.nextInt(3)]));
                continue;
            }
            boolean signed = random.nextBoolean();
            int[] widths = {1, 2, 7, 8, 9, 16, 31, 32, 33, 62, 63, 64};
            int bits = widths[random.nextInt(widths.length)];
            if (!signed && bits == 64) {
                bits = 63;
            }
            String type = (signed ? "i" : "u") + bits;
            String offset = random.nextInt(4) == 0 ? "#" + random.nextInt(6) : Integer.toString(random.nextInt(90));
            if (kind <= 2) {
                command.addAll(List.of(b("GET"), b(type), b(offset)));
            } else {
                command.addAll(List.of(b(kind <= 4 ? "SET" : "INCRBY"), b(type), b(offset), b(Long.toString(randomOperand(bits)))));
            }
        }
        return command;
    }

    private long randomOperand(int bits) {
        return switch (random.nextInt(6)) {
            case 0 -> random.nextLong();
            case 1 -> random.nextBoolean() ? Long.MAX_VALUE : Long.MIN_VALUE;
            case 2 -> (1L << (bits - 1)) + random.nextInt(5) - 2;
            case 3 -> -(1L << (bits - 1)) + random.nextInt(5) - 2;
            default -> random.nextInt(600) - 300;
        };
    }

    private byte[] randomValue() {
        byte[] value = new byte[random.nextInt(12)];
        int style = random.nextInt(3);
        for (int i = 0; i < value.length; i++) {
            value[i] = switch (style) {
                case 0 -> (byte) random.nextInt(256);
                case 1 -> random.nextInt(5) == 0 ? (byte) random.nextInt(256) : 0;
                default -> random.nextInt(5) == 0 ? (byte) random.nextInt(256) : (byte) 0xFF;
            };
        }
        return value;
    }

    private static byte[] b(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static String show(List<byte[]> command) {
        StringBuilder text = new StringBuilder();
        for (byte[] argument : command) {
            text.append(Resp.escape(argument)).append(' ');
        }
        return text.toString().strip();
    }
}
