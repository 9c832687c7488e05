package jp.yui.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.simple.SimpleHttpRequest;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import jp.yui.server.ServerTest;
import jp.yui.server.demo.DemoTown;
import jp.yui.server.infra.Caller;
import jp.yui.server.resident.Residents;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/**
 * Residents and staff sign in with the town's account, through a provider of the tests' own ({@link TownIdp}) that
 * checks the client secret, the redirect URI and the PKCE verifier as a real one does. Over plain HTTP: every way the
 * round trip can be spoiled (the provider's no, a state this browser did not start, a used or lapsed sign-in, ID
 * tokens with the wrong nonce, audience or issuer, expired or signed by another key, people the pages do not serve,
 * open redirects) ends on the sign-in page with nothing signed in. In Chromium: a resident and a finance clerk sign in
 * through the real redirects.
 */
class OidcLoginTest extends ServerTest {

    private static final String CLIENT_ID = "yui-pages";
    private static final String CLIENT_SECRET = "s3cret:with/odd&chars";
    private static final long REGION = DemoTown.REGION;
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private TownIdp idp;
    private URI base;

    @Override
    protected Map<String, String> properties() {
        idp = TownIdp.start(CLIENT_ID, CLIENT_SECRET);
        return Map.of("yui.web.oidc.issuer", idp.issuer(), "yui.web.oidc.client-id", CLIENT_ID,
                "yui.web.oidc.client-secret", CLIENT_SECRET, "yui.expiry.initial-delay", "1h",
                "yui.seals.initial-delay", "1h");
    }

    @BeforeAll
    void accounts() {
        base = applicationContext.getBean(EmbeddedServer.class).getURI();
        idp.registerRedirectUri(base.resolve(OidcLoginController.CALLBACK).toString());
        UUID hanako = applicationContext.getBean(Residents.class).residentOf(new Caller("resident-002",
                Set.of("resident"), Optional.of(REGION), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty()), REGION).orElseThrow();
        // resident-001 is found by subject, as the API finds a resident whose token names none; resident-002's
        // token names her.
        idp.add(TownIdp.Account.of("resident-001", "住民 一郎", REGION, "resident"));
        idp.add(new TownIdp.Account("resident-002", List.of("resident"), REGION, hanako, "住民 花子"));
        idp.add(TownIdp.Account.of("finance-1", "会計 太郎", REGION, "finance"));
        idp.add(TownIdp.Account.of("officer-1", "事業 次郎", REGION, "programme-officer"));
        idp.add(TownIdp.Account.of("cashier-1", "窓口 三郎", REGION, "cashier"));
        idp.add(TownIdp.Account.of("integration-1", "歩数計", REGION, "integration"));
        idp.add(TownIdp.Account.of("nobody-1", "役割なし", REGION));
        idp.add(TownIdp.Account.of("till-1", "レジ", REGION, "merchant"));
        idp.add(TownIdp.Account.of("platform-admin", "全体管理", null, "admin"));
        idp.add(TownIdp.Account.of("finance-elsewhere", "よその町", 999L, "finance"));
        idp.add(TownIdp.Account.of("stranger", "未登録の人", REGION, "resident"));
    }

    @BeforeAll
    void listenToTheLog() {
        log.start();
        ((Logger) LoggerFactory.getLogger(OidcLoginController.class)).addAppender(log);
    }

    @AfterAll
    void stopProvider() {
        ((Logger) LoggerFactory.getLogger(OidcLoginController.class)).detachAppender(log);
        idp.close();
    }

    // --- signing in ---

