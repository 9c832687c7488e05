package jp.yui.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.runtime.server.EmbeddedServer;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jp.yui.server.ServerTest;
import jp.yui.server.demo.DemoTown;
import jp.yui.server.payment.Merchants;
import jp.yui.server.settlement.SettlementApi;
import jp.yui.server.settlement.SettlementSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Finance's settlement settings pages over plain HTTP: what they store is what the API stores, a mistake shows the
 * form again with the field's error beside it and stores nothing, and only the town's finance staff and admins get
 * in. The tests run in order: the first stores the settings the others must leave untouched.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SettlementSettingsPagesTest extends ServerTest {

    private static final long REGION = DemoTown.REGION;

    private SettlementSettings settings;
    private Merchants.Row fresh;
    private Merchants.Row cafe;

    @BeforeAll
    void town() {
        settings = applicationContext.getBean(SettlementSettings.class);
        List<Merchants.Row> shops = applicationContext.getBean(Merchants.class).list(REGION);
        fresh = shops.stream().filter(m -> m.name().equals("Miyaki Fresh")).findFirst().orElseThrow();
        cafe = shops.stream().filter(m -> m.name().equals("Cafe Chikugo")).findFirst().orElseThrow();
    }

    private WebClient signedIn(String who) {
        WebClient b = new WebClient(applicationContext.getBean(EmbeddedServer.class).getURI());
        b.get("/app/login");
        assertThat(b.submit("/app/login/demo", Map.of("who", who)).statusCode()).isEqualTo(303);
        return b;
    }

    private static Map<String, String> townForm() {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("cycle", "HALF_MONTHLY");
        form.put("feePercent", "１．２５％");
        form.put("minimumPayout", "1,000円");
        form.put("requesterCode", "０００００１２３４５");
        form.put("requesterName", "ミヤキチョウ");
        form.put("bankCode", "0182");
        form.put("bankName", "サガギンコウ");
        form.put("branchCode", "123");
        form.put("branchName", "ミヤキ");
        form.put("accountType", "ORDINARY");
        form.put("accountNumber", "1234567");
        return form;
    }

    @Test
    @Order(1)
    void financeSetsUpTheTownAndEachShopAsTheApiWould() {
        WebClient b = signedIn("finance");
        HttpResponse<String> empty = b.get("/app/finance/settings");
        assertThat(empty.statusCode()).as(empty.body()).isEqualTo(200);
        assertThat(empty.body()).contains("精算の設定", "まだ設定がありません", "みやき生鮮市場", "口座が未登録です",
                "href=\"/app/finance/settings\"");
        assertThat(b.get("/app/finance/settlements").body()).contains("href=\"/app/finance/settings\"");

        // Typed as people type: full-width digits, a full-width percent sign, separators and 円.
        HttpResponse<String> saved = b.submit("/app/finance/settings", townForm());
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(303);
        assertThat(saved.headers().firstValue("Location")).hasValue("/app/finance/settings?saved=settings");
        assertThat(settings.find(REGION)).hasValue(new SettlementApi.Settings(SettlementApi.Cycle.HALF_MONTHLY, 125,
                1_000L, "0000012345", "ミヤキチョウ", new SettlementApi.BankAccount("0182", "サガギンコウ", "123", "ミヤキ",
                        SettlementApi.AccountType.ORDINARY, "1234567", null)));
        HttpResponse<String> shown = b.get("/app/finance/settings?saved=settings");
        assertThat(shown.body()).contains("町の設定を保存しました", "value=\"1.25\"", "value=\"0000012345\"",
                "町の標準(1.25%)");

        String shopPage = b.get("/app/finance/settings/shops/" + fresh.merchantId()).body();
        assertThat(shopPage).contains("みやき生鮮市場 の口座と手数料", "ﾐﾔｷﾌﾚｯｼｭ");
        HttpResponse<String> account = b.submit("/app/finance/settings/shops/" + fresh.merchantId() + "/bank-account",
                Map.of("bankCode", "0182", "bankName", "さがぎんこう", "branchCode", "456", "branchName", "ミヤキ",
                        "accountType", "SAVINGS", "accountNumber", "7654321", "holderName", ""));
        assertThat(account.statusCode()).as(account.body()).isEqualTo(303);
        assertThat(account.headers().firstValue("Location")).hasValue("/app/finance/settings?saved=account");
        // The holder defaults to the shop's kana name, as the API's does.
        assertThat(settings.shop(REGION, fresh.merchantId()).account()).isEqualTo(new SettlementApi.BankAccount("0182",
                "さがぎんこう", "456", "ミヤキ", SettlementApi.AccountType.SAVINGS, "7654321", "ﾐﾔｷﾌﾚｯｼｭ"));

        b.get("/app/finance/settings/shops/" + cafe.merchantId());
        HttpResponse<String> fee = b.submit("/app/finance/settings/shops/" + cafe.merchantId() + "/fee",
                Map.of("feePercent", "2"));
        assertThat(fee.statusCode()).as(fee.body()).isEqualTo(303);
        assertThat(settings.shop(REGION, cafe.merchantId()).feeRateBasisPoints()).isEqualTo(200);
        String list = b.get("/app/finance/settings?saved=fee").body();
        assertThat(list).contains("お店の手数料を保存しました", "さがぎんこう (0182) ミヤキ (456) 貯蓄 7654321 ﾐﾔｷﾌﾚｯｼｭ", "2%");
        assertThat(b.get("/app/finance/settings?lang=en").body()).contains("Settlement settings", "Miyaki Fresh",
                "Savings", "The town’s (1.25%)", "Twice a month");
    }

    @Test
    @Order(2)
    void aMistakeShowsTheFormAgainWithTheFieldsErrorAndStoresNothing() {
        SettlementApi.Settings before = settings.find(REGION).orElseThrow();
        WebClient b = signedIn("finance");
        b.get("/app/finance/settings");
        Map<String, String> form = townForm();
        form.put("bankName", "佐賀銀行");
        form.put("requesterCode", "12345");
        form.put("feePercent", "1.234");
        form.put("minimumPayout", "たくさん");
        HttpResponse<String> refused = b.submit("/app/finance/settings", form);
        assertThat(refused.statusCode()).isEqualTo(400);
        String page = refused.body();
        assertThat(page).contains("保存していません", "id=\"requesterCode-error\"", "銀行から届いた10桁の数字を入れてください",
                "id=\"feePercent-error\"", "小数は第2位まで", "id=\"minimumPayout-error\"");
        // What was typed stays, the field says it is wrong and points at its error.
        assertThat(page).contains("value=\"佐賀銀行\"", "value=\"12345\"", "value=\"1.234\"", "value=\"たくさん\"")
                .containsPattern("id=\"requesterCode\"[^>]*aria-invalid=\"true\"[^>]*aria-describedby=\"requesterCode-hint "
                        + "requesterCode-error\"");
        // The bank name's error is the service's, found only once the request's constraints pass.
        assertThat(page).doesNotContain("id=\"bankName-error\"");
        assertThat(settings.find(REGION)).hasValue(before);

        form = townForm();
        form.put("bankName", "佐賀銀行");
        form.put("accountType", "SAVINGS");
        b.get("/app/finance/settings");
        HttpResponse<String> service = b.submit("/app/finance/settings", form);
        assertThat(service.statusCode()).isEqualTo(400);
        assertThat(service.body()).contains("id=\"bankName-error\"", "銀行名はカナで30字までです",
                "cannot be written in a bank file: &#39;佐&#39; at 0 in &quot;佐賀銀行&quot;", "id=\"accountType-error\"",
                "町の口座は普通・当座・その他のどれかです");
        assertThat(settings.find(REGION)).hasValue(before);

        b.get("/app/finance/settings");
        HttpResponse<String> cycle = b.submit("/app/finance/settings", Map.of("cycle", "WEEKLY"));
        assertThat(cycle.statusCode()).isEqualTo(400);
        assertThat(cycle.body()).contains("id=\"cycle-error\"", "id=\"bankCode-error\"", "id=\"accountNumber-error\"");
        assertThat(settings.find(REGION)).hasValue(before);

        SettlementApi.BankAccount account = settings.shop(REGION, fresh.merchantId()).account();
        b.get("/app/finance/settings/shops/" + fresh.merchantId());
        HttpResponse<String> holder = b.submit("/app/finance/settings/shops/" + fresh.merchantId() + "/bank-account",
                Map.of("bankCode", "018", "branchCode", "456", "accountType", "ORDINARY", "accountNumber", "7654321",
                        "holderName", "みやき生鮮市場"));
        assertThat(holder.statusCode()).isEqualTo(400);
        assertThat(holder.body()).contains("id=\"bankCode-error\"", "value=\"018\"", "value=\"みやき生鮮市場\"");
        b.get("/app/finance/settings/shops/" + fresh.merchantId());
        HttpResponse<String> kanji = b.submit("/app/finance/settings/shops/" + fresh.merchantId() + "/bank-account",
                Map.of("bankCode", "0182", "branchCode", "456", "accountType", "ORDINARY", "accountNumber", "7654321",
                        "holderName", "みやき生鮮市場"));
        assertThat(kanji.statusCode()).isEqualTo(400);
        assertThat(kanji.body()).contains("id=\"holderName-error\"", "口座名義をカナで入れてください",
                "cannot be written in a bank file: &#39;生&#39;");
        assertThat(settings.shop(REGION, fresh.merchantId()).account()).isEqualTo(account);

        b.get("/app/finance/settings/shops/" + cafe.merchantId());
        for (String fee : List.of("abc", "101", "0.125", "")) {
            HttpResponse<String> r = b.submit("/app/finance/settings/shops/" + cafe.merchantId() + "/fee",
                    Map.of("feePercent", fee));
            assertThat(r.statusCode()).as(fee).isEqualTo(400);
            assertThat(r.body()).as(fee).contains("id=\"feePercent-error\"", "value=\"" + fee + "\"");
        }
        assertThat(settings.shop(REGION, cafe.merchantId()).feeRateBasisPoints()).isEqualTo(200);
    }

    @Test
    @Order(3)
    void onlyTheTownsFinanceStaffGetInAsWithTheApi() {
        SettlementApi.Settings before = settings.find(REGION).orElseThrow();
        WebClient signedOut = new WebClient(applicationContext.getBean(EmbeddedServer.class).getURI());
        HttpResponse<String> away = signedOut.get("/app/finance/settings");
        assertThat(away.statusCode()).isEqualTo(303);
        assertThat(away.headers().firstValue("Location")).hasValue("/app/login?next=%2Fapp%2Ffinance%2Fsettings");

        for (String who : List.of("resident-001", "officer", "shop:" + fresh.merchantId())) {
            WebClient b = signedIn(who);
            assertThat(b.get("/app/finance/settings").statusCode()).as(who).isEqualTo(403);
            assertThat(b.get("/app/finance/settings/shops/" + fresh.merchantId()).statusCode()).as(who).isEqualTo(403);
            Map<String, String> form = townForm();
            form.put("minimumPayout", "1");
            assertThat(b.submit("/app/finance/settings", form).statusCode()).as(who).isEqualTo(403);
            assertThat(b.submit("/app/finance/settings/shops/" + fresh.merchantId() + "/fee", Map.of("feePercent", "0"))
                    .statusCode()).as(who).isEqualTo(403);
            assertThat(b.submit("/app/finance/settings/shops/" + cafe.merchantId() + "/fee/clear", Map.of())
                    .statusCode()).as(who).isEqualTo(403);
        }
        assertThat(settings.find(REGION)).hasValue(before);
        assertThat(settings.shop(REGION, fresh.merchantId()).feeRateBasisPoints()).isNull();
        assertThat(settings.shop(REGION, cafe.merchantId()).feeRateBasisPoints()).isEqualTo(200);

        WebClient finance = signedIn("finance");
        UUID nobody = UUID.randomUUID();
        assertThat(finance.get("/app/finance/settings/shops/" + nobody).statusCode()).isEqualTo(404);
        assertThat(finance.get("/app/finance/settings/shops/not-a-uuid").statusCode()).isEqualTo(400);
        finance.get("/app/finance/settings");
        assertThat(finance.submit("/app/finance/settings/shops/" + nobody + "/fee", Map.of("feePercent", "1"))
                .statusCode()).isEqualTo(404);
        finance.get("/app/finance/settings");
        assertThat(finance.submit("/app/finance/settings/shops/" + nobody + "/fee/clear", Map.of()).statusCode())
                .isEqualTo(404);
    }

    @Test
    @Order(4)
    void financePutsAShopBackOnTheTownsFeeAsTheApiWould() {
        WebClient b = signedIn("finance");
        // Only a shop with a fee of its own offers to go back to the town's.
        assertThat(b.get("/app/finance/settings/shops/" + fresh.merchantId()).body()).doesNotContain("町の手数料に戻す");
        String page = b.get("/app/finance/settings/shops/" + cafe.merchantId()).body();
        assertThat(page).contains("id=\"current-fee\">2%<", "町の手数料に戻す", "町の標準(1.25%)にします");

        HttpResponse<String> cleared = b.submit("/app/finance/settings/shops/" + cafe.merchantId() + "/fee/clear",
                Map.of());
        assertThat(cleared.statusCode()).as(cleared.body()).isEqualTo(303);
        assertThat(cleared.headers().firstValue("Location")).hasValue("/app/finance/settings?saved=feeCleared");
        assertThat(settings.shop(REGION, cafe.merchantId()).feeRateBasisPoints()).isNull();
        String list = b.get("/app/finance/settings?saved=feeCleared").body();
        assertThat(list).contains("お店の手数料を町の標準に戻しました");
        String row = list.substring(list.indexOf("data-merchant=\"" + cafe.merchantId() + "\""));
        assertThat(row.substring(0, row.indexOf("</tr>"))).contains("町の標準(1.25%)");
        page = b.get("/app/finance/settings/shops/" + cafe.merchantId()).body();
        assertThat(page).contains("id=\"current-fee\">町の標準(1.25%)<").doesNotContain("町の手数料に戻す");

        // The same form again (a double tap) leaves it so.
        HttpResponse<String> again = b.submit("/app/finance/settings/shops/" + cafe.merchantId() + "/fee/clear",
                Map.of());
        assertThat(again.statusCode()).isEqualTo(303);
        assertThat(settings.shop(REGION, cafe.merchantId()).feeRateBasisPoints()).isNull();
    }
}
