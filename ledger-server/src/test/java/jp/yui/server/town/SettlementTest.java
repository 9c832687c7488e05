package jp.yui.server.town;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import java.nio.charset.Charset;
import java.time.Duration;
import java.time.LocalDate;
import java.time.Year;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jp.yui.ledger.Ledger;
import jp.yui.server.infra.Problem;
import jp.yui.server.region.Purpose;
import jp.yui.server.region.Regions;
import jp.yui.server.settlement.SettlementSettings;
import jp.yui.server.settlement.Settlements;
import jp.yui.server.settlement.ZenginTransferFile;
import org.junit.jupiter.api.Test;

/** Settlement over HTTP: runs, fees, holds, reproducibility, the Zengin file, and confirming payouts. */
class SettlementTest extends TownTest {

    @Override
    protected Map<String, String> properties() {
        return TownClock.with(super.properties());
    }

    private void configure(Town town) {
        ok(HttpRequest.PUT(town.path("/settlement-settings"), Map.of("cycle", "HALF_MONTHLY", "feeRateBasisPoints", 150,
                "minimumPayout", 1_000, "requesterCode", "0000012345", "requesterName", "ミヤキチョウ",
                "account", Map.of("bankCode", "0182", "bankName", "サガギンコウ", "branchCode", "123", "branchName", "ミヤキ",
                        "accountType", "ORDINARY", "accountNumber", "1234567"))).bearerAuth(town.finance));
    }

    private void bankAccount(Town town, Shop shop, String number) {
        ok(HttpRequest.PUT(town.path("/merchants/" + shop.id() + "/bank-account"), Map.of("bankCode", "0182",
                "branchCode", "456", "accountType", "ORDINARY", "accountNumber", number)).bearerAuth(town.finance));
    }

