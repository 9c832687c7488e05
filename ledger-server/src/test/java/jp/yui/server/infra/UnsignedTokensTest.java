package jp.yui.server.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import jp.yui.server.ServerTest;
import org.junit.jupiter.api.Test;

/** With neither demo mode nor a JWKS, Micronaut Security would take unsigned tokens; the server must not. */
class UnsignedTokensTest extends ServerTest {

    @Override
    protected Map<String, String> properties() {
        return Map.of("yui.demo.enabled", "false");
    }

    @Test
    void unsignedTokenIsRefusedWhenNoKeyIsConfigured() {
        String unsigned = new PlainJWT(new JWTClaimsSet.Builder().subject("mallory")
                .claim("roles", List.of(Roles.ADMIN))
                .expirationTime(Date.from(Instant.now().plusSeconds(600))).build()).serialize();

        var e = assertThrows(HttpClientResponseException.class,
                () -> http().exchange(get("/infra-test/caller", unsigned)));

        assertThat(e.getResponse().code()).isEqualTo(HttpStatus.UNAUTHORIZED.getCode());
    }
}
