package jp.yui.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.runtime.server.EmbeddedServer;
import java.net.http.HttpResponse;
import java.util.Map;
import io.micronaut.http.HttpMethod;
import io.micronaut.web.router.Router;
import java.util.List;
import java.util.UUID;
import jp.yui.server.ServerTest;
import jp.yui.server.infra.ApiKeys;
import jp.yui.server.payment.Merchants;
import org.junit.jupiter.api.Test;

/** Sessions, sign-in and CSRF over plain HTTP (no browser): what every page relies on. */
class WebSessionTest extends ServerTest {

    private WebClient browser() {
        return new WebClient(applicationContext.getBean(EmbeddedServer.class).getURI());
    }

    @Test
    void signingInStartsANewSessionAndGoesHome() {
        WebClient b = browser();
        HttpResponse<String> login = b.get("/app/login");
        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(login.body()).contains("ログイン", "resident-001");
        assertThat(login.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(v -> v.contains("script-src 'self'"));
        String before = b.cookie(WebSessions.COOKIE);

        HttpResponse<String> in = b.submit("/app/login/demo", Map.of("who", "resident-001"));
        assertThat(in.statusCode()).isEqualTo(303);
        assertThat(in.headers().firstValue("Location")).hasValue("/app/wallet");
        assertThat(in.headers().firstValue("Set-Cookie")).hasValueSatisfying(c ->
                assertThat(c).containsIgnoringCase("HttpOnly").contains("SameSite=Lax", "Path=/app"));
        assertThat(b.cookie(WebSessions.COOKIE)).isNotEqualTo(before);
    }

    @Test
    void withoutAnOidcIssuerThereIsNoTownAccountToSignInWith() {
        WebClient b = browser();
        assertThat(b.get("/app/login").body()).doesNotContain("町のアカウントでログイン", "/app/login/oidc");
        assertThat(b.get("/app/login/oidc").statusCode()).isEqualTo(404);
        assertThat(b.get("/app/login/oidc/callback?code=c&state=s").statusCode()).isEqualTo(404);
    }

    @Test
    void aFormWithoutItsTokenIsRefused() {
        WebClient b = browser();
        b.get("/app/login");
        HttpResponse<String> refused = b.post("/app/login/demo", Map.of("who", "resident-001"));
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("画面の有効期限が切れました");
    }

    @Test
    void errorsArePagesInThePagesLanguageAndSignedOutVisitorsAreSentToSignIn() {
        WebClient b = browser();
        HttpResponse<String> away = b.get("/app/finance/trial-balance");
        assertThat(away.statusCode()).isEqualTo(303);
        assertThat(away.headers().firstValue("Location")).hasValue("/app/login?next=%2Fapp%2Ffinance%2Ftrial-balance");
        HttpResponse<String> missing = b.get("/app/no-such-page?lang=en");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(missing.body()).contains("Not found.", "<html lang=\"en\"");
        b.get("/app/login?lang=ja"); // English was remembered; back to Japanese
        b.submit("/app/login/demo", Map.of("who", "resident-001"));
        HttpResponse<String> notMine = b.get("/app/wallet/payments/" + UUID.randomUUID());
        assertThat(notMine.statusCode()).isEqualTo(404);
        assertThat(notMine.body()).contains("見つかりませんでした");
        HttpResponse<String> finance = b.get("/app/finance");
        assertThat(finance.statusCode()).isEqualTo(403);
        assertThat(finance.body()).contains("この操作はできません", "this page is for finance sign-ins");
    }

    /** Every POST route of the pages, signed in or not, refuses a request without its session's token. */
    @Test
    void everyFormOfThePagesRefusesARequestWithoutItsToken() {
        List<String> posts = applicationContext.getBean(Router.class).uriRoutes()
                .filter(r -> r.getHttpMethod() == HttpMethod.POST)
                .map(r -> r.getUriMatchTemplate().toString())
                .filter(t -> t.startsWith("/app")).sorted().toList();
        assertThat(posts).contains("/app/login/shop", "/app/wallet/pay", "/app/finance/settlements", "/app/officer/awards");
        WebClient b = browser();
        b.get("/app/login");
        String anonymousToken = b.csrf();
        b.submit("/app/login/demo", Map.of("who", "resident-001"));
        for (String template : posts) {
            String path = template.replaceAll("\\{[^}]+}", UUID.randomUUID().toString());
            for (Map<String, String> form : List.of(Map.<String, String>of(), Map.of("_csrf", anonymousToken),
                    Map.of("_csrf", "forged"))) {
                HttpResponse<String> r = b.post(path, form);
                assertThat(r.statusCode()).as("POST %s with %s", path, form.keySet()).isEqualTo(403);
                assertThat(r.body()).contains("画面の有効期限が切れました");
            }
            HttpResponse<String> json = b.send(java.net.http.HttpRequest.newBuilder(applicationContext
                    .getBean(EmbeddedServer.class).getURI().resolve(path)).header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")));
            assertThat(json.statusCode()).as("JSON POST %s", path).isEqualTo(403);
        }
    }

    @Test
    void aResidentSeesBalancesConvertsAndShowsACode() {
        WebClient b = browser();
        b.get("/app/login");
        b.submit("/app/login/demo", Map.of("who", "resident-002"));
        HttpResponse<String> wallet = b.get("/app/wallet");
        assertThat(wallet.statusCode()).as(wallet.body()).isEqualTo(200);
        assertThat(wallet.body()).contains("お財布", "510 pt", "健康ポイント");
        HttpResponse<String> form = b.get("/app/wallet/convert");
        assertThat(form.body()).contains("交換する");
        String key = form.body().replaceAll("(?s).*?name=\"key\" value=\"([^\"]+)\".*", "$1");
        String programme = form.body().replaceAll("(?s).*?name=\"programmeId\" value=\"([^\"]+)\".*", "$1");
        HttpResponse<String> done = b.submit("/app/wallet/convert", Map.of("key", key, "programmeId", programme,
                "points", "５００"));
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        assertThat(done.body()).contains("500 pt を 500円 に交換しました");
        HttpResponse<String> code = b.get("/app/wallet/code");
        assertThat(code.body()).contains("<svg", "まで使えます");
        HttpResponse<String> history = b.get("/app/wallet/history");
        assertThat(history.statusCode()).as(history.body()).isEqualTo(200);
        assertThat(b.get("/app/wallet/history?lang=en").body()).contains("History");
    }

    @Test
    void aShopSignsInWithItsTillKeyTakesAPaymentAndIsSignedOutWhenTheKeyIsRevoked() {
        Merchants.Row shop = applicationContext.getBean(Merchants.class).list(1).get(0);
        ApiKeys.IssuedKey key = applicationContext.getBean(ApiKeys.class).issue(1, "merchant", null, shop.merchantId(),
                "web test till");
        WebClient till = browser();
        till.get("/app/login");
        HttpResponse<String> wrong = till.submit("/app/login/shop", Map.of("apiKey", key.keyId() + ".wrong"));
        assertThat(wrong.statusCode()).isEqualTo(401);
        HttpResponse<String> in = till.submit("/app/login/shop", Map.of("apiKey", key.apiKey()));
        assertThat(in.headers().firstValue("Location")).hasValue("/app/shop");
        assertThat(till.get("/app/shop").body()).contains("今日の売上", "今日はまだ支払いがありません");

        String form = till.get("/app/shop/charge").body();
        String charge = form.replaceAll("(?s).*?name=\"key\" value=\"([^\"]+)\".*", "$1");
        HttpResponse<String> created = till.submit("/app/shop/charge", Map.of("key", charge, "amount", "300"));
        assertThat(created.statusCode()).isEqualTo(303);
        String code = till.get(created.headers().firstValue("Location").orElseThrow()).body();
        assertThat(code).contains("300円", "お支払い待ち");
        String payload = code.replaceAll("(?s).*?<textarea id=\"payload\" readonly rows=\"4\">([^<]+)</textarea>.*", "$1");

        WebClient resident = browser();
        resident.get("/app/login");
        resident.submit("/app/login/demo", Map.of("who", "resident-003"));
        resident.get("/app/wallet/convert");
        String programme = resident.get("/app/wallet/convert").body()
                .replaceAll("(?s).*?name=\"programmeId\" value=\"([^\"]+)\".*", "$1");
        resident.submit("/app/wallet/convert", Map.of("key", "web-test-convert-3", "programmeId", programme, "points", "500"));
        HttpResponse<String> confirm = resident.submit("/app/wallet/pay/confirm", Map.of("payload", payload));
        assertThat(confirm.body()).as(confirm.body()).contains(shop.nameJa(), "300円");
        String payKey = confirm.body().replaceAll("(?s).*?name=\"key\" value=\"([^\"]+)\".*", "$1");
        HttpResponse<String> paid = resident.submit("/app/wallet/pay", Map.of("payload", payload, "key", payKey,
                "amount", "300"));
        assertThat(paid.statusCode()).as(paid.body()).isEqualTo(303);
        assertThat(resident.get(paid.headers().firstValue("Location").orElseThrow()).body())
                .contains("お支払いが完了しました", "300円");

        assertThat(till.get("/app/shop").body()).contains("金額入りQR", "300円");
        applicationContext.getBean(ApiKeys.class).revoke(1, key.keyId());
        HttpResponse<String> after = till.get("/app/shop");
        assertThat(after.statusCode()).isEqualTo(303);
        assertThat(after.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).startsWith("/app/login"));
    }

    @Test
    void financeSeesReportsAndSealsTheJournal() {
        WebClient b = browser();
        b.get("/app/login");
        b.submit("/app/login/demo", Map.of("who", "finance"));
        HttpResponse<String> overview = b.get("/app/finance");
        assertThat(overview.statusCode()).as(overview.body()).isEqualTo(200);
        assertThat(overview.body()).contains("町のお金の流れ", "<svg", "健康ポイント", "事業の予算");
        for (String page : new String[] {"/app/finance/trial-balance", "/app/finance/outstanding",
                "/app/finance/settlements", "/app/finance/bank", "/app/finance/seals"}) {
            HttpResponse<String> r = b.get(page);
            assertThat(r.statusCode()).as(page + "\n" + r.body()).isEqualTo(200);
        }
        assertThat(b.get("/app/finance/trial-balance.csv").body()).startsWith("\uFEFF");
        b.get("/app/finance/seals");
        assertThat(b.submit("/app/finance/seals", Map.of()).statusCode()).isEqualTo(303);
        assertThat(b.get("/app/finance/seals").body()).contains("最新の取引まで封印済みです");
        HttpResponse<String> verified = b.submit("/app/finance/verify", Map.of());
        assertThat(verified.body()).as(verified.body()).contains("問題はありません");
        // A finance sign-in is no resident and no shop.
        assertThat(b.get("/app/wallet").statusCode()).isEqualTo(403);
    }

    @Test
    void anOfficerAwardsByCardAndApprovesAClaim() {
        jp.yui.server.resident.Residents residents = applicationContext.getBean(jp.yui.server.resident.Residents.class);
        jp.yui.server.program.Programmes programmes = applicationContext.getBean(jp.yui.server.program.Programmes.class);
        java.util.UUID hana = residents.residentOf(new jp.yui.server.infra.Caller("resident-004", java.util.Set.of("resident"),
                java.util.Optional.of(1L), java.util.Optional.empty(), java.util.Optional.empty(), java.util.Optional.empty(),
                java.util.Optional.empty()), 1).orElseThrow();
        String card = residents.card(1, hana).cardCode();
        java.util.UUID volunteer = programmes.list(1).stream().filter(p -> p.assetCode().equals("VOLUNTEER-PT"))
                .findFirst().orElseThrow().programmeId();
        applicationContext.getBean(jp.yui.server.award.Claims.class).create(1, volunteer, hana,
                new jp.yui.server.award.AwardApi.CreateClaim("CLEANUP", "cleanup-web-1", "川の清掃"));

        WebClient b = browser();
        b.get("/app/login");
        b.submit("/app/login/demo", Map.of("who", "officer"));
        String form = b.get("/app/officer").body();
        assertThat(form).contains("ポイントの付与", "健康イベント参加");
        java.util.UUID health = programmes.list(1).stream().filter(p -> p.assetCode().equals("HEALTH-PT"))
                .findFirst().orElseThrow().programmeId();
        HttpResponse<String> awarded = b.submit("/app/officer/awards", Map.of("resident", "YUI-CARD:" + card,
                "activity", health + ":HEALTH_EVENT", "eventId", "web-fair-1"));
        assertThat(awarded.statusCode()).as(awarded.body()).isEqualTo(200);
        assertThat(awarded.body()).contains("100 pt を付与しました");

        String claims = b.get("/app/officer/claims").body();
        assertThat(claims).contains("地域清掃", "川の清掃");
        String action = claims.replaceAll("(?s).*?action=\"(/app/officer/claims/[^\"]+/approve)\".*", "$1");
        assertThat(b.submit(action, Map.of()).statusCode()).isEqualTo(303);
        assertThat(b.get("/app/officer/claims").body()).contains("決定を待つ申請はありません");
    }
}
