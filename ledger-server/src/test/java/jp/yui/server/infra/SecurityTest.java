package jp.yui.server.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.jdbc.JdbcIndicator;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jp.yui.server.ServerTest;
import org.junit.jupiter.api.Test;

class SecurityTest extends ServerTest {

    @Inject
    DemoKeys demoKeys;

    private Map<String, Object> caller(String token) {
        return http().retrieve(get("/infra-test/caller", token), Argument.mapOf(String.class, Object.class));
    }

    private int statusOf(HttpRequest<?> request) {
        try {
            return http().exchange(request, String.class).code();
        } catch (HttpClientResponseException e) {
            return e.getResponse().code();
        }
    }

    private static JWTClaimsSet.Builder claims(Instant expiry) {
        return new JWTClaimsSet.Builder().subject("mallory").claim("roles", List.of(Roles.ADMIN))
                .expirationTime(expiry == null ? null : Date.from(expiry));
    }

    @Test
    void healthIsPublicAndChecksTheDatabaseWithoutTellingDetails() {
        HttpResponse<String> response = http().exchange(HttpRequest.GET("/health"), String.class);

        assertThat(response.code()).isEqualTo(HttpStatus.OK.getCode());
        assertThat(response.body()).isEqualTo("{\"status\":\"UP\"}");
        String asAdmin = http().retrieve(get("/health", token("admin", List.of(Roles.ADMIN), null, null)));
        assertThat(asAdmin).isEqualTo("{\"status\":\"UP\"}");
        assertThat(applicationContext.getBeansOfType(HealthIndicator.class))
                .anySatisfy(indicator -> assertThat(indicator).isInstanceOf(JdbcIndicator.class));
    }

    @Test
    void prometheusIsPublic() {
        HttpResponse<String> response = http().exchange(HttpRequest.GET("/prometheus"), String.class);

        assertThat(response.code()).isEqualTo(HttpStatus.OK.getCode());
        assertThat(response.body()).contains("jvm_memory_used_bytes").contains("hikaricp_connections");
    }

    @Test
    void openApiDocumentIsPublic() {
        HttpResponse<String> response = http().exchange(HttpRequest.GET("/openapi.yml"), String.class);

        assertThat(response.code()).isEqualTo(HttpStatus.OK.getCode());
        assertThat(response.getContentType().map(MediaType::toString)).hasValue("application/yaml");
        assertThat(response.body()).startsWith("openapi: 3").contains("title: Yui ledger server")
                .contains("/demo/token").doesNotContain("/infra-test");
    }

    @Test
    void swaggerUiIsPublic() {
        HttpResponse<String> redirect = http().exchange(HttpRequest.GET("/swagger-ui"), String.class);
        assertThat(redirect.code()).isEqualTo(HttpStatus.OK.getCode()); // the client follows the redirect

        HttpResponse<String> page = http().exchange(HttpRequest.GET("/swagger-ui/index.html"), String.class);
        assertThat(page.body()).contains("/openapi.yml");
        assertThat(statusOf(HttpRequest.GET("/swagger-ui/res/swagger-ui-bundle.js"))).isEqualTo(HttpStatus.OK.getCode());
    }

    @Test
    void otherManagementEndpointsDoNotExist() {
        String admin = token("admin", List.of(Roles.ADMIN), null, null);

        assertThat(statusOf(get("/beans", admin))).isEqualTo(HttpStatus.NOT_FOUND.getCode());
        assertThat(statusOf(get("/env", admin))).isEqualTo(HttpStatus.NOT_FOUND.getCode());
        assertThat(statusOf(get("/loggers", admin))).isEqualTo(HttpStatus.NOT_FOUND.getCode());
    }

    @Test
    void protectedRouteNeedsAToken() {
        var e = assertThrows(HttpClientResponseException.class,
                () -> http().exchange(HttpRequest.GET("/infra-test/caller")));

        assertThat(e.getResponse().code()).isEqualTo(HttpStatus.UNAUTHORIZED.getCode());
        assertThat(e.getResponse().getContentType()).hasValue(MediaType.APPLICATION_JSON_PROBLEM_TYPE);
        assertThat(problem(e).type()).isEqualTo(ProblemTypes.UNAUTHORIZED);
        assertThat(e.getResponse().getHeaders().get(HttpHeaders.WWW_AUTHENTICATE)).startsWith("Bearer");
    }

    @Test
    void demoTokenCarriesItsClaims() {
        UUID resident = UUID.randomUUID();

        Map<String, Object> caller = caller(token("r-42", List.of(Roles.RESIDENT), 7L, resident));

        assertThat(caller).containsEntry("subject", "r-42")
                .containsEntry("roles", List.of(Roles.RESIDENT))
                .containsEntry("regionId", 7)
                .containsEntry("residentId", resident.toString())
                .doesNotContainKeys("programmeId", "merchantId", "keyId");
    }

    @Test
    void demoTokenResponseIsOAuthShaped() {
        Map<String, Object> response = http().retrieve(HttpRequest.POST("/demo/token",
                        Map.of("subject", "f", "roles", List.of(Roles.FINANCE), "regionId", 1, "ttlSeconds", 60)),
                Argument.mapOf(String.class, Object.class));

        assertThat(response).containsEntry("token_type", "Bearer").containsEntry("expires_in", 60)
                .containsKey("access_token");
    }

