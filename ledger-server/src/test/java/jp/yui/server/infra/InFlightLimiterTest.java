package jp.yui.server.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.runtime.server.EmbeddedServer;
import java.util.Map;
import jp.yui.testsupport.TestDatabase;
import org.junit.jupiter.api.Test;

class InFlightLimiterTest {

    private static InFlightLimiter limiter(int max) {
        return new InFlightLimiter(new ServerSettings(max), null);
    }

    @Test
    void pastTheLimitARequestIsRefusedAndCountedUntilAPlaceIsGivenBack() {
        InFlightLimiter limiter = limiter(2);
        InFlightLimiter.Permit first = limiter.tryAcquire();
        InFlightLimiter.Permit second = limiter.tryAcquire();

        assertThat(first).isNotNull();
        assertThat(second).isNotNull();
        assertThat(limiter.tryAcquire()).isNull();
        assertThat(limiter.tryAcquire()).isNull();
        assertThat(limiter.inFlight()).isEqualTo(2);
        assertThat(limiter.refused()).isEqualTo(2);

        first.release();
        assertThat(limiter.tryAcquire()).isNotNull();
        assertThat(limiter.inFlight()).isEqualTo(2);
    }

    @Test
    void aPlaceIsGivenBackOnceHoweverOftenItIsReleased() {
        InFlightLimiter limiter = limiter(2);
        InFlightLimiter.Permit permit = limiter.tryAcquire();
        InFlightLimiter.Permit other = limiter.tryAcquire();

        permit.release();
        permit.release();
        permit.release();

        assertThat(limiter.inFlight()).isEqualTo(1);
        other.release();
        assertThat(limiter.inFlight()).isZero();
    }

    @Test
    void zeroMeansNoLimitButRequestsAreStillCounted() {
        InFlightLimiter limiter = limiter(0);
        for (int i = 0; i < 1_000; i++) {
            assertThat(limiter.tryAcquire()).isNotNull();
        }
        assertThat(limiter.inFlight()).isEqualTo(1_000);
        assertThat(limiter.refused()).isZero();
    }

    @Test
    void theMetersShowWhatIsInFlightAndWhatWasRefused() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        InFlightLimiter limiter = new InFlightLimiter(new ServerSettings(1), meters);

        limiter.tryAcquire();
        limiter.tryAcquire();
        limiter.tryAcquire();

        assertThat(meters.get(InFlightLimiter.IN_FLIGHT).gauge().value()).isEqualTo(1.0);
        assertThat(meters.get(InFlightLimiter.REFUSED).functionCounter().count()).isEqualTo(2.0);
    }

    @Test
    void aNegativeLimitIsRefusedWithWhatWasWrong() {
        assertThatThrownBy(() -> new ServerSettings(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("yui.server.max-in-flight must be >= 0 (0: no limit): -1");
    }

    @Test
    void aNegativeLimitStopsTheServerAtStart() {
        try (TestDatabase database = TestDatabase.create(ServerSchema.class)) {
            assertThatThrownBy(() -> ApplicationContext.builder()
                    .environments("test")
                    .properties(Map.of(
                            "datasources.default.url", database.jdbcUrl(),
                            "datasources.default.username", database.user(),
                            "datasources.default.password", database.password(),
                            "micronaut.server.port", "-1",
                            "yui.server.max-in-flight", "-5"))
                    .run(EmbeddedServer.class).close())
                    .hasRootCauseInstanceOf(IllegalArgumentException.class)
                    .hasRootCauseMessage("yui.server.max-in-flight must be >= 0 (0: no limit): -5");
        }
    }

    @Test
    void onlyMonitoringAndFilesFromMemoryAreExempt() {
        assertThat(InFlightLimitFilter.exempt(HttpRequest.GET("/health"))).isTrue();
        assertThat(InFlightLimitFilter.exempt(HttpRequest.GET("/health/readiness"))).isTrue();
        assertThat(InFlightLimitFilter.exempt(HttpRequest.HEAD("/prometheus"))).isTrue();
        assertThat(InFlightLimitFilter.exempt(HttpRequest.GET("/openapi.yml"))).isTrue();
        assertThat(InFlightLimitFilter.exempt(HttpRequest.GET("/swagger-ui/index.html"))).isTrue();
        assertThat(InFlightLimitFilter.exempt(HttpRequest.GET("/app/assets/yui.css"))).isTrue();

        assertThat(InFlightLimitFilter.exempt(HttpRequest.POST("/health", ""))).isFalse();
        assertThat(InFlightLimitFilter.exempt(HttpRequest.GET("/healthy"))).isFalse();
        assertThat(InFlightLimitFilter.exempt(HttpRequest.GET("/app/shop"))).isFalse();
        assertThat(InFlightLimitFilter.exempt(HttpRequest.GET("/regions/1/payments"))).isFalse();
    }
}
