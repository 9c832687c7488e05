package jp.yui.server.town;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import jp.yui.ledger.Account;
import jp.yui.ledger.AccountSpec;
import jp.yui.ledger.Side;
import jp.yui.ledger.StatementEntry;
import jp.yui.ledger.StatementPage;
import jp.yui.ledger.TransferRequest;
import jp.yui.server.payment.Merchants;
import jp.yui.server.region.Purpose;
import jp.yui.server.region.Regions;
import org.junit.jupiter.api.Test;

/**
 * Every report against one town's history, built once over HTTP across two months, checked against numbers worked
 * out by hand from that history and against recomputations through the ledger's own API (statements, balanceAt,
 * lots) that share nothing with the reports' SQL.
 *
 * <p>The history, in Tokyo time:
 * <ul>
 *   <li>10 April 2026, 10:00: a health programme (budget 10,000 points), ¥10,000 conversion funding, a +20% campaign
 *       (budget ¥5,000, premiums valid 30 days: until 11 May 00:00). 花子 charges ¥10,000 at the counter (+¥2,000
 *       premium), 太郎 ¥5,000 by bank. 花子 gets 500 points for a check-up and converts 300 of them into ¥300. 花子
 *       pays Miyaki Fresh ¥1,500 (taken from the premium, which expires first), which refunds ¥1,000 of it (given back
 *       as premium). 太郎 pays Miyaki Fresh ¥2,000. Yui Cafe sells nothing.</li>
 *   <li>20 May 2026, 10:00: the sweep takes 花子's expired ¥1,500 premium to breakage. 太郎 gets 10 points for steps,
 *       finance appropriates 2,000 more points, 花子 pays Miyaki Fresh ¥500 (from her paid value), which refunds ¥200
 *       of 太郎's April payment. A transfer with a reason code the reports do not know moves ¥7 from the bank into an
 *       account outside the chart.</li>
 * </ul>
 */
class ReportHistoryTest extends ReportFixture {

    private History history;

    record History(Town town, Person hana, Person taro, Shop fresh, Shop cafe, UUID health, UUID healthBudget,
            UUID campaignBudget, UUID stray) {
    }

    /** The history, built by the first test that needs it; the clock then stays at 20 May 2026, 10:00. */
    History history() {
        if (history == null) {
            at("2026-04-10T10:00:00");
            Town town = newTown();
            UUID health = town.healthProgramme(null, 10_000);
            ok(keyed(post(town.path("/conversion-funding"), Map.of("yen", 10_000), town.finance)));
            Map<String, Object> campaign = campaign(town, 20, 30, 5_000);
            Person hana = town.resident("佐藤 花子");
            Person taro = town.resident("鈴木 太郎");
            Shop fresh = shop(town, "Miyaki Fresh", "みやき生鮮");
            Shop cafe = shop(town, "Yui Cafe", "ゆいカフェ");
            assertThat(counterTopUp(town, hana, 10_000, campaign.get("campaignId"))).containsEntry("premium", 2000);
            bankTopUp(town, taro, 5_000);
            town.award(health, hana.id(), "CHECKUP", "checkup-2026");
            convert(town, hana, health, 300);
            String first = pay(town, hana, fresh, 1_500);
            refund(town, fresh, first, 1_000);
            String second = pay(town, taro, fresh, 2_000);

            at("2026-05-20T10:00:00");
            sweep(town);
            town.award(health, taro.id(), "STEPS", "steps-2026-05-20");
            appropriate(town, health, 2_000);
            pay(town, hana, fresh, 500);
            refund(town, fresh, second, 200);
            UUID stray = UUID.randomUUID();
            ledger().createAccount(town.id, AccountSpec.of(stray, YEN, Side.CREDIT).withLabel("not in the chart"));
            assertThat(ledger().execute(town.id, TransferRequest.posted(UUID.randomUUID(),
                    Regions.account(town.id, Purpose.BANK, YEN), stray, 7, "MYSTERY")).committed()).isTrue();

            UUID healthBudget = UUID.fromString((String) ok(get(town.path("/programmes/" + health), town.officer))
                    .get("budgetAccountId"));
            history = new History(town, hana, taro, fresh, cafe, health, healthBudget,
                    UUID.fromString((String) campaign.get("budgetAccountId")), stray);
            assertThat(town.balance(hana, YEN)).isEqualTo(9_800);
            assertThat(town.balance(taro, YEN)).isEqualTo(3_200);
        }
        return history;
    }

    // --- trial balance ---

    @Test
    void theTrialBalanceAtAnyDateEqualsEveryAccountsOwnStatementSummedUp() throws Exception {
        History h = history();
        for (String date : List.of("2026-04-09", "2026-04-15", "2026-05-19", "2026-05-20")) {
            Map<String, Object> report = report(h.town(), "trial-balance?date=" + date, h.town().finance);
            assertThat(report.get("parameters")).isEqualTo(Map.of("date", date, "at", endOf(date).toString()));
            assertThat(lineSet(lines(report))).as("trial balance at %s", date)
                    .containsExactlyInAnyOrderElementsOf(expectedTrialBalance(h, endOf(date)));
            for (Map<String, Object> t : totals(report)) {
                assertThat(num(t, "debits")).as("%s balances", t.get("assetCode")).isEqualTo(num(t, "credits"));
            }
        }
    }

