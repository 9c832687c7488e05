package jp.yui.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nimbusds.jwt.JWTClaimsSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The town-account sign-in's parts that need no server: its settings, the ID token's claim checks, PKCE, discovery. */
class OidcPartsTest {

    private static final String ISSUER = "https://id.town.example/realms/miyaki";
    private static final String CLIENT = "yui-pages";
    private static final String NONCE = "n".repeat(43);
    private static final Instant NOW = Instant.parse("2026-11-22T01:00:00Z");
    private static final Duration SKEW = Duration.ofSeconds(60);

    private static OidcSettings settings(String issuer) {
        return new OidcSettings(issuer, CLIENT, "secret", null, "openid profile", Duration.ofMinutes(10), SKEW);
    }

    @Test
    void settingsNeedAnHttpsIssuerOrOneOnThisMachine() {
        assertThatCode(() -> settings(ISSUER)).doesNotThrowAnyException();
        assertThatCode(() -> settings("http://localhost:8180/idp")).doesNotThrowAnyException();
        assertThatCode(() -> settings("http://127.0.0.1:8180/idp")).doesNotThrowAnyException();
        assertThatCode(() -> settings("http://[::1]:8180/idp")).doesNotThrowAnyException();
        assertThatThrownBy(() -> settings("http://id.town.example"))
                .hasMessage("yui.web.oidc.issuer must be https (or http to localhost): http://id.town.example");
        assertThatThrownBy(() -> settings("http://127.0.0.1.evil.example"))
                .hasMessage("yui.web.oidc.issuer must be https (or http to localhost): http://127.0.0.1.evil.example");
        assertThatThrownBy(() -> settings(ISSUER + "?realm=x"))
                .hasMessage("yui.web.oidc.issuer must have no query or fragment: " + ISSUER + "?realm=x");
        assertThatThrownBy(() -> settings("id.town.example"))
                .hasMessage("yui.web.oidc.issuer must be an absolute http(s) URL: id.town.example");
    }

    @Test
    void settingsNeedAClientScopesWithOpenidAndTheCallbackPath() {
        assertThatThrownBy(() -> new OidcSettings(ISSUER, CLIENT, " ", null, "openid", Duration.ofMinutes(10), SKEW))
                .hasMessage("yui.web.oidc.client-secret must be set when yui.web.oidc.issuer is");
        assertThatThrownBy(() -> new OidcSettings(ISSUER, null, "s", null, "openid", Duration.ofMinutes(10), SKEW))
                .hasMessage("yui.web.oidc.client-id must be set when yui.web.oidc.issuer is");
        assertThatThrownBy(() -> new OidcSettings(ISSUER, CLIENT, "s", null, "profile email", Duration.ofMinutes(10), SKEW))
                .hasMessage("yui.web.oidc.scopes must include openid: profile email");
        assertThatThrownBy(() -> new OidcSettings(ISSUER, CLIENT, "s", "https://yui.town.example/app/callback", "openid",
                Duration.ofMinutes(10), SKEW))
                .hasMessage("yui.web.oidc.redirect-uri must end in /app/login/oidc/callback: "
                        + "https://yui.town.example/app/callback");
        assertThatThrownBy(() -> new OidcSettings(ISSUER, CLIENT, "s", null, "openid", Duration.ofSeconds(10), SKEW))
                .hasMessage("yui.web.oidc.login-timeout must be 1 minute to 1 hour: PT10S");
        OidcSettings ok = new OidcSettings(ISSUER, CLIENT, "hunter2", "https://yui.town.example/app/login/oidc/callback",
                "  openid   profile email ", Duration.ofMinutes(10), SKEW);
        assertThat(ok.scope()).isEqualTo("openid profile email");
        assertThat(ok.toString()).doesNotContain("hunter2");
    }

    /** RFC 7636, Appendix B. */
    @Test
    void thePkceChallengeIsS256OfTheVerifier() {
        OidcLogins.Started started = new OidcLogins.Started("state", NONCE, "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
                "https://yui.town.example/app/login/oidc/callback");
        assertThat(started.codeChallenge()).isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    }

