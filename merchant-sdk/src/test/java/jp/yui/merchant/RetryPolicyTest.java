package jp.yui.merchant;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private static RetryPolicy policy(int maxAttempts, double jitter) {
        return new RetryPolicy(maxAttempts, Duration.ofMillis(100), Duration.ofSeconds(5), () -> jitter);
    }

    @Test
    void theCapDoublesFromInitialToMax() {
        RetryPolicy almostWhole = policy(10, 0.999_999);

        assertThat(almostWhole.backoff(1)).isBetween(Duration.ofMillis(99), Duration.ofMillis(100));
        assertThat(almostWhole.backoff(2)).isBetween(Duration.ofMillis(199), Duration.ofMillis(200));
        assertThat(almostWhole.backoff(6)).isBetween(Duration.ofMillis(3199), Duration.ofMillis(3200));
        assertThat(almostWhole.backoff(7)).isBetween(Duration.ofMillis(4999), Duration.ofMillis(5000));
    }

    @Test
    void manyFailuresDoNotOverflowTheCap() {
        assertThat(policy(100, 0.5).backoff(64)).isEqualTo(Duration.ofMillis(2500));
        assertThat(policy(100, 0.5).backoff(99)).isEqualTo(Duration.ofMillis(2500));
    }

    @Test
    void fullJitterMayWaitNothing() {
        assertThat(policy(3, 0).backoff(2)).isZero();
    }

    @Test
    void thereIsNoDelayAfterTheLastAttempt() {
        assertThat(policy(3, 0.5).nextDelay(2, null)).isEqualTo(Duration.ofMillis(100));
        assertThat(policy(3, 0.5).nextDelay(3, null)).isNull();
        assertThat(policy(1, 0.5).nextDelay(1, Duration.ZERO)).isNull();
    }

    @Test
    void retryAfterIsTheLeastWaitWithTheJitteredBackoffOnTop() {
        assertThat(policy(3, 0.5).nextDelay(1, Duration.ofSeconds(1))).isEqualTo(Duration.ofMillis(1_050));
        assertThat(policy(3, 0.5).nextDelay(2, Duration.ofSeconds(1))).isEqualTo(Duration.ofMillis(1_100));
        assertThat(policy(3, 0).nextDelay(1, Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy(3, 0).nextDelay(1, Duration.ZERO)).isZero();
    }

    @Test
    void aRetryAfterLongerThanTheMaximumBackoffEndsTheRetries() {
        assertThat(policy(3, 0.5).nextDelay(1, Duration.ofSeconds(5))).isEqualTo(Duration.ofMillis(5_050));
        assertThat(policy(3, 0.5).nextDelay(1, Duration.ofMillis(5001))).isNull();
    }
}
