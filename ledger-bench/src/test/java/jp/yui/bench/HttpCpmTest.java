package jp.yui.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HttpCpmTest {

    @Test
    void heapInUseIsTheSumOfTheHeapPoolsOnThePrometheusPage() {
        String page = String.join("\n",
                "# HELP jvm_memory_used_bytes The amount of used memory",
                "# TYPE jvm_memory_used_bytes gauge",
                "jvm_memory_used_bytes{area=\"heap\",id=\"G1 Eden Space\"} 1.048576E7",
                "jvm_memory_used_bytes{area=\"nonheap\",id=\"Metaspace\"} 9.9E7",
                "jvm_memory_used_bytes{area=\"heap\",id=\"G1 Old Gen\",} 2.097152E7",
                "jvm_memory_max_bytes{area=\"heap\",id=\"G1 Old Gen\"} 5.36870912E8");
        assertThat(HttpCpm.heapMb(page)).isEqualTo(30.0);
        assertThat(HttpCpm.heapMb("# nothing here\n")).isNull();
    }
}
