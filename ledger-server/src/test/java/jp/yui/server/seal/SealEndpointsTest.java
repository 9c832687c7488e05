package jp.yui.server.seal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jp.yui.ledger.PostgresJournal;
import jp.yui.server.infra.ApiKeys;
import jp.yui.server.infra.Problem;
import jp.yui.server.infra.ProblemTypes;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.junit.jupiter.api.Test;

/**
 * The seal endpoints: who may use them, what a seal holds and signs, the public key, listing, and the schedule's
 * rule that a region whose journal did not move is not sealed again.
 */
class SealEndpointsTest extends SealFixture {

    @Test
    void sealOnDemandSignsTheJournalHead() {
        long region = newRegion();
        batch(region, 3);
        PostgresJournal.Head head = applicationContext.getBean(PostgresJournal.class).head(region);

        HttpResponse<Map<String, Object>> created = http().exchange(post("/regions/" + region + "/seals", Map.of(),
                finance(region)), Argument.mapOf(String.class, Object.class));

        assertThat(created.code()).isEqualTo(201);
        Map<String, Object> seal = created.body();
        assertThat(seal).containsEntry("regionId", (int) region).containsEntry("sealSeq", 1)
                .containsEntry("batchSeq", (int) head.batchSeq()).containsEntry("lastSeq", 3)
                .containsEntry("headHash", head.hash()).containsEntry("trigger", "ON_DEMAND")
                .containsEntry("sealedBy", "finance-" + region)
                .containsEntry("timestamp", Map.of("status", "NONE"));
        Ed25519PublicKeyParameters key = Ed25519Keys.readPublic(
                http().retrieve(get("/regions/" + region + "/seals/public-key", finance(region)), String.class));
        SealStatement statement = new SealStatement(region, 1, head.batchSeq(), 3, head.hash(),
                Instant.parse((String) seal.get("sealedAt")), Ed25519Keys.keyId(key));
        assertThat(seal).containsEntry("keyId", statement.keyId());
        byte[] signature = Base64.getDecoder().decode((String) seal.get("signature"));
        assertThat(Ed25519Keys.verify(key, statement.bytes(), signature)).isTrue();
        assertThat(new String(statement.bytes(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("yui-seal/1|" + region
                + "|1|" + head.batchSeq() + "|3|" + head.hash() + "|" + seal.get("sealedAt") + "|" + statement.keyId() + "\n");
    }

    @Test
    void sealsAreListedOldestFirstInPages() {
        long region = newRegion();
        batch(region, 1);
        seal(region);
        batch(region, 2);
        seal(region);
        String admin = tokenFor("admin", region);
        seal(region); // on demand a seal is made even if the head did not move: it shows the head at a later time

        Map<String, Object> first = http().retrieve(get("/regions/" + region + "/seals?limit=2", admin),
                Argument.mapOf(String.class, Object.class));
        Map<String, Object> rest = http().retrieve(get("/regions/" + region + "/seals?afterSeq=2", admin),
                Argument.mapOf(String.class, Object.class));

        assertThat(seals(first)).extracting(s -> s.get("sealSeq")).containsExactly(1, 2);
        assertThat(seals(first)).extracting(s -> s.get("lastSeq")).containsExactly(1, 3);
        assertThat(first).containsEntry("nextCursor", 2);
        assertThat(seals(rest)).extracting(s -> s.get("sealSeq")).containsExactly(3);
        assertThat(seals(rest).get(0)).containsEntry("lastSeq", 3).containsEntry("headHash", seals(first).get(1).get("headHash"));
        assertThat(rest).doesNotContainKey("nextCursor");
    }

    @Test
    void publicKeyIsPemMadeOnFirstUseAndKeptForOldSeals() {
        long region = newRegion();
        MutableHttpRequest<?> request = get("/regions/" + region + "/seals/public-key", finance(region));

        HttpResponse<String> response = http().exchange(request, String.class);
        String again = http().retrieve(request, String.class);

        assertThat(response.getContentType()).hasValueSatisfying(t -> assertThat(t.toString()).isEqualTo(SealController.PEM));
        String pem = response.body();
        assertThat(pem).startsWith("-----BEGIN PUBLIC KEY-----\n").endsWith("-----END PUBLIC KEY-----\n").isEqualTo(again);
        batch(region, 1);
        Map<String, Object> seal = seal(region);
        String keyId = Ed25519Keys.keyId(Ed25519Keys.readPublic(pem));
        assertThat(seal).containsEntry("keyId", keyId);
        assertThat(http().retrieve(get("/regions/" + region + "/seals/public-key?keyId=" + keyId, finance(region)), String.class))
                .isEqualTo(pem);
        assertThat(refused(get("/regions/" + region + "/seals/public-key?keyId=0123456789abcdef", finance(region))).status())
                .isEqualTo(404);
    }

    @Test
    void theScheduleSealsOnlyRegionsWhoseJournalMoved() {
        long moved = newRegion();
        long empty = newRegion();
        long sealedAlready = newRegion();
        batch(moved, 2);
        batch(sealedAlready, 1);
        seal(sealedAlready);
        Seals seals = applicationContext.getBean(Seals.class);

        List<SealApi.Seal> first = mine(seals.sealAll(), moved, empty, sealedAlready);
        List<SealApi.Seal> unchanged = mine(seals.sealAll(), moved, empty, sealedAlready);
        batch(moved, 1);
        List<SealApi.Seal> afterMore = mine(seals.sealAll(), moved, empty, sealedAlready);

        assertThat(first).extracting(SealApi.Seal::regionId, SealApi.Seal::sealSeq, SealApi.Seal::lastSeq,
                SealApi.Seal::trigger, SealApi.Seal::sealedBy).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(moved, 1L, 2L, "SCHEDULED", "scheduler"));
        assertThat(unchanged).isEmpty();
        assertThat(afterMore).extracting(SealApi.Seal::regionId, SealApi.Seal::sealSeq, SealApi.Seal::lastSeq)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(moved, 2L, 3L));
        assertThat(seals(http().retrieve(get("/regions/" + empty + "/seals", finance(empty)),
                Argument.mapOf(String.class, Object.class)))).isEmpty();
    }

    // ------------------------------------------------------------------------------------------------- access

    @Test
    void onlyFinanceAndAdminOfTheRegionMayUseThem() {
        long region = newRegion();
        long other = newRegion();
        batch(region, 1);
        String merchantKey = applicationContext.getBean(ApiKeys.class)
                .issue(region, "merchant", null, UUID.randomUUID(), "shop till").apiKey();
        String integrationKey = applicationContext.getBean(ApiKeys.class)
                .issue(region, "integration", null, null, "bank feed").apiKey();
        List<String> paths = List.of("/seals", "/seals/public-key", "/journal/export");

        for (String role : List.of("resident", "cashier", "programme-officer", "merchant")) {
            String token = tokenFor(role, region);
            for (String path : paths) {
                assertForbidden(get("/regions/" + region + path, token), role + " GET " + path);
            }
            assertForbidden(post("/regions/" + region + "/seals", Map.of(), token), role + " POST /seals");
        }
        for (String key : List.of(merchantKey, integrationKey)) {
            for (String path : paths) {
                assertForbidden(HttpRequest.GET("/regions/" + region + path).header(ApiKeys.HEADER, key), "API key GET " + path);
            }
            assertForbidden(HttpRequest.POST("/regions/" + region + "/seals", Map.of()).header(ApiKeys.HEADER, key),
                    "API key POST /seals");
        }
        assertForbidden(post("/regions/" + region + "/seals", Map.of(), finance(other)), "finance of another town");
        assertForbidden(get("/regions/" + region + "/journal/export", finance(other)), "finance of another town");
        assertThat(refused(HttpRequest.GET("/regions/" + region + "/seals")).status()).isEqualTo(401);

        assertThat(seals(http().retrieve(get("/regions/" + region + "/seals", finance(region)),
                Argument.mapOf(String.class, Object.class)))).as("nothing was sealed by the refused calls").isEmpty();
        String platform = token("platform-admin", List.of("admin"), null, null);
        assertThat(http().exchange(post("/regions/" + region + "/seals", Map.of(), platform)).code()).isEqualTo(201);
        for (String path : List.of("/seals", "/seals/public-key", "/journal/export")) {
            assertThat(refused(get("/regions/999999" + path, platform)).status()).as(path).isEqualTo(404);
        }
        assertThat(refused(post("/regions/999999/seals", Map.of(), platform)).status()).isEqualTo(404);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private void assertForbidden(MutableHttpRequest<?> request, String who) {
        Problem p = refused(request);
        assertThat(p.status()).as(who).isEqualTo(403);
        assertThat(p.type()).as(who).isEqualTo(ProblemTypes.FORBIDDEN);
    }

    private Problem refused(MutableHttpRequest<?> request) {
        HttpClientResponseException[] caught = new HttpClientResponseException[1];
        assertThatThrownBy(() -> http().exchange(request, String.class))
                .isInstanceOfSatisfying(HttpClientResponseException.class, e -> caught[0] = e);
        return problem(caught[0]);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> seals(Map<String, Object> page) {
        return (List<Map<String, Object>>) page.get("seals");
    }

    private static List<SealApi.Seal> mine(List<SealApi.Seal> seals, long... regions) {
        return seals.stream().filter(s -> java.util.Arrays.stream(regions).anyMatch(r -> r == s.regionId())).toList();
    }
}
