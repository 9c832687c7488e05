package jp.yui.server.town;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.http.HttpRequest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jp.yui.server.infra.ApiKeys;
import org.junit.jupiter.api.Test;

/** Every object is checked against its owner (OWASP API1), and issuing is for officers and bound integrations (API5). */
class AccessTest extends TownTest {

    @Test
    void aResidentCannotReadOrMoveAnotherResidentsWallet() {
        Town town = newTown();
        UUID programme = town.healthProgramme(null, 10_000);
        ok(keyed(post(town.path("/conversion-funding"), Map.of("yen", 10_000), town.finance)));
        Person hanako = town.resident("花子");
        Person taro = town.resident("太郎");
        town.award(programme, hanako.id(), "CHECKUP", "c");

        assertThat(refused(get(town.path("/residents/" + hanako.id() + "/wallet"), taro.token())).status()).isEqualTo(403);
        assertThat(refused(get(town.path("/residents/" + hanako.id() + "/statement?asset=" + HEALTH), taro.token())).status())
                .isEqualTo(403);
        assertThat(refused(get(town.path("/residents/" + hanako.id() + "/card"), taro.token())).status()).isEqualTo(403);
        assertThat(refused(keyed(post(town.path("/residents/" + hanako.id() + "/conversions"),
                Map.of("programmeId", programme.toString(), "points", 100), taro.token()))).status()).isEqualTo(403);
        assertThat(town.balance(hanako, HEALTH)).isEqualTo(500);
        assertThat(town.wallet(hanako)).containsEntry("residentId", hanako.id().toString());
        assertThat(ok(get(town.path("/residents/" + hanako.id() + "/card"), hanako.token())).get("cardCode").toString())
                .matches("[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}");
    }

    @Test
    void staffOfAnotherTownSeeNothingHere() {
        Town here = newTown();
        Town there = newTown();
        Person p = here.resident("A");
        assertThat(refused(get(here.path("/residents/" + p.id() + "/wallet"), there.cashier)).status()).isEqualTo(403);
        assertThat(refused(get(here.path(""), there.admin)).status()).isEqualTo(403);
        String otherResident = token("sub-x", List.of("resident"), there.id, p.id());
        assertThat(refused(get(here.path("/residents/" + p.id() + "/wallet"), otherResident)).status()).isEqualTo(403);
    }

    @Test
    void aCashierCannotAwardAndOnlyAPlatformAdminCreatesTowns() {
        Town town = newTown();
        UUID programme = town.healthProgramme(null, 10_000);
        Person p = town.resident("A");
        assertThat(refused(keyed(post(town.path("/programmes/" + programme + "/awards"),
                Map.of("residentId", p.id().toString(), "activityCode", "STEPS", "eventId", "e"), town.cashier))).status())
                .isEqualTo(403);
        assertThat(refused(keyed(post(town.path("/programmes/" + programme + "/awards"),
                Map.of("residentId", p.id().toString(), "activityCode", "STEPS", "eventId", "e"), p.token()))).status())
                .isEqualTo(403);
        assertThat(refused(keyed(post(town.path("/programmes/" + programme + "/budget"), Map.of("points", 5), town.officer)))
                .status()).isEqualTo(403);
        assertThat(refused(post("/regions", Map.of("regionId", 999_999, "name", "x", "currency", Map.of("code", "X"),
                "points", List.of()), town.admin)).status()).isEqualTo(403);
        assertThat(town.balance(p, HEALTH)).isZero();
    }

    @Test
    void anIntegrationAwardsOnlyIntoItsOwnProgramme() {
        Town town = newTown();
        UUID mine = town.healthProgramme(null, 10_000);
        UUID other = town.healthProgramme(null, 10_000);
        Person p = town.resident("A");
        ApiKeys.IssuedKey key = applicationContext.getBean(ApiKeys.class)
                .issue(town.id, "integration", mine, null, "step counter");

        ok(keyed(HttpRequest.POST(town.path("/programmes/" + mine + "/awards"),
                Map.of("residentId", p.id().toString(), "activityCode", "STEPS", "eventId", "day-1"))
                .header(ApiKeys.HEADER, key.apiKey())));
        assertThat(refused(keyed(HttpRequest.POST(town.path("/programmes/" + other + "/awards"),
                Map.of("residentId", p.id().toString(), "activityCode", "STEPS", "eventId", "day-1"))
                .header(ApiKeys.HEADER, key.apiKey()))).status()).isEqualTo(403);
        assertThat(town.balance(p, HEALTH)).isEqualTo(10);
    }

    @Test
    void residentsRegisterThemselvesOnce() {
        Town town = newTown();
        String newcomer = token("oidc|newcomer", List.of("resident"), town.id, null);
        Map<String, Object> first = ok(post(town.path("/residents/me"), Map.of("displayName", "新住民"), newcomer));
        Map<String, Object> again = ok(post(town.path("/residents/me"), Map.of("displayName", "新住民"), newcomer));
        assertThat(again.get("residentId")).isEqualTo(first.get("residentId"));
        assertThat(ok(get(town.path("/residents/me"), newcomer))).containsEntry("residentId", first.get("residentId"));
        UUID id = UUID.fromString((String) first.get("residentId"));
        assertThat(ok(get(town.path("/residents/" + id + "/wallet"), newcomer))).containsEntry("residentId", id.toString());
        assertThat(refused(post(town.path("/residents"), Map.of("displayName", "dup", "subject", "oidc|newcomer"), town.cashier))
                .type()).isEqualTo("https://yui.jp/problems/resident-exists");
    }

    @Test
    void creatingATownTwiceAnswersItAndADifferentDefinitionConflicts() {
        Town town = newTown();
        String platform = token("platform-admin", List.of("admin"), null, null);
        Map<String, Object> body = Map.of("regionId", town.id, "name", "みやき町", "zone", "Asia/Tokyo",
                "currency", Map.of("code", YEN, "walletCeiling", 100_000),
                "points", List.of(Map.of("code", HEALTH, "expiry", "after-days:365:Asia/Tokyo"),
                        Map.of("code", VOLUNTEER, "expiry", "yearly-on:--03-31:Asia/Tokyo")));
        assertThat(ok(post("/regions", body, platform))).containsEntry("regionId", (int) town.id);
        Map<String, Object> other = new java.util.HashMap<>(body);
        other.put("name", "別の町");
        assertThat(refused(post("/regions", other, platform)).type()).isEqualTo("https://yui.jp/problems/region-exists");
        Map<String, Object> badExpiry = new java.util.HashMap<>(body);
        badExpiry.put("regionId", 888_888);
        badExpiry.put("points", List.of(Map.of("code", HEALTH, "expiry", "sometimes")));
        assertThat(refused(post("/regions", badExpiry, platform)).detail()).isEqualTo("not an expiry policy: sometimes");
    }
}
