package jp.yui.server.town;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpRequest;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jp.yui.ledger.Ledger;
import jp.yui.server.region.Purpose;
import jp.yui.server.region.Regions;
import org.junit.jupiter.api.Test;

/** Every POST that moves value, sent twice with one Idempotency-Key, answers the same and moves value once. */
class ReplayTest extends TownTest {

    private Map<String, Object> twice(MutableHttpRequest<?> request) {
        MutableHttpRequest<?> keyed = request.header("Idempotency-Key", "replay-" + UUID.randomUUID());
        Map<String, Object> first = ok(keyed);
        Map<String, Object> second = ok(keyed);
        assertThat(second).isEqualTo(first);
        return first;
    }

    private long balance(long region, UUID account) {
        return applicationContext.getBean(Ledger.class).account(region, account).orElseThrow().postedBalance();
    }

    @Test
    void budgetsFundsConversionsTopUpsAndImportsMoveValueOnce() throws Exception {
        Town town = newTown();
        UUID programme = town.healthProgramme(null, 0);
        Person p = town.resident("A");

        twice(post(town.path("/programmes/" + programme + "/budget"), Map.of("points", 5_000), town.finance));
        assertThat(ok(get(town.path("/programmes/" + programme + "/budget"), town.officer))).containsEntry("appropriated", 5_000);

        twice(post(town.path("/conversion-funding"), Map.of("yen", 7_000), town.finance));
        assertThat(balance(town.id, Regions.account(town.id, Purpose.CONVERSION_FUNDING, YEN))).isEqualTo(7_000);

        String campaign = (String) ok(post(town.path("/campaigns"), Map.of("name", "c", "premiumPercent", 10,
                "validFrom", today().toString(), "validTo", today().toString(), "premiumValidDays", 30), town.finance))
                .get("campaignId");
        Map<String, Object> funded = twice(post(town.path("/campaigns/" + campaign + "/budget"), Map.of("yen", 900), town.finance));
        assertThat(funded).containsEntry("available", 900);

        twice(post(town.path("/residents/" + p.id() + "/topups"), Map.of("amount", 1_000, "channel", "COUNTER",
                "campaignId", campaign), town.cashier));
        assertThat(town.balance(p, YEN)).isEqualTo(1_100);

        twice(post(town.path("/programmes/" + programme + "/awards"), Map.of("residentId", p.id().toString(),
                "activityCode", "CHECKUP", "eventId", "c"), town.officer));
        twice(post(town.path("/residents/" + p.id() + "/conversions"), Map.of("programmeId", programme.toString(),
                "points", 200), p.token()));
        assertThat(town.balance(p, HEALTH)).isEqualTo(300);
        assertThat(town.balance(p, YEN)).isEqualTo(1_300);

        MutableHttpRequest<String> csv = HttpRequest.POST(town.path("/programmes/" + programme + "/award-imports"),
                "resident_id,activity_code,event_id\n" + p.id() + ",STEPS,s1\n").contentType("text/csv")
                .bearerAuth(town.officer).header("Idempotency-Key", "import-1");
        Map<String, Object> first = ok(csv);
        Map<String, Object> second = ok(csv);
        assertThat(second.get("importId")).isEqualTo(first.get("importId"));
        long deadline = System.currentTimeMillis() + 30_000;
        while (!"DONE".equals(ok(get(town.path("/programmes/" + programme + "/award-imports/" + first.get("importId")),
                town.officer)).get("status"))) {
            assertThat(System.currentTimeMillis()).isLessThan(deadline);
            Thread.sleep(50);
        }
        assertThat(town.balance(p, HEALTH)).isEqualTo(310);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aProgrammesOwnExpiryOverridesItsAssets() {
        Town town = newTown();
        UUID programme = UUID.fromString((String) ok(post(town.path("/programmes"), Map.of("name", "event points",
                "kind", "OTHER", "assetCode", HEALTH, "validFrom", today().toString(), "validTo", today().plusDays(10).toString(),
                "expiry", "after-days:30:Asia/Tokyo"), town.officer)).get("programmeId"));
        ok(post(town.path("/programmes/" + programme + "/activities"), Map.of("code", "FAIR", "name", "fair", "reward", 50,
                "oncePerEvent", true, "requiresApproval", false), town.officer));
        ok(keyed(post(town.path("/programmes/" + programme + "/budget"), Map.of("points", 1_000), town.finance)));
        Person p = town.resident("B");

        town.award(programme, p.id(), "FAIR", "fair-2026");

        List<Map<String, Object>> balances = (List<Map<String, Object>>) town.wallet(p).get("balances");
        Map<String, Object> health = balances.stream().filter(b -> HEALTH.equals(b.get("assetCode"))).findFirst().orElseThrow();
        List<Map<String, Object>> expiring = (List<Map<String, Object>>) health.get("expiring");
        LocalDate lastValid = today().plusDays(30);
        assertThat(expiring).singleElement().satisfies(e -> assertThat(e.get("expiresAt").toString())
                .startsWith(lastValid + "T15:00:00"));
        assertThat(refused(post(town.path("/programmes"), Map.of("name", "x", "kind", "OTHER", "assetCode", HEALTH,
                "validFrom", today().toString(), "validTo", today().toString(), "expiry", "never"), town.officer)).status())
                .isEqualTo(400);
    }
}
