package jp.yui.server.web;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.server.util.HttpHostResolver;
import io.micronaut.security.token.Claims;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The town's OIDC provider as the pages' sign-in sees it (OpenID Connect Core 1.0, authorization code flow with PKCE):
 * its endpoints from its discovery document (fetched on first use and again after {@link #DISCOVERY_TTL}), its keys
 * from the document's {@code jwks_uri} (cached, fetched again for a key id it does not know), the authorization
 * request, the token request, and the checks of the ID token that comes back.
 *
 * <p>Written by hand rather than with micronaut-security-oauth2: that module signs people in through its own login
 * handlers and cookies, while the pages keep their own sessions ({@link WebSessions}), and what is needed here is one
 * redirect, one form POST and one JWT check.
 *
 * <p>ID token times are checked against real time (as Micronaut Security checks bearer tokens), not the server's
 * business {@link Clock} bean. Blocking (HTTP to the provider): call it off the event loop. Thread-safe.
 */
@Singleton
@Requires(bean = OidcSettings.class)
final class OidcProvider {

    /** How long the discovery document is trusted before it is fetched again. */
    static final Duration DISCOVERY_TTL = Duration.ofHours(1);

    private static final Logger LOG = LoggerFactory.getLogger(OidcProvider.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int JWKS_TIMEOUT_MILLIS = 10_000;
    private static final int JWKS_SIZE_LIMIT = 256 * 1024;

    private final OidcSettings settings;
    private final HttpHostResolver hosts;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private volatile Endpoints endpoints;

    @Inject
    OidcProvider(OidcSettings settings, HttpHostResolver hosts) {
        this(settings, hosts, Clock.systemUTC());
    }

    /** @param clock real time, for the ID token's {@code exp} and {@code iat} and the discovery cache */
    OidcProvider(OidcSettings settings, HttpHostResolver hosts, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.hosts = Objects.requireNonNull(hosts, "hosts");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * What the provider's discovery document says.
     *
     * @param authorization    its authorization endpoint
     * @param token            its token endpoint
     * @param secretInForm     whether the client secret goes in the token request's form ({@code client_secret_post},
     *                         when the provider does not take {@code client_secret_basic})
     * @param algorithms       the signature algorithms accepted on ID tokens: those the provider uses that are
     *                         public-key ones (never {@code none}, never a MAC keyed with the client secret)
     * @param keys             its keys, from {@code jwks_uri}
     * @param jwks             that {@code jwks_uri}
     * @param endSession       its {@code end_session_endpoint} (RP-Initiated Logout), or null if it names none
     * @param fetchedAt        when the document was read
     */
    record Endpoints(URI authorization, URI token, boolean secretInForm, Set<JWSAlgorithm> algorithms,
            JWKSource<SecurityContext> keys, URI jwks, @Nullable URI endSession, Instant fetchedAt) {
    }

    /**
     * The provider's endpoints, from the cached discovery document or a fresh one.
     *
     * @throws OidcRefusal {@code login.oidc.unavailable} if the document cannot be read, names another issuer, or
     *     names endpoints that are not https
     */
    Endpoints endpoints() {
        Endpoints e = endpoints;
        if (e != null && clock.instant().isBefore(e.fetchedAt().plus(DISCOVERY_TTL))) {
            return e;
        }
        synchronized (this) {
            e = endpoints;
            if (e == null || !clock.instant().isBefore(e.fetchedAt().plus(DISCOVERY_TTL))) {
                e = discover();
                endpoints = e;
            }
            return e;
        }
    }

    /**
     * Where the provider sends the browser back: {@link OidcSettings#redirectUri()}, else this server's address as the
     * request shows it ({@link HttpHostResolver}) with {@value OidcLoginController#CALLBACK}.
     */
    String redirectUri(HttpRequest<?> request) {
        return settings.redirectUri() != null ? settings.redirectUri()
                : hosts.resolve(request) + OidcLoginController.CALLBACK;
    }

    /**
     * Where to send the browser once the pages' session of {@code user} has ended, so that the provider ends its own
     * session too (OpenID Connect RP-Initiated Logout 1.0, with {@code client_id} and a
     * {@code post_logout_redirect_uri} of this server's sign-in page, which must be registered at the provider).
     * Otherwise the next person at a shared device who presses "sign in with the town's account" would be signed in
     * as the last one, without a password.
     *
     * @return empty for a sign-in not made with the town's account, if the provider names no
     *     {@code end_session_endpoint}, or if it cannot be reached (the pages' session is over anyway)
     */
    Optional<URI> endSession(HttpRequest<?> request, SignedIn user) {
        if (!settings.issuer().equals(user.authentication().getAttributes().get(Claims.ISSUER))) {
            return Optional.empty();
        }
        Endpoints e;
        try {
            e = endpoints();
        } catch (OidcRefusal refusal) {
            LOG.warn("Signed out of the pages only: {}", refusal.getMessage());
            return Optional.empty();
        }
        if (e.endSession() == null) {
            return Optional.empty();
        }
        Map<String, String> query = new LinkedHashMap<>();
        query.put("client_id", settings.clientId());
        query.put("post_logout_redirect_uri", URI.create(redirectUri(request)).resolve("/app/login").toString());
        String separator = e.endSession().getRawQuery() == null ? "?" : "&";
        return Optional.of(URI.create(e.endSession() + separator + form(query)));
    }

    /** The authorization request the browser is sent to for {@code login}, asking for pages in {@code locale}. */
    URI authorizationRequest(Endpoints e, OidcLogins.Started login, Locale locale) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", settings.clientId());
        query.put("redirect_uri", login.redirectUri());
        query.put("scope", settings.scope());
        query.put("state", login.state());
        query.put("nonce", login.nonce());
        query.put("code_challenge", login.codeChallenge());
        query.put("code_challenge_method", "S256");
        query.put("ui_locales", locale.getLanguage());
        String base = e.authorization().toString();
        return URI.create(base + (e.authorization().getRawQuery() == null ? "?" : "&") + form(query));
    }

    /**
     * Trades the authorization code for tokens at the token endpoint, authenticating with the client secret and
     * proving the code with the sign-in's PKCE verifier.
     *
     * @return the ID token, not yet checked ({@link #verify})
     * @throws OidcRefusal {@code login.oidc.invalid} if the provider refuses the code or answers without an ID token;
     *     {@code login.oidc.unavailable} if it cannot be reached
     */
    String exchange(Endpoints e, String code, OidcLogins.Returned login) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("grant_type", "authorization_code");
        body.put("code", code);
        body.put("redirect_uri", login.redirectUri());
        body.put("code_verifier", login.codeVerifier());
        java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(e.token()).timeout(TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json");
        if (e.secretInForm()) {
            body.put("client_id", settings.clientId());
            body.put("client_secret", settings.clientSecret());
        } else {
            // RFC 6749 2.3.1: the id and secret are form-encoded before they are joined and Base64-encoded.
            String pair = URLEncoder.encode(settings.clientId(), StandardCharsets.UTF_8) + ":"
                    + URLEncoder.encode(settings.clientSecret(), StandardCharsets.UTF_8);
            request.header("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.POST(java.net.http.HttpRequest.BodyPublishers.ofString(form(body))).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException ex) {
            throw OidcRefusal.unavailable("the token endpoint " + e.token() + " could not be reached: " + ex, ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw OidcRefusal.unavailable("interrupted while asking the token endpoint", ex);
        }
        Map<String, Object> json;
        try {
            json = JSONObjectUtils.parse(response.body());
        } catch (ParseException ex) {
            throw OidcRefusal.invalid("the token endpoint answered " + response.statusCode() + " without JSON", ex);
        }
        if (response.statusCode() != 200) {
            Object description = json.get("error_description");
            throw OidcRefusal.invalid("the token endpoint refused the code: " + response.statusCode() + " "
                    + json.get("error") + (description == null ? "" : " (" + description + ")"));
        }
        if (!(json.get("id_token") instanceof String idToken) || idToken.isBlank()) {
            throw OidcRefusal.invalid("the token endpoint answered without an id_token");
        }
        return idToken;
    }

    /**
     * Checks an ID token (OpenID Connect Core 3.1.3.7): signed with one of the provider's keys by a public-key
     * algorithm it uses, then {@link #checkClaims}.
     *
     * @return the token, whose claims may now be trusted
     * @throws OidcRefusal {@code login.oidc.invalid} if any check fails; {@code login.oidc.unavailable} if the keys
     *     cannot be read
     */
    SignedJWT verify(Endpoints e, String idToken, String nonce) {
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(idToken);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException ex) {
            throw OidcRefusal.invalid("the ID token is not a signed JWT: " + ex.getMessage(), ex);
        }
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(e.algorithms(), e.keys()));
        // The claims are checked below, against the sign-in's nonce and this class's clock.
        processor.setJWTClaimsSetVerifier(null);
        try {
            processor.process(jwt, null);
        } catch (KeySourceException ex) {
            throw OidcRefusal.unavailable("the provider's keys at " + e.jwks() + " could not be read: "
                    + ex.getMessage(), ex);
        } catch (BadJOSEException | JOSEException ex) {
            throw OidcRefusal.invalid("the ID token's signature does not verify (" + jwt.getHeader().getAlgorithm()
                    + ", kid " + jwt.getHeader().getKeyID() + "): " + ex.getMessage(), ex);
        }
        checkClaims(claims, settings.issuer(), settings.clientId(), nonce, clock.instant(), settings.clockSkew());
        return jwt;
    }

    /**
     * The ID token's claims are for this sign-in: issued by {@code issuer} ({@code iss}) for this client ({@code aud}
     * names it; with several audiences {@code azp} must be it, and so must any {@code azp}), not expired
     * ({@code exp}), not issued or valid only in the future ({@code iat}, {@code nbf}), all within {@code skew} of
     * {@code now}, for a subject ({@code sub}), and carrying the sign-in's {@code nonce}.
     *
     * @throws OidcRefusal {@code login.oidc.invalid} naming the first check that failed
     */
    static void checkClaims(JWTClaimsSet claims, String issuer, String clientId, String nonce, Instant now,
            Duration skew) {
        if (!issuer.equals(claims.getIssuer())) {
            throw OidcRefusal.invalid("the ID token's iss " + claims.getIssuer() + " is not " + issuer);
        }
        List<String> audience = claims.getAudience();
        if (!audience.contains(clientId)) {
            throw OidcRefusal.invalid("the ID token's aud " + audience + " does not name client " + clientId);
        }
        Object azp = claims.getClaim("azp");
        if (audience.size() > 1 && azp == null) {
            throw OidcRefusal.invalid("the ID token names several audiences " + audience + " but no azp");
        }
        if (azp != null && !clientId.equals(azp)) {
            throw OidcRefusal.invalid("the ID token's azp " + azp + " is not client " + clientId);
        }
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            throw OidcRefusal.invalid("the ID token has no exp");
        }
        if (!now.isBefore(exp.toInstant().plus(skew))) {
            throw OidcRefusal.invalid("the ID token expired at " + exp.toInstant() + " (now " + now + ")");
        }
        Date iat = claims.getIssueTime();
        if (iat == null) {
            throw OidcRefusal.invalid("the ID token has no iat");
        }
        if (iat.toInstant().isAfter(now.plus(skew))) {
            throw OidcRefusal.invalid("the ID token was issued in the future, at " + iat.toInstant()
                    + " (now " + now + ")");
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && nbf.toInstant().isAfter(now.plus(skew))) {
            throw OidcRefusal.invalid("the ID token is valid only from " + nbf.toInstant() + " (now " + now + ")");
        }
        if (claims.getSubject() == null || claims.getSubject().isBlank()) {
            throw OidcRefusal.invalid("the ID token has no sub");
        }
        if (!(claims.getClaim("nonce") instanceof String tokenNonce) || !MessageDigest.isEqual(
                tokenNonce.getBytes(StandardCharsets.UTF_8), nonce.getBytes(StandardCharsets.UTF_8))) {
            throw OidcRefusal.invalid("the ID token's nonce is not this sign-in's");
        }
    }

    private Endpoints discover() {
        String issuer = settings.issuer();
        URI uri = URI.create((issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer)
                + "/.well-known/openid-configuration");
        HttpResponse<String> response;
        try {
            response = http.send(java.net.http.HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                    .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException ex) {
            throw OidcRefusal.unavailable("the discovery document " + uri + " could not be read: " + ex, ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw OidcRefusal.unavailable("interrupted while reading " + uri, ex);
        }
        try {
            if (response.statusCode() != 200) {
                throw new IllegalArgumentException("answered " + response.statusCode());
            }
            Map<String, Object> doc = JSONObjectUtils.parse(response.body());
            if (!issuer.equals(JSONObjectUtils.getString(doc, "issuer"))) {
                throw new IllegalArgumentException("it names the issuer " + doc.get("issuer") + ", not " + issuer);
            }
            URI authorization = endpoint(doc, "authorization_endpoint");
            URI token = endpoint(doc, "token_endpoint");
            URI jwks = endpoint(doc, "jwks_uri");
            URI endSession = doc.get("end_session_endpoint") == null ? null : endpoint(doc, "end_session_endpoint");
            List<String> methods = strings(doc, "token_endpoint_auth_methods_supported",
                    List.of("client_secret_basic"));
            boolean secretInForm = !methods.contains("client_secret_basic") && methods.contains("client_secret_post");
            List<String> pkce = strings(doc, "code_challenge_methods_supported", List.of("S256"));
            if (!pkce.contains("S256")) {
                throw new IllegalArgumentException("it does not take PKCE with S256, only " + pkce);
            }
            Set<JWSAlgorithm> algorithms = strings(doc, "id_token_signing_alg_values_supported", List.of("RS256"))
                    .stream().map(JWSAlgorithm::parse).filter(JWSAlgorithm.Family.SIGNATURE::contains)
                    .collect(Collectors.toCollection(LinkedHashSet::new));
            if (algorithms.isEmpty()) {
                throw new IllegalArgumentException("it signs ID tokens with none of the public-key algorithms: "
                        + doc.get("id_token_signing_alg_values_supported"));
            }
            // The same key set as before keeps its cache; a new one is fetched on first use (and again for a key id
            // it does not know, at most every 30 seconds). No refresh ahead: it would need a thread per key set.
            Endpoints before = endpoints;
            JWKSource<SecurityContext> keys = before != null && before.jwks().equals(jwks) ? before.keys()
                    : JWKSourceBuilder.<SecurityContext>create(jwks.toURL(), new DefaultResourceRetriever(
                            JWKS_TIMEOUT_MILLIS, JWKS_TIMEOUT_MILLIS, JWKS_SIZE_LIMIT))
                            .refreshAheadCache(false).build();
            return new Endpoints(authorization, token, secretInForm, Set.copyOf(algorithms), keys, jwks, endSession,
                    clock.instant());
        } catch (ParseException | IllegalArgumentException | MalformedURLException ex) {
            throw OidcRefusal.unavailable("the discovery document " + uri + " is not usable: " + ex.getMessage(), ex);
        }
    }

    private static URI endpoint(Map<String, Object> doc, String name) throws ParseException {
        String url = JSONObjectUtils.getString(doc, name);
        if (url == null) {
            throw new IllegalArgumentException("it has no " + name);
        }
        return OidcSettings.requireSecureOrLoopback(url, name);
    }

    private static List<String> strings(Map<String, Object> doc, String name, List<String> absent)
            throws ParseException {
        List<String> values = JSONObjectUtils.getStringList(doc, name);
        return values == null ? absent : values;
    }

    private static String form(Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(f -> URLEncoder.encode(f.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(f.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /** For the log. */
    @Override
    public String toString() {
        return "OidcProvider[" + settings.issuer() + "]";
    }
}
