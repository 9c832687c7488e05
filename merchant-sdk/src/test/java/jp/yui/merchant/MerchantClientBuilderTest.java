package jp.yui.merchant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MerchantClientBuilderTest {

    private static final URI BASE = URI.create("https://pay.miyaki.example/api/");
    private static final String SHAPE = "apiKey must look like yk<regionId>_<20 hex digits>.<secret>";

    private static MerchantClient.Builder valid() {
        return MerchantClient.builder().baseUri(BASE).apiKey(Fixtures.API_KEY);
    }

    @Test
    void theRegionIsReadFromTheApiKey() {
        try (MerchantClient client = valid().apiKey("yk1234567_0123456789abcdef0123.secret").build()) {
            assertThat(client.regionId()).isEqualTo(1_234_567);
            assertThat(client.toString()).isEqualTo("MerchantClient[https://pay.miyaki.example/api, region 1234567,"
                    + " key yk1234567_0123456789abcdef0123]");
        }
    }

    @Test
    void baseUriAndApiKeyAreRequired() {
        assertThatThrownBy(() -> MerchantClient.builder().apiKey(Fixtures.API_KEY).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("baseUri is required: MerchantClient.builder().baseUri(…)");
        assertThatThrownBy(() -> MerchantClient.builder().baseUri(BASE).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("apiKey is required: MerchantClient.builder().apiKey(…)");
    }

    @Test
    void aMalformedApiKeyIsRefusedWithoutQuotingItsSecret() {
        assertRefusedKey("no-dot-at-all", SHAPE + ", but has no '.'");
        assertRefusedKey("yk7_0123.secret-stays-hidden", SHAPE + ", but its id before the '.' is 'yk7_0123'");
        assertRefusedKey("yk0_0123456789abcdef0123.s",
                SHAPE + ", but its id before the '.' is 'yk0_0123456789abcdef0123'");
        assertRefusedKey("yk7_0123456789ABCDEF0123.s",
                SHAPE + ", but its id before the '.' is 'yk7_0123456789ABCDEF0123'");
        assertRefusedKey("yk7_0123456789abcdef0123.", SHAPE + ", but its secret after the '.' is empty");
        assertRefusedKey("yk7_0123456789abcdef0123.two words",
                SHAPE + ", but its secret after the '.' is not all visible ASCII");
        assertRefusedKey("yk9999999999999999999_0123456789abcdef0123.s",
                SHAPE + ", but its region id 9999999999999999999 does not fit a long");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://pay.miyaki.example", "http://192.168.1.10:8080"})
    void plainHttpIsRefusedExceptToALoopbackAddress(String uri) {
        assertThatThrownBy(() -> valid().baseUri(URI.create(uri)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("baseUri must be https (plain http only to a loopback address, for development): " + uri);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "http://localhost:8080", "http://127.0.0.1:8080", "http://[::1]:8080", "https://pay.example"})
    void httpsAndLoopbackHttpAreAccepted(String uri) {
        try (MerchantClient client = valid().baseUri(URI.create(uri)).build()) {
            assertThat(client.toString()).startsWith("MerchantClient[" + uri + ",");
        }
    }

    @Test
    void aBaseUriMustBeAnAbsoluteHttpUriWithoutQuery() {
        assertThatThrownBy(() -> valid().baseUri(URI.create("/api")).build())
                .hasMessage("baseUri must be an absolute http(s) URI with a host: /api");
        assertThatThrownBy(() -> valid().baseUri(URI.create("ftp://pay.example")).build())
                .hasMessage("baseUri must be an absolute http(s) URI with a host: ftp://pay.example");
        assertThatThrownBy(() -> valid().baseUri(URI.create("https://pay.example/?x=1")).build())
                .hasMessage("baseUri must have no user info, query or fragment: https://pay.example/?x=1");
    }

    @Test
    void timeoutsAttemptsAndBackoffMustMakeSense() {
        assertThatThrownBy(() -> valid().connectTimeout(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("connectTimeout must be > 0: PT0S");
        assertThatThrownBy(() -> valid().requestTimeout(Duration.ofSeconds(-1)).build())
                .hasMessage("requestTimeout must be > 0: PT-1S");
        assertThatThrownBy(() -> valid().maxAttempts(0).build()).hasMessage("maxAttempts must be 1 to 10: 0");
        assertThatThrownBy(() -> valid().maxAttempts(11).build()).hasMessage("maxAttempts must be 1 to 10: 11");
        assertThatThrownBy(() -> valid().backoff(Duration.ZERO, Duration.ofSeconds(1)).build())
                .hasMessage("backoff initial must be > 0: PT0S");
        assertThatThrownBy(() -> valid().backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)).build())
                .hasMessage("backoff max must be from initial (PT2S) to PT10M: PT1S");
        assertThatThrownBy(() -> valid().backoff(Duration.ofSeconds(1), Duration.ofMinutes(11)).build())
                .hasMessage("backoff max must be from initial (PT1S) to PT10M: PT11M");
        assertThatThrownBy(() -> valid().clock(null)).isInstanceOf(NullPointerException.class).hasMessage("clock");
    }

    private static void assertRefusedKey(String apiKey, String message) {
        assertThatThrownBy(() -> valid().apiKey(apiKey).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }
}
