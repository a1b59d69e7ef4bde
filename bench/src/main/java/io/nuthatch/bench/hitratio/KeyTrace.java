package io.nuthatch.bench.hitratio;

import java.util.SplittableRandom;

/**
 * A reproducible sequence of key numbers: the same name, size and seed give the same keys in the
 * same order, so redis-server, Nuthatch and the in-process caches replay exactly one trace.
 *
 * <p>The kinds follow the issue: Zipf with an exponent of 0.8 to 1.2 (the shape of most cache
 * traffic: a few keys take most requests), a scan-heavy trace (the same Zipf traffic with long
 * sequential passes over keys outside the hot set interleaved, which an LRU cache lets push its
 * hot keys out), and a shifting trace (Zipf whose hot keys move to other keys several times, which
 * punishes a policy that remembers old frequencies too long).
 */
abstract class KeyTrace {
    /** The next key number, from 0 to {@link #keySpace()} minus one. */
    abstract int next();

    /** How many distinct key numbers the trace may produce. */
    abstract int keySpace();

    /**
     * A trace by name: {@code zipf-0.8}, {@code zipf-1.0}, {@code zipf-1.2} (any exponent after the
     * dash), {@code scan} or {@code shift}.
     *
     * @param keys the number of keys the Zipf traffic is drawn from
     * @param requests the trace's length, which the shifting trace divides into its phases
     * @param scanKeys the keys one scan of the scan-heavy trace passes over
     */
    static KeyTrace named(String name, int keys, long requests, int scanKeys, long seed) {
        if (name.startsWith("zipf-")) {
            return new Zipf(keys, Double.parseDouble(name.substring(5)), seed);
        }
        return switch (name) {
            case "scan" -> new ScanHeavy(new Zipf(keys, 1.0, seed), scanKeys, seed);
            case "shift" -> new Shifting(new Zipf(keys, 1.0, seed), requests, 4);
            default -> throw new IllegalArgumentException("unknown trace " + name
                    + " (zipf-<exponent>, scan, shift)");
        };
    }

    /**
     * Zipf by inversion of the cumulative distribution: rank r (from 1) has weight 1 / r^s. The
     * table costs 8 bytes a key and a draw is a binary search, exact for any exponent (the rejection
     * methods that avoid the table are only approximate near s = 1, the middle of our range). Ranks
     * are spread over the key numbers by a fixed odd multiplier, so hot keys do not sit together.
     */
    static final class Zipf extends KeyTrace {
        private final double[] cumulative;
        private final SplittableRandom random;
        private final int keys;
        private final long spread;

        Zipf(int keys, double exponent, long seed) {
            this.keys = keys;
            this.random = new SplittableRandom(seed);
            this.cumulative = new double[keys];
            double sum = 0;
            for (int rank = 0; rank < keys; rank++) {
                sum += 1.0 / Math.pow(rank + 1, exponent);
                cumulative[rank] = sum;
            }
            for (int rank = 0; rank < keys; rank++) {
                cumulative[rank] /= sum;
            }
            long multiplier = 0x9E3779B1L % keys;
            while (gcd(multiplier, keys) != 1) {
                multiplier++;
            }
            this.spread = multiplier;
        }

        /** The rank (0 is the hottest) of the next request. */
        int nextRank() {
            double u = random.nextDouble();
            int low = 0;
            int high = keys - 1;
            while (low < high) {
                int middle = (low + high) >>> 1;
                if (cumulative[middle] < u) {
                    low = middle + 1;
                } else {
                    high = middle;
                }
            }
            return low;
        }

        /** The key number of a rank: a bijection of 0..keys-1. */
        int keyOfRank(int rank) {
            return (int) ((rank * spread) % keys);
        }

        @Override
        int next() {
            return keyOfRank(nextRank());
        }

        @Override
        int keySpace() {
            return keys;
        }

        private static long gcd(long a, long b) {
            return b == 0 ? a : gcd(b, a % b);
        }
    }

    /**
     * Zipf traffic where, once in a while (one Zipf request in 128), a burst of 64 scan requests
     * starts: the next keys of a pass over {@code scanKeys} consecutive keys outside the Zipf key
     * space, from where the last burst stopped, wrapping. Scans take about a third of all requests. Their keys come back only after a
     * whole lap of the scan range, which is larger than any cache the script configures, so under
     * exact LRU a scanned key never hits and only pushes hot keys out.
     */
    static final class ScanHeavy extends KeyTrace {
        private static final int SCAN_BURST = 64;
        private final Zipf zipf;
        private final int scanKeys;
        private final SplittableRandom random;
        private int scanPosition;
        private int burstLeft;

        ScanHeavy(Zipf zipf, int scanKeys, long seed) {
            this.zipf = zipf;
            this.scanKeys = scanKeys;
            this.random = new SplittableRandom(seed ^ 0x5CA11L);
        }

        @Override
        int next() {
            if (burstLeft == 0 && random.nextInt(SCAN_BURST * 2) == 0) {
                burstLeft = SCAN_BURST;
            }
            if (burstLeft > 0) {
                burstLeft--;
                int key = zipf.keySpace() + scanPosition;
                scanPosition = (scanPosition + 1) % scanKeys;
                return key;
            }
            return zipf.next();
        }

        @Override
        int keySpace() {
            return zipf.keySpace() + scanKeys;
        }
    }

    /**
     * Zipf traffic whose ranks move to other keys {@code phases} times over the trace: in phase p,
     * rank r is the key of rank r + p * keys / phases, so each phase's hot set is keys that were cold
     * in the phase before.
     */
    static final class Shifting extends KeyTrace {
        private final Zipf zipf;
        private final long phaseLength;
        private final int shift;
        private long served;

        Shifting(Zipf zipf, long requests, int phases) {
            this.zipf = zipf;
            this.phaseLength = Math.max(1, requests / phases);
            this.shift = zipf.keySpace() / phases;
        }

        @Override
        int next() {
            long phase = served++ / phaseLength;
            long rank = zipf.nextRank() + phase * shift;
            return zipf.keyOfRank((int) (rank % zipf.keySpace()));
        }

        @Override
        int keySpace() {
            return zipf.keySpace();
        }
    }
}
