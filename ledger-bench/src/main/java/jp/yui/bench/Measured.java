package jp.yui.bench;

import java.util.List;

/**
 * What one scenario's measured window gave.
 *
 * @param transfers    transfers committed in the window
 * @param submissions  submissions (transactions, for the baselines) completed in the window
 * @param seconds      the window's length
 * @param sortedNanos  latency of each submission completed in the window, sorted
 * @param errors       failed submissions and transfers, warm-up included
 * @param errorSamples the first few failures, in words
 * @param allTransfers transfers committed in the whole scenario, warm-up and stragglers included (for costs per
 *                     transfer measured over the whole scenario, such as WAL bytes)
 * @param perSecond    transfers committed in each second of the window, to show whether the rate held
 */
record Measured(long transfers, long submissions, double seconds, long[] sortedNanos, long errors,
        List<String> errorSamples, long allTransfers, long[] perSecond) {

    double rate() {
        return seconds <= 0 ? 0 : transfers / seconds;
    }

    Double p50Ms() {
        return Latencies.percentileMillis(sortedNanos, 50);
    }

    Double p99Ms() {
        return Latencies.percentileMillis(sortedNanos, 99);
    }
}
