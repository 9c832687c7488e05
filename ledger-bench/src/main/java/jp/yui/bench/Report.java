package jp.yui.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The benchmark's results: the table it prints and the JSON it writes. */
final class Report {

    /**
     * A scenario's goal: a least rate, a least ratio to its baseline, and a most p99 of its open-loop run (each may be
     * absent).
     */
    record Goal(Double minPerSecond, Double minRatio, Double maxOpenLoopP99Ms, String text) {
        boolean met(double perSecond, Double ratio, Double openLoopP99Ms) {
            return (minPerSecond == null || perSecond >= minPerSecond)
                    && (minRatio == null || (ratio != null && ratio >= minRatio))
                    && (maxOpenLoopP99Ms == null || (openLoopP99Ms != null && openLoopP99Ms <= maxOpenLoopP99Ms));
        }
    }

    static final Map<String, Goal> GOALS = Map.of(
            "single-uniform", new Goal(null, 2.0, null, "ratio >= 2"),
            "single-hot", new Goal(null, 4.0, null, "ratio >= 4"),
            "bulk", new Goal(20_000.0, 0.6, null, ">= 20,000/s and ratio >= 0.6"),
            "http-cpm", new Goal(2_000.0, null, 100.0, ">= 2,000 payments/s, p99 <= 100 ms at 1,000/s offered"));

    /** One measured scenario (a baseline has no baseline of its own). */
    record Row(String name, Measured measured, Row baseline, Map<String, Object> extra) {

        /**
         * Failed submissions of the measured run and problems the books show. (Charges an open-loop run could not
         * answer in time are that run's own: they fail its goal, not the books.)
         */
        long errors() {
            long problems = extra.get("verify_problems") instanceof List<?> l ? l.size() : 0;
            return measured.errors() + problems;
        }

        Double ratio() {
            if (baseline == null || baseline.measured.rate() <= 0) {
                return null;
            }
            // A fast wrong ledger scores zero.
            return errors() > 0 ? 0.0 : round(measured.rate() / baseline.measured.rate(), 2);
        }

        Boolean goalMet() {
            Goal g = GOALS.get(name);
            return g == null ? null : errors() == 0 && openLoopErrors() == 0 && g.met(measured.rate(), ratio(), openLoopP99Ms());
        }

        /** The p99 of the scenario's open-loop run, if it had one. */
        Double openLoopP99Ms() {
            return extra.get("open_loop") instanceof Map<?, ?> m && m.get("p99_ms") instanceof Double d ? d : null;
        }

        long openLoopErrors() {
            return extra.get("open_loop") instanceof Map<?, ?> m && m.get("errors") instanceof Long l ? l : 0;
        }

        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", name);
            m.put("transfers_per_s", round(measured.rate(), 1));
            m.put("baseline", baseline == null ? null : baseline.name);
            m.put("baseline_per_s", baseline == null ? null : round(baseline.measured.rate(), 1));
            m.put("ratio", ratio());
            m.put("p50_ms", measured.p50Ms());
            m.put("p99_ms", measured.p99Ms());
            m.put("errors", errors());
            Goal g = GOALS.get(name);
            if (g != null) {
                m.put("goal", g.text());
                m.put("goal_met", goalMet());
            }
            m.put("transfers", measured.transfers());
            m.put("submissions", measured.submissions());
            m.put("seconds", round(measured.seconds(), 3));
            m.put("per_second", measured.perSecond());
            m.put("error_samples", measured.errorSamples());
            m.putAll(extra);
            return m;
        }
    }

    static Double round(double v, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(v * scale) / scale;
    }

    /** The row of a scenario that could not run. */
    static Map<String, Object> notRun(String name, String why) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("transfers_per_s", null);
        m.put("baseline", "raw-single");
        m.put("baseline_per_s", null);
        m.put("ratio", null);
        m.put("p50_ms", null);
        m.put("p99_ms", null);
        m.put("errors", null);
        Goal g = GOALS.get(name);
        if (g != null) {
            m.put("goal", g.text());
            m.put("goal_met", null);
        }
        m.put("status", "not run: " + why);
        return m;
    }

    /** The table printed at the end. */
    static String table(List<Row> rows, List<Map<String, Object>> notRun) {
        List<String[]> lines = new ArrayList<>();
        lines.add(new String[] {"scenario", "transfers/s", "p50 ms", "p99 ms", "errors", "baseline", "baseline/s", "ratio",
            "goal", "met"});
        for (Row r : rows) {
            Double ratio = r.ratio();
            Boolean met = r.goalMet();
            lines.add(new String[] {
                r.name,
                String.format(Locale.ROOT, "%,.0f", r.measured.rate()),
                ms(r.measured.p50Ms()),
                ms(r.measured.p99Ms()),
                Long.toString(r.errors()),
                r.baseline == null ? "" : r.baseline.name,
                r.baseline == null ? "" : String.format(Locale.ROOT, "%,.0f", r.baseline.measured.rate()),
                ratio == null ? "" : String.format(Locale.ROOT, "%.2f", ratio),
                GOALS.containsKey(r.name) ? GOALS.get(r.name).text() : "",
                met == null ? "" : met ? "yes" : "NO"});
        }
        int[] width = new int[lines.get(0).length];
        for (String[] l : lines) {
            for (int i = 0; i < l.length; i++) {
                width[i] = Math.max(width[i], l[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] l : lines) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < l.length; i++) {
                boolean number = i >= 1 && i <= 4 || i == 6 || i == 7;
                String cell = l[i];
                int pad = Math.max(0, width[i] - cell.length());
                if (number && l != lines.get(0)) {
                    line.append(" ".repeat(pad)).append(cell);
                } else {
                    line.append(cell).append(" ".repeat(pad));
                }
                line.append("  ");
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        for (Map<String, Object> n : notRun) {
            sb.append(n.get("name")).append(": ").append(n.get("status")).append(" (goal: ").append(n.get("goal"))
                    .append(")\n");
        }
        return sb.toString();
    }

    private static String ms(Double v) {
        return v == null ? "" : String.format(Locale.ROOT, "%.1f", v);
    }
}
