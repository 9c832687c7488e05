package jp.yui.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.runtime.server.EmbeddedServer;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jp.yui.ledger.Ledger;
import jp.yui.server.ServerTest;
import jp.yui.server.demo.DemoTown;
import jp.yui.server.infra.Caller;
import jp.yui.server.payment.Checkout;
import jp.yui.server.payment.Merchants;
import jp.yui.server.payment.PaymentApi;
import jp.yui.server.program.Programmes;
import jp.yui.server.resident.Residents;
import jp.yui.server.wallet.Conversions;
import jp.yui.server.wallet.WalletApi;
import jp.yui.server.wallet.Wallets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A shop refunds from its pages over plain HTTP: part of a payment and then the rest, never more than was paid, a
 * form sent twice refunding once, only its own payments, and bad input refused with nothing moved. The money is
 * checked where it lives: the shop's ledger account and the resident's wallet.
 */
class ShopRefundPagesTest extends ServerTest {

    private static final long REGION = DemoTown.REGION;
    private static final String YEN = "MIYAKI-PAY";
    private static final Pattern KEY = Pattern.compile("name=\"key\" value=\"([^\"]+)\"");

    private Merchants.Row fresh;
    private Merchants.Row cafe;

    @BeforeAll
    void town() {
        List<Merchants.Row> shops = applicationContext.getBean(Merchants.class).list(REGION);
        fresh = shops.stream().filter(m -> m.name().equals("Miyaki Fresh")).findFirst().orElseThrow();
        cafe = shops.stream().filter(m -> m.name().equals("Cafe Chikugo")).findFirst().orElseThrow();
    }

    /** A demo resident converts 500 health points to ¥500 and pays the shop {@code amount} by its printed code. */
    private Paid pays(String subject, Merchants.Row shop, long amount) {
        UUID resident = applicationContext.getBean(Residents.class).residentOf(new Caller(subject, Set.of("resident"),
                Optional.of(REGION), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()), REGION)
                .orElseThrow();
        UUID health = applicationContext.getBean(Programmes.class).list(REGION).stream()
                .filter(p -> p.assetCode().equals("HEALTH-PT")).findFirst().orElseThrow().programmeId();
        applicationContext.getBean(Conversions.class).convert(REGION, resident, health, 500, "refund-test-" + subject);
        PaymentApi.Payment p = applicationContext.getBean(Checkout.class).payCode(REGION, resident,
                new PaymentApi.PayCode(shop.view().staticPayload(), amount), "refund-test-pay-" + subject);
        return new Paid(resident, p.paymentId());
    }

    private record Paid(UUID resident, UUID paymentId) {
    }

    private long wallet(UUID resident) {
        return applicationContext.getBean(Wallets.class).wallet(REGION, resident).balances().stream()
                .filter(b -> b.assetCode().equals(YEN)).mapToLong(WalletApi.Balance::posted).sum();
    }

    private long takings(Merchants.Row shop) {
        return applicationContext.getBean(Ledger.class).account(REGION, Merchants.account(REGION, shop.merchantId(), YEN))
                .orElseThrow().postedBalance();
    }

    private WebClient till(Merchants.Row shop) {
        WebClient b = new WebClient(applicationContext.getBean(EmbeddedServer.class).getURI());
        b.get("/app/login");
        assertThat(b.submit("/app/login/demo", Map.of("who", "shop:" + shop.merchantId())).statusCode()).isEqualTo(303);
        return b;
    }

    private static String key(String page) {
        Matcher m = KEY.matcher(page);
        assertThat(m.find()).as("a key on the page:\n" + page).isTrue();
        return m.group(1);
    }

