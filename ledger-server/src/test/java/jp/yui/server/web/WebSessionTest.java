package jp.yui.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.runtime.server.EmbeddedServer;
import java.net.http.HttpResponse;
import java.util.Map;
import jp.yui.server.ServerTest;
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
    void aFormWithoutItsTokenIsRefused() {
        WebClient b = browser();
        b.get("/app/login");
        HttpResponse<String> refused = b.post("/app/login/demo", Map.of("who", "resident-001"));
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("画面の有効期限が切れました");
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
}
