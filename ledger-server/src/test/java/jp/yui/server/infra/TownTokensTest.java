package jp.yui.server.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import jp.yui.server.ServerTest;
import org.junit.jupiter.api.Test;

/** Outside demo mode: tokens from the town's OIDC provider (its JWKS, served here by a stand-in) and nothing else. */
class TownTokensTest extends ServerTest {

    private static final RSAKey TOWN_KEY = generate();
    private final int port = freePort();

    @Override
    protected Map<String, String> properties() {
        return Map.of(
                "yui.demo.enabled", "false",
                "micronaut.server.port", Integer.toString(port),
                "yui.security.jwks-url", "http://localhost:" + port + "/town-idp/jwks.json",
                "town-idp.enabled", "true");
    }

    /** The town's identity provider's key set. */
    @Controller("/town-idp")
    @Secured(SecurityRule.IS_ANONYMOUS)
    @Requires(property = "town-idp.enabled", value = "true")
    static class TownIdp {
        @Get("/jwks.json")
        Map<String, Object> jwks() {
            return new JWKSet(TOWN_KEY.toPublicJWK()).toJSONObject(true);
        }
    }

    private static String townToken(JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(TOWN_KEY.getKeyID()).build(), claims);
            jwt.sign(new RSASSASigner(TOWN_KEY));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder().subject("staff-9").claim("roles", List.of(Roles.FINANCE))
                .claim("region_id", 3).expirationTime(Date.from(Instant.now().plusSeconds(300)));
    }

    private int statusOf(HttpRequest<?> request) {
        try {
            return http().exchange(request, String.class).code();
        } catch (HttpClientResponseException e) {
            return e.getResponse().code();
        }
    }

    @Test
    void townTokenIsAccepted() {
        Map<String, Object> caller = http().retrieve(get("/infra-test/caller", townToken(claims().build())),
                Argument.mapOf(String.class, Object.class));

        assertThat(caller).containsEntry("subject", "staff-9").containsEntry("roles", List.of(Roles.FINANCE))
                .containsEntry("regionId", 3);
    }

    @Test
    void demoEndpointsDoNotExist() {
        assertThat(statusOf(HttpRequest.POST("/demo/token", Map.of("subject", "x", "roles", List.of("admin")))))
                .isEqualTo(HttpStatus.NOT_FOUND.getCode());
        assertThat(statusOf(HttpRequest.GET("/demo/jwks.json"))).isEqualTo(HttpStatus.NOT_FOUND.getCode());
    }

    @Test
    void tokenOfAnotherIssuerKeyIsRefused() throws JOSEException {
        RSAKey other = new RSAKeyGenerator(2048).keyID(TOWN_KEY.getKeyID()).generate();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(other.getKeyID()).build(),
                claims().build());
        jwt.sign(new RSASSASigner(other));

        assertThat(statusOf(get("/infra-test/caller", jwt.serialize()))).isEqualTo(HttpStatus.UNAUTHORIZED.getCode());
    }

    @Test
    void unsignedTokenIsRefused() {
        String unsigned = new PlainJWT(claims().build()).serialize();

        assertThat(statusOf(get("/infra-test/caller", unsigned))).isEqualTo(HttpStatus.UNAUTHORIZED.getCode());
    }

    private static RSAKey generate() {
        try {
            return new RSAKeyGenerator(2048).keyID("town-1").keyUse(KeyUse.SIGNATURE).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