    @Test
    void theTrialBalanceInTheMiddleOfTheHistoryHasTheNumbersWorkedOutByHand() {
        History h = history();
        Map<String, Object> report = report(h.town(), "trial-balance?date=2026-04-15", h.town().finance);
        Map<String, Map<String, Object>> yen = byAccount(lines(report), YEN);
        assertThat(yen.keySet()).containsExactly("BANK", "CASH", "CONVERSION_FUNDING", "FEE_REVENUE", "SETTLEMENT_PAYABLE",
                "BREAKAGE", "WALLET", "SHOP", "CAMPAIGN_BUDGET", "OTHER");
        // Bank: 太郎's ¥5,000, and the town's ¥10,000 conversion funding and ¥5,000 campaign budget paid in.
        assertThat(amounts(yen.get("BANK"))).containsExactly(1L, 20_000L, 0L, 20_000L);
        assertThat(amounts(yen.get("CASH"))).containsExactly(1L, 10_000L, 0L, 10_000L);
        assertThat(amounts(yen.get("CONVERSION_FUNDING"))).containsExactly(1L, 300L, 10_000L, 9_700L);
        // Wallets: 10,000 + 2,000 + 5,000 + 300 converted + 1,000 refunded in; 1,500 + 2,000 paid out.
        assertThat(amounts(yen.get("WALLET"))).containsExactly(2L, 3_500L, 18_300L, 14_800L);
        // One shop of two had sold anything.
        assertThat(amounts(yen.get("SHOP"))).containsExactly(1L, 1_000L, 3_500L, 2_500L);
        assertThat(amounts(yen.get("CAMPAIGN_BUDGET"))).containsExactly(1L, 2_000L, 5_000L, 3_000L);
        assertThat(amounts(yen.get("BREAKAGE"))).containsExactly(1L, 0L, 0L, 0L);
        // The account outside the chart exists today but had not moved by then.
        assertThat(amounts(yen.get("OTHER"))).containsExactly(0L, 0L, 0L, 0L);
        assertThat(yen.get("WALLET")).containsEntry("normalSide", "CREDIT").doesNotContainKey("accountId");
        assertThat(yen.get("BANK")).containsEntry("normalSide", "DEBIT")
                .containsEntry("accountId", Regions.account(h.town().id, Purpose.BANK, YEN).toString());

        Map<String, Map<String, Object>> points = byAccount(lines(report), HEALTH);
        assertThat(points.keySet()).containsExactly("ISSUED", "REDEEMED", "BREAKAGE", "WALLET", "SHOP", "PROGRAMME_BUDGET");
        assertThat(amounts(points.get("ISSUED"))).containsExactly(1L, 10_000L, 0L, 10_000L);
        assertThat(amounts(points.get("PROGRAMME_BUDGET"))).containsExactly(1L, 500L, 10_000L, 9_500L);
        assertThat(amounts(points.get("WALLET"))).containsExactly(1L, 300L, 500L, 200L);
        assertThat(amounts(points.get("REDEEMED"))).containsExactly(1L, 0L, 300L, 300L);
        assertThat(amounts(points.get("SHOP"))).containsExactly(0L, 0L, 0L, 0L);

        assertThat(totals(report)).containsExactly(
                Map.of("assetCode", YEN, "debits", 36_800, "credits", 36_800),
                Map.of("assetCode", HEALTH, "debits", 10_800, "credits", 10_800),
                Map.of("assetCode", VOLUNTEER, "debits", 0, "credits", 0));
        assertThat(report.get("region")).isEqualTo(Map.of("regionId", (int) h.town().id, "name", "みやき町",
                "zone", "Asia/Tokyo"));
        assertThat(report.get("generatedAt")).isEqualTo(CLOCK.instant().toString());
    }

    @Test
    void anAccountOutsideTheChartIsSummedUpAsOther() {
        History h = history();
        Map<String, Map<String, Object>> yen = byAccount(lines(report(h.town(), "trial-balance?date=2026-05-20",
                h.town().finance)), YEN);
        assertThat(amounts(yen.get("OTHER"))).containsExactly(1L, 0L, 7L, 7L);
        assertThat(amounts(yen.get("BREAKAGE"))).containsExactly(1L, 0L, 1_500L, 1_500L);
    }

    @Test
    void theTrialBalanceCsvHasTheLinesAndATotalPerAsset() {
        History h = history();
        Map<String, Object> json = report(h.town(), "trial-balance?date=2026-04-15", h.town().admin);
        CsvFile csv = csv(h.town(), "trial-balance?date=2026-04-15", h.town().admin);
        assertThat(csv.contentType()).isEqualTo("text/csv; charset=UTF-8");
        assertThat(csv.disposition()).isEqualTo("attachment; filename=\"trial-balance-" + h.town().id + "-2026-04-15.csv\"");
        assertThat(csv.header()).containsExactly("基準日", "資産", "勘定コード", "勘定科目", "口座ID", "口座数", "残高区分",
                "借方合計", "貸方合計", "残高");
        assertThat(csv.body()).hasSize(lines(json).size() + 3);
        List<String> wallet = csv.body().stream().filter(r -> r.get(1).equals(YEN) && r.get(2).equals("WALLET"))
                .findFirst().orElseThrow();
        assertThat(wallet).containsExactly("2026-04-15", YEN, "WALLET", "住民ウォレット", "", "2", "貸方", "3500", "18300",
                "14800");
        List<String> bank = csv.body().get(0);
        assertThat(bank).containsExactly("2026-04-15", YEN, "BANK", "銀行預金",
                Regions.account(h.town().id, Purpose.BANK, YEN).toString(), "1", "借方", "20000", "0", "20000");
        List<String> yenTotal = csv.body().stream().filter(r -> r.get(1).equals(YEN) && r.get(2).equals("TOTAL"))
                .findFirst().orElseThrow();
        assertThat(yenTotal).containsExactly("2026-04-15", YEN, "TOTAL", "合計", "", "", "", "36800", "36800", "");
    }