    private Map<String, Object> run(Town town, LocalDate from, LocalDate to) {
        return ok(post(town.path("/settlements"), Map.of("periodFrom", from.toString(), "periodTo", to.toString()),
                town.finance));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> payoutOf(Map<String, Object> run, Shop shop) {
        return ((List<Map<String, Object>>) run.get("payouts")).stream()
                .filter(p -> p.get("merchantId").equals(shop.id().toString())).findFirst().orElseThrow();
    }

    private long account(Town town, Purpose purpose) {
        return applicationContext.getBean(Ledger.class).account(town.id, Regions.account(town.id, purpose, YEN))
                .orElseThrow().postedBalance();
    }

    @Test
    void feesAreSummedPerPaymentRoundedDown() {
        assertThat(Settlements.fee(333, 150)).isEqualTo(4);     // 4.995
        assertThat(Settlements.fee(1_001, 150)).isEqualTo(15);  // 15.015
        assertThat(Settlements.fee(2_999, 150)).isEqualTo(44);  // 44.985
        assertThat(Settlements.fee(66, 150)).isZero();          // 0.99
        assertThat(Settlements.fee(1_000_000, 10_000)).isEqualTo(1_000_000);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aRunPaysEachShopItsTakingsLessFeesHoldsTheRestAndIsReproducible() {
        Town town = newTown();
        configure(town);
        Shop fresh = shop(town, "Miyaki Fresh");
        Shop cafe = shop(town, "Cafe");
        Shop noBank = shop(town, "No Bank");
        Shop tiny = shop(town, "Tiny");
        bankAccount(town, fresh, "1111111");
        bankAccount(town, cafe, "2222222");
        bankAccount(town, tiny, "3333333");
        ok(HttpRequest.PUT(town.path("/merchants/" + cafe.id() + "/fee"), Map.of("feeRateBasisPoints", 200))
                .bearerAuth(town.finance));
        Person hana = funded(town, "花子", 20_000);
        LocalDate day = today();

        String p1001 = null;
        for (long amount : new long[] {333, 1_001, 2_999}) {
            String id = (String) pay(town, hana, fresh.staticPayload(), amount).get("paymentId");
            p1001 = amount == 1_001 ? id : p1001;
        }
        ok(shopPost(town.path("/payments/" + p1001 + "/refunds"), Map.of("amount", 300), fresh.key()));
        pay(town, hana, cafe.staticPayload(), 5_000L);
        pay(town, hana, noBank.staticPayload(), 2_000L);
        pay(town, hana, tiny.staticPayload(), 500L);

        assertThat(refused(post(town.path("/settlements"), Map.of("periodFrom", day.withDayOfMonth(1).toString(),
                "periodTo", day.toString()), town.finance)).type()).endsWith("/period-not-closed");
        TownClock.CLOCK.advance(Duration.ofDays(1));
        // A pay date the banks do not work (the next Sunday) is refused, and so is one months away; nothing is settled.
        LocalDate sunday = day.with(java.time.temporal.TemporalAdjusters.next(java.time.DayOfWeek.SUNDAY));
        assertThat(refused(post(town.path("/settlements"), Map.of("periodFrom", day.withDayOfMonth(1).toString(),
                "periodTo", day.toString(), "payDate", sunday.toString()), town.finance)).detail())
                .contains("not a bank day");
        assertThat(refused(post(town.path("/settlements"), Map.of("periodFrom", day.withDayOfMonth(1).toString(),
                "periodTo", day.toString(), "payDate", day.plusYears(1).toString()), town.finance)).detail())
                .contains("at most 62 days");
        Map<String, Object> run = run(town, day.withDayOfMonth(1), day);

        // 333 + 1,001 + 2,999 − 300 refunded; fees 4 + 15 + 44 = 63 per payment (1.5% of the total would be 64).
        assertThat(payoutOf(run, fresh)).containsEntry("gross", 4_033).containsEntry("fee", 63).containsEntry("net", 3_970)
                .containsEntry("paymentCount", 3).containsEntry("refundCount", 1).containsEntry("status", "SCHEDULED");
        assertThat(payoutOf(run, cafe)).containsEntry("gross", 5_000).containsEntry("fee", 100).containsEntry("net", 4_900);
        assertThat(run).containsEntry("payoutCount", 2).containsEntry("totalNet", 8_870).containsEntry("totalFee", 163);
        assertThat((List<Map<String, Object>>) run.get("held")).extracting(h -> h.get("merchantName"), h -> h.get("reason"))
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("No Bank", "no bank account on file"),
                        org.assertj.core.groups.Tuple.tuple("Tiny", "below the minimum payout of ¥1000"));
        assertThat(account(town, Purpose.SETTLEMENT_PAYABLE)).isEqualTo(8_870);
        assertThat(account(town, Purpose.FEE_REVENUE)).isEqualTo(163);
        assertThat(shopBalance(town, fresh, YEN)).isZero();
        assertThat(shopBalance(town, noBank, YEN)).isEqualTo(2_000);

        // The shop report shows the fees the run charged on the day's payments.
        Map<String, Object> report = ok(get(town.path("/reports/shop-payments?from=" + day + "&to=" + day), town.finance));
        Map<String, Object> freshLine = ((List<Map<String, Object>>) report.get("lines")).stream()
                .filter(l -> l.get("merchantId").equals(fresh.id().toString())).findFirst().orElseThrow();
        assertThat((Map<String, Object>) freshLine.get("amounts")).containsEntry("gross", 4_333).containsEntry("refunded", 300)
                .containsEntry("fees", 63);

        // Running the same period again answers the same run and moves nothing.
        Map<String, Object> again = run(town, day.withDayOfMonth(1), day);
        assertThat(again.get("settlementId")).isEqualTo(run.get("settlementId"));
        assertThat(again.get("payouts")).isEqualTo(run.get("payouts"));
        assertThat(account(town, Purpose.SETTLEMENT_PAYABLE)).isEqualTo(8_870);

        // The payout file: every record 120 bytes, trailer totals equal to the payouts.
        HttpResponse<byte[]> file = http().exchange(get(town.path("/settlements/" + run.get("settlementId") + "/zengin"),
                town.finance), byte[].class);
        byte[] bytes = file.body();
        assertThat(file.header("Content-Disposition")).contains("yui-payouts-" + town.id);
        String text = new String(bytes, Charset.forName("windows-31j"));
        assertThat(Arrays.stream(text.split("\r\n")).map(r -> r.getBytes(Charset.forName("windows-31j")).length))
                .hasSize(5).allMatch(n -> n == 120);
        ZenginTransferFile.Parsed parsed = ZenginTransferFile.parse(bytes, Year.of(day.getYear()));
        assertThat(parsed.rowCount()).isEqualTo(2);
        assertThat(parsed.total()).isEqualTo(8_870);
        assertThat(parsed.rows()).extracting(ZenginTransferFile.Row::accountNumber).containsExactly("1111111", "2222222");
        // Banks take small kana as large: ﾐﾔｷｼｮｳﾃﾝ is written ﾐﾔｷｼﾖｳﾃﾝ.
        assertThat(parsed.rows()).extracting(ZenginTransferFile.Row::payeeName).containsExactly("ﾐﾔｷｼﾖｳﾃﾝ", "ﾐﾔｷｼﾖｳﾃﾝ");

        // The bank paid: payable → bank, the shop sees it paid.
        String payoutId = (String) payoutOf(run, fresh).get("payoutId");
        assertThat(refused(post(town.path("/payouts/" + payoutId + "/paid"), Map.of(), town.finance)).type())
                .endsWith("/validation");
        Map<String, Object> paid = ok(post(town.path("/payouts/" + payoutId + "/paid"), Map.of("note", "seen on the statement"),
                town.finance));
        assertThat(paid).containsEntry("status", "PAID");
        ok(post(town.path("/payouts/" + payoutId + "/paid"), Map.of("note", "again"), town.finance));
        assertThat(account(town, Purpose.SETTLEMENT_PAYABLE)).isEqualTo(4_900);
        Map<String, Object> mine = ok(shopGet(town.path("/merchants/" + fresh.id() + "/payouts"), fresh.key()));
        assertThat((List<Map<String, Object>>) mine.get("items")).singleElement().satisfies(p ->
                assertThat(p).containsEntry("status", "PAID").containsEntry("net", 3_970));

        // The next run carries what was held: the shop without a bank account now has one.
        bankAccount(town, noBank, "4444444");
        LocalDate next = today();
        pay(town, hana, noBank.staticPayload(), 100L);
        TownClock.CLOCK.advance(Duration.ofDays(1));
        Map<String, Object> second = run(town, next, next);
        assertThat(payoutOf(second, noBank)).containsEntry("gross", 2_100).containsEntry("fee", 31)
                .containsEntry("paymentCount", 2);
        assertThat(second.get("payoutCount")).isEqualTo(1);
    }

    @Test
    void pointsTakenByAShopArePaidInYenFromConversionFunding() {
        Town town = newTown();
        configure(town);
        ok(keyed(post(town.path("/conversion-funding"), Map.of("yen", 100_000), town.finance)));
        Shop fresh = shop(town, "Miyaki Fresh");
        bankAccount(town, fresh, "1111111");
        Person hana = funded(town, "花子", 2_000);
        UUID programme = town.healthProgramme(null, 10_000);
        town.award(programme, hana.id(), "CHECKUP", "ev-1"); // 500 points
        ok(HttpRequest.PUT(town.path("/payment-settings"), Map.of("payOrder", List.of(HEALTH, YEN), "cardDailyLimit", 10_000))
                .bearerAuth(town.admin));
        LocalDate day = today();
        pay(town, hana, fresh.staticPayload(), 1_500L); // 500 points + ¥1,000
        long funding = account(town, Purpose.CONVERSION_FUNDING);
        TownClock.CLOCK.advance(Duration.ofDays(1));

        Map<String, Object> run = run(town, day, day);
        assertThat(payoutOf(run, fresh)).containsEntry("gross", 1_500).containsEntry("fee", 22).containsEntry("net", 1_478);
        assertThat(shopBalance(town, fresh, HEALTH)).isZero();
        assertThat(shopBalance(town, fresh, YEN)).isZero();
        assertThat(account(town, Purpose.CONVERSION_FUNDING)).isEqualTo(funding - 500);
        assertThat(account(town, Purpose.SETTLEMENT_PAYABLE)).isEqualTo(1_478);
    }

    @Test
    void aShopsOwnFeeClearedSettlesAtTheTownsFeeAndOnlyFinanceMayClearIt() {
        Town town = newTown();
        configure(town);
        Shop cafe = shop(town, "Cafe");
        Shop other = shop(town, "Other");
        bankAccount(town, cafe, "2222222");
        String fee = town.path("/merchants/" + cafe.id() + "/fee");
        ok(HttpRequest.PUT(fee, Map.of("feeRateBasisPoints", 200)).bearerAuth(town.finance));
        Person hana = funded(town, "花子", 20_000);
        LocalDate first = today();
        pay(town, hana, cafe.staticPayload(), 5_000L);
        TownClock.CLOCK.advance(Duration.ofDays(1));
        assertThat(payoutOf(run(town, first, first), cafe)).containsEntry("fee", 100).containsEntry("net", 4_900);

        // Residents, cashiers, officers and shops (itself or another) may not clear it, and it stays.
        for (String token : List.of(hana.token(), town.cashier, town.officer)) {
            assertThat(refused(HttpRequest.DELETE(fee).bearerAuth(token)).status()).isEqualTo(403);
        }
        for (Shop shop : List.of(cafe, other)) {
            assertThat(refused(HttpRequest.DELETE(fee).header("X-Api-Key", shop.key())).status()).isEqualTo(403);
        }
        SettlementSettings settings = applicationContext.getBean(SettlementSettings.class);
        assertThat(settings.shop(town.id, cafe.id()).feeRateBasisPoints()).isEqualTo(200);

        // Finance clears it; clearing it again (here by an admin) answers the same and changes nothing.
        assertThat(http().exchange(HttpRequest.DELETE(fee).bearerAuth(town.finance)).status().getCode()).isEqualTo(204);
        assertThat(settings.shop(town.id, cafe.id()).feeRateBasisPoints()).isNull();
        assertThat(http().exchange(HttpRequest.DELETE(fee).bearerAuth(town.admin)).status().getCode()).isEqualTo(204);
        assertThat(settings.shop(town.id, cafe.id()).feeRateBasisPoints()).isNull();
        assertThat(refused(HttpRequest.DELETE(town.path("/merchants/" + UUID.randomUUID() + "/fee"))
                .bearerAuth(town.finance)).status()).isEqualTo(404);

        // The next run charges the town's 1.5%: ¥75 of ¥5,000, not ¥100.
        LocalDate second = today();
        pay(town, hana, cafe.staticPayload(), 5_000L);
        TownClock.CLOCK.advance(Duration.ofDays(1));
        assertThat(payoutOf(run(town, second, second), cafe)).containsEntry("gross", 5_000).containsEntry("fee", 75)
                .containsEntry("net", 4_925);
    }

    @Test
    void financeEndpointsAreClosedToResidentsShopsAndCashiers() {
        Town town = newTown();
        configure(town);
        Shop fresh = shop(town, "Miyaki Fresh");
        Person hana = funded(town, "花子", 100);
        Shop other = shop(town, "Other");
        LocalDate yesterday = today().minusDays(1);
        Map<String, Object> body = Map.of("periodFrom", yesterday.toString(), "periodTo", yesterday.toString());
        for (String token : List.of(hana.token(), town.cashier, town.officer)) {
            assertThat(refused(post(town.path("/settlements"), body, token)).status()).isEqualTo(403);
            assertThat(refused(get(town.path("/settlements"), token)).status()).isEqualTo(403);
            assertThat(refused(get(town.path("/settlement-settings"), token)).status()).isEqualTo(403);
            assertThat(refused(get(town.path("/merchants/" + fresh.id() + "/payouts"), token)).status()).isEqualTo(403);
        }
        assertThat(refused(HttpRequest.POST(town.path("/settlements"), body).header("X-Api-Key", fresh.key())).status())
                .isEqualTo(403);
        assertThat(refused(shopGet(town.path("/merchants/" + fresh.id() + "/payouts"), other.key())).status())
                .isEqualTo(403);
        Problem badName = refused(HttpRequest.PUT(town.path("/merchants/" + fresh.id() + "/bank-account"), Map.of(
                "bankCode", "0182", "branchCode", "456", "accountType", "ORDINARY", "accountNumber", "1",
                "holderName", "みやき店")).bearerAuth(town.finance));
        assertThat(badName.type()).endsWith("/validation");
        assertThat(badName.detail()).startsWith("holderName: ").contains("店");
    }
}
