package jp.yui.server.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jp.yui.server.ServerTest;
import jp.yui.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

class ApiKeysTest extends ServerTest {

    @Inject
    ApiKeys apiKeys;

    private int statusWith(String apiKey) {
        try {
            return http().exchange(HttpRequest.GET("/infra-test/caller").header(ApiKeys.HEADER, apiKey), String.class)
                    .code();
        } catch (HttpClientResponseException e) {
            return e.getResponse().code();
        }
    }

    @Test
    void merchantKeyAuthenticatesAsItsMerchant() {
        UUID merchant = UUID.randomUUID();
        ApiKeys.IssuedKey key = apiKeys.issue(5, Roles.MERCHANT, null, merchant, "till 1");

        Map<String, Object> caller = http().retrieve(
                HttpRequest.GET("/infra-test/caller").header(ApiKeys.HEADER, key.apiKey()),
                Argument.mapOf(String.class, Object.class));

        assertThat(caller).containsEntry("subject", key.keyId())
                .containsEntry("roles", List.of(Roles.MERCHANT))
                .containsEntry("regionId", 5)
                .containsEntry("merchantId", merchant.toString())
                .containsEntry("keyId", key.keyId())
                .doesNotContainKeys("programmeId", "residentId");
        assertThat(key.keyId()).matches("yk5_[0-9a-f]{20}");
    }

    @Test
    void integrationKeyCarriesItsProgramme() {
        UUID programme = UUID.randomUUID();
        ApiKeys.IssuedKey key = apiKeys.issue(5, Roles.INTEGRATION, programme, null, "step counter");

        Map<String, Object> caller = http().retrieve(
                HttpRequest.GET("/infra-test/caller").header(ApiKeys.HEADER, key.apiKey()),
                Argument.mapOf(String.class, Object.class));

        assertThat(caller).containsEntry("roles", List.of(Roles.INTEGRATION))
                .containsEntry("programmeId", programme.toString());
    }

