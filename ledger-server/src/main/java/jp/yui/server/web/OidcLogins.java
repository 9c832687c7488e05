package jp.yui.server.web;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import jp.yui.server.db.Db;

/**
 * Sign-ins that left for the town's OIDC provider and have not come back yet, kept in the database
 * ({@code web_oidc_login}) so that any server process can take the provider's answer. Each has a random state (only
 * its SHA-256 is stored), a nonce the ID token must repeat, a PKCE verifier (RFC 7636, S256) and the page to land on.
 * A sign-in is used at most once: taking it deletes it, whether the rest succeeds or not; it lapses after
 * {@link OidcSettings#loginTimeout()}.
 *
 * <p>Times are real time, not the server's business {@link Clock} bean (which tests move by days). Thread-safe.
 */
@Singleton
@Requires(bean = OidcSettings.class)
final class OidcLogins {

    private static final int RANDOM_BYTES = 32;

    private final Db db;
    private final Duration timeout;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    @Inject
    OidcLogins(Db db, OidcSettings settings) {
        this(db, settings.loginTimeout(), Clock.systemUTC());
    }

    /**
     * @param timeout how long a sign-in may stay at the provider
     * @param clock   real time
     */
    OidcLogins(Db db, Duration timeout, Clock clock) {
        this.db = Objects.requireNonNull(db, "db");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * A sign-in on its way to the provider.
     *
     * @param state        sent to the provider and kept in the browser's cookie; the provider sends it back
     * @param nonce        the ID token must carry it
     * @param codeVerifier the PKCE secret the token request proves the code with
     * @param redirectUri  where the provider sends the browser back
     */
    record Started(String state, String nonce, String codeVerifier, String redirectUri) {

        /** The PKCE challenge sent with the authorization request: BASE64URL(SHA-256(verifier)), method S256. */
        String codeChallenge() {
            return base64(sha256(codeVerifier));
        }

        @Override
        public String toString() {
            return "Started[" + redirectUri + "]";
        }
    }

    /**
     * A sign-in the provider sent back, taken (so never again).
     *
     * @param next the page to land on, or null for the person's home page
     */
    record Returned(String nonce, String codeVerifier, String redirectUri, @Nullable String next) {

        @Override
        public String toString() {
            return "Returned[" + redirectUri + ", next " + next + "]";
        }
    }

    /**
     * Starts a sign-in: new random state, nonce and code verifier, stored until the provider sends the browser back.
     *
     * @param next a path of the pages already checked by {@link LoginPage#safeNext}, or null
     */
    Started start(String redirectUri, @Nullable String next) {
        Objects.requireNonNull(redirectUri, "redirectUri");
        Started started = new Started(randomText(), randomText(), randomText(), redirectUri);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        db.tx(c -> Db.update(c, "insert into web_oidc_login (state_hash, nonce, code_verifier, redirect_uri, next_path,"
                + " created_at, expires_at) values (?, ?, ?, ?, ?, ?, ?)", sha256(started.state()), started.nonce(),
                started.codeVerifier(), redirectUri, next, now, now.plus(timeout)));
        return started;
    }

    /**
     * Takes the sign-in {@code state} names: deletes it and answers it if it has not lapsed.
     *
     * @return empty for a state never issued, already taken, or lapsed (a lapsed one is deleted too)
     */
    Optional<Returned> take(String state) {
        Objects.requireNonNull(state, "state");
        Instant now = clock.instant();
        return db.tx(c -> Db.one(c, "delete from web_oidc_login where state_hash = ?"
                + " returning nonce, code_verifier, redirect_uri, next_path, expires_at",
                rs -> now.isBefore(rs.getObject("expires_at", OffsetDateTime.class).toInstant())
                        ? Optional.of(new Returned(rs.getString("nonce"), rs.getString("code_verifier"),
                                rs.getString("redirect_uri"), rs.getString("next_path")))
                        : Optional.<Returned>empty(),
                sha256(state))).flatMap(o -> o);
    }

    /** Deletes sign-ins nobody came back for; runs every five minutes. */
    @Scheduled(fixedDelay = "5m", initialDelay = "5m")
    void sweep() {
        Instant now = clock.instant();
        db.tx(c -> Db.update(c, "delete from web_oidc_login where expires_at <= ?", now));
    }

    private String randomText() {
        byte[] bytes = new byte[RANDOM_BYTES];
        random.nextBytes(bytes);
        return base64(bytes);
    }

    private static String base64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
