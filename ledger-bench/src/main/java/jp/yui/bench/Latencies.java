package jp.yui.bench;

import java.util.Arrays;
import java.util.Collection;

/**
 * Latencies in nanoseconds, recorded by one thread (merge several with {@link #merge}), and their percentiles by
 * the nearest-rank method: the p-th percentile of n sorted samples is the ⌈p·n⌉-th of them.
 */
final class Latencies {

    private long[] nanos = new long[1024];
    private int size;

    void add(long latencyNanos) {
        if (size == nanos.length) {
            nanos = Arrays.copyOf(nanos, nanos.length * 2);
        }
        nanos[size++] = latencyNanos;
    }

    int size() {
        return size;
    }

    static Latencies merge(Collection<Latencies> parts) {
        Latencies all = new Latencies();
        int total = parts.stream().mapToInt(Latencies::size).sum();
        all.nanos = new long[Math.max(1, total)];
        for (Latencies p : parts) {
            System.arraycopy(p.nanos, 0, all.nanos, all.size, p.size);
            all.size += p.size;
        }
        return all;
    }

    /** The samples, sorted. */
    long[] sorted() {
        long[] copy = Arrays.copyOf(nanos, size);
        Arrays.sort(copy);
        return copy;
    }

    /**
     * The nearest-rank percentile of sorted samples.
     *
     * @param sorted samples in ascending order
     * @param p      the percentile, above 0 and at most 100
     * @return the sample, or -1 when there are none
     */
    static long percentile(long[] sorted, double p) {
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100]: " + p);
        }
        if (sorted.length == 0) {
            return -1;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
    }

    /** The percentile in milliseconds with three decimals, or {@code null} when there are no samples. */
    static Double percentileMillis(long[] sorted, double p) {
        long v = percentile(sorted, p);
        return v < 0 ? null : Math.round(v / 1_000.0) / 1_000.0;
    }
}