    @Test
    void aShopRefundsPartOfAPaymentThenTheRestAndNeverMoreThanWasPaid() {
        long freshBefore = takings(fresh);
        Paid paid = pays("resident-004", fresh, 300);
        assertThat(wallet(paid.resident())).isEqualTo(200);
        assertThat(takings(fresh)).isEqualTo(freshBefore + 300);
        WebClient till = till(fresh);

        String today = till.get("/app/shop").body();
        assertThat(today).contains("href=\"/app/shop/payments/" + paid.paymentId() + "\"><span>返金</span>");
        HttpResponse<String> form = till.get("/app/shop/payments/" + paid.paymentId());
        assertThat(form.statusCode()).as(form.body()).isEqualTo(200);
        assertThat(form.body()).contains("返金する", "name=\"amount\" value=\"300\"", "返金できるのは 300円 までです");

        HttpResponse<String> part = till.submit("/app/shop/payments/" + paid.paymentId() + "/refunds",
                Map.of("key", key(form.body()), "amount", "１００円", "reason", "品切れ"));
        assertThat(part.statusCode()).as(part.body()).isEqualTo(303);
        String location = part.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith("/app/shop/refunds/");
        String result = till.get(location).body();
        assertThat(result).contains("100円 をお客様に返金しました", "品切れ", "地域通貨")
                .containsPattern("id=\"left\">200円<");
        assertThat(wallet(paid.resident())).isEqualTo(300);
        assertThat(takings(fresh)).isEqualTo(freshBefore + 200);

        // More than is left: the service refuses, the form says so beside the amount, and nothing moves.
        form = till.get("/app/shop/payments/" + paid.paymentId());
        assertThat(form.body()).contains("name=\"amount\" value=\"200\"", "品切れ");
        HttpResponse<String> tooMuch = till.submit("/app/shop/payments/" + paid.paymentId() + "/refunds",
                Map.of("key", key(form.body()), "amount", "250", "reason", ""));
        assertThat(tooMuch.statusCode()).isEqualTo(422);
        assertThat(tooMuch.body()).contains("返金していません", "id=\"amount-error\"", "支払いより多くは返金できません",
                "at most ¥200", "value=\"250\"");
        assertThat(wallet(paid.resident())).isEqualTo(300);
        assertThat(takings(fresh)).isEqualTo(freshBefore + 200);

        // The same form, corrected: the rest.
        HttpResponse<String> rest = till.submit("/app/shop/payments/" + paid.paymentId() + "/refunds",
                Map.of("key", key(tooMuch.body()), "amount", "200", "reason", ""));
        assertThat(rest.statusCode()).as(rest.body()).isEqualTo(303);
        assertThat(wallet(paid.resident())).isEqualTo(500);
        assertThat(takings(fresh)).isEqualTo(freshBefore);
        String done = till.get("/app/shop/payments/" + paid.paymentId()).body();
        assertThat(done).contains("この支払いは全額返金済みです", "返金済み").doesNotContain("id=\"refund-form\"")
                .containsPattern("id=\"left\">0円<");
        assertThat(till.get("/app/shop").body()).contains("href=\"/app/shop/payments/" + paid.paymentId()
                + "\"><span>詳しく</span>").doesNotContain("<span>返金</span>");
    }

    @Test
    void aFormSentTwiceRefundsOnce() {
        long before = takings(cafe);
        Paid paid = pays("resident-005", cafe, 400);
        WebClient till = till(cafe);
        String form = till.get("/app/shop/payments/" + paid.paymentId()).body();
        String key = key(form);
        // The very same form twice, as a double tap sends it.
        Map<String, String> refund = Map.of("_csrf", till.csrf(), "key", key, "amount", "150", "reason", "");
        HttpResponse<String> first = till.post("/app/shop/payments/" + paid.paymentId() + "/refunds", refund);
        HttpResponse<String> second = till.post("/app/shop/payments/" + paid.paymentId() + "/refunds", refund);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(303);
        assertThat(second.statusCode()).as(second.body()).isEqualTo(303);
        assertThat(second.headers().firstValue("Location")).isEqualTo(first.headers().firstValue("Location"));
        assertThat(wallet(paid.resident())).isEqualTo(100 + 150);
        assertThat(takings(cafe)).isEqualTo(before + 400 - 150);
        String page = till.get("/app/shop/payments/" + paid.paymentId()).body();
        assertThat(page).containsPattern("id=\"refunded\">150円<");
        assertThat(Pattern.compile("href=\"/app/shop/refunds/").matcher(page).results().count()).isEqualTo(1);

        // The same key for another amount is not a second refund: it is refused, and nothing moves.
        HttpResponse<String> reused = till.submit("/app/shop/payments/" + paid.paymentId() + "/refunds",
                Map.of("key", key, "amount", "50", "reason", ""));
        assertThat(reused.statusCode()).isEqualTo(422);
        assertThat(reused.body()).contains("同じ操作がすでに別の内容で行われました");
        assertThat(wallet(paid.resident())).isEqualTo(250);
        assertThat(takings(cafe)).isEqualTo(before + 250);
    }