    @Test
    void aResidentSignsInWithTheTownsAccountAndLandsOnTheirWallet() {
        WebClient b = new WebClient(base);
        String login = b.get("/app/login").body();
        assertThat(login.indexOf("町のアカウントでログイン")).as("the town's account comes first")
                .isPositive().isLessThan(login.indexOf("デモの町の人")).isLessThan(login.indexOf("お店の方"));

        HttpResponse<String> start = b.get("/app/login/oidc");
        assertThat(start.statusCode()).isEqualTo(302);
        assertThat(start.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(start.headers().firstValue("Set-Cookie")).hasValueSatisfying(c -> assertThat(c)
                .startsWith(OidcLoginController.COOKIE + "=").containsIgnoringCase("HttpOnly")
                .contains("SameSite=Lax", "Path=/app/login/oidc"));
        URI authorize = URI.create(start.headers().firstValue("Location").orElseThrow());
        assertThat(authorize.toString()).startsWith(idp.issuer() + "/authorize?");
        Map<String, String> query = TownIdp.query(authorize.getRawQuery());
        assertThat(query).containsEntry("response_type", "code").containsEntry("client_id", CLIENT_ID)
                .containsEntry("scope", "openid profile").containsEntry("code_challenge_method", "S256")
                .containsEntry("redirect_uri", base + "/app/login/oidc/callback").containsEntry("ui_locales", "ja");
        assertThat(query.get("state")).isEqualTo(b.cookie(OidcLoginController.COOKIE));
        // The provider's own sign-in page takes the request.
        assertThat(b.get(authorize.toString()).body()).contains("みやき町アカウントでログイン", "resident-001");

        int tokens = idp.tokensIssued();
        HttpResponse<String> back = b.get(idp.approve(authorize, "resident-001", TownIdp.Spoil.NOTHING).toString());
        assertThat(back.statusCode()).as(back.body()).isEqualTo(303);
        assertThat(back.headers().firstValue("Location")).hasValue("/app/wallet");
        assertThat(idp.tokensIssued()).isEqualTo(tokens + 1);
        assertThat(b.cookie(OidcLoginController.COOKIE)).as("the sign-in's cookie is gone").isNull();
        HttpResponse<String> wallet = b.get("/app/wallet");
        assertThat(wallet.statusCode()).as(wallet.body()).isEqualTo(200);
        assertThat(wallet.body()).contains("お財布", "510 pt", "健康ポイント");

        SignedIn user = signedIn(b).orElseThrow();
        assertThat(user.kind()).isEqualTo(SignedIn.Kind.RESIDENT);
        Caller caller = user.caller();
        assertThat(caller.subject()).isEqualTo("resident-001");
        assertThat(caller.roles()).containsExactly("resident");
        assertThat(caller.regionId()).contains(REGION);
        // The name the town registered them under, not the provider's.
        assertThat(user.displayName()).isNotEqualTo("住民 一郎").isEqualTo(applicationContext.getBean(Residents.class)
                .require(REGION, applicationContext.getBean(Residents.class).residentOf(caller, REGION).orElseThrow())
                .displayName());
    }

    @Test
    void aResidentWhoseTokenNamesThemGoesWhereTheyWereGoing() {
        WebClient b = new WebClient(base);
        HttpResponse<String> away = b.get("/app/wallet/history");
        assertThat(away.headers().firstValue("Location")).hasValue("/app/login?next=%2Fapp%2Fwallet%2Fhistory");
        assertThat(b.get(away.headers().firstValue("Location").orElseThrow()).body())
                .contains("href=\"/app/login/oidc?next=/app/wallet/history\"");
        HttpResponse<String> back = signIn(b, "/app/wallet/history", "resident-002", TownIdp.Spoil.NOTHING);
        assertThat(back.headers().firstValue("Location")).hasValue("/app/wallet/history");
        assertThat(b.get("/app/wallet/history").statusCode()).isEqualTo(200);
        assertThat(signedIn(b).orElseThrow().caller().residentId()).isPresent();
    }

    @Test
    void financeAndOfficersLandOnTheirPages() {
        WebClient finance = new WebClient(base);
        assertThat(signIn(finance, null, "finance-1", TownIdp.Spoil.NOTHING).headers().firstValue("Location"))
                .hasValue("/app/finance");
        HttpResponse<String> overview = finance.get("/app/finance");
        assertThat(overview.statusCode()).as(overview.body()).isEqualTo(200);
        assertThat(overview.body()).contains("会計 太郎", "町のお金の流れ");
        assertThat(finance.get("/app/wallet").statusCode()).as("finance staff are no resident").isEqualTo(403);

        WebClient officer = new WebClient(base);
        assertThat(signIn(officer, null, "officer-1", TownIdp.Spoil.NOTHING).headers().firstValue("Location"))
                .hasValue("/app/officer");
        assertThat(officer.get("/app/officer").body()).contains("事業 次郎", "ポイントの付与");
    }

    @Test
    void signingOutEndsThePagesSessionAndTheProviders() {
        WebClient b = new WebClient(base);
        signIn(b, null, "finance-1", TownIdp.Spoil.NOTHING);
        b.get("/app/finance");
        HttpResponse<String> out = b.submit("/app/logout", Map.of());
        // A page that moves on to the provider by itself (a redirect would break the form's form-action 'self').
        assertThat(out.statusCode()).isEqualTo(200);
        String providerLogout = (idp.issuer() + "/logout?client_id=" + CLIENT_ID + "&post_logout_redirect_uri="
                + enc(base + "/app/login")).replace("&", "&amp;");
        assertThat(out.body()).contains("ログアウトしました", "<meta http-equiv=\"refresh\" content=\"0; url=" + providerLogout
                + "\">", "href=\"" + providerLogout + "\"");
        assertThat(b.cookie(WebSessions.COOKIE)).isNull();
        assertThat(b.get("/app/finance").statusCode()).isEqualTo(303);

        // Someone from the demo list never signed in at the provider: straight back to the sign-in page.
        b.get("/app/login");
        b.submit("/app/login/demo", Map.of("who", "finance"));
        b.get("/app/finance");
        assertThat(b.submit("/app/logout", Map.of()).headers().firstValue("Location")).hasValue("/app/login");
    }

    @Test
    void aSeveralAudienceTokenIsTakenWhenItsAuthorizedPartyIsThePages() {
        WebClient b = new WebClient(base);
        HttpResponse<String> back = signIn(b, null, "finance-1", TownIdp.Spoil.claims(c -> c
                .audience(List.of(CLIENT_ID, "town-portal")).claim("azp", CLIENT_ID)));
        assertThat(back.headers().firstValue("Location")).hasValue("/app/finance");
    }

    @Test
    void theDemoTownsListStillSignsIn() {
        WebClient b = new WebClient(base);
        b.get("/app/login");
        HttpResponse<String> in = b.submit("/app/login/demo", Map.of("who", "resident-001"));
        assertThat(in.headers().firstValue("Location")).hasValue("/app/wallet");
        assertThat(b.get("/app/wallet").body()).contains("510 pt");
    }

    // --- refusals: the round trip ---

    @Test
    void theProvidersNoIsShownAndItsSignInCannotBeUsedAfterwards() {
        WebClient b = new WebClient(base);
        URI authorize = start(b, null);
        String cookie = b.cookie(OidcLoginController.COOKIE);
        HttpResponse<String> denied = b.get(idp.deny(authorize).toString());
        refused(b, denied, 401, "町のアカウントでのログインは取り消されました",
                "the provider answered error access_denied (The user said no)");
        b.cookie(OidcLoginController.COOKIE, cookie);
        HttpResponse<String> after = b.get(idp.approve(authorize, "resident-001", TownIdp.Spoil.NOTHING).toString());
        refused(b, after, 400, "ログインの手続きが古いか、すでに使われています", "no sign-in waits for this state");
    }

    @Test
    void aSignInStartedInAnotherBrowserIsRefused() {
        WebClient attacker = new WebClient(base);
        URI attackersRequest = start(attacker, null);
        URI attackersCallback = idp.approve(attackersRequest, "finance-1", TownIdp.Spoil.NOTHING);
        int tokens = idp.tokensIssued();

        WebClient victim = new WebClient(base);
        start(victim, null); // the victim's own sign-in, with a cookie of its own
        refused(victim, victim.get(attackersCallback.toString()), 400, "ログインの手続きが古いか、すでに使われています",
                "the state is not the one this browser's sign-in was sent with");
        WebClient fresh = new WebClient(base); // no cookie at all
        refused(fresh, fresh.get(attackersCallback.toString()), 400, "ログインの手続きが古いか、すでに使われています",
                "the browser has no yui_oidc cookie");
        assertThat(idp.tokensIssued()).as("no code was traded").isEqualTo(tokens);
    }

    @Test
    void aCallbackWithoutTheBrowsersCookieIsRefused() {
        WebClient b = new WebClient(base);
        URI callback = idp.approve(start(b, null), "resident-001", TownIdp.Spoil.NOTHING);
        b.forget(OidcLoginController.COOKIE);
        refused(b, b.get(callback.toString()), 400, "ログインの手続きが古いか、すでに使われています", "the browser has no yui_oidc cookie");
    }

    @Test
    void aStateNobodyIssuedIsRefusedEvenWithAMatchingCookie() {
        WebClient b = new WebClient(base);
        URI callback = idp.approve(start(b, null), "resident-001", TownIdp.Spoil.NOTHING);
        String forged = "A".repeat(43);
        b.cookie(OidcLoginController.COOKIE, forged);
        String code = TownIdp.query(callback.getRawQuery()).get("code");
        refused(b, b.get("/app/login/oidc/callback?code=" + enc(code) + "&state=" + forged), 400,
                "ログインの手続きが古いか、すでに使われています", "no sign-in waits for this state");
        refused(b, b.get("/app/login/oidc/callback?code=" + enc(code)), 400, "ログインの手続きが古いか、すでに使われています",
                "without a state");
    }

    @Test
    void aSignInIsUsedOnce() {
        WebClient b = new WebClient(base);
        URI authorize = start(b, null);
        String cookie = b.cookie(OidcLoginController.COOKIE);
        URI callback = idp.approve(authorize, "resident-001", TownIdp.Spoil.NOTHING);
        assertThat(b.get(callback.toString()).statusCode()).isEqualTo(303);
        WebClient replay = new WebClient(base);
        replay.cookie(OidcLoginController.COOKIE, cookie);
        refused(replay, replay.get(callback.toString()), 400, "ログインの手続きが古いか、すでに使われています",
                "no sign-in waits for this state");
    }

    @Test
    void aSignInThatStayedAtTheProviderTooLongIsRefused() throws SQLException {
        WebClient b = new WebClient(base);
        URI callback = idp.approve(start(b, null), "resident-001", TownIdp.Spoil.NOTHING);
        byte[] stateHash = OidcLogins.sha256(b.cookie(OidcLoginController.COOKIE));
        try (Connection c = dataSource().getConnection(); PreparedStatement s = c.prepareStatement("update web_oidc_login"
                + " set created_at = now() - interval '11 minutes', expires_at = now() - interval '1 minute'"
                + " where state_hash = ?")) {
            s.setBytes(1, stateHash);
            assertThat(s.executeUpdate()).isEqualTo(1);
        }
        refused(b, b.get(callback.toString()), 400, "ログインの手続きが古いか、すでに使われています", "no sign-in waits for this state");
        try (Connection c = dataSource().getConnection();
                PreparedStatement s = c.prepareStatement("select count(*) from web_oidc_login where state_hash = ?")) {
            s.setBytes(1, stateHash);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                assertThat(rs.getLong(1)).as("the lapsed sign-in was deleted when it came back").isZero();
            }
        }
    }