    // --- outstanding ---

    @Test
    void outstandingEqualsWalletBalancesAndLotsRecomputedFromTheLedgerAtAnyInstant() throws Exception {
        History h = history();
        // Before anything, in the middle, after the premium expired but before the sweep, and at the end.
        for (String date : List.of("2026-04-09", "2026-04-15", "2026-05-12", "2026-05-20")) {
            Instant at = endOf(date);
            Map<String, Object> report = report(h.town(), "outstanding?date=" + date, h.town().finance);
            Map<String, Map<String, Long>> lots = lotsAt(h.town().id, at);
            Map<String, Long> walletBalances = walletBalancesAt(h.town().id, at);
            for (String asset : List.of(YEN, HEALTH, VOLUNTEER)) {
                Map<String, Object> total = totals(report).stream().filter(t -> t.get("assetCode").equals(asset))
                        .findFirst().orElseThrow();
                assertThat(num(total, "heldInWallets")).as("%s held at %s", asset, date)
                        .isEqualTo(walletBalances.getOrDefault(asset, 0L));
                Map<String, Long> spendable = lots.getOrDefault(asset + "/live", Map.of());
                for (Map<String, Object> line : lines(report)) {
                    if (line.get("assetCode").equals(asset)) {
                        assertThat(num(line, "outstanding")).as("%s %s at %s", asset, line.get("source"), date)
                                .isEqualTo(spendable.getOrDefault((String) line.get("source"), 0L));
                    }
                }
                assertThat(num(total, "expiredAwaitingSweep")).as("%s expired at %s", asset, date)
                        .isEqualTo(lots.getOrDefault(asset + "/expired", Map.of()).values().stream()
                                .mapToLong(Long::longValue).sum());
            }
        }
    }

    @Test
    void outstandingHasTheNumbersWorkedOutByHand() {
        History h = history();
        Map<String, Object> mid = report(h.town(), "outstanding?date=2026-04-15", h.town().finance);
        assertThat(bySource(mid, YEN)).containsExactly(Map.entry("PAID", 15_000L - 2_000L), Map.entry("PREMIUM", 1_500L),
                Map.entry("POINTS", 300L));
        assertThat(bySource(mid, HEALTH)).containsExactly(Map.entry("POINTS", 200L));
        assertThat(bySource(mid, VOLUNTEER)).containsExactly(Map.entry("POINTS", 0L));
        assertThat(lines(mid)).filteredOn(l -> (Boolean) l.get("paymentServicesAct"))
                .extracting(l -> l.get("assetCode") + "/" + l.get("source")).containsExactly(YEN + "/PAID", YEN + "/PREMIUM");
        assertThat(mid.get("paymentServicesAct")).isEqualTo(Map.of("assetCode", YEN, "sources", List.of("PAID", "PREMIUM"),
                "outstanding", 14_500, "threshold", 10_000_000, "exceedsThreshold", false, "mustSecure", 0,
                "rounding", "CEILING"));

        // The premium expired on 11 May at 00:00 but was swept only on 20 May: gone from what can be spent, still held.
        Map<String, Object> expired = report(h.town(), "outstanding?date=2026-05-12", h.town().finance);
        assertThat(bySource(expired, YEN)).containsExactly(Map.entry("PAID", 13_000L), Map.entry("PREMIUM", 0L),
                Map.entry("POINTS", 300L));
        assertThat(totals(expired).get(0)).isEqualTo(Map.of("assetCode", YEN, "outstanding", 13_300,
                "expiredAwaitingSweep", 1_500, "heldInWallets", 14_800));

        // 花子 paid ¥500 from her paid value; ¥200 of 太郎's payment came back as paid value.
        Map<String, Object> end = report(h.town(), "outstanding?date=2026-05-20", h.town().finance);
        assertThat(bySource(end, YEN)).containsExactly(Map.entry("PAID", 12_700L), Map.entry("PREMIUM", 0L),
                Map.entry("POINTS", 300L));
        assertThat(totals(end).get(0)).isEqualTo(Map.of("assetCode", YEN, "outstanding", 13_000,
                "expiredAwaitingSweep", 0, "heldInWallets", 13_000));
        assertThat(bySource(end, HEALTH)).containsExactly(Map.entry("POINTS", 210L));
    }

