package jp.yui.server.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jp.yui.server.ServerTest;
import org.junit.jupiter.api.Test;

class RateLimitTest extends ServerTest {

    @Inject
    ApiKeys apiKeys;

    @Override
    protected Map<String, String> properties() {
        // One request per 100 s after a burst of 3: the fourth in a row is always too many.
        return Map.of("yui.security.api-key-rate-per-second", "0.01", "yui.security.api-key-burst", "3");
    }

    private HttpRequest<?> call(ApiKeys.IssuedKey key) {
        return HttpRequest.GET("/infra-test/caller").header(ApiKeys.HEADER, key.apiKey());
    }

    @Test
    void keyOverItsRateIsTooManyRequests() {
        ApiKeys.IssuedKey key = apiKeys.issue(1, Roles.MERCHANT, null, UUID.randomUUID(), "busy till");
        ApiKeys.IssuedKey other = apiKeys.issue(1, Roles.MERCHANT, null, UUID.randomUUID(), "quiet till");
        for (int i = 0; i < 3; i++) {
            assertThat(http().exchange(call(key)).code()).isEqualTo(HttpStatus.OK.getCode());
        }

        var e = assertThrows(HttpClientResponseException.class, () -> http().exchange(call(key)));

        assertThat(e.getResponse().code()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS.getCode());
        assertThat(problem(e).type()).isEqualTo(ProblemTypes.RATE_LIMITED);
        long retryAfter = Long.parseLong(e.getResponse().getHeaders().get(HttpHeaders.RETRY_AFTER));
        assertThat(retryAfter).isBetween(90L, 100L);
        assertThat(http().exchange(call(other)).code()).isEqualTo(HttpStatus.OK.getCode());
    }

    @Test
    void bearerTokensAreNotRateLimited() {
        String token = token("o", List.of(Roles.PROGRAMME_OFFICER), 1L, null);
        for (int i = 0; i < 6; i++) {
            assertThat(http().exchange(get("/infra-test/caller", token)).code()).isEqualTo(HttpStatus.OK.getCode());
        }
    }
}