    @Test
    void aCallbackWithoutACodeIsRefused() {
        WebClient b = new WebClient(base);
        start(b, null);
        String state = b.cookie(OidcLoginController.COOKIE);
        refused(b, b.get("/app/login/oidc/callback?state=" + state), 401, "町のアカウントを確かめられませんでした",
                "without a code");
    }

    // --- refusals: the ID token ---

    static Stream<Arguments> spoiledTokens() {
        Instant now = Instant.now();
        return Stream.of(
                Arguments.of("another sign-in's nonce", TownIdp.Spoil.claims(c -> c.claim("nonce", "n".repeat(43))),
                        "the ID token's nonce is not this sign-in's"),
                Arguments.of("no nonce", TownIdp.Spoil.claims(c -> c.claim("nonce", null)),
                        "the ID token's nonce is not this sign-in's"),
                Arguments.of("another client's audience", TownIdp.Spoil.claims(c -> c.audience("town-portal")),
                        "the ID token's aud [town-portal] does not name client yui-pages"),
                Arguments.of("several audiences and no azp", TownIdp.Spoil.claims(c -> c
                        .audience(List.of(CLIENT_ID, "town-portal"))), "names several audiences"),
                Arguments.of("another client as azp", TownIdp.Spoil.claims(c -> c.claim("azp", "town-portal")),
                        "the ID token's azp town-portal is not client yui-pages"),
                Arguments.of("another issuer", TownIdp.Spoil.claims(c -> c.issuer("https://idp.evil.example")),
                        "the ID token's iss https://idp.evil.example is not"),
                Arguments.of("expired", TownIdp.Spoil.claims(c -> c.issueTime(Date.from(now.minus(Duration.ofMinutes(20))))
                        .expirationTime(Date.from(now.minus(Duration.ofMinutes(10))))), "the ID token expired at"),
                Arguments.of("no expiry", TownIdp.Spoil.claims(c -> c.expirationTime(null)), "the ID token has no exp"),
                Arguments.of("issued in an hour", TownIdp.Spoil.claims(c -> c
                        .issueTime(Date.from(now.plus(Duration.ofHours(1))))
                        .expirationTime(Date.from(now.plus(Duration.ofHours(2))))), "was issued in the future"),
                Arguments.of("signed by another key with the same kid", TownIdp.Spoil.signedByAnotherKey(),
                        "the ID token's signature does not verify (RS256, kid town-key-1)"),
                Arguments.of("a resident id that is no UUID", TownIdp.Spoil.claims(c -> c.claim("resident_id", "r-1")),
                        "claim resident_id is malformed: r-1"));
    }

