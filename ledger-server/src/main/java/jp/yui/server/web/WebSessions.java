package jp.yui.server.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Predicate;
import jp.yui.server.infra.ApiKeys;

/**
 * The web pages' sessions, kept in this process's memory and named by a random 256-bit id in an HttpOnly,
 * {@code SameSite=Lax} cookie (Secure when the request came over https) scoped to {@code /app}. Each session carries
 * its CSRF token (a synchronizer token every POST form sends back) and, once someone signed in, who they are.
 *
 * <p>Signing in always starts a new session (a new id and token), so an id planted before sign-in is worthless.
 * A session ends after {@link WebSettings#sessionIdleTimeout()} without requests, {@link WebSettings#sessionMaxAge()}
 * after it began, on sign-out, or, for a shop signed in with its till key, as soon as the key is revoked (the key is
 * checked again on every page). Sessions die with the process: a restart signs everyone out, and several server
 * processes behind one address need sticky sessions.
 *
 * <p>Session times are real time, not the server's business {@link Clock} bean (which tests move by days). Thread-safe.
 */
@Singleton
public final class WebSessions {

    /** The session cookie's name. */
    public static final String COOKIE = "yui_session";
    /** The form field, header and (for file uploads) query parameter that carry the CSRF token. */
    public static final String CSRF_FIELD = "_csrf";
    public static final String CSRF_HEADER = "X-CSRF-Token";

    private static final int ID_BYTES = 32;

    private final ConcurrentMap<String, Session> sessions = new ConcurrentHashMap<>();
    private final WebSettings settings;
    private final Predicate<String> tillKeyValid;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    @Inject
    WebSessions(WebSettings settings, ApiKeys apiKeys) {
        this(settings, key -> apiKeys.authenticate(key).isPresent(), Clock.systemUTC());
    }