    @Test
    void outstandingDefaultsToTheLatestReferenceDate() {
        History h = history();
        Map<String, Object> report = report(h.town(), "outstanding", h.town().finance);
        assertThat(report.get("parameters")).isEqualTo(Map.of("date", "2026-03-31", "at", "2026-03-31T15:00:00Z"));
        assertThat(totals(report)).allSatisfy(t -> assertThat(num(t, "heldInWallets")).isZero());
    }

    @Test
    void theOutstandingCsvHasTheSourcesTotalsAndTheActsTest() {
        History h = history();
        CsvFile csv = csv(h.town(), "outstanding?date=2026-04-15", h.town().finance);
        assertThat(csv.disposition()).isEqualTo("attachment; filename=\"outstanding-" + h.town().id + "-2026-04-15.csv\"");
        assertThat(csv.header()).containsExactly("基準日", "資産", "区分", "未使用残高", "資金決済法の対象", "基準額", "基準額超過",
                "要保全額");
        assertThat(csv.body().subList(0, 5)).containsExactly(
                List.of("2026-04-15", YEN, "有償チャージ", "13000", "対象", "", "", ""),
                List.of("2026-04-15", YEN, "プレミアム", "1500", "対象", "", "", ""),
                List.of("2026-04-15", YEN, "ポイント由来", "300", "対象外", "", "", ""),
                List.of("2026-04-15", YEN, "合計", "14800", "", "", "", ""),
                List.of("2026-04-15", YEN, "失効済・未処理", "0", "", "", "", ""));
        assertThat(csv.body().get(csv.body().size() - 1)).containsExactly("2026-04-15", YEN, "資金決済法 対象残高", "14500",
                "対象", "10000000", "以下", "0");
    }

    // --- statement ---

    @Test
    void theStatementPagesThroughTheLedgersLinesWithPeriodTotals() {
        History h = history();
        UUID wallet = walletOf(h, h.hana(), YEN);
        List<Map<String, Object>> paged = new ArrayList<>();
        Map<String, Object> page = null;
        long cursor = 0;
        int pages = 0;
        do {
            page = report(h.town(), "accounts/" + wallet + "/statement?from=2026-04-01&to=2026-05-31&limit=2&cursor="
                    + cursor, h.town().finance);
            paged.addAll(lines(page));
            pages++;
            cursor = page.get("nextCursor") == null ? -1 : num(page, "nextCursor");
        } while (cursor >= 0);
        assertThat(pages).isEqualTo(4);

        List<StatementEntry> expected = ledgerStatement(h.town().id, wallet, null, null);
        assertThat(paged).extracting(l -> num(l, "seq")).containsExactlyElementsOf(
                expected.stream().map(StatementEntry::seq).toList());
        assertThat(paged).extracting(l -> num(l, "balanceAfter")).containsExactly(10_000L, 12_000L, 12_300L, 10_800L,
                11_800L, 10_300L, 9_800L);
        assertThat(paged).extracting(l -> (String) l.get("reason")).containsExactly("TOP_UP", "PREMIUM", "CONVERT", "PAY",
                "REFUND", "EXPIRY", "PAY");
        assertThat(paged.get(3)).containsEntry("debit", 1500).containsEntry("credit", 0)
                .containsEntry("businessDate", "2026-04-10").containsEntry("kind", "POSTED");
        assertThat(page.get("account")).isEqualTo(Map.of("accountId", wallet.toString(), "assetCode", YEN,
                "label", ledger().account(h.town().id, wallet).orElseThrow().label(), "normalSide", "CREDIT"));
        assertThat(page.get("totals")).isEqualTo(Map.of("openingBalance", 0, "debits", 3_500, "credits", 13_300,
                "closingBalance", 9_800));
    }

    @Test
    void aStatementOfPartOfTheHistoryOpensWithTheBalanceBeforeIt() {
        History h = history();
        UUID wallet = walletOf(h, h.hana(), YEN);
        Map<String, Object> may = report(h.town(), "accounts/" + wallet + "/statement?from=2026-05-01&to=2026-05-31",
                h.town().finance);
        assertThat(lines(may)).extracting(l -> (String) l.get("reason")).containsExactly("EXPIRY", "PAY");
        Instant start = endOf("2026-04-30");
        long opening = ledger().balanceAt(h.town().id, wallet, start.minus(1, ChronoUnit.MICROS));
        assertThat(opening).isEqualTo(11_800);
        assertThat(may.get("totals")).isEqualTo(Map.of("openingBalance", 11_800, "debits", 2_000, "credits", 0,
                "closingBalance", 9_800));
        assertThat(may).doesNotContainKey("nextCursor");

        // A debit-normal chart account: cash grows on the debit side.
        UUID cash = Regions.account(h.town().id, Purpose.CASH, YEN);
        Map<String, Object> cashApril = report(h.town(), "accounts/" + cash + "/statement?from=2026-04-01&to=2026-04-30",
                h.town().admin);
        assertThat(lines(cashApril)).singleElement().satisfies(l -> assertThat(l).containsEntry("debit", 10_000)
                .containsEntry("balanceAfter", 10_000).containsEntry("reason", "TOP_UP"));
        assertThat(cashApril.get("totals")).isEqualTo(Map.of("openingBalance", 0, "debits", 10_000, "credits", 0,
                "closingBalance", 10_000));
    }