    @ParameterizedTest(name = "an ID token with {0} is refused")
    @MethodSource("spoiledTokens")
    void aSpoiledIdTokenIsRefused(String what, TownIdp.Spoil spoil, String why) {
        WebClient b = new WebClient(base);
        refused(b, signIn(b, null, "resident-001", spoil), 401, "町のアカウントを確かめられませんでした", why);
    }

    // --- refusals: people the pages do not serve ---

    static Stream<Arguments> notServed() {
        String none = "このアカウントで使える画面はありません";
        String notThisTown = "このアカウントは、この町のものではありません";
        return Stream.of(
                Arguments.of("cashier-1", none, "the pages serve none of the roles of cashier-1 [cashier]"),
                Arguments.of("integration-1", none, "the pages serve none of the roles of integration-1 [integration]"),
                Arguments.of("nobody-1", none, "the pages serve none of the roles of nobody-1 []"),
                Arguments.of("till-1", "お店の方は、下の「お店の方」からレジの鍵でログインしてください",
                        "shops sign in with a till key, not as till-1 [merchant]"),
                Arguments.of("platform-admin", notThisTown, "the ID token of platform-admin [admin] names no region"),
                Arguments.of("finance-elsewhere", notThisTown, "belongs to region 999, which this server does not have"),
                Arguments.of("stranger", "この町の住民として登録されていません", "stranger is no registered resident of region 1"));
    }

