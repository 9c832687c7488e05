package jp.yui.server.infra;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.nimbusds.jwt.JWTClaimsSet;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Demo mode's token endpoint and key set, standing in for the town's OIDC provider. Anyone who can reach the
 * server can mint any token here, so it exists only with {@code yui.demo.enabled=true}; otherwise these routes
 * answer 404.
 */
@Controller("/demo")
@Secured(SecurityRule.IS_ANONYMOUS)
@Requires(property = "yui.demo.enabled", value = "true")
@Tag(name = "demo", description = "Demo mode only (YUI_DEMO_ENABLED=true): local tokens")
class DemoController {

    private static final long DEFAULT_TTL_SECONDS = 3_600;

    private final DemoKeys keys;
    // Token times are real time: Micronaut Security checks exp against the system clock, not the server's Clock.
    private final Clock clock = Clock.systemUTC();

    DemoController(DemoKeys keys) {
        this.keys = keys;
    }

    /** The public key that verifies demo tokens, as a JSON Web Key Set. */
    @Get(uri = "/jwks.json", produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "The demo token key set (JWKS)", security = {})
    Map<String, Object> jwks() {
        return keys.publicJwks();
    }

    /** Issues a bearer token with the given claims, signed with the demo key. */
    @Post(uri = "/token", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    @Operation(summary = "Issue a demo bearer token", security = {})
    TokenResponse token(@Valid @Body TokenRequest request) {
        Instant now = clock.instant();
        long ttl = request.ttlSeconds() == null ? DEFAULT_TTL_SECONDS : request.ttlSeconds();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(DemoKeys.ISSUER)
                .subject(request.subject())
                .jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(ttl)))
                .claim("roles", List.copyOf(request.roles()));
        if (request.regionId() != null) {
            claims.claim(Caller.REGION_ID, request.regionId());
        }
        if (request.residentId() != null) {
            claims.claim(Caller.RESIDENT_ID, request.residentId().toString());
        }
        return new TokenResponse(keys.sign(claims.build()), "Bearer", ttl);
    }

    /**
     * What the demo token says.
     *
     * @param subject    the {@code sub} claim
     * @param roles      the {@code roles} claim, each one of {@link Roles#ALL}
     * @param regionId   the {@code region_id} claim; omit for a platform-wide admin
     * @param residentId the {@code resident_id} claim, for residents
     * @param ttlSeconds lifetime, 1 to 86400 seconds; default 3600
     */
    @Serdeable
    record TokenRequest(
            @NotBlank @Size(max = 200) String subject,
            @NotEmpty List<@NotNull @Pattern(regexp = ROLE_PATTERN, message = "must be one of " + ROLE_PATTERN)
                    String> roles,
            @Nullable @Positive Long regionId,
            @Nullable UUID residentId,
            @Nullable @Min(1) @Max(86_400) Long ttlSeconds) {

        static final String ROLE_PATTERN =
                "admin|programme-officer|finance|cashier|merchant|resident|integration";
    }

    /** An OAuth 2.0 style token response. */
    @Serdeable
    record TokenResponse(
            @JsonProperty("access_token") String accessToken,
            @JsonProperty("token_type") String tokenType,
            @JsonProperty("expires_in") long expiresIn) {
    }
}