    @Test
    void theStatementCsvHoldsEveryLineOfThePeriod() {
        History h = history();
        UUID wallet = walletOf(h, h.hana(), YEN);
        CsvFile csv = csv(h.town(), "accounts/" + wallet + "/statement?from=2026-04-01&to=2026-05-31&limit=1",
                h.town().finance);
        assertThat(csv.disposition()).isEqualTo("attachment; filename=\"statement-" + h.town().id + "-" + wallet
                + "-2026-04-01-2026-05-31.csv\"");
        assertThat(csv.header()).containsExactly("口座ID", "資産", "営業日", "日時", "通番", "取引ID", "種類", "事由", "借方",
                "貸方", "残高");
        assertThat(csv.body()).hasSize(7);
        assertThat(csv.body().get(0)).containsExactly(wallet.toString(), YEN, "2026-04-10", "2026-04-10 10:00:00",
                csv.cell(csv.body().get(0), "通番"), csv.cell(csv.body().get(0), "取引ID"), "POSTED", "TOP_UP", "0", "10000",
                "10000");
        assertThat(csv.body()).extracting(r -> csv.cell(r, "残高")).containsExactly("10000", "12000", "12300", "10800",
                "11800", "10300", "9800");
        assertThat(csv.body().get(5)).contains("2026-05-20", "EXPIRY", "1500");
    }

    // --- breakage ---

    @Test
    void breakageIsWhatTheSweepsMovedInThePeriodBySource() {
        History h = history();
        Map<String, Object> may = report(h.town(), "breakage?from=2026-05-01&to=2026-05-31", h.town().finance);
        assertThat(lines(may)).containsExactly(Map.of("assetCode", YEN, "source", "PREMIUM", "amount", 1_500));
        assertThat(totals(may)).containsExactly(Map.of("assetCode", YEN, "amount", 1_500, "transfers", 1),
                Map.of("assetCode", HEALTH, "amount", 0, "transfers", 0),
                Map.of("assetCode", VOLUNTEER, "amount", 0, "transfers", 0));
        // The same from the breakage account's own statement.
        UUID breakage = ledger().asset(h.town().id, YEN).orElseThrow().breakageAccountId();
        long credited = ledgerStatement(h.town().id, breakage, endOf("2026-04-30"), endOf("2026-05-31")).stream()
                .mapToLong(StatementEntry::amount).sum();
        assertThat(credited).isEqualTo(1_500);

        Map<String, Object> april = report(h.town(), "breakage?from=2026-04-01&to=2026-04-30", h.town().finance);
        assertThat(lines(april)).isEmpty();
        assertThat(totals(april)).allSatisfy(t -> assertThat(num(t, "amount")).isZero());
        assertThat(april.get("parameters")).isEqualTo(Map.of("from", "2026-04-01", "to", "2026-04-30",
                "start", "2026-03-31T15:00:00Z", "end", "2026-04-30T15:00:00Z"));

        CsvFile csv = csv(h.town(), "breakage?from=2026-05-01&to=2026-05-31", h.town().finance);
        assertThat(csv.header()).containsExactly("期間開始", "期間終了", "資産", "区分", "失効額", "失効処理件数");
        assertThat(csv.body()).containsExactly(
                List.of("2026-05-01", "2026-05-31", YEN, "PREMIUM", "1500", ""),
                List.of("2026-05-01", "2026-05-31", YEN, "合計", "1500", "1"),
                List.of("2026-05-01", "2026-05-31", HEALTH, "合計", "0", "0"),
                List.of("2026-05-01", "2026-05-31", VOLUNTEER, "合計", "0", "0"));
    }

    // --- programme budgets ---

    @Test
    void programmeBudgetsInAPeriodAndToDate() {
        History h = history();
        Map<String, Object> april = report(h.town(), "programme-budgets?from=2026-04-01&to=2026-04-30", h.town().finance);
        assertThat(lines(april)).singleElement().satisfies(l -> assertThat(l).containsEntry("programmeId",
                h.health().toString()).containsEntry("name", "健康ポイント").containsEntry("assetCode", HEALTH)
                .containsEntry("appropriatedInPeriod", 10_000).containsEntry("awardedInPeriod", 500)
                .containsEntry("awardsInPeriod", 1).containsEntry("appropriatedToDate", 10_000)
                .containsEntry("awardedToDate", 500).containsEntry("remaining", 9_500));

        // An officer may read this one.
        Map<String, Object> may = report(h.town(), "programme-budgets?from=2026-05-01&to=2026-05-31", h.town().officer);
        Map<String, Object> line = lines(may).get(0);
        assertThat(line).containsEntry("appropriatedInPeriod", 2_000).containsEntry("awardedInPeriod", 10)
                .containsEntry("awardsInPeriod", 1).containsEntry("appropriatedToDate", 12_000)
                .containsEntry("awardedToDate", 510).containsEntry("remaining", 11_490);
        assertThat(num(line, "remaining")).isEqualTo(ledger().balanceAt(h.town().id, h.healthBudget(),
                endOf("2026-05-31").minus(1, ChronoUnit.MICROS)));
        assertThat(totals(may)).containsExactly(Map.of("assetCode", HEALTH, "appropriatedInPeriod", 2_000,
                "awardedInPeriod", 10, "awardsInPeriod", 1, "appropriatedToDate", 12_000, "awardedToDate", 510,
                "remaining", 11_490));

        CsvFile csv = csv(h.town(), "programme-budgets?from=2026-04-01&to=2026-05-31", h.town().officer);
        assertThat(csv.header()).containsExactly("期間開始", "期間終了", "事業ID", "事業名", "資産", "期間中の予算計上",
                "期間中の付与", "期間中の付与件数", "累計予算計上", "累計付与", "予算残高");
        assertThat(csv.body()).containsExactly(
                List.of("2026-04-01", "2026-05-31", h.health().toString(), "健康ポイント", HEALTH, "12000", "510", "2",
                        "12000", "510", "11490"),
                List.of("2026-04-01", "2026-05-31", "", "合計", HEALTH, "12000", "510", "2", "12000", "510", "11490"));
    }