    @Test
    void onlyTheSecretsHashIsStored() throws Exception {
        ApiKeys.IssuedKey key = apiKeys.issue(5, Roles.MERCHANT, null, UUID.randomUUID(), "till 2");

        try (Connection c = dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("select * from api_key where region_id = 5 and key_id = ?")) {
            ps.setString(1, key.keyId());
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getBytes("secret_hash")).isEqualTo(MessageDigest.getInstance("SHA-256")
                        .digest(key.secret().getBytes(StandardCharsets.UTF_8)));
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    assertThat(String.valueOf(rs.getObject(i))).doesNotContain(key.secret());
                }
            }
        }
        assertThat(key.toString()).doesNotContain(key.secret());
    }

    @Test
    void wrongSecretIsRefused() {
        ApiKeys.IssuedKey key = apiKeys.issue(5, Roles.MERCHANT, null, UUID.randomUUID(), "till 3");
        String wrong = key.secret().charAt(0) == 'A' ? "B" + key.secret().substring(1) : "A" + key.secret().substring(1);

        assertThat(statusWith(key.keyId() + "." + wrong)).isEqualTo(HttpStatus.UNAUTHORIZED.getCode());
        assertThat(statusWith(key.keyId())).isEqualTo(HttpStatus.UNAUTHORIZED.getCode());
        assertThat(statusWith(key.keyId() + ".")).isEqualTo(HttpStatus.UNAUTHORIZED.getCode());
        assertThat(statusWith("yk6" + key.keyId().substring(3) + "." + key.secret())).isEqualTo(HttpStatus.UNAUTHORIZED.getCode());
        assertThat(statusWith("nonsense")).isEqualTo(HttpStatus.UNAUTHORIZED.getCode());
        assertThat(statusWith(key.apiKey())).isEqualTo(HttpStatus.OK.getCode());
    }

    @Test
    void revokedKeyIsRefused() {
        ApiKeys.IssuedKey key = apiKeys.issue(5, Roles.MERCHANT, null, UUID.randomUUID(), "till 4");
        assertThat(statusWith(key.apiKey())).isEqualTo(HttpStatus.OK.getCode());
        assertThat(apiKeys.isActive(key.keyId())).isTrue();

        assertThat(apiKeys.revoke(5, key.keyId())).isTrue();

        assertThat(statusWith(key.apiKey())).isEqualTo(HttpStatus.UNAUTHORIZED.getCode());
        assertThat(apiKeys.isActive(key.keyId())).as("revoked").isFalse();
        assertThat(apiKeys.isActive("yk6" + key.keyId().substring(3))).as("no such key in region 6").isFalse();
        assertThat(apiKeys.isActive(key.apiKey())).as("a whole key is no key id").isFalse();
        assertThat(apiKeys.revoke(5, key.keyId())).isFalse();
        assertThat(apiKeys.revoke(6, key.keyId())).isFalse();
    }

    @Test
    void keyRevokedByAnotherProcessIsRefusedOnceItsCheckIsOlderThanTheCacheTime() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-22T00:00:00Z"));
        ApiKeys keys = new ApiKeys(dataSource(), clock, Duration.ofSeconds(5));
        ApiKeys.IssuedKey key = keys.issue(5, Roles.MERCHANT, null, UUID.randomUUID(), "till 6");
        assertThat(keys.authenticate(key.apiKey())).isPresent();

        revokeInSql(key.keyId());

        clock.advance(Duration.ofMillis(4_999));
        assertThat(keys.authenticate(key.apiKey())).as("trusted as checked 4.999 s ago").isPresent();
        assertThat(keys.authenticate(key.keyId() + ".wrong-secret")).as("the secret is checked every time").isEmpty();
        clock.advance(Duration.ofMillis(1));
        assertThat(keys.authenticate(key.apiKey())).isEmpty();
    }

    @Test
    void withoutCacheARevocationInSqlIsRefusedAtOnce() throws Exception {
        ApiKeys keys = new ApiKeys(dataSource(), new MutableClock(Instant.parse("2026-11-22T00:00:00Z")), Duration.ZERO);
        ApiKeys.IssuedKey key = keys.issue(5, Roles.MERCHANT, null, UUID.randomUUID(), "till 7");
        assertThat(keys.authenticate(key.apiKey())).isPresent();

        revokeInSql(key.keyId());

        assertThat(keys.authenticate(key.apiKey())).isEmpty();
    }

    private void revokeInSql(String keyId) throws Exception {
        try (Connection c = dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("update api_key set revoked_at = now() where key_id = ?")) {
            ps.setString(1, keyId);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
    }

    @Test
    void keyOfOneRegionCannotActInAnother() {
        ApiKeys.IssuedKey key = apiKeys.issue(5, Roles.MERCHANT, null, UUID.randomUUID(), "till 5");

        var e = org.junit.jupiter.api.Assertions.assertThrows(HttpClientResponseException.class, () -> http().exchange(
                HttpRequest.GET("/infra-test/regions/6").header(ApiKeys.HEADER, key.apiKey())));
        assertThat(e.getResponse().code()).isEqualTo(HttpStatus.FORBIDDEN.getCode());
    }

    @Test
    void issueRefusesKeysThatBreakTheRules() {
        UUID id = UUID.randomUUID();
        assertThatThrownBy(() -> apiKeys.issue(0, Roles.MERCHANT, null, id, "x"))
                .hasMessage("regionId must be > 0: 0");
        assertThatThrownBy(() -> apiKeys.issue(1, Roles.ADMIN, null, null, "x"))
                .hasMessageStartingWith("role of an API key must be one of ").hasMessageEndingWith(": admin");
        assertThatThrownBy(() -> apiKeys.issue(1, Roles.MERCHANT, null, null, "x"))
                .hasMessage("a merchant key needs a merchantId and no programmeId: merchantId=null, programmeId=null");
        assertThatThrownBy(() -> apiKeys.issue(1, Roles.INTEGRATION, null, id, "x"))
                .hasMessage("an integration key has no merchantId: " + id);
        assertThatThrownBy(() -> apiKeys.issue(1, Roles.INTEGRATION, null, null, " "))
                .hasMessage("name must be 1 to 200 characters: \" \"");
    }
}
