package jp.yui.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One run of a closed-loop scenario: what it measured, the counters before and after it, and (when profiling) its
 * costliest statements. With {@code --rounds}, a scenario's counters are the sum of its rounds' differences, so CPU and
 * WAL per transfer cover exactly the windows the scenario ran in, not the other scenarios' in between.
 */
record Round(Measured measured, Main.Start from, Main.Start to, Map<String, Object> sqlProfile) {

    /** Counters at two moments, or the summed differences of several pairs (then {@code from} is all zeros). */
    record Counters(Main.Start from, Main.Start to) {
    }

    Counters counters() {
        return new Counters(from, to);
    }

    /** The rounds' differences added up, as counters from zero. */
    static Counters total(List<Round> rounds) {
        if (rounds.size() == 1) {
            return rounds.get(0).counters();
        }
        Main.Start first = rounds.get(0).from;
        Main.Start zero = new Main.Start(new PgStats.Snapshot(0, zeroOrNull(first.pg().walFpi()),
                zeroOrNull(first.pg().walSyncs()), first.pg().walSyncMs() == null ? null : 0.0),
                zeros(first.cpu()), first.machine() == null ? null : new long[first.machine().length]);
        Main.Start sum = zero;
        for (Round r : rounds) {
            sum = plusDifference(sum, r.from, r.to);
        }
        return new Counters(zero, sum);
    }

    /** This round alone, for the report's list of rounds. */
    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("transfers_per_s", Report.round(measured.rate(), 1));
        m.put("p50_ms", measured.p50Ms());
        m.put("p99_ms", measured.p99Ms());
        m.put("errors", measured.errors());
        Map<String, Object> cpu = Main.cpu(counters(), measured.allTransfers());
        m.put("total_cpu_ms_per_unit", cpu.get("total_cpu_ms_per_unit"));
        m.put("machine_busy_share", cpu.get("machine_busy_share"));
        m.put("others_share_of_busy", cpu.get("others_share_of_busy"));
        return m;
    }

    private static Main.Start plusDifference(Main.Start sum, Main.Start from, Main.Start to) {
        PgStats.Snapshot s = sum.pg();
        PgStats.Snapshot a = from.pg();
        PgStats.Snapshot b = to.pg();
        PgStats.Snapshot pg = new PgStats.Snapshot(s.walPosition() + b.walPosition() - a.walPosition(),
                plus(s.walFpi(), a.walFpi(), b.walFpi()), plus(s.walSyncs(), a.walSyncs(), b.walSyncs()),
                s.walSyncMs() == null || a.walSyncMs() == null || b.walSyncMs() == null ? null
                        : s.walSyncMs() + b.walSyncMs() - a.walSyncMs());
        Map<String, Double> cpu = new LinkedHashMap<>();
        sum.cpu().forEach((k, v) -> {
            Double before = from.cpu().get(k);
            Double after = to.cpu().get(k);
            if (before != null && after != null) {
                cpu.put(k, v + after - before);
            }
        });
        long[] machine = null;
        if (sum.machine() != null && from.machine() != null && to.machine() != null) {
            machine = new long[sum.machine().length];
            for (int i = 0; i < machine.length; i++) {
                machine[i] = sum.machine()[i] + to.machine()[i] - from.machine()[i];
            }
        }
        return new Main.Start(pg, cpu, machine);
    }

    private static Long plus(Long sum, Long from, Long to) {
        return sum == null || from == null || to == null ? null : sum + to - from;
    }

    private static Long zeroOrNull(Long v) {
        return v == null ? null : 0L;
    }

    private static Map<String, Double> zeros(Map<String, Double> like) {
        Map<String, Double> m = new LinkedHashMap<>();
        like.keySet().forEach(k -> m.put(k, 0.0));
        return m;
    }
}
