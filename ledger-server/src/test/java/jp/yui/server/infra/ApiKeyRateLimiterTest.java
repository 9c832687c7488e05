package jp.yui.server.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ApiKeyRateLimiterTest {

    /** A clock tests move by hand. */
    static final class TestClock extends Clock {
        private Instant now = Instant.parse("2026-04-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final TestClock clock = new TestClock();
    private final ApiKeyRateLimiter limiter = new ApiKeyRateLimiter(
            new SecuritySettings(null, 2, 4, Duration.ofSeconds(5)), clock);

    @Test
    void burstThenRate() {
        for (int i = 0; i < 4; i++) {
            assertThat(limiter.acquire("k")).isZero();
        }
        assertThat(limiter.acquire("k")).isEqualTo(1);

        clock.advance(Duration.ofMillis(500)); // one token at 2 a second
        assertThat(limiter.acquire("k")).isZero();
        assertThat(limiter.acquire("k")).isEqualTo(1);

        clock.advance(Duration.ofHours(1)); // refills up to the burst, no further
        for (int i = 0; i < 4; i++) {
            assertThat(limiter.acquire("k")).isZero();
        }
        assertThat(limiter.acquire("k")).isEqualTo(1);
    }

    @Test
    void keysHaveBucketsOfTheirOwn() {
        for (int i = 0; i < 4; i++) {
            limiter.acquire("a");
        }
        assertThat(limiter.acquire("a")).isEqualTo(1);
        assertThat(limiter.acquire("b")).isZero();
    }

    @Test
    void retryAfterCoversTheWaitForOneToken() {
        ApiKeyRateLimiter slow = new ApiKeyRateLimiter(new SecuritySettings(null, 0.1, 1, Duration.ofSeconds(5)), clock);
        assertThat(slow.acquire("k")).isZero();
        assertThat(slow.acquire("k")).isEqualTo(10);
        clock.advance(Duration.ofSeconds(4));
        assertThat(slow.acquire("k")).isEqualTo(6);
    }

    @Test
    void settingsRefuseNonsense() {
        assertThatThrownBy(() -> new SecuritySettings(null, 0, 1, Duration.ofSeconds(5)))
                .hasMessage("yui.security.api-key-rate-per-second must be > 0: 0.0");
        assertThatThrownBy(() -> new SecuritySettings(null, 1, 0, Duration.ofSeconds(5)))
                .hasMessage("yui.security.api-key-burst must be >= 1: 0");
        assertThatThrownBy(() -> new SecuritySettings(null, 1, 1, Duration.ofSeconds(-1)))
                .hasMessage("yui.security.api-key-cache must be >= 0: PT-1S");
    }
}
