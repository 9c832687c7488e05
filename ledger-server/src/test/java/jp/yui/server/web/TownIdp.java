package jp.yui.server.web;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * The town's OIDC provider for the tests: a JDK HTTP server on 127.0.0.1 (another site than the server's
 * {@code localhost}, as a real provider is) that speaks just enough OpenID Connect for the pages' sign-in, and checks
 * what a real one checks. Its issuer is {@code http://127.0.0.1:<port>/idp}.
 *
 * <ul>
 *   <li>{@code /idp/.well-known/openid-configuration}: discovery;</li>
 *   <li>{@code /idp/authorize}: checks the client, {@code response_type=code}, the registered redirect URI, an
 *       {@code openid} scope, state, nonce and an S256 PKCE challenge, then shows a page listing the accounts the test
 *       registered: following one's link signs in as them ({@code /idp/approve}); a cancel link answers
 *       {@code error=access_denied} ({@code /idp/deny});</li>
 *   <li>{@code /idp/token}: checks the client secret (HTTP Basic), that the code was issued, not used before, to the
 *       same redirect URI, and that the PKCE verifier hashes to its challenge; answers an ID token signed with RS256;</li>
 *   <li>{@code /idp/jwks}: its public key;</li>
 *   <li>{@code /idp/logout}: RP-Initiated Logout, for the client and to the sign-in page next to the registered
 *       redirect URI.</li>
 * </ul>
 *
 * A test may have the next ID token for a code spoiled ({@link Spoil}): other claims, or signed with another key that
 * has the same key id. Thread-safe.
 */
final class TownIdp implements AutoCloseable {

    /** Someone with an account at the provider. */
    record Account(String subject, List<String> roles, Long regionId, UUID residentId, String name) {
        static Account of(String subject, String name, Long regionId, String... roles) {
            return new Account(subject, List.of(roles), regionId, null, name);
        }
    }

    /** What to spoil in the ID token a code is traded for. */
    record Spoil(UnaryOperator<JWTClaimsSet.Builder> claims, boolean otherKey) {
        static final Spoil NOTHING = new Spoil(UnaryOperator.identity(), false);

        static Spoil claims(UnaryOperator<JWTClaimsSet.Builder> claims) {
            return new Spoil(claims, false);
        }

        static Spoil signedByAnotherKey() {
            return new Spoil(UnaryOperator.identity(), true);
        }
    }

    private record Authorization(String clientId, String redirectUri, String state, String nonce, String challenge,
            String locale) {
    }

    private record Grant(Authorization authorization, Account account, Spoil spoil) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final String clientId;
    private final String clientSecret;
    private final RSAKey key;
    private final RSAKey otherKey;
    private final Map<String, Account> accounts = new ConcurrentHashMap<>();
    private final Map<String, Authorization> pending = new ConcurrentHashMap<>();
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();
    private final List<String> tokenRequests = new CopyOnWriteArrayList<>();
    private final AtomicInteger logouts = new AtomicInteger();
    private final SecureRandom random = new SecureRandom();
    private volatile String redirectUri;

    private TownIdp(String clientId, String clientSecret) throws IOException {
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.key = rsa("town-key-1");
        this.otherKey = rsa("town-key-1"); // the same kid: only the signature can tell them apart
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/idp/", exchange -> {
            try {
                handle(exchange);
            } catch (RuntimeException e) {
                respond(exchange, 500, "text/plain", e.toString());
            }
        });
        server.start();
    }

    static TownIdp start(String clientId, String clientSecret) {
        try {
            return new TownIdp(clientId, clientSecret);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the test provider", e);
        }
    }

    String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/idp";
    }

    /** The only redirect URI the provider sends browsers back to (as registered for the client at a real one). */
    void registerRedirectUri(String uri) {
        this.redirectUri = uri;
    }

    void add(Account account) {
        accounts.put(account.subject(), account);
    }

    /** How many token requests it answered with tokens. */
    int tokensIssued() {
        return tokenRequests.size();
    }

    /** How many sessions it was asked to end (RP-Initiated Logout). */
    int logouts() {
        return logouts.get();
    }

    /**
     * What the provider's sign-in page does when {@code subject} signs in: checks the authorization request and
     * answers where it sends the browser back to (the callback with a fresh code and the request's state).
     *
     * @param authorizationRequest the URL the server sent the browser to
     */
    URI approve(URI authorizationRequest, String subject, Spoil spoil) {
        Authorization a = authorization(query(authorizationRequest.getRawQuery()));
        return approve(a, Objects.requireNonNull(accounts.get(subject), "no account " + subject), spoil);
    }

    /** Where the provider sends the browser when the person cancels at its sign-in page. */
    URI deny(URI authorizationRequest) {
        Authorization a = authorization(query(authorizationRequest.getRawQuery()));
        return URI.create(a.redirectUri() + "?error=access_denied&error_description=" + enc("The user said no")
                + "&state=" + enc(a.state()));
    }

    private URI approve(Authorization a, Account account, Spoil spoil) {
        String code = randomText();
        codes.put(code, new Grant(a, account, spoil));
        return URI.create(a.redirectUri() + "?code=" + enc(code) + "&state=" + enc(a.state()));
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        switch (path) {
            case "/idp/.well-known/openid-configuration" -> respond(exchange, 200, "application/json",
                    JSONObjectUtils.toJSONString(discovery()));
            case "/idp/jwks" -> respond(exchange, 200, "application/json",
                    JSONObjectUtils.toJSONString(new JWKSet(key.toPublicJWK()).toJSONObject(true)));
            case "/idp/authorize" -> {
                Authorization a;
                try {
                    a = authorization(query);
                } catch (IllegalArgumentException e) {
                    respond(exchange, 400, "text/plain", e.getMessage());
                    return;
                }
                String id = randomText();
                pending.put(id, a);
                respond(exchange, 200, "text/html; charset=utf-8", page(id, a));
            }
            case "/idp/approve" -> {
                Authorization a = pending.remove(query.getOrDefault("request", ""));
                Account account = accounts.get(query.getOrDefault("account", ""));
                if (a == null || account == null) {
                    respond(exchange, 400, "text/plain", "no such request or account");
                    return;
                }
                redirect(exchange, approve(a, account, Spoil.NOTHING));
            }
            case "/idp/deny" -> {
                Authorization a = pending.remove(query.getOrDefault("request", ""));
                if (a == null) {
                    respond(exchange, 400, "text/plain", "no such request");
                    return;
                }
                redirect(exchange, URI.create(a.redirectUri() + "?error=access_denied&state=" + enc(a.state())));
            }
            case "/idp/token" -> token(exchange);
            case "/idp/logout" -> {
                String back = redirectUri == null ? null : URI.create(redirectUri).resolve("/app/login").toString();
                if (!clientId.equals(query.get("client_id")) || back == null
                        || !back.equals(query.get("post_logout_redirect_uri"))) {
                    respond(exchange, 400, "text/plain", "unknown client or post_logout_redirect_uri");
                    return;
                }
                logouts.incrementAndGet();
                redirect(exchange, URI.create(back));
            }
            default -> respond(exchange, 404, "text/plain", "not found: " + path);
        }
    }

    private Map<String, Object> discovery() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("issuer", issuer());
        doc.put("authorization_endpoint", issuer() + "/authorize");
        doc.put("token_endpoint", issuer() + "/token");
        doc.put("jwks_uri", issuer() + "/jwks");
        doc.put("response_types_supported", List.of("code"));
        doc.put("subject_types_supported", List.of("public"));
        doc.put("id_token_signing_alg_values_supported", List.of("RS256"));
        doc.put("code_challenge_methods_supported", List.of("S256"));
        doc.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic"));
        doc.put("scopes_supported", List.of("openid", "profile"));
        doc.put("end_session_endpoint", issuer() + "/logout");
        return doc;
    }

    /** The authorization request's parameters, checked as a provider checks them. */
    private Authorization authorization(Map<String, String> q) {
        require(clientId.equals(q.get("client_id")), "unknown client_id " + q.get("client_id"));
        require("code".equals(q.get("response_type")), "response_type must be code: " + q.get("response_type"));
        require(redirectUri != null && redirectUri.equals(q.get("redirect_uri")),
                "redirect_uri " + q.get("redirect_uri") + " is not registered (" + redirectUri + ")");
        require(q.getOrDefault("scope", "").matches("(.* )?openid( .*)?"), "scope lacks openid: " + q.get("scope"));
        require(q.get("state") != null && q.get("state").length() >= 32, "state missing or short");
        require(q.get("nonce") != null && q.get("nonce").length() >= 32, "nonce missing or short");
        require("S256".equals(q.get("code_challenge_method")), "PKCE must be S256: " + q.get("code_challenge_method"));
        require(q.get("code_challenge") != null && q.get("code_challenge").length() == 43, "no S256 code_challenge");
        return new Authorization(q.get("client_id"), q.get("redirect_uri"), q.get("state"), q.get("nonce"),
                q.get("code_challenge"), q.getOrDefault("ui_locales", ""));
    }

    private String page(String id, Authorization a) {
        StringBuilder html = new StringBuilder("<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"utf-8\">"
                + "<title>みやき町アカウント</title></head><body><main><h1>みやき町アカウントでログイン</h1>"
                + "<p id=\"locale\">" + a.locale() + "</p><ul>");
        accounts.values().stream().sorted(java.util.Comparator.comparing(Account::subject)).forEach(account ->
                html.append("<li><a href=\"/idp/approve?request=").append(enc(id)).append("&amp;account=")
                        .append(enc(account.subject())).append("\">").append(account.subject()).append(" (")
                        .append(account.name()).append(")</a></li>"));
        return html.append("</ul><p><a href=\"/idp/deny?request=").append(enc(id))
                .append("\">キャンセル</a></p></main></body></html>").toString();
    }

    private void token(HttpExchange exchange) throws IOException {
        if (!"POST".equals(exchange.getRequestMethod())) {
            respond(exchange, 405, "text/plain", "POST only");
            return;
        }
        String expected = "Basic " + Base64.getEncoder().encodeToString((enc(clientId) + ":" + enc(clientSecret))
                .getBytes(StandardCharsets.UTF_8));
        if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            respond(exchange, 401, "application/json", "{\"error\":\"invalid_client\"}");
            return;
        }
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, String> form = query(body);
        Grant grant = form.get("code") == null ? null : codes.remove(form.get("code"));
        if (!"authorization_code".equals(form.get("grant_type")) || grant == null) {
            respond(exchange, 400, "application/json", "{\"error\":\"invalid_grant\"}");
            return;
        }
        if (!grant.authorization().redirectUri().equals(form.get("redirect_uri"))) {
            respond(exchange, 400, "application/json",
                    "{\"error\":\"invalid_grant\",\"error_description\":\"redirect_uri\"}");
            return;
        }
        String verifier = form.getOrDefault("code_verifier", "");
        if (!s256(verifier).equals(grant.authorization().challenge())) {
            respond(exchange, 400, "application/json", "{\"error\":\"invalid_grant\",\"error_description\":\"PKCE\"}");
            return;
        }
        tokenRequests.add(form.get("code"));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("access_token", randomText());
        answer.put("token_type", "Bearer");
        answer.put("expires_in", 300);
        answer.put("id_token", idToken(grant));
        respond(exchange, 200, "application/json", JSONObjectUtils.toJSONString(answer));
    }

    private String idToken(Grant grant) {
        Instant now = Instant.now();
        Account account = grant.account();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer())
                .subject(account.subject())
                .audience(grant.authorization().clientId())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(5))))
                .claim("nonce", grant.authorization().nonce())
                .claim("name", account.name())
                .claim("roles", account.roles());
        if (account.regionId() != null) {
            claims.claim("region_id", account.regionId());
        }
        if (account.residentId() != null) {
            claims.claim("resident_id", account.residentId().toString());
        }
        RSAKey signer = grant.spoil().otherKey() ? otherKey : key;
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signer.getKeyID())
                    .type(JOSEObjectType.JWT).build(), grant.spoil().claims().apply(claims).build());
            jwt.sign(new RSASSASigner(signer));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("could not sign an ID token", e);
        }
    }

    private static void redirect(HttpExchange exchange, URI location) throws IOException {
        exchange.getResponseHeaders().add("Location", location.toString());
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.getResponseHeaders().add("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    static Map<String, String> query(String raw) {
        Map<String, String> q = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return q;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            q.putIfAbsent(name, value);
        }
        return q;
    }

    private static String s256(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static void require(boolean ok, String problem) {
        if (!ok) {
            throw new IllegalArgumentException(problem);
        }
    }

    private String randomText() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static RSAKey rsa(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
