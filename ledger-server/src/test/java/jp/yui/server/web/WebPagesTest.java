package jp.yui.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import jp.yui.server.ServerTest;
import jp.yui.server.award.AwardApi;
import jp.yui.server.award.Awards;
import jp.yui.server.award.Claims;
import jp.yui.server.demo.DemoTown;
import jp.yui.server.infra.Caller;
import jp.yui.server.payment.Checkout;
import jp.yui.server.payment.Merchants;
import jp.yui.server.payment.PaymentApi;
import jp.yui.server.program.ProgrammeApi;
import jp.yui.server.program.Programmes;
import jp.yui.server.resident.Residents;
import jp.yui.server.wallet.Conversions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * Every page in real headless Chromium, for what people rely on besides the journey: each one is labelled, readable
 * and fits a phone (the accessibility basics below, at phone and desktop width), works in English too, can be used
 * with the keyboard alone, and the programme officer's bulk award shows its progress and each row's outcome.
 * Screenshots of the pages the journey does not pass through are saved too.
 */
class WebPagesTest extends ServerTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final long REGION = DemoTown.REGION;

    /**
     * Runs in the page and answers what is wrong with it: form fields without a label, buttons and links without a
     * name, text whose contrast with its background is below 4.5:1 (WCAG AA), visible text smaller than 15px, not
     * exactly one {@code h1}, no {@code lang}, images without {@code alt}, and a page wider than the screen. Also the
     * lowest contrast and the body's font size, for the test's own thresholds.
     */
    private static final String CHECKS = """
            const problems = [];
            const visible = el => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
            document.querySelectorAll('input, select, textarea').forEach(el => {
              if (['hidden', 'submit', 'button'].includes(el.type)) return;
              const labelled = (el.labels && [...el.labels].some(l => l.textContent.trim()))
                  || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby');
              if (!labelled) problems.push('no label: ' + (el.name || el.id));
            });
            document.querySelectorAll('button, a').forEach(el => {
              if (!el.textContent.trim() && !el.getAttribute('aria-label')) problems.push('unnamed: ' + el.outerHTML.slice(0, 60));
            });
            if (!document.documentElement.lang) problems.push('no lang');
            const h1 = document.querySelectorAll('h1').length;
            if (h1 !== 1) problems.push(h1 + ' h1 elements');
            document.querySelectorAll('img:not([alt])').forEach(i => problems.push('img without alt: ' + i.src));
            const rgb = c => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
              const p = m[1].split(',').map(parseFloat); return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1}; };
            const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
              return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); };
            const background = el => { for (; el; el = el.parentElement) { const c = rgb(getComputedStyle(el).backgroundColor);
              if (c && c.a > 0.5) return c; } return {r: 255, g: 255, b: 255, a: 1}; };
            let minContrast = 21, minFont = 100;
            const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
            while (walk.nextNode()) {
              const text = walk.currentNode.textContent.trim();
              const el = walk.currentNode.parentElement;
              if (!text || !el || el.closest('svg, .skip, .visually-hidden') || !visible(el)) continue;
              const cs = getComputedStyle(el);
              const a = lum(rgb(cs.color)), b = lum(background(el));
              const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
              minContrast = Math.min(minContrast, ratio);
              minFont = Math.min(minFont, parseFloat(cs.fontSize));
              if (ratio < 4.5) problems.push('contrast ' + ratio.toFixed(2) + ': ' + text.slice(0, 30));
              if (parseFloat(cs.fontSize) < 15) problems.push('font ' + cs.fontSize + ': ' + text.slice(0, 30));
            }
            if (document.documentElement.scrollWidth > window.innerWidth + 1)
              problems.push('wider than the screen: ' + document.documentElement.scrollWidth + ' > ' + window.innerWidth);
            return {problems: problems, minContrast: minContrast, minFont: minFont,
                    bodyFont: parseFloat(getComputedStyle(document.body).fontSize), lang: document.documentElement.lang};
            """;

    private URI base;
    private UUID hanako;
    private UUID freshId;

    @BeforeAll
    void town() {
        base = applicationContext.getBean(EmbeddedServer.class).getURI();
        Residents residents = applicationContext.getBean(Residents.class);
        hanako = residents.residentOf(new Caller("resident-002", Set.of("resident"), Optional.of(REGION),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()), REGION).orElseThrow();
        // A short campaign whose points expire in ten days, so the wallet warns before they do.
        Programmes programmes = applicationContext.getBean(Programmes.class);
        LocalDate today = LocalDate.now(ZoneId.of("Asia/Tokyo"));
        ProgrammeApi.Programme walk = programmes.create(REGION, new ProgrammeApi.CreateProgramme("秋のウォーキング",
                ProgrammeApi.Kind.HEALTH, "HEALTH-PT", today.minusDays(1), today.plusDays(30), null, null,
                "after-days:10:Asia/Tokyo"));
        programmes.addActivity(REGION, walk.programmeId(), new ProgrammeApi.CreateActivity("WALK", "ウォーキング大会", 50L,
                true, false));
        programmes.appropriate(REGION, walk.programmeId(), 10_000L, "test", "walk-budget");
        applicationContext.getBean(Awards.class).award(REGION, walk.programmeId(), hanako, "WALK", "walk-2026", "test");
        // A volunteer's claim waiting for the officer.
        UUID volunteer = programmes.list(REGION).stream().filter(p -> p.assetCode().equals("VOLUNTEER-PT")).findFirst()
                .orElseThrow().programmeId();
        applicationContext.getBean(Claims.class).create(REGION, volunteer, hanako,
                new AwardApi.CreateClaim("CLEANUP", "cleanup-2026-11", "神社の清掃に参加しました"));
        // A payment to Miyaki Fresh today, for its refund pages.
        UUID taro = residents.residentOf(new Caller("resident-008", Set.of("resident"), Optional.of(REGION),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()), REGION).orElseThrow();
        UUID health = programmes.list(REGION).stream().filter(p -> p.name().equals("健康ポイント")).findFirst()
                .orElseThrow().programmeId();
        applicationContext.getBean(Conversions.class).convert(REGION, taro, health, 500, "pages-convert");
        Merchants.Row shop = applicationContext.getBean(Merchants.class).list(REGION).stream()
                .filter(m -> m.name().equals("Miyaki Fresh")).findFirst().orElseThrow();
        applicationContext.getBean(Checkout.class).payCode(REGION, taro, new PaymentApi.PayCode(
                shop.view().staticPayload(), 300L), "pages-pay");
        freshId = shop.merchantId();
    }

    @Test
    void everyPageIsLabelledReadableAndFitsAPhone() {
        String staticCode = applicationContext.getBean(Merchants.class).list(REGION).get(0).view().staticPayload();
        try (Browser b = Browser.start(base, Browser.Options.plain())) {
            List<String> checked = new ArrayList<>();
            b.open("/app/login");
            check(b, "login", checked, false);

            signIn(b, "resident-002");
            check(b, "/app/wallet", checked, true);
            // The wallet warns about the points that expire in ten days.
            assertThat(b.find(".warning").getText()).contains("30日以内に期限が切れる", "50 pt", "あと");
            b.screenshots("wallet-expiry");
            for (String page : List.of("/app/wallet/history", "/app/wallet/code", "/app/wallet/scan", "/app/wallet/convert")) {
                b.open(page);
                check(b, page, checked, true);
            }
            // A shop's printed code carries no amount: the resident types it on the confirm page.
            b.open("/app/wallet/scan");
            b.type("#payload", staticCode);
            b.click("次へ");
            assertThat(b.find("#amount-input").isDisplayed()).isTrue();
            check(b, "confirm (static code)", checked, true);
            b.screenshots("confirm-static");
            b.open("/app/wallet?lang=en");
            assertThat(b.mainText()).contains("Wallet", "Local currency", "Scan a shop’s code to pay");
            check(b, "/app/wallet?lang=en", checked, true);
            b.screenshots("wallet-en");
            b.open("/app/wallet/history");
            assertThat(b.mainText()).as("the choice of English is remembered").contains("History");
            b.open("/app/wallet?lang=ja");
            b.click("ログアウト");

            signIn(b, "みやき生鮮市場");
            for (String page : List.of("/app/shop", "/app/shop/days", "/app/shop/charge", "/app/shop/qr")) {
                b.open(page);
                check(b, page, checked, false);
            }
            // Refunding: the payment's 返金 button, the form with what is left, a refusal beside the amount, the refund.
            b.open("/app/shop");
            b.click(b.find("#payments a.refund"));
            assertThat(b.find("#amount").getAttribute("value")).isEqualTo("300");
            check(b, "refund form", checked, false);
            b.type("#reason", "品切れのため");
            b.screenshots("shop-refund");
            b.type("#amount", "500");
            b.click("返金する");
            assertThat(b.find("#amount-error").getText()).contains("支払いより多くは返金できません", "at most ¥300");
            assertThat(b.find("#amount").getAttribute("aria-invalid")).isEqualTo("true");
            check(b, "refund refused", checked, false);
            assertThat(b.find("#reason").getAttribute("value")).isEqualTo("品切れのため");
            b.type("#amount", "100");
            b.click("返金する");
            assertThat(b.path()).startsWith("/app/shop/refunds/");
            assertThat(b.find("#refund-done").getText()).isEqualTo("100円 をお客様に返金しました。");
            assertThat(b.find("#left").getText()).isEqualTo("200円");
            check(b, "refunded", checked, false);
            b.screenshots("shop-refunded");
            b.click("ログアウト");

            signIn(b, "finance-demo");
            for (String page : List.of("/app/finance", "/app/finance/trial-balance", "/app/finance/outstanding",
                    "/app/finance/settlements", "/app/finance/bank", "/app/finance/seals", "/app/finance/settings",
                    "/app/finance/settings/shops/" + freshId)) {
                b.open(page);
                check(b, page, checked, false);
            }
            // A mistake on the settings page: the form comes back with what was typed and each error beside its field.
            b.open("/app/finance/settings");
            b.type("#feePercent", "1.5");
            b.type("#minimumPayout", "1000");
            b.type("#requesterCode", "00000123");
            b.type("#requesterName", "ミヤキチョウ");
            b.type("#bankCode", "0182");
            b.type("#bankName", "佐賀銀行");
            b.type("#branchCode", "123");
            b.type("#accountNumber", "1234567");
            b.click("設定を保存する");
            assertThat(b.find("#requesterCode-error").getText()).contains("10桁の数字");
            assertThat(b.find("#requesterCode").getAttribute("value")).isEqualTo("00000123");
            b.type("#requesterCode", "0000012345");
            b.click("設定を保存する");
            assertThat(b.find("#bankName-error").getText()).contains("銀行名はカナで30字までです", "'佐'");
            assertThat(b.find("#form-errors").getText()).contains("保存していません");
            check(b, "settings refused", checked, false);
            b.screenshots("finance-settings-error");
            b.open("/app/finance");
            assertThat(b.all("figure.chart svg")).hasSize(3);
            assertThat(b.find("#awarded").getText()).contains("事業ごとの付与ポイント", "健康ポイント");
            b.screenshots("finance");
            b.open("/app/finance/trial-balance");
            assertThat(b.find("#trial-balance").getText()).contains("住民のお財布", "事業の予算", "合計");
            b.screenshots("finance-trial-balance");
            b.open("/app/finance/outstanding");
            assertThat(b.mainText()).contains("資金決済法の判定");
            b.screenshots("finance-outstanding");
            b.open("/app/finance/bank");
            b.screenshots("finance-bank");
            b.open("/app/finance/seals");
            b.click("いま封印する");
            assertThat(b.find("#seal-state").getText()).contains("最新の取引まで封印済みです");
            b.click("記録を照合する");
            assertThat(b.find("#verify-result").getText()).contains("問題はありません");
            b.screenshots("finance-seals");
            b.click("ログアウト");

            signIn(b, "officer-demo");
            for (String page : List.of("/app/officer", "/app/officer/imports", "/app/officer/claims")) {
                b.open(page);
                check(b, page, checked, false);
            }
            b.open("/app/officer");
            b.screenshots("officer");
            b.open("/app/officer/claims");
            assertThat(b.mainText()).contains("地域清掃", "神社の清掃に参加しました");
            b.screenshots("officer-claims");
            b.click("承認してポイントを付与");
            b.waitForText("決定を待つ申請はありません", WAIT);
            assertThat(checked).hasSize(27);
        }
    }

    @Test
    void keyboardAloneSignsInAndReachesPaying() {
        try (Browser b = Browser.start(base, Browser.Options.plain())) {
            b.open("/app/login");
            Actions keys = new Actions(b.driver());
            keys.sendKeys(Keys.TAB).perform();
            WebElement first = b.driver().switchTo().activeElement();
            assertThat(first.getText()).isEqualTo("本文へ移動");
            assertThat(first.isDisplayed()).as("the skip link shows itself when focused").isTrue();
            // Tab on to the first resident on the list; the focus must be visible wherever it is.
            WebElement focused = first;
            for (int i = 0; i < 20 && !focused.getText().contains("resident-001"); i++) {
                keys.sendKeys(Keys.TAB).perform();
                focused = b.driver().switchTo().activeElement();
                assertThat(b.script("return getComputedStyle(arguments[0]).outlineStyle", focused))
                        .as("focus outline of %s", focused.getText()).isNotEqualTo("none");
            }
            assertThat(focused.getText()).contains("resident-001");
            keys.sendKeys(Keys.ENTER).perform();
            b.waitFor(WAIT, d -> b.path().equals("/app/wallet"));
            // The first thing after the header's own links is the one primary action.
            WebElement pay = b.find("a.primary");
            for (int i = 0; i < 10 && !b.driver().switchTo().activeElement().equals(pay); i++) {
                keys.sendKeys(Keys.TAB).perform();
            }
            assertThat(b.driver().switchTo().activeElement()).isEqualTo(pay);
            keys.sendKeys(Keys.ENTER).perform();
            b.waitFor(WAIT, d -> b.path().equals("/app/wallet/scan"));
            assertThat(b.mainText()).contains("お店のコードを読み取る");
        }
    }

    @Test
    void keyboardAloneReachesARefundAndTheSettlementSettings() {
        try (Browser b = Browser.start(base, Browser.Options.plain())) {
            signIn(b, "みやき生鮮市場");
            Actions keys = new Actions(b.driver());
            WebElement refund = b.find("#payments a.refund");
            tabTo(b, keys, refund, 15);
            keys.sendKeys(Keys.ENTER).perform();
            b.waitFor(WAIT, d -> b.path().startsWith("/app/shop/payments/"));
            tabTo(b, keys, b.find("#amount"), 15);
            tabTo(b, keys, b.find("#refund-submit"), 3);
            b.click("ログアウト");

            signIn(b, "finance-demo");
            b.open("/app/finance/settings");
            tabTo(b, keys, b.find("#cycle"), 20);
            tabTo(b, keys, b.find("#settings-form button[type=submit]"), 15);
            tabTo(b, keys, b.find("#shops a"), 3);
            keys.sendKeys(Keys.ENTER).perform();
            b.waitFor(WAIT, d -> b.path().startsWith("/app/finance/settings/shops/"));
            tabTo(b, keys, b.find("#bankCode"), 20);
        }
    }

    /** Tabs until {@code target} has the focus (at most {@code max} times), the focus visible at every step. */
    private static void tabTo(Browser b, Actions keys, WebElement target, int max) {
        for (int i = 0; i < max && !b.driver().switchTo().activeElement().equals(target); i++) {
            keys.sendKeys(Keys.TAB).perform();
            WebElement focused = b.driver().switchTo().activeElement();
            assertThat(b.script("return getComputedStyle(arguments[0]).outlineStyle", focused))
                    .as("focus outline of %s", focused.getTagName() + " " + focused.getText()).isNotEqualTo("none");
        }
        assertThat(b.driver().switchTo().activeElement()).isEqualTo(target);
    }

    @Test
    void anOfficerAwardsFromACsvFileAndSeesEachRowsOutcome() throws Exception {
        Programmes programmes = applicationContext.getBean(Programmes.class);
        ProgrammeApi.Programme health = programmes.list(REGION).stream().filter(p -> p.name().equals("健康ポイント"))
                .findFirst().orElseThrow();
        Path csv = Files.createTempFile("checkups", ".csv");
        Files.writeString(csv, "resident_id,activity_code,event_id\n"
                + hanako + ",HEALTH_EVENT,fair-2026\n"
                // The demo town awarded every early resident this year's check-up already.
                + hanako + ",CHECKUP,checkup-" + LocalDate.now(ZoneId.of("Asia/Tokyo")).getYear() + "\n"
                + UUID.randomUUID() + ",HEALTH_EVENT,fair-2026\n", StandardCharsets.UTF_8);
        try (Browser b = Browser.start(base, Browser.Options.plain())) {
            signIn(b, "officer-demo");
            b.open("/app/officer/imports");
            b.script("document.getElementById('programme').value = arguments[0]", health.programmeId().toString());
            b.find("#file").sendKeys(csv.toAbsolutePath().toString());
            b.click("取り込んで付与する");
            // The upload answers with a redirect to the import's own page; wait for it rather than race it.
            b.waitFor(WAIT, d -> b.path().startsWith("/app/officer/imports/"));
            b.waitFor(WAIT, d -> b.find("#import-status").getAttribute("data-status").equals("DONE"));
            String rows = b.find("#import-rows").getText();
            assertThat(rows).contains("付与", "付与済み", "付与できず");
            assertThat(b.mainText()).contains("3 / 3 行を処理");
            check(b, "import result", new ArrayList<>(), false);
            b.screenshots("officer-import");
        }
    }

    private void signIn(Browser b, String who) {
        b.open("/app/login");
        b.click(who);
    }

    /**
     * The page passes the checks above, at phone and at desktop width. Other browser tests check their own pages with
     * it too ({@link ShopDayPagesTest}).
     */
    @SuppressWarnings("unchecked")
    static void check(Browser b, String page, List<String> checked, boolean residentPage) {
        for (int width : new int[] {Browser.PHONE_WIDTH, Browser.DESKTOP_WIDTH}) {
            b.resize(width, width == Browser.PHONE_WIDTH ? Browser.PHONE_HEIGHT : Browser.DESKTOP_HEIGHT);
            Map<String, Object> result = (Map<String, Object>) b.script(CHECKS);
            assertThat((List<String>) result.get("problems")).as("%s at %dpx", page, width).isEmpty();
            assertThat(((Number) result.get("bodyFont")).doubleValue()).as("%s: body text size", page)
                    .isGreaterThanOrEqualTo(residentPage ? 20 : 18);
            // WCAG AA asks 4.5:1 of body text; the pages' own colours reach AAA's 7:1 everywhere.
            assertThat(((Number) result.get("minContrast")).doubleValue()).as("%s: lowest text contrast", page)
                    .isGreaterThanOrEqualTo(7);
        }
        b.resize(Browser.PHONE_WIDTH, Browser.PHONE_HEIGHT);
        checked.add(page);
    }
}
