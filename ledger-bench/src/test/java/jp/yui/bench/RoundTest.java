package jp.yui.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoundTest {

    private static Measured window(long transfers, double seconds, long[] sortedNanos, long errors, long[] perSecond) {
        return new Measured(transfers, transfers, seconds, sortedNanos, errors, errors == 0 ? List.of() : List.of("boom"),
                transfers + 10, perSecond);
    }

    @Test
    void mergedWindowsAddUpAndKeepEveryLatency() {
        Measured a = window(1_000, 10, new long[] {1_000_000, 2_000_000, 3_000_000}, 0, new long[] {500, 500});
        Measured b = window(3_000, 10, new long[] {4_000_000, 5_000_000}, 2, new long[] {1_500, 1_500});
        Measured m = Measured.merge(List.of(a, b));
        assertThat(m.transfers()).isEqualTo(4_000);
        assertThat(m.seconds()).isEqualTo(20);
        assertThat(m.rate()).isEqualTo(200.0);
        assertThat(m.errors()).isEqualTo(2);
        assertThat(m.errorSamples()).containsExactly("boom");
        assertThat(m.allTransfers()).isEqualTo(4_020);
        assertThat(m.sortedNanos()).containsExactly(1_000_000, 2_000_000, 3_000_000, 4_000_000, 5_000_000);
        assertThat(m.perSecond()).containsExactly(500, 500, 1_500, 1_500);
        assertThat(Measured.merge(List.of(a))).isSameAs(a);
    }

    private static Main.Start start(long wal, long syncs, double bench, double postgres, long busy, long all) {
        return new Main.Start(new PgStats.Snapshot(wal, 0L, syncs, null), Map.of("bench", bench, "postgres", postgres),
                new long[] {busy, all});
    }

    @Test
    void countersOfSeveralRoundsAreTheSumOfTheirDifferencesNotWhatRanBetween() {
        // Round 1 from t=0 to t=1, then another scenario ran (its counters must not count), then round 2.
        Round r1 = new Round(window(100, 1, new long[0], 0, new long[0]), start(1_000, 10, 50, 70, 100, 200),
                start(3_000, 30, 150, 170, 250, 400), null);
        Round r2 = new Round(window(100, 1, new long[0], 0, new long[0]), start(90_000, 900, 5_000, 7_000, 9_000, 9_999),
                start(94_000, 940, 5_300, 7_100, 9_100, 10_199), null);
        Round.Counters total = Round.total(List.of(r1, r2));
        assertThat(total.to().pg().walPosition() - total.from().pg().walPosition()).isEqualTo(2_000 + 4_000);
        assertThat(total.to().pg().walSyncs() - total.from().pg().walSyncs()).isEqualTo(20 + 40);
        assertThat(total.to().pg().walSyncMs()).isNull();
        assertThat(total.to().cpu().get("bench") - total.from().cpu().get("bench")).isEqualTo(100 + 300);
        assertThat(total.to().cpu().get("postgres") - total.from().cpu().get("postgres")).isEqualTo(100 + 100);
        assertThat(total.to().machine()[0] - total.from().machine()[0]).isEqualTo(150 + 100);
        assertThat(total.to().machine()[1] - total.from().machine()[1]).isEqualTo(200 + 200);

        Map<String, Object> cpu = Main.cpu(total, 400);
        assertThat(cpu.get("bench_cpu_ms")).isEqualTo(400.0);
        assertThat(cpu.get("total_cpu_ms_per_unit")).isEqualTo(1.5);
        assertThat(cpu.get("machine_busy_share")).isEqualTo(0.625);
    }
}
