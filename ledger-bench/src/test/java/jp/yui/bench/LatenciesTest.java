package jp.yui.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class LatenciesTest {

    @Test
    void nearestRankOnOneToHundred() {
        long[] sorted = new long[100];
        for (int i = 0; i < 100; i++) {
            sorted[i] = i + 1;
        }
        assertThat(Latencies.percentile(sorted, 50)).isEqualTo(50);
        assertThat(Latencies.percentile(sorted, 99)).isEqualTo(99);
        assertThat(Latencies.percentile(sorted, 100)).isEqualTo(100);
        assertThat(Latencies.percentile(sorted, 0.1)).isEqualTo(1);
    }

    @Test
    void smallSamples() {
        assertThat(Latencies.percentile(new long[] {7}, 50)).isEqualTo(7);
        assertThat(Latencies.percentile(new long[] {7}, 99)).isEqualTo(7);
        assertThat(Latencies.percentile(new long[] {1, 2}, 50)).isEqualTo(1);
        assertThat(Latencies.percentile(new long[] {1, 2}, 51)).isEqualTo(2);
        // 1,000 samples: p99 is the 990th, so the ten slowest do not decide it
        long[] thousand = new long[1000];
        for (int i = 0; i < 1000; i++) {
            thousand[i] = i < 990 ? 1 : 1_000;
        }
        assertThat(Latencies.percentile(thousand, 99)).isEqualTo(1);
        assertThat(Latencies.percentile(thousand, 99.1)).isEqualTo(1_000);
    }

    @Test
    void noSamplesNoPercentile() {
        assertThat(Latencies.percentile(new long[0], 50)).isEqualTo(-1);
        assertThat(Latencies.percentileMillis(new long[0], 50)).isNull();
        assertThatThrownBy(() -> Latencies.percentile(new long[] {1}, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Latencies.percentile(new long[] {1}, 101)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void mergesThreadsAndSorts() {
        Latencies a = new Latencies();
        Latencies b = new Latencies();
        for (int i = 0; i < 3000; i++) {
            a.add(3_000_000L - i); // grows past its first array
        }
        b.add(5);
        Latencies all = Latencies.merge(List.of(a, b, new Latencies()));
        long[] sorted = all.sorted();
        assertThat(sorted).hasSize(3001);
        assertThat(sorted[0]).isEqualTo(5);
        assertThat(sorted[3000]).isEqualTo(3_000_000L);
        assertThat(Latencies.merge(List.of()).sorted()).isEmpty();
    }

    @Test
    void millisecondsWithThreeDecimals() {
        assertThat(Latencies.percentileMillis(new long[] {12_345_678}, 50)).isEqualTo(12.346);
    }

    @Test
    void measuredRate() {
        Measured m = new Measured(1_000, 10, 4.0, new long[] {1_000_000, 2_000_000}, 0, List.of(), 1_200,
                new long[] {250, 250, 250, 250});
        assertThat(m.rate()).isEqualTo(250.0);
        assertThat(m.p50Ms()).isEqualTo(1.0);
        assertThat(m.p99Ms()).isEqualTo(2.0);
    }
}
