package jp.yui.server.web;

import io.micronaut.context.annotation.Context;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;
import io.micronaut.json.JsonMapper;
import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.security.authentication.Authentication;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import jp.yui.server.db.Db;
import jp.yui.server.infra.ApiKeys;

/**
 * The web pages' sessions, kept in PostgreSQL (table {@code web_session}) so that a restart keeps people signed in
 * and several server processes behind one address share them without sticky sessions. A session is named by a random
 * 256-bit id in an HttpOnly, {@code SameSite=Lax} cookie (Secure when the request came over https) scoped to
 * {@code /app}; the database holds only the id's SHA-256, so reading the table takes over no session.
 *
 * <p><b>CSRF tokens</b> are not stored: a session's token is HMAC-SHA256 of its id under a key the first server made
 * and keeps in {@code web_session_key}, shared by every process. So the CSRF check needs no database read (it runs on
 * the event loop, {@link CsrfFilter}), and a visitor who has not signed in needs no row: the sign-in page sets a cookie
 * with a fresh random id, and its form carries that id's HMAC (a signed double-submit cookie). Loading the sign-in
 * page, however often, writes nothing. Nobody can make a token for an id without the key, and the table holds no id,
 * so the key alone forges nothing either.
 *
 * <p><b>Signing in</b> always starts a new session (a new id, hence a new token), so an id planted before sign-in is
 * worthless; it is the only thing that writes a row. A session ends after {@link WebSettings#sessionIdleTimeout()}
 * without requests, {@link WebSettings#sessionMaxAge()} after sign-in, on sign-out (on any process), or, for a shop
 * signed in with its till key, as soon as the key is revoked: the row keeps the key's id only, and every page checks
 * again that the key is active.
 *
 * <p><b>Idle timeout slack.</b> To spare a write per request, {@code last_seen} is written only when the stored value
 * is older than a minute (or a tenth of the idle timeout, if that is shorter). The stored value may thus lag the last
 * request by up to that much, and a session may end up to a minute before it has been idle for the full timeout;
 * never later. Expired rows are ignored when read and deleted by {@link #sweep()}, every minute on every process.
 *
 * <p><b>Bounded.</b> Only signed-in sessions have rows. Past {@link WebSettings#maxSessions()} rows the sweep deletes
 * the least recently used, so the table holds at most that many plus the sign-ins of one minute.
 *
 * <p>Session times are real time, not the server's business {@link Clock} bean (which tests move by days). Every
 * method but {@link #cookie}, {@link #cleared}, {@link #csrfMatches} and {@link #csrfMatches(HttpRequest, String)}
 * reads or writes the database: call them off the event loop. Thread-safe.
 */
@Context // made at start: the CSRF filter needs the HMAC key, read from the database, on the event loop
public final class WebSessions {

    /** The session cookie's name. */
    public static final String COOKIE = "yui_session";
    /** The form field, header and (for file uploads) query parameter that carry the CSRF token. */
    public static final String CSRF_FIELD = "_csrf";
    public static final String CSRF_HEADER = "X-CSRF-Token";