    // --- payments per shop ---

    @Test
    void paymentsPerShopCountPaymentsOnTheirDayAndRefundsOnTheirs() {
        History h = history();
        Map<String, Object> april = report(h.town(), "shop-payments?from=2026-04-01&to=2026-04-30", h.town().finance);
        assertThat(shop(april, h.fresh())).isEqualTo(Map.of("payments", 2, "gross", 3_500, "refunds", 1, "refunded", 1_000,
                "net", 2_500, "fees", 0));
        assertThat(shop(april, h.cafe())).isEqualTo(Map.of("payments", 0, "gross", 0, "refunds", 0, "refunded", 0,
                "net", 0, "fees", 0));
        // 太郎's April payment was partly refunded in May: the refund counts in May.
        Map<String, Object> may = report(h.town(), "shop-payments?from=2026-05-01&to=2026-05-31", h.town().finance);
        assertThat(shop(may, h.fresh())).isEqualTo(Map.of("payments", 1, "gross", 500, "refunds", 1, "refunded", 200,
                "net", 300, "fees", 0));
        assertThat(may.get("totals")).isEqualTo(Map.of("payments", 1, "gross", 500, "refunds", 1, "refunded", 200,
                "net", 300, "fees", 0));

        // The net is what the shop's account gained in the period.
        UUID freshYen = Merchants.account(h.town().id, h.fresh().id(), YEN);
        for (String[] p : List.of(new String[] {"2026-04-01", "2026-04-30"}, new String[] {"2026-05-01", "2026-05-31"})) {
            Map<String, Object> r = report(h.town(), "shop-payments?from=" + p[0] + "&to=" + p[1], h.town().finance);
            long gained = ledger().balanceAt(h.town().id, freshYen, endOf(p[1]).minus(1, ChronoUnit.MICROS))
                    - ledger().balanceAt(h.town().id, freshYen, endOf(p[0]).minus(1, ChronoUnit.DAYS)
                            .minus(1, ChronoUnit.MICROS));
            assertThat(num(shop(r, h.fresh()), "net")).as("net %s to %s", p[0], p[1]).isEqualTo(gained);
        }

        CsvFile csv = csv(h.town(), "shop-payments?from=2026-04-01&to=2026-05-31", h.town().finance);
        assertThat(csv.header()).containsExactly("加盟店ID", "加盟店名", "決済件数", "決済金額", "返金件数", "返金額", "差引金額",
                "決済手数料(精算済)");
        assertThat(csv.body()).containsExactly(
                List.of(h.fresh().id().toString(), "みやき生鮮", "3", "4000", "2", "1200", "2800", "0"),
                List.of(h.cafe().id().toString(), "ゆいカフェ", "0", "0", "0", "0", "0", "0"),
                List.of("", "合計", "3", "4000", "2", "1200", "2800", "0"));
    }

    // --- money flow ---

    @Test
    void moneyFlowPerMonthFromTheJournalsReasonCodes() {
        History h = history();
        Map<String, Object> report = report(h.town(), "money-flow?from=2026-04-01&to=2026-05-31", h.town().finance);
        assertThat(lines(report)).containsExactly(
                flow("2026-04", YEN, 17_000, 0, 300, 2_500, 0, 0),
                flow("2026-04", HEALTH, 0, 500, 300, 0, 0, 0),
                flow("2026-04", VOLUNTEER, 0, 0, 0, 0, 0, 0),
                withUnclassified(flow("2026-05", YEN, 0, 0, 0, 300, 1_500, 0), 7),
                flow("2026-05", HEALTH, 0, 10, 0, 0, 0, 0),
                flow("2026-05", VOLUNTEER, 0, 0, 0, 0, 0, 0));
        Map<String, Object> yenTotal = withUnclassified(flow(null, YEN, 17_000, 0, 300, 2_800, 1_500, 0), 7);
        assertThat(totals(report)).containsExactly(yenTotal, flow(null, HEALTH, 0, 510, 300, 0, 0, 0),
                flow(null, VOLUNTEER, 0, 0, 0, 0, 0, 0));
        assertThat(report.get("unclassifiedReasons")).isEqualTo(List.of("MYSTERY"));
    }

