package jp.yui.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.runtime.server.EmbeddedServer;
import jakarta.inject.Singleton;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
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
import jp.yui.testsupport.MutableClock;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;

/**
 * A shop's past takings, one day at a time: the day's payments (only the shop's own, never who paid), paged with
 * the API's cursor, bad dates refused beside the date, and, in real headless Chromium, yesterday's payment found
 * and refunded. Each test pays on the server's "today" and then moves the clock a day on, so what it paid is
 * yesterday's; the clock only moves forward, so each test has days of its own.
 */
class ShopDayPagesTest extends ServerTest {

    private static final long REGION = DemoTown.REGION;
    private static final String YEN = "MIYAKI-PAY";
    private static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");
    private static final Pattern ROW = Pattern.compile("data-payment=\"([0-9a-f-]{36})\"");

    private URI base;
    private Merchants.Row fresh;
    private Merchants.Row cafe;

    /**
     * This class's business clock, which its tests move a day on: a clock of its own, since {@link WebClock}'s journey
     * wants its clock near the real time (a resident's code counts down its minute in the browser).
     */
    private static final MutableClock CLOCK = new MutableClock(Instant.now());
    private static final String CLOCK_PROPERTY = "shop-days-test.clock";

    @Factory
    @Requires(property = CLOCK_PROPERTY, value = "own")
    static class DaysClock {
        @Singleton
        @Replaces(Clock.class)
        Clock clock() {
            return CLOCK;
        }
    }

    @Override
    protected Map<String, String> properties() {
        return Map.of(CLOCK_PROPERTY, "own", "yui.expiry.initial-delay", "1h", "yui.seals.initial-delay", "1h");
    }

    @BeforeAll
    void town() {
        base = applicationContext.getBean(EmbeddedServer.class).getURI();
        List<Merchants.Row> shops = applicationContext.getBean(Merchants.class).list(REGION);
        fresh = shops.stream().filter(m -> m.name().equals("Miyaki Fresh")).findFirst().orElseThrow();
        cafe = shops.stream().filter(m -> m.name().equals("Cafe Chikugo")).findFirst().orElseThrow();
    }

    private static LocalDate today() {
        return LocalDate.ofInstant(CLOCK.instant(), TOKYO);
    }

    /** Tomorrow comes: what was paid today is yesterday's. */
    private static LocalDate nextDay() {
        CLOCK.advance(Duration.ofDays(1));
        return today();
    }

    /** A demo resident with ¥500 to pay with: 500 of their health points converted. */
    private UUID resident(String subject) {
        UUID resident = applicationContext.getBean(Residents.class).residentOf(new Caller(subject, Set.of("resident"),
                Optional.of(REGION), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()), REGION)
                .orElseThrow();
        UUID health = applicationContext.getBean(Programmes.class).list(REGION).stream()
                .filter(p -> p.assetCode().equals("HEALTH-PT")).findFirst().orElseThrow().programmeId();
        applicationContext.getBean(Conversions.class).convert(REGION, resident, health, 500, "days-test-" + subject);
        return resident;
    }

    /** The resident pays the shop {@code amount} by its printed code. */
    private UUID pays(UUID resident, Merchants.Row shop, long amount) {
        return applicationContext.getBean(Checkout.class).payCode(REGION, resident,
                new PaymentApi.PayCode(shop.view().staticPayload(), amount), "days-test-pay-" + UUID.randomUUID())
                .paymentId();
    }

    private long wallet(UUID resident) {
        return applicationContext.getBean(Wallets.class).wallet(REGION, resident).balances().stream()
                .filter(b -> b.assetCode().equals(YEN)).mapToLong(WalletApi.Balance::posted).sum();
    }

    private long takings(Merchants.Row shop) {
        return applicationContext.getBean(Ledger.class)
                .account(REGION, Merchants.account(REGION, shop.merchantId(), YEN))
                .orElseThrow().postedBalance();
    }

    private WebClient signedIn(String who) {
        WebClient b = new WebClient(base);
        b.get("/app/login");
        assertThat(b.submit("/app/login/demo", Map.of("who", who)).statusCode()).isEqualTo(303);
        return b;
    }

    private static List<UUID> rows(String page) {
        List<UUID> ids = new ArrayList<>();
        Matcher m = ROW.matcher(page);
        while (m.find()) {
            ids.add(UUID.fromString(m.group(1)));
        }
        return ids;
    }

