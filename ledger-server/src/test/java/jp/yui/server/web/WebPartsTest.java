package jp.yui.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.http.HttpMethod;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.simple.SimpleHttpRequest;
import io.micronaut.security.authentication.Authentication;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import jp.yui.server.infra.ProblemException;
import jp.yui.testsupport.MutableClock;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The pages' parts that need no server: sessions, forms, languages, charts and the message files. */
class WebPartsTest {

    private static final WebSettings SETTINGS = new WebSettings(Duration.ofMinutes(30), Duration.ofHours(12), 10, 30);

    /** A server-side request (the client's request type keeps no cookies). */
    private static MutableHttpRequest<?> get(String uri) {
        return new SimpleHttpRequest<>(HttpMethod.GET, uri, null);
    }

    private static MutableHttpRequest<?> with(WebSessions.Session s, WebSessions sessions) {
        Cookie cookie = sessions.cookie(s, get("/app"));
        return get("/app/wallet").cookie(Cookie.of(WebSessions.COOKIE, cookie.getValue()));
    }

    private static SignedIn resident() {
        return new SignedIn(SignedIn.Kind.RESIDENT, Authentication.build("resident-001", List.of("resident"),
                Map.of("region_id", 1L)), "佐藤 花子", null);
    }

    @Nested
    class Sessions {
        @Test
        void aSessionEndsAfterItsIdleTimeoutAndAfterItsMaxAgeWhateverHappens() {
            MutableClock clock = new MutableClock(Instant.parse("2026-11-22T00:00:00Z"));
            WebSessions sessions = new WebSessions(SETTINGS, key -> true, clock);
            WebSessions.Session s = sessions.signIn(get("/app"), resident());
            clock.advance(Duration.ofMinutes(29));
            assertThat(sessions.current(with(s, sessions))).contains(s);
            clock.advance(Duration.ofMinutes(29));
            assertThat(sessions.current(with(s, sessions))).as("used 29 minutes ago: still live").contains(s);
            clock.advance(Duration.ofMinutes(30));
            assertThat(sessions.current(with(s, sessions))).as("idle for 30 minutes").isEmpty();

            WebSessions.Session busy = sessions.signIn(get("/app"), resident());
            for (int i = 0; i < 25; i++) {
                clock.advance(Duration.ofMinutes(29));
                sessions.current(with(busy, sessions));
            }
            assertThat(sessions.current(with(busy, sessions))).as("12 hours after sign-in").isEmpty();
        }

        @Test
        void signingInReplacesTheSessionSoAPlantedIdIsWorthless() {
            WebSessions sessions = new WebSessions(SETTINGS, key -> true, new MutableClock(Instant.now()));
            WebSessions.Session planted = sessions.open(get("/app/login"));
            WebSessions.Session signedIn = sessions.signIn(with(planted, sessions), resident());
            assertThat(sessions.current(with(planted, sessions))).isEmpty();
            assertThat(sessions.current(with(signedIn, sessions))).contains(signedIn);
            assertThat(signedIn.csrfToken()).isNotEqualTo(planted.csrfToken());
        }

        @Test
        void aShopsSessionEndsWhenItsTillKeyIsRevoked() {
            AtomicBoolean valid = new AtomicBoolean(true);
            WebSessions sessions = new WebSessions(SETTINGS, key -> valid.get(), new MutableClock(Instant.now()));
            WebSessions.Session till = sessions.signIn(get("/app"), new SignedIn(SignedIn.Kind.SHOP,
                    Authentication.build("yk1_x", List.of("merchant"), Map.of()), "みやき生鮮市場", "yk1_x.secret"));
            assertThat(sessions.current(with(till, sessions))).isPresent();
            valid.set(false);
            assertThat(sessions.current(with(till, sessions))).isEmpty();
            assertThat(resident().toString()).doesNotContain("secret");
            assertThat(till.toString()).doesNotContain("secret");
        }

        @Test
        void theStoreStaysBoundedAndDropsSignedOutSessionsFirst() {
            WebSessions sessions = new WebSessions(SETTINGS, key -> true, new MutableClock(Instant.now()));
            WebSessions.Session person = sessions.signIn(get("/app"), resident());
            for (int i = 0; i < 50; i++) {
                sessions.open(get("/app/login"));
            }
            assertThat(sessions.size()).isLessThanOrEqualTo(SETTINGS.maxSessions());
            assertThat(sessions.current(with(person, sessions))).contains(person);
        }

        @Test
        void aTokenMatchesOnlyItself() {
            WebSessions sessions = new WebSessions(SETTINGS, key -> true, new MutableClock(Instant.now()));
            WebSessions.Session s = sessions.open(get("/app/login"));
            assertThat(WebSessions.csrfMatches(s, s.csrfToken())).isTrue();
            assertThat(WebSessions.csrfMatches(s, s.csrfToken() + "x")).isFalse();
            assertThat(WebSessions.csrfMatches(s, "")).isFalse();
            assertThat(WebSessions.csrfMatches(s, null)).isFalse();
        }