    @Test
    void moneyFlowAccountsForEveryChangeInWhatResidentsHold() throws Exception {
        History h = history();
        Map<String, Object> report = report(h.town(), "money-flow?from=2026-04-01&to=2026-05-31", h.town().finance);
        Map<String, Long> before = walletBalancesAt(h.town().id, endOf("2026-03-31"));
        for (String month : List.of("2026-04", "2026-05")) {
            Map<String, Long> after = walletBalancesAt(h.town().id, endOf(month.equals("2026-04") ? "2026-04-30"
                    : "2026-05-31"));
            for (Map<String, Object> l : lines(report)) {
                if (!l.get("month").equals(month)) {
                    continue;
                }
                String asset = (String) l.get("assetCode");
                long change = after.getOrDefault(asset, 0L) - before.getOrDefault(asset, 0L);
                // Into wallets: charges and yen from conversions, or awards; out: spending, expiry, points converted.
                long flows = asset.equals(YEN)
                        ? num(l, "charged") + num(l, "converted") - num(l, "spent") - num(l, "expired")
                        : num(l, "awarded") - num(l, "converted") - num(l, "spent") - num(l, "expired");
                assertThat(flows).as("%s %s", month, asset).isEqualTo(change);
            }
            before = after;
        }
        CsvFile csv = csv(h.town(), "money-flow?from=2026-04-01&to=2026-05-31", h.town().finance);
        assertThat(csv.header()).containsExactly("月", "資産", "チャージ", "ポイント付与", "交換", "加盟店での利用", "失効",
                "精算払出", "未分類");
        assertThat(csv.body()).hasSize(9);
        assertThat(csv.body().get(0)).containsExactly("2026-04", YEN, "17000", "0", "300", "2500", "0", "0", "0");
        assertThat(csv.body().get(6)).containsExactly("合計", YEN, "17000", "0", "300", "2800", "1500", "0", "7");
    }

    // --- helpers: expectations computed through the ledger's API ---

