package jp.yui.server.town;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jp.yui.ledger.TransferOutcome;
import jp.yui.ledger.TransferRequest;
import jp.yui.server.region.Purpose;
import jp.yui.server.region.Regions;
import org.junit.jupiter.api.Test;

/** Reports where size matters: a town past the Payment Services Act's threshold, a statement of many pages. */
class ReportLargeTownTest extends ReportFixture {

    @Test
    void aTownHoldingMoreThanTenMillionYenPaidForMustSecureHalfOfItRoundedUp() {
        at("2027-03-20T09:00:00");
        long id = 7_001;
        ok(post("/regions", Map.of("regionId", id, "name", "大町", "zone", "Asia/Tokyo", "currency", Map.of("code", YEN),
                "points", List.of(Map.of("code", HEALTH, "expiry", "after-days:365:Asia/Tokyo"))),
                token("platform-admin", List.of("admin"), null, null)));
        regions.add(id);
        Town town = new Town(id);
        UUID programme = town.healthProgramme(null, 1_000);
        ok(keyed(post(town.path("/conversion-funding"), Map.of("yen", 1_000), town.finance)));
        Object campaign = campaign(town, 20, 90, 2_000_000).get("campaignId");
        Person rich = town.resident("長者 一郎");
        for (int i = 0; i < 9; i++) {
            counterTopUp(town, rich, 1_000_000, campaign);
        }
        // 20% of ¥1 rounds down to no premium at all.
        assertThat(counterTopUp(town, rich, 1, campaign)).containsEntry("premium", 0);
        town.award(programme, rich.id(), "CHECKUP", "checkup");
        convert(town, rich, programme, 100);

        // Paid value alone is ¥9,000,001, under the threshold; with the premiums it is over; points are not counted.
        Map<String, Object> march = report(town, "outstanding?date=2027-03-31", town.finance);
        assertThat(lines(march)).filteredOn(l -> l.get("assetCode").equals(YEN))
                .extracting(l -> l.get("source") + "=" + l.get("outstanding"))
                .containsExactly("PAID=9000001", "PREMIUM=1800000", "POINTS=100");
        assertThat(march.get("paymentServicesAct")).isEqualTo(Map.of("assetCode", YEN, "sources", List.of("PAID", "PREMIUM"),
                "outstanding", 10_800_001, "threshold", 10_000_000, "exceedsThreshold", true, "mustSecure", 5_400_001,
                "rounding", "CEILING"));
        CsvFile csv = csv(town, "outstanding?date=2027-03-31", town.finance);
        assertThat(csv.body().get(csv.body().size() - 1)).containsExactly("2027-03-31", YEN, "資金決済法 対象残高",
                "10800001", "対象", "10000000", "超過", "5400001");

        Map<String, Object> before = report(town, "outstanding?date=2027-03-19", town.finance);
        assertThat(before.get("paymentServicesAct")).isEqualTo(Map.of("assetCode", YEN, "sources", List.of("PAID",
                "PREMIUM"), "outstanding", 0, "threshold", 10_000_000, "exceedsThreshold", false, "mustSecure", 0,
                "rounding", "CEILING"));
    }

    @Test
    void theStatementCsvStreamsEveryPageOfALongStatement() {
        at("2026-08-03T09:00:00");
        Town town = newTown();
        UUID bank = Regions.account(town.id, Purpose.BANK, YEN);
        UUID funding = Regions.account(town.id, Purpose.CONVERSION_FUNDING, YEN);
        int n = 2_345;
        long[] expected = new long[n];
        long running = 0;
        for (int chunk = 0; chunk < n; chunk += 1_000) {
            List<TransferRequest> transfers = new ArrayList<>();
            for (int i = chunk; i < Math.min(n, chunk + 1_000); i++) {
                long amount = i % 7 + 1;
                running += amount;
                expected[i] = running;
                transfers.add(TransferRequest.posted(UUID.randomUUID(), bank, funding, amount, "CONVERSION_FUNDING"));
            }
            assertThat(ledger().execute(town.id, transfers)).allMatch(TransferOutcome::committed);
        }

        CsvFile csv = csv(town, "accounts/" + funding + "/statement?from=2026-08-01&to=2026-08-03", town.finance);
        assertThat(csv.body()).hasSize(n);
        List<Long> balances = csv.body().stream().map(r -> Long.parseLong(csv.cell(r, "残高"))).toList();
        for (int i = 0; i < n; i++) {
            assertThat(balances.get(i)).as("line %s", i).isEqualTo(expected[i]);
        }
        List<Long> seqs = csv.body().stream().map(r -> Long.parseLong(csv.cell(r, "通番"))).toList();
        assertThat(seqs).isSorted().doesNotHaveDuplicates();
        assertThat(csv.body()).allSatisfy(r -> assertThat(csv.cell(r, "日時")).isEqualTo("2026-08-03 09:00:00"));

        Map<String, Object> json = report(town, "accounts/" + funding + "/statement?from=2026-08-01&to=2026-08-03&limit=1000",
                town.finance);
        assertThat(lines(json)).hasSize(1_000);
        assertThat(json.get("totals")).isEqualTo(Map.of("openingBalance", 0, "debits", 0, "credits", (int) running,
                "closingBalance", (int) running));
    }
}