    @ParameterizedTest(name = "{0} is refused")
    @MethodSource("notServed")
    void someoneThePagesDoNotServeIsRefused(String subject, String message, String why) {
        WebClient b = new WebClient(base);
        refused(b, signIn(b, null, subject, TownIdp.Spoil.NOTHING), 403, message, why);
    }

    // --- open redirects ---

    @Test
    void signInGoesOnlyToThesePages() {
        for (String next : List.of("https://evil.example/app", "//evil.example/app", "/\\evil.example", "/app/login/oidc",
                "javascript:alert(1)")) {
            WebClient b = new WebClient(base);
            assertThat(signIn(b, next, "resident-001", TownIdp.Spoil.NOTHING).headers().firstValue("Location"))
                    .as("next=%s", next).hasValue("/app/wallet");
        }
        // The way back names no page: one added to the provider's answer is ignored.
        WebClient b = new WebClient(base);
        URI callback = idp.approve(start(b, "/app/wallet/history"), "resident-001", TownIdp.Spoil.NOTHING);
        HttpResponse<String> back = b.get(callback + "&next=" + enc("https://evil.example/"));
        assertThat(back.headers().firstValue("Location")).hasValue("/app/wallet/history");
    }

    // --- in Chromium ---

    @Test
    void aResidentAndAFinanceClerkSignInThroughTheRealRedirectsInChromium() {
        try (Browser b = Browser.start(base, Browser.Options.plain())) {
            b.open("/app/login");
            assertThat(b.all("main a.button, main button").get(0).getText()).isEqualTo("町のアカウントでログイン");
            WebPagesTest.check(b, "login with the town's account", new ArrayList<>(), false);
            b.screenshots("login-town");

            b.click("町のアカウントでログイン");
            assertThat(b.driver().getCurrentUrl()).startsWith(idp.issuer() + "/authorize?");
            b.click("resident-001");
            assertThat(b.path()).isEqualTo("/app/wallet");
            assertThat(b.find(".balance[data-asset='HEALTH-PT']").getText()).contains("健康ポイント", "510 pt");
            assertThat(b.find(".balance[data-asset='MIYAKI-PAY']").getText()).contains("地域通貨");
            int logouts = idp.logouts();
            b.click("ログアウト");
            // The signed-out page goes on to the provider, which sends the browser back to the sign-in page.
            b.waitFor(WAIT, d -> b.path().equals("/app/login"));
            assertThat(idp.logouts()).as("signed out at the provider too").isEqualTo(logouts + 1);

            b.click("町のアカウントでログイン");
            b.click("finance-1");
            assertThat(b.path()).isEqualTo("/app/finance");
            assertThat(b.driver().findElement(org.openqa.selenium.By.cssSelector("header")).getText()).contains("会計 太郎");

            b.click("ログアウト");
            b.waitFor(WAIT, d -> b.path().equals("/app/login"));
            b.click("町のアカウントでログイン");
            b.click("キャンセル");
            assertThat(b.path()).isEqualTo("/app/login/oidc/callback");
            assertThat(b.find(".alert").getText()).contains("町のアカウントでのログインは取り消されました");
        }
    }