    private UUID walletOf(History h, Person p, String asset) {
        try {
            for (Map.Entry<UUID, String> w : wallets(h.town().id).entrySet()) {
                if (w.getValue().equals(asset) && ownerOf(h.town().id, w.getKey()).equals(p.id())) {
                    return w.getKey();
                }
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("no " + asset + " wallet of " + p);
    }

    private UUID ownerOf(long regionId, UUID account) throws Exception {
        try (var c = dataSource().getConnection();
                var ps = c.prepareStatement("select resident_id from wallet where region_id = ? and account_id = ?")) {
            ps.setLong(1, regionId);
            ps.setObject(2, account);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getObject(1, UUID.class);
            }
        }
    }

    /** Every line of an account's statement in [from, to), through the ledger's keyset paging. */
    private List<StatementEntry> ledgerStatement(long regionId, UUID account, Instant from, Instant to) {
        List<StatementEntry> out = new ArrayList<>();
        long cursor = 0;
        while (true) {
            StatementPage page = ledger().statement(regionId, account, from, to, cursor, 1_000);
            out.addAll(page.entries());
            if (page.nextCursor() == null) {
                return out;
            }
            cursor = page.nextCursor();
        }
    }

    /** Per asset, the sum of the wallets' balances just before {@code at}, by {@code Ledger.balanceAt}. */
    private Map<String, Long> walletBalancesAt(long regionId, Instant at) throws Exception {
        Map<String, Long> out = new TreeMap<>();
        // balanceAt counts transfers stamped at or before its instant; a report at a date counts those before it.
        Instant justBefore = at.minus(1, ChronoUnit.MICROS);
        for (Map.Entry<UUID, String> w : wallets(regionId).entrySet()) {
            out.merge(w.getValue(), ledger().balanceAt(regionId, w.getKey(), justBefore), Long::sum);
        }
        return out;
    }

    /**
     * From the raw lots and consumptions: per "asset/live" and "asset/expired", per source, what each wallet lot
     * credited before {@code at} still held then (its amount less consumptions by transfers stamped before it).
     */
    private Map<String, Map<String, Long>> lotsAt(long regionId, Instant at) throws Exception {
        record LotRow(long lotId, String asset, String source, long amount, Instant createdAt, Instant expiresAt) {
        }
        List<LotRow> lots = new ArrayList<>();
        Map<Long, Long> consumedBefore = new HashMap<>();
        try (var c = dataSource().getConnection()) {
            try (var ps = c.prepareStatement("select l.lot_id, w.asset_code, l.source, l.amount, l.created_at, l.expires_at "
                    + "from ledger_lot l join wallet w on w.region_id = l.region_id and w.account_id = l.account_id "
                    + "where l.region_id = ?")) {
                ps.setLong(1, regionId);
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Timestamp expires = rs.getTimestamp(6);
                        lots.add(new LotRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                                rs.getTimestamp(5).toInstant(), expires == null ? null : expires.toInstant()));
                    }
                }
            }
            try (var ps = c.prepareStatement("select lot_id, transfer_id, amount from ledger_lot_consumption "
                    + "where region_id = ?")) {
                ps.setLong(1, regionId);
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Instant when = ledger().transfer(regionId, rs.getObject(2, UUID.class)).orElseThrow().timestamp();
                        if (when.isBefore(at)) {
                            consumedBefore.merge(rs.getLong(1), rs.getLong(3), Long::sum);
                        }
                    }
                }
            }
        }
        Map<String, Map<String, Long>> out = new HashMap<>();
        for (LotRow lot : lots) {
            if (!lot.createdAt().isBefore(at)) {
                continue;
            }
            boolean expired = lot.expiresAt() != null && !lot.expiresAt().isAfter(at);
            long left = lot.amount() - consumedBefore.getOrDefault(lot.lotId(), 0L);
            out.computeIfAbsent(lot.asset() + (expired ? "/expired" : "/live"), k -> new TreeMap<>())
                    .merge(lot.source(), left, Long::sum);
        }
        return out;
    }

    /** The trial balance's lines as the ledger's statements give them, classified the way the chart says. */
    private Set<List<Object>> expectedTrialBalance(History h, Instant at) throws Exception {
        long region = h.town().id;
        Map<UUID, String> kind = new HashMap<>();
        Set<UUID> chart = new java.util.HashSet<>();
        for (String asset : List.of(YEN, HEALTH, VOLUNTEER)) {
            for (Purpose p : Purpose.values()) {
                if (p.forCurrency() == asset.equals(YEN)) {
                    kind.put(Regions.account(region, p, asset), p.name());
                    chart.add(Regions.account(region, p, asset));
                }
            }
            UUID breakage = ledger().asset(region, asset).orElseThrow().breakageAccountId();
            kind.put(breakage, "BREAKAGE");
            chart.add(breakage);
            for (Shop s : List.of(h.fresh(), h.cafe())) {
                kind.put(Merchants.account(region, s.id(), asset), "SHOP");
            }
        }
        wallets(region).keySet().forEach(w -> kind.put(w, "WALLET"));
        kind.put(h.healthBudget(), "PROGRAMME_BUDGET");
        kind.put(h.campaignBudget(), "CAMPAIGN_BUDGET");

        Map<List<Object>, long[]> lines = new LinkedHashMap<>();
        for (Map.Entry<UUID, String> a : ledgerAccounts(region).entrySet()) {
            Account account = ledger().account(region, a.getKey()).orElseThrow();
            long debits = 0;
            long credits = 0;
            for (StatementEntry e : ledgerStatement(region, a.getKey(), null, at)) {
                if (e.side() == Side.DEBIT) {
                    debits += e.amount();
                } else {
                    credits += e.amount();
                }
            }
            String k = kind.getOrDefault(a.getKey(), "OTHER");
            String side = account.normal().name();
            List<Object> key = chart.contains(a.getKey()) ? List.of(a.getValue(), k, a.getKey().toString(), side)
                    : List.of(a.getValue(), k, "", side);
            long[] sums = lines.computeIfAbsent(key, x -> new long[3]);
            sums[0] += chart.contains(a.getKey()) || debits + credits > 0 ? 1 : 0;
            sums[1] += debits;
            sums[2] += credits;
        }
        Set<List<Object>> out = new java.util.HashSet<>();
        lines.forEach((key, s) -> {
            long balance = key.get(3).equals("DEBIT") ? s[1] - s[2] : s[2] - s[1];
            out.add(List.of(key.get(0), key.get(1), key.get(2), key.get(3), s[0], s[1], s[2], balance));
        });
        return out;
    }

    /** The report's lines in the shape of {@link #expectedTrialBalance}. */
    private static Set<List<Object>> lineSet(List<Map<String, Object>> lines) {
        Set<List<Object>> out = new java.util.HashSet<>();
        for (Map<String, Object> l : lines) {
            out.add(List.of(l.get("assetCode"), l.get("account"), l.getOrDefault("accountId", ""), l.get("normalSide"),
                    num(l, "accounts"), num(l, "debits"), num(l, "credits"), num(l, "balance")));
        }
        return out;
    }

    private static Map<String, Map<String, Object>> byAccount(List<Map<String, Object>> lines, String asset) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (Map<String, Object> l : lines) {
            if (l.get("assetCode").equals(asset)) {
                out.put((String) l.get("account"), l);
            }
        }
        return out;
    }

    /** Accounts, debits, credits, balance of a line. */
    private static List<Long> amounts(Map<String, Object> line) {
        return List.of(num(line, "accounts"), num(line, "debits"), num(line, "credits"), num(line, "balance"));
    }

    private static Map<String, Long> bySource(Map<String, Object> report, String asset) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Map<String, Object> l : lines(report)) {
            if (l.get("assetCode").equals(asset)) {
                out.put((String) l.get("source"), num(l, "outstanding"));
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> shop(Map<String, Object> report, Shop shop) {
        return (Map<String, Object>) lines(report).stream().filter(l -> l.get("merchantId").equals(shop.id().toString()))
                .findFirst().orElseThrow().get("amounts");
    }

    private static Map<String, Object> flow(String month, String asset, int charged, int awarded, int converted,
            int spent, int expired, int paidOut) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (month != null) {
            m.put("month", month);
        }
        m.put("assetCode", asset);
        m.put("charged", charged);
        m.put("awarded", awarded);
        m.put("converted", converted);
        m.put("spent", spent);
        m.put("expired", expired);
        m.put("paidOut", paidOut);
        m.put("unclassified", 0);
        return m;
    }

    private static Map<String, Object> withUnclassified(Map<String, Object> line, int amount) {
        line.put("unclassified", amount);
        return line;
    }
}
