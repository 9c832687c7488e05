package jp.yui.bench;

import java.util.ArrayList;
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

    /**
     * Several windows of one scenario as one: transfers, submissions, seconds and errors added up, every latency kept
     * (percentiles over all windows), the seconds' timelines one after another.
     */
    static Measured merge(List<Measured> windows) {
        if (windows.size() == 1) {
            return windows.get(0);
        }
        long transfers = 0;
        long submissions = 0;
        double seconds = 0;
        long errors = 0;
        long all = 0;
        List<String> samples = new ArrayList<>();
        Latencies latencies = new Latencies();
        List<Long> perSecond = new ArrayList<>();
        for (Measured m : windows) {
            transfers += m.transfers;
            submissions += m.submissions;
            seconds += m.seconds;
            errors += m.errors;
            all += m.allTransfers;
            m.errorSamples.stream().limit(Math.max(0, 5 - samples.size())).forEach(samples::add);
            for (long n : m.sortedNanos) {
                latencies.add(n);
            }
            for (long n : m.perSecond) {
                perSecond.add(n);
            }
        }
        return new Measured(transfers, submissions, seconds, latencies.sorted(), errors, List.copyOf(samples), all,
                perSecond.stream().mapToLong(Long::longValue).toArray());
    }

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