    @Test
    void aDayShowsOnlyTheShopsOwnPaymentsAndNeverWhoPaid() {
        UUID hana = resident("resident-004");
        UUID jiro = resident("resident-005");
        LocalDate paidOn = today();
        UUID ours = pays(hana, fresh, 300);
        UUID theirs = pays(jiro, cafe, 400);
        LocalDate today = nextDay();

        WebClient till = signedIn("shop:" + fresh.merchantId());
        assertThat(till.get("/app/shop").body()).contains("href=\"/app/shop/days?date=" + paidOn + "\"",
                "昨日までの支払いと返金を見る", "href=\"/app/shop/days\"", "過去の売上");
        HttpResponse<String> now = till.get("/app/shop/days");
        assertThat(now.statusCode()).as(now.body()).isEqualTo(200);
        assertThat(now.body()).contains("今日(" + jaDay(today) + ")の支払いと返金", "この日の支払いはありません",
                "value=\"" + today + "\"", "max=\"" + today + "\"",
                "id=\"previous-day\" rel=\"prev\" href=\"/app/shop/days?date=" + paidOn + "\"")
                .doesNotContain("id=\"next-day\"");

        HttpResponse<String> day = till.get("/app/shop/days?date=" + paidOn);
        assertThat(day.statusCode()).as(day.body()).isEqualTo(200);
        assertThat(rows(day.body())).containsExactly(ours);
        assertThat(day.body()).contains(jaDay(paidOn) + " の支払いと返金", "300円", "完了",
                "href=\"/app/shop/payments/" + ours + "\"><span>返金</span>",
                "id=\"next-day\" rel=\"next\" href=\"/app/shop/days?date=" + today + "\"")
                .doesNotContain(theirs.toString(), hana.toString(), "400円");

        WebClient other = signedIn("shop:" + cafe.merchantId());
        String theirDay = other.get("/app/shop/days?date=" + paidOn).body();
        assertThat(rows(theirDay)).containsExactly(theirs);
        assertThat(theirDay).doesNotContain(ours.toString(), jiro.toString());
        // The page forwards nothing that would name another shop to the API: a query parameter is simply not read.
        assertThat(rows(other.get("/app/shop/days?date=" + paidOn + "&merchantId=" + fresh.merchantId()).body()))
                .containsExactly(theirs);

        // Shops only: residents and finance have other pages; signed out, the sign-in page comes first.
        for (String who : List.of("resident-004", "finance")) {
            assertThat(signedIn(who).get("/app/shop/days?date=" + paidOn).statusCode()).as(who).isEqualTo(403);
        }
        HttpResponse<String> away = new WebClient(base).get("/app/shop/days");
        assertThat(away.statusCode()).isEqualTo(303);
        assertThat(away.headers().firstValue("Location")).hasValue("/app/login?next=%2Fapp%2Fshop%2Fdays");
    }

    @Test
    void aBusyDayIsPagedWithTheApisCursor() {
        UUID saburo = resident("resident-006");
        LocalDate paidOn = today();
        Set<UUID> paid = new HashSet<>();
        for (int i = 0; i < ShopDayPages.PAGE_SIZE + 1; i++) {
            paid.add(pays(saburo, fresh, 1));
        }
        nextDay();
        WebClient till = signedIn("shop:" + fresh.merchantId());

        String first = till.get("/app/shop/days?date=" + paidOn).body();
        assertThat(rows(first)).hasSize(ShopDayPages.PAGE_SIZE);
        assertThat(first).contains("続きの50件 →").doesNotContain("id=\"first-page\"");
        Matcher more = Pattern.compile("id=\"more\" href=\"([^\"]+)\"").matcher(first);
        assertThat(more.find()).isTrue();
        HttpResponse<String> second = till.get(more.group(1).replace("&amp;", "&"));
        assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
        assertThat(rows(second.body())).hasSize(1);
        assertThat(second.body()).contains("id=\"first-page\" href=\"/app/shop/days?date=" + paidOn + "\"")
                .doesNotContain("id=\"more\"");
        List<UUID> all = new ArrayList<>(rows(first));
        all.addAll(rows(second.body()));
        assertThat(all).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(paid);

        // A cursor the server never gave is the API's 400.
        assertThat(till.get("/app/shop/days?date=" + paidOn + "&cursor=nonsense").statusCode()).isEqualTo(400);
    }

