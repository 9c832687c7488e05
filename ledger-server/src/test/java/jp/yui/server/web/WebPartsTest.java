package jp.yui.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.http.HttpMethod;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.simple.SimpleHttpRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import jp.yui.server.infra.ProblemException;
import org.junit.jupiter.api.Test;

/** The pages' parts that need no server: session settings, forms, languages, charts and the message files. */
class WebPartsTest {

    /** A server-side request (the client's request type keeps no cookies). */
    private static MutableHttpRequest<?> get(String uri) {
        return new SimpleHttpRequest<>(HttpMethod.GET, uri, null);
    }

    @Test
    void sessionSettingsThatMakeNoSenseAreRefusedWithTheValue() {
        assertThatThrownBy(() -> new WebSettings(Duration.ofHours(2), Duration.ofHours(1), 100, 30))
                .hasMessage("yui.web.session-max-age must be at least the idle timeout: PT1H < PT2H");
        assertThatThrownBy(() -> new WebSettings(Duration.ZERO, Duration.ofHours(1), 100, 30))
                .hasMessage("yui.web.session-idle-timeout must be > 0: PT0S");
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
