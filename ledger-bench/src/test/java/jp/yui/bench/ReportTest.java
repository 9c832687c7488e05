package jp.yui.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTest {

    private static Measured rate(double perSecond, long errors) {
        return new Measured((long) (perSecond * 10), 100, 10, new long[] {2_000_000, 3_000_000}, errors, List.of(),
                (long) (perSecond * 12), new long[10]);
    }

    @Test
    void ratioAgainstTheBaselineAndTheGoal() {
        Report.Row raw = new Report.Row("raw-single", rate(1_000, 0), null, Map.of());
        Report.Row yui = new Report.Row("single-uniform", rate(2_500, 0), raw, Map.of("verify_problems", List.of()));
        assertThat(yui.ratio()).isEqualTo(2.5);
        assertThat(yui.goalMet()).isTrue();
        Map<String, Object> json = yui.json();
        assertThat(json).containsEntry("name", "single-uniform").containsEntry("transfers_per_s", 2500.0)
                .containsEntry("baseline", "raw-single").containsEntry("baseline_per_s", 1000.0)
                .containsEntry("ratio", 2.5).containsEntry("p50_ms", 2.0).containsEntry("p99_ms", 3.0)
                .containsEntry("errors", 0L).containsEntry("goal_met", true);
        assertThat(raw.ratio()).isNull();
        assertThat(raw.goalMet()).isNull();
    }

    @Test
    void aFastWrongLedgerScoresZero() {
        Report.Row raw = new Report.Row("raw-hot", rate(100, 0), null, Map.of());
        Report.Row wrong = new Report.Row("single-hot", rate(10_000, 0), raw,
                Map.of("verify_problems", List.of("asset BENCH-PAY: debits 10 != credits 9")));
        assertThat(wrong.errors()).isEqualTo(1);
        assertThat(wrong.ratio()).isZero();
        assertThat(wrong.goalMet()).isFalse();
        Report.Row failed = new Report.Row("single-hot", rate(10_000, 3), raw, Map.of());
        assertThat(failed.ratio()).isZero();
    }

    @Test
    void bulkNeedsBothRateAndRatio() {
        Report.Row batch = new Report.Row("raw-batch", rate(50_000, 0), null, Map.of());
        assertThat(new Report.Row("bulk", rate(25_000, 0), batch, Map.of()).goalMet()).isFalse(); // ratio 0.5
        assertThat(new Report.Row("bulk", rate(31_000, 0), batch, Map.of()).goalMet()).isTrue();
        Report.Row slowBatch = new Report.Row("raw-batch", rate(10_000, 0), null, Map.of());
        assertThat(new Report.Row("bulk", rate(15_000, 0), slowBatch, Map.of()).goalMet()).isFalse(); // < 20,000/s
    }

    @Test
    void httpCpmNeedsTheRateAndTheOpenLoopP99() {
        Map<String, Object> fast = Map.of("open_loop", Map.of("p99_ms", 80.0, "errors", 0L));
        Map<String, Object> slow = Map.of("open_loop", Map.of("p99_ms", 140.0, "errors", 0L));
        Map<String, Object> failing = Map.of("open_loop", Map.of("p99_ms", 80.0, "errors", 2L));
        assertThat(new Report.Row("http-cpm", rate(2_100, 0), null, fast).goalMet()).isTrue();
        assertThat(new Report.Row("http-cpm", rate(1_900, 0), null, fast).goalMet()).isFalse();
        assertThat(new Report.Row("http-cpm", rate(2_100, 0), null, slow).goalMet()).isFalse();
        assertThat(new Report.Row("http-cpm", rate(2_100, 0), null, Map.of()).goalMet()).isFalse();
        // Charges the open loop could not answer fail its goal; the books are still right.
        Report.Row late = new Report.Row("http-cpm", rate(2_100, 0), null, failing);
        assertThat(late.errors()).isZero();
        assertThat(late.openLoopErrors()).isEqualTo(2);
        assertThat(late.goalMet()).isFalse();
    }

    @Test
    void tableListsScenariosAndWhatDidNotRun() {
        Report.Row raw = new Report.Row("raw-single", rate(1_000, 0), null, Map.of());
        Report.Row yui = new Report.Row("single-uniform", rate(1_500, 0), raw, Map.of());
        String table = Report.table(List.of(raw, yui), List.of(Report.notRun("http-cpm", "needs issue 4")));
        assertThat(table.lines().toList()).hasSize(4);
        assertThat(table).contains("scenario", "raw-single", "1,000", "1.50", "NO", "http-cpm: not run: needs issue 4");
        Map<String, Object> notRun = Report.notRun("http-cpm", "needs issue 4");
        assertThat(notRun).containsEntry("transfers_per_s", null).containsEntry("status", "not run: needs issue 4");
    }
}
