package jp.yui.server.town;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpRequest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jp.yui.server.infra.Problem;
import org.junit.jupiter.api.Test;

/** Awarding points one by one: replays, the once-per-event rule, caps, programme dates and the budget. */
class AwardTest extends TownTest {

    @Test
    void anAwardMovesTheActivitysPointsFromTheBudgetToTheWallet() {
        Town town = newTown();
        UUID programme = town.healthProgramme(null, 10_000);
        Person hanako = town.resident("佐藤 花子");

        HttpResponse<Map<String, Object>> r = exchange(keyed(post(town.path("/programmes/" + programme + "/awards"),
                Map.of("residentId", hanako.id().toString(), "activityCode", "CHECKUP", "eventId", "checkup-2026"), town.officer)));

        assertThat(r.code()).isEqualTo(201);
        assertThat(r.body()).containsEntry("points", 500);
        assertThat(town.balance(hanako, HEALTH)).isEqualTo(500);
        Map<String, Object> budget = ok(get(town.path("/programmes/" + programme + "/budget"), town.officer));
        assertThat(budget).containsEntry("appropriated", 10_000).containsEntry("awarded", 500).containsEntry("remaining", 9_500);
    }

    @Test
    void theSameIdempotencyKeyAnswersTheSameAndTheSameEventAwardsOnce() {
        Town town = newTown();
        UUID programme = town.healthProgramme(null, 10_000);
        Person taro = town.resident("鈴木 太郎");
        MutableHttpRequest<?> award = post(town.path("/programmes/" + programme + "/awards"),
                Map.of("residentId", taro.id().toString(), "activityCode", "STEPS", "eventId", "steps-2026-11-21"), town.officer)
                .header("Idempotency-Key", "step-counter-42");

        HttpResponse<Map<String, Object>> first = exchange(award);
        HttpResponse<Map<String, Object>> replay = exchange(award);
        HttpResponse<Map<String, Object>> sameEventNewKey = exchange(keyed(post(town.path("/programmes/" + programme + "/awards"),
                Map.of("residentId", taro.id().toString(), "activityCode", "STEPS", "eventId", "steps-2026-11-21"), town.officer)));

        assertThat(first.code()).isEqualTo(201);
        assertThat(replay.code()).isEqualTo(201);
        assertThat(replay.body()).isEqualTo(first.body());
        assertThat(sameEventNewKey.code()).isEqualTo(200);
        assertThat(sameEventNewKey.body()).containsEntry("awardId", first.body().get("awardId"));
        assertThat(town.balance(taro, HEALTH)).isEqualTo(10);
    }

    @Test
    void aKeyReusedWithAnotherBodyIsRefused() {
        Town town = newTown();
        UUID programme = town.healthProgramme(null, 10_000);
        Person taro = town.resident("鈴木 太郎");
        String path = town.path("/programmes/" + programme + "/awards");
        ok(post(path, Map.of("residentId", taro.id().toString(), "activityCode", "STEPS", "eventId", "a"), town.officer)
                .header("Idempotency-Key", "k1"));

        Problem p = refused(post(path, Map.of("residentId", taro.id().toString(), "activityCode", "STEPS", "eventId", "b"),
                town.officer).header("Idempotency-Key", "k1"));

        assertThat(p.status()).isEqualTo(422);
        assertThat(p.type()).isEqualTo("https://yui.jp/problems/idempotency-key-reused");
        assertThat(town.balance(taro, HEALTH)).isEqualTo(10);
    }