    /**
     * @param tillKeyValid whether a shop's till key still authenticates (checked on every page of a shop's session)
     * @param clock        real time, for the sessions' timeouts
     */
    WebSessions(WebSettings settings, Predicate<String> tillKeyValid, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.tillKeyValid = Objects.requireNonNull(tillKeyValid, "tillKeyValid");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A session: its id (the cookie's value), CSRF token, and who signed in (absent before sign-in). */
    public static final class Session {
        private final String id;
        private final String csrfToken;
        private final SignedIn user;
        private final Instant createdAt;
        private volatile Instant lastSeen;

        private Session(String id, String csrfToken, @Nullable SignedIn user, Instant now) {
            this.id = id;
            this.csrfToken = csrfToken;
            this.user = user;
            this.createdAt = now;
            this.lastSeen = now;
        }

        /** The token POST forms of this session must carry. */
        public String csrfToken() {
            return csrfToken;
        }

        /** Who signed in; empty for a session that only holds a CSRF token for the sign-in form. */
        public Optional<SignedIn> user() {
            return Optional.ofNullable(user);
        }

        @Override
        public String toString() {
            return "Session[" + (user == null ? "anonymous" : user) + ", since " + createdAt + "]";
        }
    }

    /**
     * The request's live session. A shop's till key is checked again (a database read); a revoked key ends the
     * session.
     *
     * @return empty without a cookie, for an unknown or expired id, or for a revoked till key
     */
    public Optional<Session> current(HttpRequest<?> request) {
        Optional<Session> session = peek(request);
        if (session.isPresent() && session.get().user != null && session.get().user.apiKey() != null
                && !tillKeyValid.test(session.get().user.apiKey())) {
            sessions.remove(session.get().id);
            return Optional.empty();
        }
        return session;
    }

    /**
     * The request's session, by its cookie, without checking a till key again: for the CSRF check, which runs on
     * the event loop and must not touch the database.
     */
    public Optional<Session> peek(HttpRequest<?> request) {
        String id = request.getCookies().findCookie(COOKIE).map(Cookie::getValue).orElse(null);
        if (id == null) {
            return Optional.empty();
        }
        Session s = sessions.get(id);
        if (s == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (expired(s, now)) {
            sessions.remove(id, s);
            return Optional.empty();
        }
        s.lastSeen = now;
        return Optional.of(s);
    }

    /** The request's session, or a new signed-out one (for the sign-in form's CSRF token). */
    public Session open(HttpRequest<?> request) {
        return peek(request).orElseGet(() -> create(null));
    }

    /**
     * Signs someone in: ends the request's session, if any, and starts a new one with a new id and CSRF token.
     *
     * @return the new session; its cookie must go out with the response ({@link #cookie})
     */
    public Session signIn(HttpRequest<?> request, SignedIn user) {
        Objects.requireNonNull(user, "user");
        signOut(request);
        return create(user);
    }

    /** Ends the request's session, if any. */
    public void signOut(HttpRequest<?> request) {
        request.getCookies().findCookie(COOKIE).map(Cookie::getValue).ifPresent(sessions::remove);
    }

    /**
     * Whether {@code token} is the session's CSRF token, compared in constant time.
     *
     * @param token what the request carried; null or blank never matches
     */
    public static boolean csrfMatches(Session session, @Nullable String token) {
        if (token == null || token.isBlank()) {
            return false;
        }
        return MessageDigest.isEqual(session.csrfToken.getBytes(StandardCharsets.US_ASCII),
                token.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The cookie that names the session: HttpOnly, {@code SameSite=Lax}, path {@code /app}, Secure when the request
     * came over https (directly or, per {@code X-Forwarded-Proto}, through a proxy). No max-age: it lasts until the
     * browser closes or the session ends on the server.
     */
    public Cookie cookie(Session session, HttpRequest<?> request) {
        return Cookie.of(COOKIE, session.id).httpOnly(true).sameSite(SameSite.Lax).path("/app").secure(secure(request));
    }

    /** A cookie that makes the browser forget the session id. */
    public Cookie cleared(HttpRequest<?> request) {
        return Cookie.of(COOKIE, "").httpOnly(true).sameSite(SameSite.Lax).path("/app").secure(secure(request)).maxAge(0);
    }

    /** How many sessions this process holds (signed in or not). */
    int size() {
        return sessions.size();
    }

    /** Drops expired sessions; runs every minute. */
    @Scheduled(fixedDelay = "1m", initialDelay = "1m")
    void sweep() {
        Instant now = clock.instant();
        sessions.values().removeIf(s -> expired(s, now));
    }

    private Session create(@Nullable SignedIn user) {
        if (sessions.size() >= settings.maxSessions()) {
            makeRoom();
        }
        Instant now = clock.instant();
        Session s = new Session(randomId(), randomId(), user, now);
        sessions.put(s.id, s);
        return s;
    }

    /**
     * Keeps the store bounded: drops expired sessions, then the least recently used signed-out ones (anyone can make
     * those by loading the sign-in page), and only then the least recently used signed-in ones.
     */
    private synchronized void makeRoom() {
        sweep();
        int target = settings.maxSessions() - settings.maxSessions() / 10;
        if (sessions.size() < settings.maxSessions()) {
            return;
        }
        Comparator<Session> order = Comparator.<Session, Boolean>comparing(s -> s.user != null)
                .thenComparing(s -> s.lastSeen);
        sessions.values().stream().sorted(order).limit(Math.max(1, sessions.size() - target)).toList()
                .forEach(s -> sessions.remove(s.id, s));
    }

    private boolean expired(Session s, Instant now) {
        return !now.isBefore(s.lastSeen.plus(settings.sessionIdleTimeout()))
                || !now.isBefore(s.createdAt.plus(settings.sessionMaxAge()));
    }

    private String randomId() {
        byte[] bytes = new byte[ID_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static boolean secure(HttpRequest<?> request) {
        return request.isSecure() || "https".equalsIgnoreCase(request.getHeaders().get("X-Forwarded-Proto"));
    }
}
