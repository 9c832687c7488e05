package jp.yui.server.town;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jp.yui.server.infra.Problem;
import org.junit.jupiter.api.Test;

/** Bulk awards from CSV with a per-row report, and volunteer claims that a coordinator decides. */
class ImportAndClaimTest extends TownTest {

    private MutableHttpRequest<String> csv(Town town, UUID programme, String body) {
        return HttpRequest.POST(town.path("/programmes/" + programme + "/award-imports"), body)
                .contentType("text/csv").bearerAuth(town.officer).header("Idempotency-Key", UUID.randomUUID().toString());
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> awaitImport(Town town, UUID programme, String importId) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (true) {
            Map<String, Object> status = ok(get(town.path("/programmes/" + programme + "/award-imports/" + importId), town.officer));
            if ("DONE".equals(status.get("status"))) {
                return status;
            }
            assertThat(Instant.now()).as("import finished in time").isBefore(deadline);
            Thread.sleep(50);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void aCsvImportAwardsEachRowAndReportsEachOutcome() throws Exception {
        Town town = newTown();
        UUID programme = town.healthProgramme(Map.of("perDay", 500), 100_000);
        Person a = town.resident("A");
        Person b = town.resident("B");
        town.award(programme, a.id(), "CHECKUP", "checkup-2026");
        String body = "\uFEFFresident_id,activity_code,event_id\r\n"
                + a.id() + ",CHECKUP,checkup-2026\r\n"
                + b.id() + ",CHECKUP,checkup-2026\r\n"
                + b.id() + ",STEPS,steps-1\r\n"
                + "\"" + UUID.randomUUID() + "\",STEPS,steps-1\r\n";

        HttpResponse<Map<String, Object>> started = exchange(csv(town, programme, body));
        assertThat(started.code()).isEqualTo(202);
        assertThat(started.body()).containsEntry("totalRows", 4);
        Map<String, Object> done = awaitImport(town, programme, (String) started.body().get("importId"));

        assertThat(done).containsEntry("doneRows", 4);
        assertThat((Map<String, Object>) done.get("outcomes"))
                .containsEntry("AWARDED", 1).containsEntry("ALREADY_AWARDED", 1).containsEntry("REJECTED", 2);
        List<Map<String, Object>> rows = (List<Map<String, Object>>) done.get("rows");
        assertThat(rows).extracting(r -> r.get("outcome")).containsExactly("ALREADY_AWARDED", "AWARDED", "REJECTED", "REJECTED");
        assertThat(rows.get(2).get("problemType")).isEqualTo("https://yui.jp/problems/award-cap-exceeded");
        assertThat(rows.get(3).get("problemType")).isEqualTo("https://yui.jp/problems/not-found");
        assertThat(rows).extracting(r -> r.get("line")).containsExactly(2, 3, 4, 5);
        assertThat(town.balance(b, HEALTH)).isEqualTo(500);
    }

    @Test
    void aMalformedCsvIsRefusedWholeAndAwardsNothing() {
        Town town = newTown();
        UUID programme = town.healthProgramme(null, 100_000);
        Person a = town.resident("A");
        String body = "resident_id,activity_code,event_id\n"
                + a.id() + ",CHECKUP,checkup-2026\n"
                + "not-a-uuid,STEPS,s\n"
                + a.id() + ",STEPS\n"
                + a.id() + ",CHECKUP,checkup-2026\n";

        Problem p = refused(csv(town, programme, body));

        assertThat(p.status()).isEqualTo(400);
        assertThat(p.type()).isEqualTo("https://yui.jp/problems/malformed-csv");
        assertThat(p.detail()).contains("line 3: resident_id is not a UUID", "line 4: expected 3 fields, found 2",
                "line 5: the same resident, activity and event appear earlier");
        assertThat(town.balance(a, HEALTH)).isZero();
        assertThat(refused(csv(town, programme, "name,points\nx,1\n")).detail())
                .isEqualTo("line 1: the header must be resident_id,activity_code,event_id");
        assertThat(refused(csv(town, programme, "resident_id,activity_code,event_id\n")).detail())
                .isEqualTo("the file has a header but no rows");
    }

    @Test
    void aResidentClaimsAndACoordinatorApproves() {
        Town town = newTown();
        UUID programme = town.healthProgramme(null, 10_000);
        Person p = town.resident("山田 由美");
        String claims = town.path("/programmes/" + programme + "/claims");

        Map<String, Object> claim = ok(post(claims, Map.of("activityCode", "CLEANUP", "eventId", "river-2026-11-20",
                "note", "川の清掃 2時間"), p.token()));
        Map<String, Object> again = ok(post(claims, Map.of("activityCode", "CLEANUP", "eventId", "river-2026-11-20"), p.token()));
        assertThat(again.get("claimId")).isEqualTo(claim.get("claimId"));
        assertThat(town.balance(p, HEALTH)).isZero();

        String id = (String) claim.get("claimId");
        Map<String, Object> approved = ok(post(claims + "/" + id + "/approve", Map.of("note", "確認済み"), town.officer));
        Map<String, Object> twice = ok(post(claims + "/" + id + "/approve", Map.of(), town.officer));

        assertThat(approved).containsEntry("status", "APPROVED").containsEntry("decidedBy", "officer-" + town.id);
        assertThat(twice.get("awardId")).isEqualTo(approved.get("awardId"));
        assertThat(town.balance(p, HEALTH)).isEqualTo(200);
        Problem late = refused(post(claims + "/" + id + "/reject", Map.of(), town.officer));
        assertThat(late.type()).isEqualTo("https://yui.jp/problems/claim-already-decided");
    }

    @Test
    void aRejectedClaimAwardsNothingAndOnlyClaimableActivitiesAreClaimed() {
        Town town = newTown();
        UUID programme = town.healthProgramme(null, 10_000);
        Person p = town.resident("X");
        String claims = town.path("/programmes/" + programme + "/claims");
        String id = (String) ok(post(claims, Map.of("activityCode", "CLEANUP", "eventId", "park-1"), p.token())).get("claimId");

        assertThat(ok(post(claims + "/" + id + "/reject", Map.of("note", "not on the list"), town.officer)))
                .containsEntry("status", "REJECTED");
        assertThat(refused(post(claims + "/" + id + "/approve", Map.of(), town.officer)).status()).isEqualTo(409);
        assertThat(town.balance(p, HEALTH)).isZero();
        assertThat(refused(post(claims, Map.of("activityCode", "STEPS", "eventId", "s"), p.token())).type())
                .isEqualTo("https://yui.jp/problems/activity-not-claimable");
        assertThat(refused(post(claims + "/" + id + "/approve", Map.of(), p.token())).status()).isEqualTo(403);
        assertThat(http().retrieve(get(claims + "?status=REJECTED", town.officer),
                Argument.listOf(Argument.mapOf(String.class, Object.class)))).hasSize(1);
    }
}
