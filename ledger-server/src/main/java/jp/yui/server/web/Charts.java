package jp.yui.server.web;

import java.util.List;
import java.util.Objects;
import java.util.function.LongFunction;

/**
 * Bar charts drawn on the server as SVG: no script, nothing to download, they print, and they look the same in every
 * browser. A chart is a picture for those who would rather look; each page also gives its numbers in a table, which
 * is what a screen reader reads (the SVG is labelled as one image).
 */
final class Charts {

    /** The series' colours: dark enough to stand out against white (3:1 or more) and apart from each other. */
    static final List<String> COLOURS = List.of("#0b4a9c", "#c0392b", "#1e7b3c", "#7a4b00", "#6a3d9a");

    private static final int WIDTH = 760;
    private static final int HEIGHT = 320;
    private static final int LEFT = 96;
    private static final int RIGHT = 12;
    private static final int TOP = 16;
    private static final int BOTTOM = 48;

    private Charts() {
    }

    /**
     * One series of a chart.
     *
     * @param name   its name in the legend
     * @param values one value per category, in the categories' order; negative values are drawn as 0
     */
    record Series(String name, List<Long> values) {
        Series {
            Objects.requireNonNull(name, "name");
            values = List.copyOf(values);
        }
    }

    /**
     * Grouped vertical bars: one group per category, one bar per series.
     *
     * @param label      what the chart shows, read by screen readers as the image's name
     * @param categories the groups along the bottom (months, programmes)
     * @param series     the bars of each group
     * @param axis       how the left axis writes a value ({@code 1,000円})
     * @param empty      what the chart says when every value is 0 (nothing moved)
     * @throws IllegalArgumentException if a series has not one value per category
     */
    static String bars(String label, List<String> categories, List<Series> series, LongFunction<String> axis,
            String empty) {
        for (Series s : series) {
            if (s.values().size() != categories.size()) {
                throw new IllegalArgumentException("series " + s.name() + " has " + s.values().size()
                        + " values for " + categories.size() + " categories");
            }
        }
        long max = 0;
        for (Series s : series) {
            for (long v : s.values()) {
                max = Math.max(max, v);
            }
        }
        long[] scale = scale(max);
        long top = scale[0];
        int ticks = (int) scale[1];
        int plotWidth = WIDTH - LEFT - RIGHT;
        int plotHeight = HEIGHT - TOP - BOTTOM;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(WIDTH).append(' ')
                .append(HEIGHT).append("\" role=\"img\" aria-label=\"").append(escape(label)).append("\">");
        svg.append("<title>").append(escape(label)).append("</title>");
        for (int i = top == 0 ? ticks : 0; i <= ticks; i++) {
            long value = top * i / ticks;
            double y = TOP + plotHeight - (double) plotHeight * i / ticks;
            svg.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT).append("\" y1=\"")
                    .append(fmt(y)).append("\" y2=\"").append(fmt(y)).append("\" stroke=\"")
                    .append(i == 0 ? "#111" : "#bbb").append("\" stroke-width=\"1\"/>");
            svg.append("<text x=\"").append(LEFT - 8).append("\" y=\"").append(fmt(y + 5))
                    .append("\" text-anchor=\"end\" font-size=\"14\">").append(escape(axis.apply(value))).append("</text>");
        }
        if (top == 0) {
            svg.append("<text x=\"").append(LEFT + plotWidth / 2).append("\" y=\"").append(TOP + plotHeight / 2)
                    .append("\" text-anchor=\"middle\" font-size=\"18\">").append(escape(empty)).append("</text>");
        }
        if (!categories.isEmpty() && !series.isEmpty()) {
            double group = (double) plotWidth / categories.size();
            double bar = Math.min(40, group * 0.8 / series.size());
            for (int c = 0; c < categories.size(); c++) {
                double x0 = LEFT + group * c + (group - bar * series.size()) / 2;
                for (int s = 0; s < series.size(); s++) {
                    long v = Math.max(0, series.get(s).values().get(c));
                    double h = top == 0 ? 0 : (double) plotHeight * v / top;
                    svg.append("<rect x=\"").append(fmt(x0 + bar * s)).append("\" y=\"").append(fmt(TOP + plotHeight - h))
                            .append("\" width=\"").append(fmt(Math.max(1, bar - 2))).append("\" height=\"").append(fmt(h))
                            .append("\" fill=\"").append(COLOURS.get(s % COLOURS.size())).append("\"/>");
                }
                // A category may have a second line (the year under a month): one tspan per line.
                String[] lines = categories.get(c).split("\n", 2);
                double x = LEFT + group * c + group / 2;
                svg.append("<text x=\"").append(fmt(x)).append("\" y=\"").append(HEIGHT - BOTTOM + 22)
                        .append("\" text-anchor=\"middle\" font-size=\"14\">");
                for (int line = 0; line < lines.length; line++) {
                    svg.append("<tspan x=\"").append(fmt(x)).append("\" dy=\"").append(line == 0 ? "0" : "1.2em")
                            .append("\">").append(escape(shorten(lines[line]))).append("</tspan>");
                }
                svg.append("</text>");
            }
        }
        svg.append("</svg>");
        return svg.toString();
    }

    /**
     * The axis: its top and how many steps up to it, so that every step is a round whole number (1, 2, 2.5 or 5 times a
     * power of ten) and the top is as close above {@code max} as 4 or 5 such steps get. {@code {0, 1}} when
     * {@code max} is 0 or less: nothing to scale.
     */
    static long[] scale(long max) {
        if (max <= 0) {
            return new long[] {0, 1};
        }
        long[] best = null;
        for (int ticks : new int[] {4, 5}) {
            long step = niceStep((max + ticks - 1) / ticks);
            long top = Math.multiplyExact(step, ticks);
            if (best == null || top < best[0]) {
                best = new long[] {top, ticks};
            }
        }
        return best;
    }

    /** The smallest whole 1, 2, 2.5 or 5 times a power of ten at or above {@code atLeast} (> 0). */
    static long niceStep(long atLeast) {
        long power = 1;
        while (true) {
            for (long tenths : new long[] {10, 20, 25, 50}) {
                long step = power * tenths / 10;
                if (step * 10 == power * tenths && step >= atLeast) {
                    return step;
                }
            }
            power = Math.multiplyExact(power, 10);
        }
    }

    private static String shorten(String s) {
        return s.length() <= 12 ? s : s.substring(0, 11) + "…";
    }

    private static String fmt(double d) {
        return String.format(java.util.Locale.ROOT, "%.1f", d);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
