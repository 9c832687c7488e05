package jp.yui.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchArgsTest {

    @Test
    void defaultsRunEveryScenarioOnTenThousandAccounts() {
        BenchArgs a = BenchArgs.parse();
        assertThat(a.seconds()).isEqualTo(20);
        assertThat(a.warmupSeconds()).isEqualTo(4);
        assertThat(a.out()).isEqualTo(Path.of("bench-result.json"));
        assertThat(a.accounts()).isEqualTo(10_000);
        assertThat(a.threads()).isEqualTo(16);
        assertThat(a.bulkTotal()).isEqualTo(1_000_000);
        assertThat(a.bulkSubmission()).isEqualTo(1_000);
        assertThat(a.rawBatch()).isEqualTo(100);
        assertThat(a.rawBatchThreads()).isEqualTo(Math.max(2, 2 * Runtime.getRuntime().availableProcessors()));
        assertThat(a.bulkWindow()).isEqualTo(4);
        assertThat(a.scenarios()).isEqualTo(BenchArgs.ALL);
        assertThat(a.help()).isFalse();
        assertThat(a.profileSql()).isFalse();
        assertThat(a.rounds()).isEqualTo(1);
    }

    @Test
    void roundsRepeatTheClosedLoopScenariosButNotTheirProfile() {
        assertThat(BenchArgs.parse("--rounds", "3").rounds()).isEqualTo(3);
        assertThat(BenchArgs.CLOSED_LOOP).containsExactly("raw-single", "single-uniform", "raw-hot", "single-hot");
        assertThatThrownBy(() -> BenchArgs.parse("--rounds", "0")).hasMessage("--rounds must be > 0: 0");
        assertThatThrownBy(() -> BenchArgs.parse("--rounds", "2", "--profile-sql"))
                .hasMessage("--profile-sql profiles one run of each scenario: use it without --rounds");
        assertThat(BenchArgs.parse("--rounds", "1", "--profile-sql").profileSql()).isTrue();
    }

    @Test
    void readsBothOptionForms() {
        BenchArgs a = BenchArgs.parse("--seconds", "5", "--out=/tmp/x.json", "--accounts", "1_000", "--threads=4",
                "--bulk-total", "50000", "--warmup", "0", "--raw-batch-threads", "3", "--profile-sql");
        assertThat(a.seconds()).isEqualTo(5);
        assertThat(a.out()).isEqualTo(Path.of("/tmp/x.json"));
        assertThat(a.accounts()).isEqualTo(1_000);
        assertThat(a.threads()).isEqualTo(4);
        assertThat(a.bulkTotal()).isEqualTo(50_000);
        assertThat(a.warmupSeconds()).isZero();
        assertThat(a.rawBatchThreads()).isEqualTo(3);
        assertThat(a.profileSql()).isTrue();
    }

    @Test
    void httpCpmOptions() {
        BenchArgs d = BenchArgs.parse();
        assertThat(d.serverJar()).isEqualTo(Path.of("ledger-server", "target", "ledger-server.jar"));
        assertThat(d.serverJvm()).containsExactly("-Xmx512m");
        assertThat(d.tills()).isEqualTo(64);
        assertThat(d.residents()).isEqualTo(1_000);
        assertThat(d.openLoopRate()).isEqualTo(1_000);
        BenchArgs a = BenchArgs.parse("--server-jar", "/opt/s.jar", "--server-jvm", "-Xmx1g  -XX:+UseZGC", "--tills", "16",
                "--residents", "50", "--open-loop-rate=500");
        assertThat(a.serverJar()).isEqualTo(Path.of("/opt/s.jar"));
        assertThat(a.serverJvm()).containsExactly("-Xmx1g", "-XX:+UseZGC");
        assertThat(a.tills()).isEqualTo(16);
        assertThat(a.residents()).isEqualTo(50);
        assertThat(a.openLoopRate()).isEqualTo(500);
        assertThatThrownBy(() -> BenchArgs.parse("--tills", "10"))
                .hasMessage("--tills must be a multiple of 8 (8 tills per shop): 10");
    }

    @Test
    void warmupFollowsSecondsUnlessGiven() {
        assertThat(BenchArgs.parse("--seconds", "5").warmupSeconds()).isEqualTo(1);
        assertThat(BenchArgs.parse("--seconds", "3").warmupSeconds()).isEqualTo(1);
        assertThat(BenchArgs.parse("--seconds", "60").warmupSeconds()).isEqualTo(12);
    }

    @Test
    void onlyKeepsTheRunningOrder() {
        assertThat(BenchArgs.parse("--only", "bulk, raw-batch").scenarios()).isEqualTo(List.of("raw-batch", "bulk"));
        assertThat(BenchArgs.parse("--only", "single-hot").runs("raw-hot")).isFalse();
    }

    @Test
    void refusesWhatItDoesNotKnowAndSaysWhat() {
        assertThatThrownBy(() -> BenchArgs.parse("--secs", "5")).hasMessage("unknown option: --secs");
        assertThatThrownBy(() -> BenchArgs.parse("--bogus")).hasMessage("unknown option: --bogus");
        assertThatThrownBy(() -> BenchArgs.parse("--secs=5")).hasMessage("unknown option: --secs");
        assertThatThrownBy(() -> BenchArgs.parse("--seconds")).hasMessage("--seconds needs a value");
        assertThatThrownBy(() -> BenchArgs.parse("--seconds", "five")).hasMessage("--seconds needs a whole number: five");
        assertThatThrownBy(() -> BenchArgs.parse("--seconds", "0")).hasMessage("--seconds must be > 0: 0");
        assertThatThrownBy(() -> BenchArgs.parse("--accounts", "1")).hasMessage("--accounts must be at least 2: 1");
        assertThatThrownBy(() -> BenchArgs.parse("--only", "http-pay")).hasMessageStartingWith("unknown scenario in --only: http-pay");
        assertThatThrownBy(() -> BenchArgs.parse("5")).hasMessage("unexpected argument: 5");
        assertThatThrownBy(() -> BenchArgs.parse("--threads", "99999999999")).hasMessage("--threads is out of range: 99999999999");
    }

    @Test
    void postgresSettingsKeepCommitsDurable() {
        BenchArgs a = BenchArgs.parse("--pg", "shared_buffers=1GB", "--pg=wal_buffers = 16MB");
        assertThat(a.pgSettings()).containsExactly(java.util.Map.entry("shared_buffers", "1GB"),
                java.util.Map.entry("wal_buffers", "16MB"));
        assertThat(BenchArgs.parse().pgSettings()).isEmpty();
        assertThatThrownBy(() -> BenchArgs.parse("--pg", "fsync=off")).hasMessageStartingWith("--pg may not change fsync");
        assertThatThrownBy(() -> BenchArgs.parse("--pg", "synchronous_commit=off"))
                .hasMessageStartingWith("--pg may not change synchronous_commit");
        assertThatThrownBy(() -> BenchArgs.parse("--pg", "shared_buffers")).hasMessage("--pg needs NAME=VALUE: shared_buffers");
    }

    @Test
    void helpIsNoError() {
        assertThat(BenchArgs.parse("--help").help()).isTrue();
        assertThat(BenchArgs.USAGE).contains("--seconds N", "--out FILE", BenchDatabase.URL);
    }
}
