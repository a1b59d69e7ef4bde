package io.nuthatch.server.keyspace;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.SecureRandom;

/**
 * The hash of a key: MurmurHash3 (x86, 32-bit) with a seed chosen at random when the process
 * starts, so that clients cannot craft keys that all fall into one bucket (Redis seeds its SipHash
 * for the same reason). It reads four bytes at a time and allocates nothing.
 */
public final class KeyHashing {
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int SEED = new SecureRandom().nextInt();
    private static final int C1 = 0xcc9e2d51;
    private static final int C2 = 0x1b873593;

    private KeyHashing() {
    }

    public static int hash(byte[] key) {
        return hash(key, 0, key.length);
    }

    public static int hash(byte[] bytes, int offset, int length) {
        int h = SEED;
        int end = offset + (length & ~3);
        for (int i = offset; i < end; i += 4) {
            int k = (int) INT_LE.get(bytes, i);
            k *= C1;
            k = Integer.rotateLeft(k, 15);
            k *= C2;
            h ^= k;
            h = Integer.rotateLeft(h, 13);
            h = h * 5 + 0xe6546b64;
        }
        int k = 0;
        switch (length & 3) {
            case 3:
                k ^= (bytes[end + 2] & 0xff) << 16;
                // fall through
            case 2:
                k ^= (bytes[end + 1] & 0xff) << 8;
                // fall through
            case 1:
                k ^= bytes[end] & 0xff;
                k *= C1;
                k = Integer.rotateLeft(k, 15);
                k *= C2;
                h ^= k;
                break;
            default:
                break;
        }
        h ^= length;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