    // --- helpers ---

    /** Starts a sign-in as the sign-in page's button does; answers the provider URL the browser is sent to. */
    private URI start(WebClient b, String next) {
        HttpResponse<String> r = b.get(next == null ? "/app/login/oidc" : "/app/login/oidc?next=" + enc(next));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
        return URI.create(r.headers().firstValue("Location").orElseThrow());
    }

    /** A whole round trip: start, sign in at the provider as {@code subject}, come back. */
    private HttpResponse<String> signIn(WebClient b, String next, String subject, TownIdp.Spoil spoil) {
        return b.get(idp.approve(start(b, next), subject, spoil).toString());
    }

    /**
     * The answer is the sign-in page with the message, the log says why, and the browser is signed in as nobody.
     *
     * @param why what the server's log line of the refusal says
     */
    private void refused(WebClient b, HttpResponse<String> answer, int status, String message, String why) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        synchronized (log) { // AppenderBase appends holding the appender's lock
            assertThat(log.list).as("the refusal's log line").isNotEmpty();
            assertThat(log.list.get(log.list.size() - 1).getFormattedMessage()).contains(why);
        }
        assertThat(answer.body()).contains("<h1>ログイン</h1>", message, "町のアカウントでログイン");
        assertThat(b.cookie(OidcLoginController.COOKIE)).as("the sign-in's cookie is gone").isNull();
        assertThat(signedIn(b)).isEmpty();
        HttpResponse<String> home = b.get("/app");
        assertThat(home.headers().firstValue("Location")).hasValue("/app/login");
    }

    /** Who the browser's session belongs to, as the pages see it. */
    private Optional<SignedIn> signedIn(WebClient b) {
        String id = b.cookie(WebSessions.COOKIE);
        if (id == null) {
            return Optional.empty();
        }
        return applicationContext.getBean(WebSessions.class).current(new SimpleHttpRequest<>(HttpMethod.GET, "/app", null)
                .cookie(Cookie.of(WebSessions.COOKIE, id))).flatMap(WebSessions.Session::user);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