    private static final int ID_BYTES = 32;
    /** What {@link #randomId()} makes: 32 bytes in unpadded base64url. Anything else in the cookie is ignored. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);
    private static final String HMAC = "HmacSHA256";
    private static final Argument<Map<String, Object>> ATTRIBUTES = Argument.mapOf(String.class, Object.class);

    private final Db db;
    private final JsonMapper json;
    private final WebSettings settings;
    private final Predicate<String> tillKeyActive;
    private final Clock clock;
    private final Duration touchEvery;
    private final SecretKeySpec csrfKey;
    private final SecureRandom random = new SecureRandom();

    @Inject
    WebSessions(Db db, JsonMapper json, WebSettings settings, ApiKeys apiKeys) {
        this(db, json, settings, apiKeys::isActive, Clock.systemUTC());
    }

    /**
     * Reads the CSRF tokens' key, making it first if no server has yet.
     *
     * @param tillKeyActive whether a till key, by its id, is still active (checked on every page of a shop's session)
     * @param clock         real time, for the sessions' timeouts
     * @throws Db.DbException if the database cannot be read
     */
    WebSessions(Db db, JsonMapper json, WebSettings settings, Predicate<String> tillKeyActive, Clock clock) {
        this.db = Objects.requireNonNull(db, "db");
        this.json = Objects.requireNonNull(json, "json");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.tillKeyActive = Objects.requireNonNull(tillKeyActive, "tillKeyActive");
        this.clock = Objects.requireNonNull(clock, "clock");
        Duration tenth = settings.sessionIdleTimeout().dividedBy(10);
        this.touchEvery = tenth.compareTo(TOUCH_EVERY) < 0 ? tenth : TOUCH_EVERY;
        this.csrfKey = new SecretKeySpec(loadOrMakeKey(), HMAC);
    }

    /**
     * A session: its id (the cookie's value, never stored), CSRF token, and who signed in (absent for the sign-in
     * page's session, which only the browser's cookie holds).
     */
    public static final class Session {
        private final String id;
        private final String csrfToken;
        private final SignedIn user;
        private final Instant createdAt;

