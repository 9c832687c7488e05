package jp.yui.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.http.HttpMethod;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.simple.SimpleHttpRequest;
import io.micronaut.json.JsonMapper;
import io.micronaut.security.authentication.Authentication;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import jp.yui.server.db.Db;
import jp.yui.server.infra.Caller;
import jp.yui.server.infra.ServerSchema;
import jp.yui.testsupport.MutableClock;
import jp.yui.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@link WebSessions} on a real PostgreSQL database, with its own clock: timeouts, sign-in, till keys, the CSRF tokens
 * and what the table holds. Several instances on one database stand for several server processes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebSessionsTest {

    private static final WebSettings SETTINGS = new WebSettings(Duration.ofMinutes(30), Duration.ofHours(12), 10, 30);
    private static final JsonMapper JSON = JsonMapper.createDefault();

    private final TestDatabase database = TestDatabase.create(ServerSchema.class);
    private final Db db = new Db(database.dataSource());

    @AfterAll
    void dropDatabase() {
        database.close();
    }

    @BeforeEach
    void noSessions() {
        db.read(c -> Db.update(c, "delete from web_session"));
    }

    private WebSessions sessions(Predicate<String> tillKeyActive, MutableClock clock) {
        return new WebSessions(db, JSON, SETTINGS, tillKeyActive, clock);
    }

    private WebSessions sessions(MutableClock clock) {
        return sessions(key -> true, clock);
    }

    /** A server-side request (the client's request type keeps no cookies). */
    private static MutableHttpRequest<?> get(String uri) {
        return new SimpleHttpRequest<>(HttpMethod.GET, uri, null);
    }

    /** A request that sends the session's cookie back. */
    private static MutableHttpRequest<?> with(WebSessions.Session s, WebSessions sessions) {
        return withId(idOf(s, sessions));
    }

    private static MutableHttpRequest<?> withId(String id) {
        return get("/app/wallet").cookie(Cookie.of(WebSessions.COOKIE, id));
    }

    private static String idOf(WebSessions.Session s, WebSessions sessions) {
        return sessions.cookie(s, get("/app")).getValue();
    }

    private static SignedIn resident() {
        return new SignedIn(SignedIn.Kind.RESIDENT, Authentication.build("resident-001", List.of("resident"),
                Map.of(Caller.REGION_ID, 1L, Caller.RESIDENT_ID, UUID.fromString("6c1f3bb0-57a4-4c43-9f6e-2b1d6c0a9d11"))),
                "佐藤 花子", null);
    }

    private static SignedIn shop(String keyId) {
        return new SignedIn(SignedIn.Kind.SHOP, Authentication.build(keyId, List.of("merchant"),
                Map.of(Caller.REGION_ID, 1L, Caller.KEY_ID, keyId, Caller.MERCHANT_ID, UUID.randomUUID().toString())),
                "みやき生鮮市場", keyId);
    }

    /** Who the request's live session belongs to, by the name the page header shows. */
    private static Optional<String> who(WebSessions sessions, MutableHttpRequest<?> request) {
        return sessions.current(request).flatMap(WebSessions.Session::user).map(SignedIn::displayName);
    }

    private Instant lastSeen(String id) {
        return db.read(c -> Db.one(c, "select last_seen from web_session where id_hash = ?",
                rs -> rs.getObject(1, java.time.OffsetDateTime.class).toInstant(), WebSessions.sha256(id))).orElseThrow();
    }

    @Test
    void aSessionEndsAfterItsIdleTimeoutAndAfterItsMaxAgeWhateverHappens() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-22T00:00:00Z"));
        WebSessions sessions = sessions(clock);
        WebSessions.Session s = sessions.signIn(get("/app"), resident());
        clock.advance(Duration.ofMinutes(29));
        assertThat(who(sessions, with(s, sessions))).contains("佐藤 花子");
        clock.advance(Duration.ofMinutes(29));
        assertThat(who(sessions, with(s, sessions))).as("used 29 minutes ago: still live").contains("佐藤 花子");
        clock.advance(Duration.ofMinutes(30));
        assertThat(sessions.current(with(s, sessions))).as("idle for 30 minutes").isEmpty();

        WebSessions.Session busy = sessions.signIn(get("/app"), resident());
        for (int i = 0; i < 24; i++) {
            clock.advance(Duration.ofMinutes(29));
            assertThat(who(sessions, with(busy, sessions))).as("after %d minutes", (i + 1) * 29).isPresent();
        }
        clock.advance(Duration.ofMinutes(24));
        assertThat(sessions.current(with(busy, sessions))).as("12 hours after sign-in").isEmpty();
    }

    @Test
    void lastSeenIsWrittenAtMostOnceAMinuteSoASessionMayEndUpToAMinuteEarlyButNeverLate() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-22T00:00:00Z"));
        WebSessions sessions = sessions(clock);
        WebSessions.Session s = sessions.signIn(get("/app"), resident());
        String id = idOf(s, sessions);
        Instant signedIn = lastSeen(id);

        clock.advance(Duration.ofSeconds(50));
        assertThat(who(sessions, with(s, sessions))).isPresent();
        assertThat(lastSeen(id)).as("50 s later: not written").isEqualTo(signedIn);
        clock.advance(Duration.ofSeconds(10));
        assertThat(who(sessions, with(s, sessions))).isPresent();
        assertThat(lastSeen(id)).as("a minute later: written").isEqualTo(signedIn.plusSeconds(60));

        clock.advance(Duration.ofSeconds(59));
        assertThat(who(sessions, with(s, sessions))).isPresent();
        clock.advance(Duration.ofMinutes(29).plusSeconds(1));
        assertThat(sessions.current(with(s, sessions)))
                .as("29 min 1 s after the last request, 30 min after the last write: ended, 59 s early").isEmpty();
    }

    @Test
    void signingInReplacesTheSessionSoAPlantedIdIsWorthless() {
        WebSessions sessions = sessions(new MutableClock(Instant.now()));
        WebSessions.Session planted = sessions.open(get("/app/login"));
        assertThat(planted.user()).isEmpty();
        assertThat(sessions.size()).as("the sign-in page stores nothing").isZero();
        WebSessions.Session signedIn = sessions.signIn(with(planted, sessions), resident());
        assertThat(sessions.current(with(planted, sessions))).isEmpty();
        assertThat(who(sessions, with(signedIn, sessions))).contains("佐藤 花子");
        assertThat(idOf(signedIn, sessions)).isNotEqualTo(idOf(planted, sessions));
        assertThat(signedIn.csrfToken()).isNotEqualTo(planted.csrfToken());

        WebSessions.Session again = sessions.signIn(with(signedIn, sessions), resident());
        assertThat(sessions.current(with(signedIn, sessions))).as("signing in again ends the old session").isEmpty();
        assertThat(sessions.size()).isEqualTo(1);
        sessions.signOut(with(again, sessions));
        assertThat(sessions.current(with(again, sessions))).isEmpty();
        assertThat(sessions.size()).isZero();
    }

    @Test
    void theSignInPageKeepsTheCookiesIdSoTwoOpenPagesKeepWorking() {
        WebSessions sessions = sessions(new MutableClock(Instant.now()));
        WebSessions.Session first = sessions.open(get("/app/login"));
        WebSessions.Session second = sessions.open(with(first, sessions));
        assertThat(idOf(second, sessions)).isEqualTo(idOf(first, sessions));
        assertThat(second.csrfToken()).isEqualTo(first.csrfToken());
        assertThat(idOf(sessions.open(withId("not-an-id")), sessions)).as("a malformed cookie is replaced")
                .matches("[A-Za-z0-9_-]{43}");
        WebSessions.Session signedIn = sessions.signIn(with(first, sessions), resident());
        assertThat(sessions.open(with(signedIn, sessions)).user()).as("a signed-in session is the session")
                .map(SignedIn::displayName).contains("佐藤 花子");
    }

    @Test
    void aShopsSessionEndsWhenItsTillKeyIsRevoked() {
        AtomicBoolean active = new AtomicBoolean(true);
        List<String> asked = new ArrayList<>();
        WebSessions sessions = sessions(key -> asked.add(key) && active.get(), new MutableClock(Instant.now()));
        WebSessions.Session till = sessions.signIn(get("/app"), shop("yk1_0123456789abcdef0123"));
        assertThat(who(sessions, with(till, sessions))).contains("みやき生鮮市場");
        assertThat(asked).containsExactly("yk1_0123456789abcdef0123");
        assertThat(sessions.peek(with(till, sessions))).as("peek does not ask").isPresent();
        assertThat(asked).hasSize(1);

        active.set(false);
        assertThat(sessions.current(with(till, sessions))).isEmpty();
        assertThat(sessions.peek(with(till, sessions))).as("the session ended, not only this request").isEmpty();
        assertThat(sessions.size()).isZero();

        WebSessions.Session person = sessions.signIn(get("/app"), resident());
        assertThat(who(sessions, with(person, sessions))).as("people have no till key to check").isPresent();
        assertThat(asked).hasSize(2);
    }

    @Test
    void aSignedInPersonComesBackFromTheDatabaseAsTheyWentIn() {
        WebSessions sessions = sessions(new MutableClock(Instant.now()));
        SignedIn resident = resident();
        WebSessions.Session s = sessions.signIn(get("/app"), resident);
        SignedIn back = sessions.current(with(s, sessions)).flatMap(WebSessions.Session::user).orElseThrow();
        assertThat(back.kind()).isEqualTo(SignedIn.Kind.RESIDENT);
        assertThat(back.displayName()).isEqualTo("佐藤 花子");
        assertThat(back.tillKeyId()).isNull();
        assertThat(back.caller()).isEqualTo(resident.caller());
        assertThat(back.authentication().getAttributes()).containsEntry(Caller.REGION_ID, 1L)
                .containsEntry(Caller.RESIDENT_ID, "6c1f3bb0-57a4-4c43-9f6e-2b1d6c0a9d11");

        SignedIn shop = shop("yk1_0123456789abcdef0123");
        SignedIn shopBack = sessions.current(with(sessions.signIn(get("/app"), shop), sessions))
                .flatMap(WebSessions.Session::user).orElseThrow();
        assertThat(shopBack.tillKeyId()).isEqualTo("yk1_0123456789abcdef0123");
        assertThat(shopBack.caller()).isEqualTo(shop.caller());

        SignedIn nested = new SignedIn(SignedIn.Kind.FINANCE, Authentication.build("finance-1", List.of("finance"),
                Map.of(Caller.REGION_ID, 7, "aud", List.of("yui", "town"), "flags", Map.of("beta", true, "level", 2.5))),
                "財務 一郎", null);
        SignedIn nestedBack = sessions.current(with(sessions.signIn(get("/app"), nested), sessions))
                .flatMap(WebSessions.Session::user).orElseThrow();
        assertThat(nestedBack.authentication().getAttributes()).isEqualTo(Map.of(Caller.REGION_ID, 7L,
                "aud", List.of("yui", "town"), "flags", Map.of("beta", true, "level", 2.5)));
        assertThat(nestedBack.authentication().getRoles()).containsExactly("finance");

        // An ID token's times come as dates (java.util.Date from the JWT library): kept as seconds since the epoch.
        SignedIn fromToken = new SignedIn(SignedIn.Kind.RESIDENT, Authentication.build("sub-1", List.of("resident"),
                Map.of(Caller.REGION_ID, 1L, "exp", java.util.Date.from(Instant.parse("2026-11-22T00:10:00Z")),
                        "iat", Instant.parse("2026-11-22T00:00:00Z"))), "住民", null);
        SignedIn fromTokenBack = sessions.current(with(sessions.signIn(get("/app"), fromToken), sessions))
                .flatMap(WebSessions.Session::user).orElseThrow();
        assertThat(fromTokenBack.authentication().getAttributes()).containsEntry("exp", 1_795_306_200L)
                .containsEntry("iat", 1_795_305_600L);
    }

    @Test
    void anAttributeThatWouldNotComeBackIsRefusedAndNothingChanges() {
        WebSessions sessions = sessions(new MutableClock(Instant.now()));
        WebSessions.Session before = sessions.signIn(get("/app"), resident());
        SignedIn odd = new SignedIn(SignedIn.Kind.FINANCE, Authentication.build("finance-1", List.of("finance"),
                Map.of(Caller.REGION_ID, 1L, "birthday", java.time.LocalDate.parse("1946-11-03"))), "財務 一郎", null);
        assertThatThrownBy(() -> sessions.signIn(with(before, sessions), odd))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("attribute birthday cannot be kept in a session: java.time.LocalDate (strings, numbers,"
                        + " booleans, UUIDs, dates, lists and maps can)");
        assertThat(who(sessions, with(before, sessions))).as("the old session is still there").isPresent();
    }

    @Test
    void aTillKeyIdMustBeTheAuthenticationsAndTheKeyItselfIsNeverPrinted() {
        Authentication till = Authentication.build("yk1_0123456789abcdef0123", List.of("merchant"),
                Map.of(Caller.KEY_ID, "yk1_0123456789abcdef0123"));
        assertThatThrownBy(() -> new SignedIn(SignedIn.Kind.SHOP, till, "店", "yk1_0123456789abcdef0123.s3cret"))
                .hasMessage("tillKeyId must be the key_id of a shop's authentication (kind SHOP, key_id"
                        + " yk1_0123456789abcdef0123)");
        assertThatThrownBy(() -> new SignedIn(SignedIn.Kind.RESIDENT, till, "店", "yk1_0123456789abcdef0123"))
                .hasMessageContaining("kind RESIDENT");
    }

    @Test
    void aTokenMatchesOnlyItsOwnSessionAndEveryProcessComputesTheSame() {
        MutableClock clock = new MutableClock(Instant.now());
        WebSessions sessions = sessions(clock);
        WebSessions other = sessions(clock);
        WebSessions.Session s = sessions.open(get("/app/login"));
        assertThat(WebSessions.csrfMatches(s, s.csrfToken())).isTrue();
        assertThat(WebSessions.csrfMatches(s, s.csrfToken() + "x")).isFalse();
        assertThat(WebSessions.csrfMatches(s, "")).isFalse();
        assertThat(WebSessions.csrfMatches(s, null)).isFalse();

        MutableHttpRequest<?> request = with(s, sessions);
        assertThat(sessions.csrfMatches(request, s.csrfToken())).isTrue();
        assertThat(other.csrfMatches(request, s.csrfToken())).as("another process, same key").isTrue();
        assertThat(sessions.csrfMatches(request, sessions.open(get("/app/login")).csrfToken()))
                .as("another session's token").isFalse();
        assertThat(sessions.csrfMatches(get("/app"), s.csrfToken())).as("no cookie").isFalse();
        assertThat(sessions.csrfMatches(withId(s.csrfToken()), s.csrfToken())).as("the token as the id").isFalse();
    }

    @Test
    void theTableHoldsNeitherTheSessionIdNorItsToken() throws SQLException {
        WebSessions sessions = sessions(new MutableClock(Instant.now()));
        WebSessions.Session s = sessions.signIn(get("/app"), shop("yk1_0123456789abcdef0123"));
        String id = idOf(s, sessions);
        try (Connection c = database.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select encode(id_hash, 'hex'), row_to_json(s)::text from web_session s")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo(HexFormat.of().formatHex(WebSessions.sha256(id)));
            assertThat(rs.getString(2)).doesNotContain(id, s.csrfToken())
                    .contains("yk1_0123456789abcdef0123", "みやき生鮮市場");
            assertThat(rs.next()).isFalse();
        }
    }

    @Test
    void theSweepDeletesExpiredSessionsAndKeepsTheStoreBounded() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-22T00:00:00Z"));
        WebSessions sessions = sessions(clock);
        WebSessions.Session old = sessions.signIn(get("/app"), resident());
        clock.advance(Duration.ofMinutes(31));
        List<WebSessions.Session> later = new ArrayList<>();
        for (int i = 0; i < 14; i++) {
            later.add(sessions.signIn(get("/app"), resident()));
            clock.advance(Duration.ofSeconds(1));
        }
        for (int i = 0; i < 50; i++) {
            sessions.open(get("/app/login"));
        }
        assertThat(sessions.size()).isEqualTo(15);

        sessions.sweep();

        assertThat(sessions.size()).as("max-sessions").isEqualTo(SETTINGS.maxSessions());
        assertThat(sessions.current(with(later.get(3), sessions))).as("least recently used").isEmpty();
        assertThat(who(sessions, with(later.get(4), sessions))).isPresent();
        assertThat(who(sessions, with(later.get(13), sessions))).isPresent();
        long idle = db.read(c -> Db.sum(c, "select count(*) from web_session where id_hash = ?",
                (Object) WebSessions.sha256(idOf(old, sessions))));
        assertThat(idle).as("the idle one").isZero();
    }
}