    @Test
    void demoTokenRequestIsValidated() {
        var e = assertThrows(HttpClientResponseException.class, () -> http().exchange(HttpRequest.POST("/demo/token",
                Map.of("subject", "x", "roles", List.of("king"), "ttlSeconds", 86_401))));

        assertThat(e.getResponse().code()).isEqualTo(HttpStatus.BAD_REQUEST.getCode());
        Problem p = problem(e);
        assertThat(p.type()).isEqualTo(ProblemTypes.VALIDATION);
        assertThat(p.errors()).extracting(Problem.FieldError::field).containsExactly("roles[0]", "ttlSeconds");
    }

    @Test
    void demoKeySetIsPublished() {
        Map<String, Object> jwks = http().retrieve(HttpRequest.GET("/demo/jwks.json"),
                Argument.mapOf(String.class, Object.class));

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> keys = (List<Map<String, Object>>) jwks.get("keys");
        assertThat(keys).singleElement().satisfies(key -> assertThat(key)
                .containsEntry("kty", "RSA").containsEntry("alg", "RS256").containsKeys("kid", "n", "e")
                .doesNotContainKeys("d", "p", "q", "dp", "dq", "qi"));
    }

    @Test
    void callerOfAnotherRegionIsForbidden() {
        String officer = token("o-1", List.of(Roles.PROGRAMME_OFFICER), 1L, null);

        assertThat(statusOf(get("/infra-test/regions/1", officer))).isEqualTo(HttpStatus.OK.getCode());
        var e = assertThrows(HttpClientResponseException.class,
                () -> http().exchange(get("/infra-test/regions/2", officer)));
        assertThat(e.getResponse().code()).isEqualTo(HttpStatus.FORBIDDEN.getCode());
        assertThat(problem(e).type()).isEqualTo(ProblemTypes.FORBIDDEN);
        assertThat(problem(e).detail()).isEqualTo("the caller does not belong to region 2");
    }

    @Test
    void platformAdminMayActInEveryRegion() {
        String admin = token("root", List.of(Roles.ADMIN), null, null);
        String townAdmin = token("town", List.of(Roles.ADMIN), 1L, null);

        assertThat(statusOf(get("/infra-test/regions/2", admin))).isEqualTo(HttpStatus.OK.getCode());
        assertThat(statusOf(get("/infra-test/regions/2", townAdmin))).isEqualTo(HttpStatus.FORBIDDEN.getCode());
    }

    @Test
    void tokenSignedByAnotherKeyIsRefused() throws Exception {
        RSAKey forger = new RSAKeyGenerator(2048).keyID("forger").generate();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("forger").build(),
                claims(Instant.now().plusSeconds(600)).build());
        jwt.sign(new RSASSASigner(forger));

        assertThat(statusOf(get("/infra-test/caller", jwt.serialize()))).isEqualTo(HttpStatus.UNAUTHORIZED.getCode());
    }

    @Test
    void expiredTokenIsRefused() {
        String expired = demoKeys.sign(claims(Instant.now().minusSeconds(5)).build());
        String fresh = demoKeys.sign(claims(Instant.now().plusSeconds(600)).build());

        assertThat(statusOf(get("/infra-test/caller", expired))).isEqualTo(HttpStatus.UNAUTHORIZED.getCode());
        assertThat(statusOf(get("/infra-test/caller", fresh))).isEqualTo(HttpStatus.OK.getCode());
    }

    @Test
    void tokenWithoutExpiryIsRefused() {
        String forever = demoKeys.sign(claims(null).build());

        assertThat(statusOf(get("/infra-test/caller", forever))).isEqualTo(HttpStatus.UNAUTHORIZED.getCode());
    }

    @Test
    void unsignedTokenIsRefused() {
        String unsigned = new PlainJWT(claims(Instant.now().plusSeconds(600)).build()).serialize();

        assertThat(statusOf(get("/infra-test/caller", unsigned))).isEqualTo(HttpStatus.UNAUTHORIZED.getCode());
    }

    @Test
    void tamperedTokenIsRefused() {
        String token = token("r-1", List.of(Roles.RESIDENT), 1L, UUID.randomUUID());
        String[] parts = token.split("\\.");
        String payload = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"sub\":\"r-1\",\"roles\":[\"admin\"],\"exp\":4102444800}".getBytes(
                        java.nio.charset.StandardCharsets.UTF_8));

        assertThat(statusOf(get("/infra-test/caller", parts[0] + "." + payload + "." + parts[2])))
                .isEqualTo(HttpStatus.UNAUTHORIZED.getCode());
    }

    @Test
    void malformedClaimIsUnauthorized() {
        String token = demoKeys.sign(claims(Instant.now().plusSeconds(600)).claim("resident_id", "not-a-uuid").build());

        var e = assertThrows(HttpClientResponseException.class,
                () -> http().exchange(get("/infra-test/caller", token)));
        assertThat(e.getResponse().code()).isEqualTo(HttpStatus.UNAUTHORIZED.getCode());
        assertThat(problem(e).detail()).isEqualTo("claim resident_id is malformed: not-a-uuid");
    }
}