        private Session(String id, String csrfToken, @Nullable SignedIn user, Instant createdAt) {
            this.id = id;
            this.csrfToken = csrfToken;
            this.user = user;
            this.createdAt = createdAt;
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
     * The request's live signed-in session, with a shop's till key checked again (a database read); a revoked key
     * ends the session.
     *
     * @return empty without a cookie, for an unknown, signed-out or expired id, or for a revoked till key
     * @throws Db.DbException if the database cannot be read
     */
    public Optional<Session> current(HttpRequest<?> request) {
        Optional<Session> session = peek(request);
        String tillKeyId = session.flatMap(Session::user).map(SignedIn::tillKeyId).orElse(null);
        if (tillKeyId != null && !tillKeyActive.test(tillKeyId)) {
            delete(session.get().id);
            return Optional.empty();
        }
        return session;
    }

    /**
     * The request's live signed-in session, by its cookie, without checking a till key again: one read by primary
     * key, and a write of {@code last_seen} at most once a minute.
     *
     * @return empty without a cookie, for an unknown, signed-out or expired id
     * @throws Db.DbException if the database cannot be read
     */
    public Optional<Session> peek(HttpRequest<?> request) {
        String id = idOf(request);
        if (id == null) {
            return Optional.empty();
        }
        Instant now = now();
        byte[] hash = sha256(id);
        Optional<Stored> stored = db.read(c -> Db.one(c, """
                select kind, display_name, subject, roles, attributes::text, till_key_id, created_at, last_seen
                from web_session where id_hash = ? and last_seen > ? and created_at > ?""", this::stored,
                hash, now.minus(settings.sessionIdleTimeout()), now.minus(settings.sessionMaxAge())));
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        if (!stored.get().lastSeen().isAfter(now.minus(touchEvery))) {
            // "< ?": another process may have moved it further already; never move it back.
            db.read(c -> Db.update(c, "update web_session set last_seen = ? where id_hash = ? and last_seen < ?",
                    now, hash, now));
        }
        return Optional.of(new Session(id, csrfToken(id), stored.get().user(), stored.get().createdAt()));
    }

    /**
     * The request's signed-in session, or a signed-out one for the sign-in form: the one the cookie names if it
     * holds a well-formed id (so two open sign-in pages keep working), else a new one. A signed-out session is not
     * stored; its cookie must go out with the response ({@link #cookie}).
     *
     * @throws Db.DbException if the database cannot be read
     */
    public Session open(HttpRequest<?> request) {
        return peek(request).orElseGet(() -> {
            String id = idOf(request);
            String anonymous = id != null ? id : randomId();
            return new Session(anonymous, csrfToken(anonymous), null, now());
        });
    }

    /**
     * Signs someone in: ends the request's session, if any, and stores a new one with a new id and CSRF token.
     *
     * @return the new session; its cookie must go out with the response ({@link #cookie})
     * @throws IllegalArgumentException if an attribute of the user's authentication cannot be stored as JSON (strings,
     *     numbers, booleans, UUIDs, lists and maps of them can, and dates as seconds since the epoch; the message names
     *     the attribute); nothing changed then
     * @throws Db.DbException if the database cannot be written
     */
    public Session signIn(HttpRequest<?> request, SignedIn user) {
        Objects.requireNonNull(user, "user");
        Authentication authentication = user.authentication();
        String attributes = attributesJson(authentication);
        signOut(request);
        String id = randomId();
        Instant now = now();
        db.read(c -> Db.update(c, """
                insert into web_session (id_hash, kind, display_name, subject, roles, attributes, till_key_id,
                                         created_at, last_seen)
                values (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)""",
                sha256(id), user.kind().name(), user.displayName(), authentication.getName(),
                c.createArrayOf("text", authentication.getRoles().toArray(String[]::new)), attributes,
                user.tillKeyId(), now, now));
        return new Session(id, csrfToken(id), user, now);
    }

    /**
     * Ends the request's session, if any, on every process.
     *
     * @throws Db.DbException if the database cannot be written
     */
    public void signOut(HttpRequest<?> request) {
        String id = idOf(request);
        if (id != null) {
            delete(id);
        }
    }

    /**
     * Whether {@code token} is the session's CSRF token, compared in constant time.
     *
     * @param token what the request carried; null or blank never matches
     */
    public static boolean csrfMatches(Session session, @Nullable String token) {
        return tokensMatch(session.csrfToken, token);
    }

    /**
     * Whether {@code token} is the CSRF token of the session the request's cookie names, without the database (for
     * {@link CsrfFilter}, on the event loop). It says nothing about whether that session is live or signed in: the
     * pages check that themselves.
     *
     * @param token what the request carried; null or blank never matches
     * @return false also without a well-formed session cookie
     */
    boolean csrfMatches(HttpRequest<?> request, @Nullable String token) {
        String id = idOf(request);
        return id != null && tokensMatch(csrfToken(id), token);
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

    /** How many sessions the database holds, live or expired but not swept yet, of every process. */
    long size() {
        return db.read(c -> Db.sum(c, "select count(*) from web_session"));
    }

    /**
     * Deletes expired sessions, then, past {@link WebSettings#maxSessions()}, the least recently used: those last seen
     * before the {@code maxSessions}-th most recent (so ties with it stay). Runs every minute on every process (a
     * second process deleting the same rows at once does no harm). The first statement reads the whole table, the
     * second walks the {@code last_seen} index over at most {@code maxSessions} entries: about 30 and 70 ms at
     * 100,000 sessions.
     */
    @Scheduled(fixedDelay = "1m", initialDelay = "1m")
    void sweep() {
        Instant now = now();
        db.read(c -> {
            Db.update(c, "delete from web_session where last_seen <= ? or created_at <= ?",
                    now.minus(settings.sessionIdleTimeout()), now.minus(settings.sessionMaxAge()));
            return Db.update(c, """
                    delete from web_session where last_seen < (
                        select last_seen from web_session order by last_seen desc offset ? limit 1)""",
                    settings.maxSessions() - 1);
        });
    }

    /** A row of {@code web_session}. */
    private record Stored(SignedIn user, Instant createdAt, Instant lastSeen) {
    }

    private Stored stored(ResultSet rs) throws SQLException {
        Authentication authentication = Authentication.build(rs.getString("subject"),
                List.of((String[]) rs.getArray("roles").getArray()), attributes(rs.getString("attributes")));
        SignedIn user = new SignedIn(SignedIn.Kind.valueOf(rs.getString("kind")), authentication,
                rs.getString("display_name"), rs.getString("till_key_id"));
        return new Stored(user, rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                rs.getObject("last_seen", OffsetDateTime.class).toInstant());
    }

    private void delete(String id) {
        db.read(c -> Db.update(c, "delete from web_session where id_hash = ?", sha256(id)));
    }

    private byte[] loadOrMakeKey() {
        byte[] fresh = new byte[32];
        random.nextBytes(fresh);
        return db.read(c -> {
            Db.update(c, "insert into web_session_key (secret, created_at) values (?, ?) on conflict do nothing",
                    fresh, clock.instant());
            return Db.one(c, "select secret from web_session_key", rs -> rs.getBytes(1)).orElseThrow();
        });
    }

    /** The authentication's attributes as a JSON object, refusing what would not come back as it went in. */
    private String attributesJson(Authentication authentication) {
        Map<String, Object> plain = new LinkedHashMap<>();
        authentication.getAttributes().forEach((name, value) -> plain.put(name, plain(name, value)));
        try {
            return json.writeValueAsString(plain);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the attributes of " + authentication.getName(), e);
        }
    }

    private static Object plain(String attribute, @Nullable Object value) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Number) {
            return value;
        }
        if (value instanceof UUID) {
            return value.toString();
        }
        // A token's times (exp, iat, nbf, auth_time) come as dates: kept as JWT NumericDate, seconds since the epoch.
        if (value instanceof java.util.Date date) {
            return date.toInstant().getEpochSecond();
        }
        if (value instanceof Instant instant) {
            return instant.getEpochSecond();
        }
        if (value instanceof Collection<?> values) {
            List<Object> out = new ArrayList<>(values.size());
            values.forEach(v -> out.add(plain(attribute, v)));
            return out;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new IllegalArgumentException("attribute " + attribute + " cannot be kept in a session: a map"
                            + " with a key that is no string (" + e.getKey() + ")");
                }
                out.put(key, plain(attribute, e.getValue()));
            }
            return out;
        }
        throw new IllegalArgumentException("attribute " + attribute + " cannot be kept in a session: "
                + value.getClass().getName() + " (strings, numbers, booleans, UUIDs, dates, lists and maps can)");
    }

    /** Attributes as stored; whole numbers come back as {@code Long} (as {@code region_id} went in), UUIDs as text. */
    private Map<String, Object> attributes(String text) {
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> read = (Map<String, Object>) wholeAsLong(json.readValue(text, ATTRIBUTES));
            return read;
        } catch (IOException e) {
            throw new UncheckedIOException("web_session.attributes is no JSON object", e);
        }
    }

    private static Object wholeAsLong(Object value) {
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof List<?> list) {
            return list.stream().map(WebSessions::wholeAsLong).toList();
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(k, wholeAsLong(v)));
            return out;
        }
        return value;
    }

    /** Microseconds, as PostgreSQL keeps them, so that what is compared is what was stored. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private String csrfToken(String id) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(csrfKey);
            byte[] tag = mac.doFinal(("csrf:" + id).getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(tag);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(HMAC + " is missing from this JVM", e);
        }
    }

    private static boolean tokensMatch(String expected, @Nullable String token) {
        if (token == null || token.isBlank()) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), token.getBytes(StandardCharsets.UTF_8));
    }

    private static @Nullable String idOf(HttpRequest<?> request) {
        String id = request.getCookies().findCookie(COOKIE).map(Cookie::getValue).orElse(null);
        return id != null && ID.matcher(id).matches() ? id : null;
    }

    private String randomId() {
        byte[] bytes = new byte[ID_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** What the table keeps of a session id (tests read rows by it). */
    static byte[] sha256(String id) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static boolean secure(HttpRequest<?> request) {
        return request.isSecure() || "https".equalsIgnoreCase(request.getHeaders().get("X-Forwarded-Proto"));
    }
}
