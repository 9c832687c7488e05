package jp.yui.server.town;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.http.MutableHttpRequest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jp.yui.server.infra.Problem;
import org.junit.jupiter.api.Test;

/** Converting points into the currency, charging the currency with premiums, and what a resident sees. */
class WalletTest extends TownTest {

    private UUID fundedProgramme(Town town) {
        UUID programme = town.healthProgramme(null, 100_000);
        ok(keyed(post(town.path("/conversion-funding"), Map.of("yen", 1_000_000), town.finance)));
        return programme;
    }

    private MutableHttpRequest<?> convert(Town town, Person p, UUID programme, long points) {
        return keyed(post(town.path("/residents/" + p.id() + "/conversions"),
                Map.of("programmeId", programme.toString(), "points", points), p.token()));
    }

    @Test
    void pointsConvertIntoYenAtTheProgrammesRate() {
        Town town = newTown();
        UUID programme = fundedProgramme(town);
        Person p = town.resident("佐藤 花子");
        town.award(programme, p.id(), "CHECKUP", "c");

        Map<String, Object> done = ok(convert(town, p, programme, 300));

        assertThat(done).containsEntry("points", 300).containsEntry("yen", 300).containsEntry("convertedThisYear", 300);
        assertThat(town.balance(p, HEALTH)).isEqualTo(200);
        assertThat(town.balance(p, YEN)).isEqualTo(300);
        assertThat(bySource(town.wallet(p), YEN)).containsEntry("POINTS", 300);
    }

    @Test
    void conversionStopsAtTheYearlyCapAndMovesNothingWhenRefused() {
        Town town = newTown();
        UUID programme = fundedProgramme(town);
        Person p = town.resident("B");
        for (int i = 0; i < 19; i++) {
            town.award(programme, p.id(), "CHECKUP", "c" + i);
        }
        ok(convert(town, p, programme, 9_400));

        Problem capped = refused(convert(town, p, programme, 700));
        Problem shortOfPoints = refused(convert(town, p, programme, 201));

        assertThat(capped.status()).isEqualTo(422);
        assertThat(capped.type()).isEqualTo("https://yui.jp/problems/conversion-cap-exceeded");
        assertThat(capped.detail()).contains("converted ¥9400 this fiscal year", "cap of ¥10000");
        assertThat(shortOfPoints.status()).isEqualTo(409);
        assertThat(shortOfPoints.type()).isEqualTo("https://yui.jp/problems/insufficient-points");
        assertThat(town.balance(p, HEALTH)).isEqualTo(100);
        assertThat(town.balance(p, YEN)).isEqualTo(9_400);
        // Refused conversions reserved nothing against the cap.
        ok(convert(town, p, programme, 100));
        assertThat(town.balance(p, YEN)).isEqualTo(9_500);
    }

    @Test
    void withoutConversionFundingNoPointsLeave() {
        Town town = newTown();
        UUID programme = town.healthProgramme(null, 100_000);
        Person p = town.resident("C");
        town.award(programme, p.id(), "CHECKUP", "c");

        Problem p1 = refused(convert(town, p, programme, 500));

        assertThat(p1.type()).isEqualTo("https://yui.jp/problems/conversion-funding-exhausted");
        assertThat(town.balance(p, HEALTH)).isEqualTo(500);
        assertThat(town.balance(p, YEN)).isZero();
    }

    @Test
    void onlyTheResidentConvertsTheirOwnPoints() {
        Town town = newTown();
        UUID programme = fundedProgramme(town);
        Person p = town.resident("D");
        Person other = town.resident("E");
        town.award(programme, p.id(), "CHECKUP", "c");

        assertThat(refused(keyed(post(town.path("/residents/" + p.id() + "/conversions"),
                Map.of("programmeId", programme.toString(), "points", 100), other.token()))).status()).isEqualTo(403);
        assertThat(refused(keyed(post(town.path("/residents/" + p.id() + "/conversions"),
                Map.of("programmeId", programme.toString(), "points", 100), town.cashier))).status()).isEqualTo(403);
        assertThat(town.balance(p, HEALTH)).isEqualTo(500);
    }

