package io.nuthatch.bench;

import io.nuthatch.server.keyspace.KeyHashing;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The question the keyspace's entry layout turned on: does a 32-bit hash stored in every entry
 * (a 32-byte entry: data, value, next, hash, clock) make lookups faster than a 24-byte entry (data,
 * next, clock) that keeps only 4 bits of the hash as a tag beside the clock? Both tables here are
 * minimal copies of the keyspace's chained table, holding the same keys (16 bytes, with a 100-byte
 * value in the same array, as the keyspace stores a string), at the load factor a table of that
 * many keys has. A lookup hashes the key, walks the chain, compares the hash (or the tag) and then
 * the key, and reads the value's first byte, as GET would.
 *
 * <p>The keys are looked up in random order, so that at a million keys nearly every lookup misses
 * the CPU caches, which is where touching one more array on a chain collision would show.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g", "-XX:+UseParallelGC"})
public class EntryLayoutBenchmark {
    @Param({"1000000"})
    int keys;

    private byte[][] queries;
    private byte[][] misses;
    private HashedTable hashed;
    private TaggedTable tagged;
    private int cursor;

    @Setup
    public void setUp() {
        queries = new byte[keys][];
        misses = new byte[keys][];
        hashed = new HashedTable(keys);
        tagged = new TaggedTable(keys);
        byte[] value = new byte[100];
        for (int i = 0; i < keys; i++) {
            byte[] key = String.format("key:%012d", i).getBytes(StandardCharsets.US_ASCII);
            value[0] = (byte) i;
            hashed.insert(key, value);
            tagged.insert(key, value);
            queries[i] = key;
            misses[i] = String.format("nop:%012d", i).getBytes(StandardCharsets.US_ASCII);
        }
        // Random order, so that consecutive lookups do not find each other's cache lines.
        SplittableRandom random = new SplittableRandom(11);
        for (int i = keys - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            byte[] swap = queries[i];
            queries[i] = queries[j];
            queries[j] = swap;
        }
    }

    private int next() {
        int index = cursor;
        cursor = index + 1 == keys ? 0 : index + 1;
        return index;
    }

    @Benchmark
    public int hitWithStoredHash() {
        byte[] key = queries[next()];
        return hashed.get(key);
    }

    @Benchmark
    public int hitWithHashTag() {
        byte[] key = queries[next()];
        return tagged.get(key);
    }

    @Benchmark
    public int missWithStoredHash() {
        byte[] key = misses[next()];
        return hashed.get(key);
    }

    @Benchmark
    public int missWithHashTag() {
        byte[] key = misses[next()];
        return tagged.get(key);
    }

    /** data: key length (one byte, keys here are short), key, value. */
    private static byte[] data(byte[] key, byte[] value) {
        byte[] data = new byte[1 + key.length + value.length];
        data[0] = (byte) key.length;
        System.arraycopy(key, 0, data, 1, key.length);
        System.arraycopy(value, 0, data, 1 + key.length, value.length);
        return data;
    }

    private static boolean keyEquals(byte[] data, byte[] key) {
        return data[0] == key.length && java.util.Arrays.equals(data, 1, 1 + key.length, key, 0, key.length);
    }

    private static int bucketsFor(int keys) {
        return Integer.highestOneBit(keys - 1) << 1;
    }

    /** 12-byte header + data, value, next, hash, clock = 32 bytes. */
    static final class HashedEntry {
        byte[] data;
        Object value;
        HashedEntry next;
        int hash;
        int clock;
    }

    static final class HashedTable {
        private final HashedEntry[] buckets;

        HashedTable(int keys) {
            buckets = new HashedEntry[bucketsFor(keys)];
        }

        void insert(byte[] key, byte[] value) {
            HashedEntry entry = new HashedEntry();
            entry.data = data(key, value);
            entry.hash = KeyHashing.hash(key);
            int index = entry.hash & (buckets.length - 1);
            entry.next = buckets[index];
            buckets[index] = entry;
        }

        int get(byte[] key) {
            int hash = KeyHashing.hash(key);
            for (HashedEntry e = buckets[hash & (buckets.length - 1)]; e != null; e = e.next) {
                if (e.hash == hash && keyEquals(e.data, key)) {
                    return e.data[1 + key.length];
                }
            }
            return -1;
        }
    }

    /** 12-byte header + data, next, clock (with a 4-bit tag of the hash in its top bits) = 24 bytes. */
    static final class TaggedEntry {
        byte[] data;
        TaggedEntry next;
        int clock;
    }

    static final class TaggedTable {
        private final TaggedEntry[] buckets;

        TaggedTable(int keys) {
            buckets = new TaggedEntry[bucketsFor(keys)];
        }

        void insert(byte[] key, byte[] value) {
            TaggedEntry entry = new TaggedEntry();
            entry.data = data(key, value);
            int hash = KeyHashing.hash(key);
            entry.clock = (hash >>> 28) << 28;
            int index = hash & (buckets.length - 1);
            entry.next = buckets[index];
            buckets[index] = entry;
        }

        int get(byte[] key) {
            int hash = KeyHashing.hash(key);
            int tag = hash >>> 28;
            for (TaggedEntry e = buckets[hash & (buckets.length - 1)]; e != null; e = e.next) {
                if (e.clock >>> 28 == tag && keyEquals(e.data, key)) {
                    return e.data[1 + key.length];
                }
            }
            return -1;
        }
    }
}