        @Test
        void settingsThatMakeNoSenseAreRefusedWithTheValue() {
            assertThatThrownBy(() -> new WebSettings(Duration.ofHours(2), Duration.ofHours(1), 100, 30))
                    .hasMessage("yui.web.session-max-age must be at least the idle timeout: PT1H < PT2H");
            assertThatThrownBy(() -> new WebSettings(Duration.ZERO, Duration.ofHours(1), 100, 30))
                    .hasMessage("yui.web.session-idle-timeout must be > 0: PT0S");
        }
    }

    @Test
    void numbersAreReadAsPeopleTypeThem() {
        assertThat(Forms.number("amount", "５００")).isEqualTo(500);
        assertThat(Forms.number("amount", " 1,200円 ")).isEqualTo(1_200);
        assertThat(Forms.number("points", "510 pt")).isEqualTo(510);
        assertThat(Forms.number("amount", "")).isNull();
        assertThatThrownBy(() -> Forms.number("amount", "三百"))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageContaining("amount must be a whole number: 三百");
    }

    @Test
    void signInSendsPeopleOnlyToThesePages() {
        assertThat(LoginPage.safeNext("/app/wallet/history")).contains("/app/wallet/history");
        assertThat(LoginPage.safeNext("//evil.example/app")).isEmpty();
        assertThat(LoginPage.safeNext("https://evil.example/app")).isEmpty();
        assertThat(LoginPage.safeNext("/app/login")).isEmpty();
        assertThat(LoginPage.safeNext("/app\\@evil.example")).isEmpty();
        assertThat(LoginPage.safeNext(null)).isEmpty();
    }

    @Test
    void japaneseIsFirstAndEnglishSecond() {
        assertThat(WebLocale.of(get("/app/wallet"))).isEqualTo(Locale.JAPANESE);
        assertThat(WebLocale.of(get("/app/wallet").header("Accept-Language", "fr-FR,fr;q=0.9")))
                .isEqualTo(Locale.JAPANESE);
        assertThat(WebLocale.of(get("/app/wallet").header("Accept-Language", "en-US,en;q=0.9,ja;q=0.8")))
                .isEqualTo(Locale.ENGLISH);
        assertThat(WebLocale.of(get("/app/wallet").cookie(Cookie.of(WebLocale.COOKIE, "en"))))
                .isEqualTo(Locale.ENGLISH);
        MutableHttpRequest<?> asked = get("/app/wallet?lang=ja").cookie(Cookie.of(WebLocale.COOKIE, "en"));
        asked.getParameters().add(WebLocale.PARAM, "ja");
        assertThat(WebLocale.of(asked)).as("?lang= wins over the remembered choice").isEqualTo(Locale.JAPANESE);
        assertThat(new WebLocale().resolve(get("/regions/1/wallet"))).as("the API's locale is not ours")
                .isEmpty();
    }

    @Test
    void chartAxesClimbInRoundSteps() {
        assertThat(Charts.scale(0)).containsExactly(0, 1);
        assertThat(Charts.scale(50)).containsExactly(50, 5);
        assertThat(Charts.scale(20_500)).containsExactly(25_000, 5);
        assertThat(Charts.scale(1)).containsExactly(4, 4);
        assertThat(Charts.scale(999)).containsExactly(1_000, 4);
        assertThat(Charts.niceStep(3)).isEqualTo(5);
        assertThat(Charts.niceStep(21)).isEqualTo(25);
        assertThatThrownBy(() -> Charts.bars("x", List.of("a", "b"), List.of(new Charts.Series("s", List.of(1L))),
                Long::toString, "none")).hasMessage("series s has 1 values for 2 categories");
        String svg = Charts.bars("お金 <&>", List.of("11月\n2026年"), List.of(new Charts.Series("s", List.of(5L))),
                Long::toString, "none");
        assertThat(svg).contains("aria-label=\"お金 &lt;&amp;&gt;\"", "<tspan", "2026年");
    }

    @Test
    void bothLanguagesHaveEveryWordAndEveryPageAsksOnlyForWordsThatExist() throws IOException {
        Properties ja = load("i18n/web_ja.properties");
        Properties en = load("i18n/web_en.properties");
        assertThat(new TreeSet<>(en.stringPropertyNames())).isEqualTo(new TreeSet<>(ja.stringPropertyNames()));
        Set<String> used = new HashSet<>();
        Pattern key = Pattern.compile("#\\{([A-Za-z0-9.]+)[(}]");
        try (Stream<Path> views = Files.list(Paths.get("src/main/resources/views"))) {
            for (Path view : views.toList()) {
                Matcher m = key.matcher(Files.readString(view));
                while (m.find()) {
                    used.add(m.group(1));
                }
            }
        }
        assertThat(used).isNotEmpty().allSatisfy(k -> assertThat(ja.stringPropertyNames()).as(k).contains(k));
    }

    private static Properties load(String resource) throws IOException {
        Properties p = new Properties();
        try (InputStream in = WebPartsTest.class.getClassLoader().getResourceAsStream(resource)) {
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return p;
    }
}