    @Test
    void oncePerEventRefusesASecondActivityForTheSameEvent() {
        Town town = newTown();
        UUID programme = town.healthProgramme(null, 10_000);
        Person p = town.resident("田中 陽子");
        town.award(programme, p.id(), "STEPS", "fair-2026");

        Problem refused = refused(keyed(post(town.path("/programmes/" + programme + "/awards"),
                Map.of("residentId", p.id().toString(), "activityCode", "CHECKUP", "eventId", "fair-2026"), town.officer)));

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.type()).isEqualTo("https://yui.jp/problems/already-awarded-for-event");
        assertThat(town.balance(p, HEALTH)).isEqualTo(10);
    }

    @Test
    void awardsStopAtTheDailyCap() {
        Town town = newTown();
        UUID programme = town.healthProgramme(Map.of("perDay", 25), 10_000);
        Person p = town.resident("伊藤 翔");
        town.award(programme, p.id(), "STEPS", "s1");
        town.award(programme, p.id(), "STEPS", "s2");

        Problem over = refused(keyed(post(town.path("/programmes/" + programme + "/awards"),
                Map.of("residentId", p.id().toString(), "activityCode", "STEPS", "eventId", "s3"), town.officer)));

        assertThat(over.status()).isEqualTo(422);
        assertThat(over.type()).isEqualTo("https://yui.jp/problems/award-cap-exceeded");
        assertThat(over.detail()).contains("has 20 points", "cap of 25");
        assertThat(town.balance(p, HEALTH)).isEqualTo(20);
    }

    @Test
    void anAwardBeyondTheBudgetIsRefusedAndMovesNothing() {
        Town town = newTown();
        UUID programme = town.healthProgramme(null, 600);
        Person a = town.resident("A");
        Person b = town.resident("B");
        town.award(programme, a.id(), "CHECKUP", "c-2026");

        Problem p = refused(keyed(post(town.path("/programmes/" + programme + "/awards"),
                Map.of("residentId", b.id().toString(), "activityCode", "CHECKUP", "eventId", "c-2026"), town.officer)));

        assertThat(p.status()).isEqualTo(409);
        assertThat(p.type()).isEqualTo("https://yui.jp/problems/budget-exhausted");
        assertThat(p.code()).isEqualTo("INSUFFICIENT_FUNDS");
        assertThat(town.balance(b, HEALTH)).isZero();
        // The refused award holds nothing back: after more budget, the same event can be awarded.
        ok(keyed(post(town.path("/programmes/" + programme + "/budget"), Map.of("points", 1_000), town.finance)));
        town.award(programme, b.id(), "CHECKUP", "c-2026");
        assertThat(town.balance(b, HEALTH)).isEqualTo(500);
    }

    @Test
    void aProgrammeOutsideItsDatesAwardsNothing() {
        Town town = newTown();
        Map<String, Object> created = ok(post(town.path("/programmes"), Map.of("name", "last year", "kind", "HEALTH",
                "assetCode", HEALTH, "validFrom", today().minusYears(1).toString(), "validTo", today().minusDays(1).toString()),
                town.officer));
        UUID programme = UUID.fromString((String) created.get("programmeId"));
        ok(post(town.path("/programmes/" + programme + "/activities"), Map.of("code", "STEPS", "name", "steps", "reward", 10,
                "oncePerEvent", false, "requiresApproval", false), town.officer));
        ok(keyed(post(town.path("/programmes/" + programme + "/budget"), Map.of("points", 100), town.finance)));
        Person p = town.resident("C");

        Problem refused = refused(keyed(post(town.path("/programmes/" + programme + "/awards"),
                Map.of("residentId", p.id().toString(), "activityCode", "STEPS", "eventId", "x"), town.officer)));

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.type()).isEqualTo("https://yui.jp/problems/programme-not-active");
    }

    @Test
    void badAwardRequestsAreRefusedWithAProblem() {
        Town town = newTown();
        UUID programme = town.healthProgramme(null, 1_000);
        Person p = town.resident("D");
        String path = town.path("/programmes/" + programme + "/awards");

        assertThat(refused(keyed(post(path, Map.of("residentId", UUID.randomUUID().toString(), "activityCode", "STEPS",
                "eventId", "e"), town.officer))).status()).isEqualTo(404);
        assertThat(refused(keyed(post(path, Map.of("residentId", p.id().toString(), "activityCode", "NOPE", "eventId", "e"),
                town.officer))).type()).isEqualTo("https://yui.jp/problems/not-found");
        assertThat(refused(keyed(post(path, Map.of("residentId", p.id().toString(), "activityCode", "STEPS",
                "eventId", "has spaces"), town.officer))).status()).isEqualTo(400);
        assertThat(refused(post(path, Map.of("residentId", p.id().toString(), "activityCode", "STEPS", "eventId", "e"),
                town.officer)).type()).isEqualTo("https://yui.jp/problems/idempotency-key-required");
        assertThat(refused(keyed(post(town.path("/programmes/" + UUID.randomUUID() + "/awards"),
                Map.of("residentId", p.id().toString(), "activityCode", "STEPS", "eventId", "e"), town.officer))).status())
                .isEqualTo(404);
        assertThat(town.balance(p, HEALTH)).isZero();
        assertThat(ok(get(town.path("/programmes/" + programme + "/budget"), town.officer))).containsEntry("awarded", 0);
    }

    @Test
    void programmeSetUpIsValidated() {
        Town town = newTown();
        assertThat(refused(post(town.path("/programmes"), Map.of("name", "currency?", "kind", "HEALTH", "assetCode", YEN,
                "validFrom", today().toString(), "validTo", today().toString()), town.officer)).status()).isEqualTo(400);
        assertThat(refused(post(town.path("/programmes"), Map.of("name", "backwards", "kind", "HEALTH", "assetCode", HEALTH,
                "validFrom", today().toString(), "validTo", today().minusDays(1).toString()), town.officer)).detail())
                .contains("is after validTo");
        assertThat(refused(post(town.path("/programmes"), Map.of("name", "x", "kind", "NOPE", "assetCode", HEALTH,
                "validFrom", today().toString(), "validTo", today().toString()), town.officer)).status()).isEqualTo(400);

    }

}