    private static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder().issuer(ISSUER).subject("resident-001").audience(CLIENT)
                .issueTime(Date.from(NOW.minusSeconds(5))).expirationTime(Date.from(NOW.plusSeconds(300)))
                .claim("nonce", NONCE);
    }

    private static void check(JWTClaimsSet.Builder claims) {
        OidcProvider.checkClaims(claims.build(), ISSUER, CLIENT, NONCE, NOW, SKEW);
    }

    private static void refused(JWTClaimsSet.Builder claims, String why) {
        OidcRefusal refusal = catchThrowableOfType(() -> check(claims), OidcRefusal.class);
        assertThat(refusal).as("refused: " + why).isNotNull().hasMessage(why);
        assertThat(refusal.messageKey()).isEqualTo("login.oidc.invalid");
        assertThat(refusal.status().getCode()).isEqualTo(401);
    }

    @Test
    void anIdTokenIsTakenWithinTheClockSkewAndNotBeyondIt() {
        assertThatCode(() -> check(claims())).doesNotThrowAnyException();
        assertThatCode(() -> check(claims().expirationTime(Date.from(NOW.minusSeconds(59))))).doesNotThrowAnyException();
        refused(claims().expirationTime(Date.from(NOW.minusSeconds(60))),
                "the ID token expired at 2026-11-22T00:59:00Z (now 2026-11-22T01:00:00Z)");
        assertThatCode(() -> check(claims().issueTime(Date.from(NOW.plusSeconds(60))))).doesNotThrowAnyException();
        refused(claims().issueTime(Date.from(NOW.plusSeconds(61))),
                "the ID token was issued in the future, at 2026-11-22T01:01:01Z (now 2026-11-22T01:00:00Z)");
        refused(claims().notBeforeTime(Date.from(NOW.plusSeconds(120))),
                "the ID token is valid only from 2026-11-22T01:02:00Z (now 2026-11-22T01:00:00Z)");
        refused(claims().expirationTime(null), "the ID token has no exp");
        refused(claims().issueTime(null), "the ID token has no iat");
    }

    @Test
    void anIdTokenMustBeFromTheIssuerForThePagesAndThisSignIn() {
        refused(claims().issuer(ISSUER + "/"), "the ID token's iss " + ISSUER + "/ is not " + ISSUER);
        refused(claims().audience("portal"), "the ID token's aud [portal] does not name client yui-pages");
        refused(claims().audience(List.of(CLIENT, "portal")),
                "the ID token names several audiences [yui-pages, portal] but no azp");
        assertThatCode(() -> check(claims().audience(List.of(CLIENT, "portal")).claim("azp", CLIENT)))
                .doesNotThrowAnyException();
        refused(claims().claim("azp", "portal"), "the ID token's azp portal is not client yui-pages");
        refused(claims().claim("nonce", "x".repeat(43)), "the ID token's nonce is not this sign-in's");
        refused(claims().claim("nonce", 42), "the ID token's nonce is not this sign-in's");
        refused(claims().subject(null), "the ID token has no sub");
    }

    @Test
    void aProviderThatCannotBeReachedIsUnavailable() {
        // Port 1 on this machine: nothing listens there, so the connection is refused at once.
        OidcProvider provider = new OidcProvider(settings("http://127.0.0.1:1/idp"), request -> "http://localhost");
        OidcRefusal refusal = catchThrowableOfType(provider::endpoints, OidcRefusal.class);
        assertThat(refusal).isNotNull().hasMessageStartingWith(
                "the discovery document http://127.0.0.1:1/idp/.well-known/openid-configuration could not be read");
        assertThat(refusal.messageKey()).isEqualTo("login.oidc.unavailable");
        assertThat(refusal.status().getCode()).isEqualTo(503);
    }

    @Test
    void aDiscoveryDocumentNamingAnotherIssuerIsNotUsed() {
        try (TownIdp idp = TownIdp.start(CLIENT, "secret")) {
            OidcProvider exact = new OidcProvider(settings(idp.issuer()), request -> "http://localhost");
            assertThat(exact.endpoints().token().toString()).isEqualTo(idp.issuer() + "/token");
            // The issuer with a trailing slash finds the same document, which names the issuer without one.
            OidcProvider slash = new OidcProvider(settings(idp.issuer() + "/"), request -> "http://localhost");
            assertThatThrownBy(slash::endpoints).isInstanceOf(OidcRefusal.class).hasMessage("the discovery document "
                    + idp.issuer() + "/.well-known/openid-configuration is not usable: it names the issuer "
                    + idp.issuer() + ", not " + idp.issuer() + "/");
        }
    }
}