    @Test
    void aCounterTopUpWithACampaignAddsAnExpiringPremium() {
        Town town = newTown();
        Map<String, Object> campaign = ok(post(town.path("/campaigns"), Map.of("name", "プレミアム20%", "premiumPercent", 20,
                "validFrom", today().minusDays(1).toString(), "validTo", today().plusDays(30).toString(), "premiumValidDays", 90),
                town.finance));
        String campaignId = (String) campaign.get("campaignId");
        ok(keyed(post(town.path("/campaigns/" + campaignId + "/budget"), Map.of("yen", 100_000), town.finance)));
        Person p = town.resident("F");

        Map<String, Object> done = ok(keyed(post(town.path("/residents/" + p.id() + "/topups"),
                Map.of("amount", 5_005, "channel", "COUNTER", "campaignId", campaignId), town.cashier)));

        assertThat(done).containsEntry("amount", 5_005).containsEntry("premium", 1_001).containsEntry("walletBalance", 6_006);
        assertThat(bySource(town.wallet(p), YEN)).containsEntry("PAID", 5_005).containsEntry("PREMIUM", 1_001);
        assertThat(done.get("premiumExpiresAt").toString()).startsWith(today().plusDays(91).minusDays(1).toString());
    }

    @Test
    void aTopUpOverTheWalletCeilingIsRefusedWhole() {
        Town town = newTown();
        Person p = town.resident("G");
        ok(keyed(post(town.path("/residents/" + p.id() + "/topups"), Map.of("amount", 95_000, "channel", "BANK_TRANSFER"),
                town.finance)));

        Problem over = refused(keyed(post(town.path("/residents/" + p.id() + "/topups"),
                Map.of("amount", 5_001, "channel", "COUNTER"), town.cashier)));

        assertThat(over.status()).isEqualTo(409);
        assertThat(over.type()).isEqualTo("https://yui.jp/problems/wallet-ceiling-exceeded");
        assertThat(town.balance(p, YEN)).isEqualTo(95_000);
    }

    @Test
    void topUpsAreIdempotentAndNeedTheRightRole() {
        Town town = newTown();
        Person p = town.resident("H");
        MutableHttpRequest<?> topUp = post(town.path("/residents/" + p.id() + "/topups"),
                Map.of("amount", 1_000, "channel", "COUNTER"), town.cashier).header("Idempotency-Key", "till-7-0001");
        Map<String, Object> first = ok(topUp);
        Map<String, Object> again = ok(topUp);
        assertThat(again).isEqualTo(first);
        assertThat(town.balance(p, YEN)).isEqualTo(1_000);

        assertThat(refused(keyed(post(town.path("/residents/" + p.id() + "/topups"),
                Map.of("amount", 1_000, "channel", "BANK_TRANSFER"), town.cashier))).status()).isEqualTo(403);
        assertThat(refused(keyed(post(town.path("/residents/" + p.id() + "/topups"),
                Map.of("amount", 1_000, "channel", "COUNTER"), p.token()))).status()).isEqualTo(403);
        assertThat(refused(keyed(post(town.path("/residents/" + p.id() + "/topups"),
                Map.of("amount", -5, "channel", "COUNTER"), town.cashier))).status()).isEqualTo(400);
        assertThat(refused(keyed(post(town.path("/residents/" + p.id() + "/topups"),
                Map.of("amount", 10_000_000, "channel", "COUNTER"), town.cashier))).status()).isEqualTo(400);
        assertThat(town.balance(p, YEN)).isEqualTo(1_000);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theStatementShowsEachMovementWithTheRunningBalance() {
        Town town = newTown();
        UUID programme = fundedProgramme(town);
        Person p = town.resident("I");
        town.award(programme, p.id(), "CHECKUP", "c");
        town.award(programme, p.id(), "STEPS", "s1");
        ok(convert(town, p, programme, 110));

        Map<String, Object> page1 = ok(get(town.path("/residents/" + p.id() + "/statement?asset=" + HEALTH + "&limit=2"), p.token()));
        List<Map<String, Object>> lines = (List<Map<String, Object>>) page1.get("lines");
        assertThat(lines).extracting(l -> l.get("balanceAfter")).containsExactly(500, 510);
        Map<String, Object> page2 = ok(get(town.path("/residents/" + p.id() + "/statement?asset=" + HEALTH + "&cursor="
                + page1.get("nextCursor")), p.token()));
        List<Map<String, Object>> rest = (List<Map<String, Object>>) page2.get("lines");
        assertThat(rest).extracting(l -> l.get("change"), l -> l.get("balanceAfter"), l -> l.get("reason"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple(-110, 400, "CONVERT"));
        assertThat(page2.get("nextCursor")).isNull();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> bySource(Map<String, Object> wallet, String asset) {
        for (Map<String, Object> b : (List<Map<String, Object>>) wallet.get("balances")) {
            if (asset.equals(b.get("assetCode"))) {
                return (Map<String, Object>) b.get("bySource");
            }
        }
        throw new AssertionError("no " + asset);
    }
}