    @Test
    void aBadDateIsRefusedBesideTheDateWith400() {
        LocalDate today = today();
        WebClient till = signedIn("shop:" + fresh.merchantId());
        for (String date : List.of("abc", "2026-13-01", "2026-02-30", today.plusDays(1).toString(), "1999-12-31",
                "-999999999-01-01")) {
            HttpResponse<String> r = till.get("/app/shop/days?date=" + date);
            assertThat(r.statusCode()).as(date).isEqualTo(400);
            assertThat(r.body()).as(date).contains("id=\"date-error\"",
                    "日付は 2026-11-21 の形で、2000年1月1日から今日までの日を入れてください", "<span class=\"detail\">" + date,
                    "aria-invalid=\"true\"", "aria-describedby=\"date-hint date-error\"")
                    .doesNotContain("id=\"payments\"", "id=\"previous-day\"");
        }
        HttpResponse<String> english = till.get("/app/shop/days?date=abc&lang=en");
        assertThat(english.statusCode()).isEqualTo(400);
        assertThat(english.body()).contains("Enter a day like 2026-11-21, from 1 Jan 2000 to today.");
        // As people type: full-width digits are digits; a blank date is today.
        StringBuilder fullWidth = new StringBuilder();
        today.toString().chars()
                .forEach(c -> fullWidth.append(Character.isDigit(c) ? (char) (c - '0' + '０') : (char) c));
        HttpResponse<String> typed = till.get("/app/shop/days?date="
                + java.net.URLEncoder.encode(fullWidth.toString(), java.nio.charset.StandardCharsets.UTF_8));
        assertThat(typed.statusCode()).as(fullWidth.toString()).isEqualTo(200);
        assertThat(typed.body()).contains("value=\"" + today + "\"");
        assertThat(till.get("/app/shop/days?date=").body()).contains("value=\"" + today + "\"");
    }

    @Test
    void aShopFindsYesterdaysPaymentInTheBrowserAndRefundsIt() {
        UUID shiro = resident("resident-007");
        UUID goro = resident("resident-008");
        LocalDate paidOn = today();
        UUID small = pays(goro, fresh, 120);
        UUID payment = pays(shiro, fresh, 300);
        UUID elsewhere = pays(goro, cafe, 200);
        LocalDate today = nextDay();
        long freshTakings = takings(fresh);

        try (Browser b = Browser.start(base, Browser.Options.plain())) {
            b.open("/app/login");
            b.click("みやき生鮮市場");
            assertThat(b.mainText()).contains("今日はまだ支払いがありません");
            b.click("過去の売上");
            assertThat(b.path()).isEqualTo("/app/shop/days");
            assertThat(b.find("#date").getAttribute("value")).isEqualTo(today.toString());
            assertThat(b.find("#no-payments").getText()).isEqualTo("この日の支払いはありません。");

            // Choose the day in the date field, then step a day on and back with the links.
            b.script("document.getElementById('date').value = arguments[0]", paidOn.toString());
            b.click("表示する");
            assertThat(b.find("#day-heading").getText()).isEqualTo(jaDay(paidOn) + " の支払いと返金");
            b.click("次の日");
            assertThat(b.find("#date").getAttribute("value")).isEqualTo(today.toString());
            b.click("前の日");
            assertThat(b.find("#date").getAttribute("value")).isEqualTo(paidOn.toString());
            assertThat(b.all("#payments tr[data-payment]")).extracting(r -> r.getAttribute("data-payment"))
                    .containsExactlyInAnyOrder(payment.toString(), small.toString())
                    .doesNotContain(elsewhere.toString());
            WebElement row = b.find("#payments tr[data-payment='" + payment + "']");
            assertThat(row.getText()).contains("300円", "完了");

            b.click(row.findElement(org.openqa.selenium.By.cssSelector("a.refund")));
            assertThat(b.path()).isEqualTo("/app/shop/payments/" + payment);
            assertThat(b.find("#back").getText()).isEqualTo("← " + jaDay(paidOn) + " の売上へ");
            assertThat(b.find("#amount").getAttribute("value")).isEqualTo("300");
            b.type("#amount", "100");
            b.type("#reason", "昨日の返品");
            b.click("返金する");
            assertThat(b.path()).startsWith("/app/shop/refunds/");
            assertThat(b.find("#refund-done").getText()).isEqualTo("100円 をお客様に返金しました。");
            b.click(jaDay(paidOn) + " の売上に戻る");
            assertThat(b.path()).isEqualTo("/app/shop/days");
            assertThat(b.find("#payments tr[data-payment='" + payment + "']").getText()).contains("300円", "一部返金",
                    "200円");
            WebPagesTest.check(b, "/app/shop/days (yesterday)", new ArrayList<>(), false);
            b.screenshots("shop-days");

            b.open("/app/shop/days?date=abc");
            assertThat(b.find("#date-error").getText()).contains("2000年1月1日から今日までの日を入れてください", "abc");
            WebPagesTest.check(b, "/app/shop/days (a bad date)", new ArrayList<>(), false);
        }
        assertThat(wallet(shiro)).isEqualTo(500 - 300 + 100);
        assertThat(takings(fresh)).isEqualTo(freshTakings - 100);
    }

    private static String jaDay(LocalDate day) {
        return day.getYear() + "年" + day.getMonthValue() + "月" + day.getDayOfMonth() + "日";
    }
}