    @Test
    void aShopRefundsOnlyItsOwnPaymentsAndAKeyFromAnotherShopsFormShowsNothingOfIts() {
        Paid paid = pays("resident-006", fresh, 300);
        WebClient owner = till(fresh);
        String ownerForm = owner.get("/app/shop/payments/" + paid.paymentId()).body();
        String ownerKey = key(ownerForm);
        HttpResponse<String> refunded = owner.submit("/app/shop/payments/" + paid.paymentId() + "/refunds",
                Map.of("key", ownerKey, "amount", "100", "reason", ""));
        String refundPage = refunded.headers().firstValue("Location").orElseThrow();
        long freshTakings = takings(fresh);
        long cafeTakings = takings(cafe);

        WebClient other = till(cafe);
        assertThat(other.get("/app/shop/payments/" + paid.paymentId()).statusCode()).isEqualTo(404);
        assertThat(other.get(refundPage).statusCode()).isEqualTo(404);
        other.get("/app/shop");
        for (String key : List.of(Forms.newKey(), ownerKey)) {
            HttpResponse<String> refused = other.submit("/app/shop/payments/" + paid.paymentId() + "/refunds",
                    Map.of("key", key, "amount", "100", "reason", ""));
            assertThat(refused.statusCode()).as(key).isEqualTo(404);
            assertThat(refused.body()).as(key).contains("見つかりませんでした").doesNotContain("/app/shop/refunds/");
        }
        // Bad input about another shop's payment tells nothing about it either.
        HttpResponse<String> probing = other.submit("/app/shop/payments/" + paid.paymentId() + "/refunds",
                Map.of("key", Forms.newKey(), "amount", "abc", "reason", ""));
        assertThat(probing.statusCode()).isEqualTo(404);
        assertThat(wallet(paid.resident())).isEqualTo(300);
        assertThat(takings(fresh)).isEqualTo(freshTakings);
        assertThat(takings(cafe)).isEqualTo(cafeTakings);

        // Finance and residents have no shop pages.
        WebClient finance = new WebClient(applicationContext.getBean(EmbeddedServer.class).getURI());
        finance.get("/app/login");
        finance.submit("/app/login/demo", Map.of("who", "finance"));
        assertThat(finance.get("/app/shop/payments/" + paid.paymentId()).statusCode()).isEqualTo(403);
        assertThat(finance.get(refundPage).statusCode()).isEqualTo(403);
    }

    @Test
    void badInputIsRefusedBesideTheFieldAndMovesNothing() {
        Paid paid = pays("resident-007", fresh, 300);
        long freshTakings = takings(fresh);
        WebClient till = till(fresh);
        String form = till.get("/app/shop/payments/" + paid.paymentId()).body();
        String key = key(form);
        String path = "/app/shop/payments/" + paid.paymentId() + "/refunds";
        for (String amount : List.of("abc", "0", "-5", "")) {
            HttpResponse<String> r = till.submit(path, Map.of("key", key, "amount", amount, "reason", ""));
            assertThat(r.statusCode()).as(amount).isEqualTo(400);
            assertThat(r.body()).as(amount).contains("id=\"amount-error\"", "1円以上の整数で入れてください",
                    "value=\"" + amount + "\"", "name=\"key\" value=\"" + key + "\"");
        }
        HttpResponse<String> longReason = till.submit(path, Map.of("key", key, "amount", "10", "reason", "あ".repeat(201)));
        assertThat(longReason.statusCode()).isEqualTo(400);
        assertThat(longReason.body()).contains("id=\"reason-error\"", "理由は200字までにしてください");
        HttpResponse<String> noKey = till.submit(path, Map.of("amount", "10"));
        assertThat(noKey.statusCode()).isEqualTo(400);
        assertThat(till.get("/app/shop/payments/" + UUID.randomUUID()).statusCode()).isEqualTo(404);
        assertThat(till.get("/app/shop/refunds/" + UUID.randomUUID()).statusCode()).isEqualTo(404);
        assertThat(till.get("/app/shop/payments/not-a-uuid").statusCode()).isEqualTo(400);
        assertThat(wallet(paid.resident())).isEqualTo(200);
        assertThat(takings(fresh)).isEqualTo(freshTakings);
    }
}
