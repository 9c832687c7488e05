package jp.yui.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.Year;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Map;
import jp.yui.server.ServerTest;
import jp.yui.server.payment.Merchants;
import jp.yui.server.settlement.SettlementApi;
import jp.yui.server.settlement.SettlementSettings;
import jp.yui.server.settlement.ZenginTransferFile;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The town's money going round, in real headless Chromium, as its people would do it: a resident signs in, sees
 * their balances, converts points, pays a shop by scanning the code the shop's page shows (through the browser's
 * camera, fed a video of that code), the shop's page sees the payment arrive, and the next day finance settles the
 * period and downloads the bank's payout file, which pays the bank account finance entered on the settings page at
 * the start. Screenshots of each page, at phone and desktop width, are saved on the way (see
 * {@link Browser#screenshotDir()}).
 */
class WebJourneyTest extends ServerTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Override
    protected Map<String, String> properties() {
        // The demo town, on a clock the test moves a day on before settling.
        return Map.of(WebClock.PROPERTY, "movable", "yui.expiry.initial-delay", "1h", "yui.seals.initial-delay", "1h");
    }

    @Test
    void aResidentPaysAShopByItsQrCodeAndFinanceSettlesThePeriod() throws Exception {
        URI base = applicationContext.getBean(EmbeddedServer.class).getURI();
        Merchants.Row fresh = applicationContext.getBean(Merchants.class).list(1).stream()
                .filter(m -> m.name().equals("Miyaki Fresh")).findFirst().orElseThrow();
        Path tmp = Files.createTempDirectory("yui-web-journey");

        try (Browser shop = Browser.start(base, Browser.Options.plain())) {
            shop.open("/app/login");
            shop.screenshots("login");
            townKeepsItsBankDetails(shop, fresh);

            // The shop's till: sign in, ask for ¥300 with a QR code.
            shop.click("みやき生鮮市場");
            assertThat(shop.path()).isEqualTo("/app/shop");
            assertThat(shop.mainText()).contains("今日の売上", "今日はまだ支払いがありません");
            shop.click("金額を入れてQRで受け取る");
            shop.type("#amount", "300");
            shop.screenshots("shop-charge-amount");
            shop.click("QRコードを出す");
            assertThat(shop.find("#amount").getText()).isEqualTo("300円");
            assertThat(shop.find("#status-text").getText()).isEqualTo("お支払い待ち");
            shop.screenshots("shop-charge-code");
            String payload = shop.find("#payload").getAttribute("value");
            assertThat(payload).startsWith("000201010212");

            LocalDate paidOn = LocalDate.ofInstant(WebClock.CLOCK.instant(), ZoneId.of("Asia/Tokyo"));
            try (Browser resident = Browser.start(base, Browser.Options.withCamera(FakeCamera.showing(payload, tmp)))) {
                // A resident: balances, then 500 health points into the currency.
                resident.open("/app/login");
                resident.click("resident-001");
                assertThat(resident.path()).isEqualTo("/app/wallet");
                WebElement health = resident.find(".balance[data-asset='HEALTH-PT']");
                assertThat(health.getText()).contains("健康ポイント", "510 pt");
                assertThat(resident.find(".balance[data-asset='MIYAKI-PAY']").getText()).contains("地域通貨", "0円");
                resident.screenshots("wallet");

                resident.click("ポイントを交換する");
                WebElement healthForm = resident.all("section.card").stream()
                        .filter(s -> s.findElement(By.tagName("h2")).getText().equals("健康ポイント")).findFirst()
                        .orElseThrow();
                WebElement points = healthForm.findElement(By.name("points"));
                assertThat(points.getAttribute("value")).isEqualTo("510");
                points.clear();
                points.sendKeys("500");
                resident.screenshots("convert");
                resident.click(healthForm.findElement(By.cssSelector("button[type=submit]")));
                assertThat(resident.mainText()).contains("500 pt を 500円 に交換しました");
                resident.screenshots("converted");
                resident.click("お財布に戻る");
                assertThat(resident.find(".balance[data-asset='MIYAKI-PAY']").getText()).contains("500円");
                assertThat(resident.find(".balance[data-asset='HEALTH-PT']").getText()).contains("10 pt");

                // Scan the shop's code with the camera; confirm the shop and the amount; pay.
                resident.click("お店のコードを読み取って払う");
                resident.screenshots("scan");
                resident.click("カメラで読み取る");
                resident.waitFor(WAIT, d -> resident.path().equals("/app/wallet/pay/confirm"));
                assertThat(resident.find("#shop-name").getText()).isEqualTo("みやき生鮮市場");
                assertThat(resident.find("#amount").getText()).isEqualTo("300円");
                assertThat(resident.all("main button[type=submit]")).extracting(WebElement::getText).containsExactly("支払う");
                resident.screenshots("confirm");
                resident.click("支払う");
                resident.waitFor(WAIT, d -> resident.path().startsWith("/app/wallet/payments/"));
                assertThat(resident.mainText()).contains("お支払いが完了しました", "みやき生鮮市場", "300円");
                resident.screenshots("receipt");

                resident.click("お財布に戻る");
                assertThat(resident.find(".balance[data-asset='MIYAKI-PAY']").getText()).contains("200円");
                resident.click("使ったもの・もらったもの");
                assertThat(resident.mainText()).contains("お支払い", "−300円", "ポイント交換", "+500円");
                resident.screenshots("history");
                resident.open("/app/wallet/code");
                assertThat(resident.find(".qr svg")).isNotNull();
                // The countdown runs in the page: seconds left of the code's minute.
                resident.waitFor(WAIT, d -> resident.find(".remaining").getText().matches("\\(あと \\d+ 秒\\)"));
                int left = Integer.parseInt(resident.find(".remaining").getText().replaceAll("\\D", ""));
                assertThat(left).isBetween(1, 60);
                resident.screenshots("code");
            }

            // The shop's page learns of the payment by itself, and today's takings show it.
            shop.waitFor(WAIT, d -> shop.find("#status-text").getText().equals("お支払いがありました"));
            shop.screenshots("shop-charge-paid");
            shop.open("/app/shop");
            assertThat(shop.find("#net").getText()).isEqualTo("300円");
            assertThat(shop.find("#payments").getText()).contains("金額入りQR", "300円", "完了");
            shop.screenshots("shop");
            shop.open("/app/shop/qr");
            assertThat(shop.mainText()).contains("みやき生鮮市場", "Miyaki Fresh");
            shop.screenshots("shop-qr");
            shop.click("ログアウト");
            assertThat(shop.path()).isEqualTo("/app/login");

            // The next day finance settles the day the payment was made and downloads the payout file.
            WebClock.CLOCK.advance(Duration.ofDays(1));
            shop.click("finance-demo");
            assertThat(shop.path()).isEqualTo("/app/finance");
            shop.click("精算と振込");
            shop.script("document.getElementById('periodFrom').value = arguments[0];"
                    + "document.getElementById('periodTo').value = arguments[0];", paidOn.toString());
            shop.screenshots("finance-settlements");
            shop.click("精算する");
            assertThat(shop.path()).startsWith("/app/finance/settlements/");
            String payouts = shop.find("#payouts").getText();
            assertThat(payouts).contains("Miyaki Fresh", "300円", "4円", "296円", "振込予定");
            assertThat(shop.find("#total-net").getText()).isEqualTo("296円");
            shop.screenshots("finance-settlement");
            shop.clickToDownload("振込ファイル");
            Path file = shop.download("yui-payouts-1", WAIT);
            byte[] bytes = Files.readAllBytes(file);
            String text = new String(bytes, Charset.forName("windows-31j"));
            assertThat(Arrays.stream(text.split("\r\n")).map(r -> r.getBytes(Charset.forName("windows-31j")).length))
                    .hasSize(4).allMatch(n -> n == ZenginTransferFile.RECORD_LENGTH);
            ZenginTransferFile.Parsed parsed = ZenginTransferFile.parse(bytes, Year.of(paidOn.getYear()));
            assertThat(parsed.rows()).singleElement().satisfies(row -> {
                assertThat(row.accountNumber()).isEqualTo("7654321");
                assertThat(row.amount()).isEqualTo(296);
            });
            assertThat(parsed.total()).isEqualTo(296);
        }
    }

    /**
     * What the town's finance staff set up once, on the settlement settings page: the town's bank account and
     * requester code for payout files, the shops' fee, and the shop's bank account (its holder name left blank, so
     * the shop's kana name). Ends signed out, on the sign-in page.
     */
    private void townKeepsItsBankDetails(Browser b, Merchants.Row shop) {
        SettlementSettings settings = applicationContext.getBean(SettlementSettings.class);
        b.click("finance-demo");
        b.click("精算の設定");
        assertThat(b.path()).isEqualTo("/app/finance/settings");
        assertThat(b.mainText()).contains("まだ設定がありません", "口座が未登録です");
        new Select(b.find("#cycle")).selectByValue("ON_DEMAND");
        b.type("#feePercent", "1.5");
        b.type("#minimumPayout", "1");
        b.type("#requesterCode", "0000012345");
        b.type("#requesterName", "ミヤキチョウ");
        b.type("#bankCode", "0182");
        b.type("#bankName", "サガギンコウ");
        b.type("#branchCode", "123");
        b.type("#branchName", "ミヤキ");
        new Select(b.find("#accountType")).selectByValue("ORDINARY");
        b.type("#accountNumber", "1234567");
        b.click("設定を保存する");
        assertThat(b.find("#saved").getText()).isEqualTo("町の設定を保存しました。");
        assertThat(b.find("#feePercent").getAttribute("value")).isEqualTo("1.5");
        assertThat(settings.find(1)).hasValue(new SettlementApi.Settings(SettlementApi.Cycle.ON_DEMAND, 150, 1L,
                "0000012345", "ミヤキチョウ", new SettlementApi.BankAccount("0182", "サガギンコウ", "123", "ミヤキ",
                        SettlementApi.AccountType.ORDINARY, "1234567", null)));

        b.click(b.find("#shops a[href$='" + shop.merchantId() + "']"));
        assertThat(b.find("h1").getText()).isEqualTo("みやき生鮮市場 の口座と手数料");
        b.type("#bankCode", "0182");
        b.type("#bankName", "サガギンコウ");
        b.type("#branchCode", "456");
        b.type("#branchName", "ミヤキ");
        b.type("#accountNumber", "7654321");
        b.screenshots("finance-settings-shop");
        b.click("口座を保存する");
        assertThat(b.path()).isEqualTo("/app/finance/settings");
        assertThat(b.find("#saved").getText()).isEqualTo("お店の口座を保存しました。");
        assertThat(b.find("#shops tr[data-merchant='" + shop.merchantId() + "']").getText())
                .contains("サガギンコウ (0182) ミヤキ (456) 普通 7654321 ﾐﾔｷﾌﾚｯｼｭ", "町の標準(1.5%)");
        b.screenshots("finance-settings");
        assertThat(settings.shop(1, shop.merchantId()).account()).isEqualTo(new SettlementApi.BankAccount("0182",
                "サガギンコウ", "456", "ミヤキ", SettlementApi.AccountType.ORDINARY, "7654321", "ﾐﾔｷﾌﾚｯｼｭ"));
        b.click("ログアウト");
        assertThat(b.path()).isEqualTo("/app/login");
    }
}
