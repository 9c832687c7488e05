package jp.yui.server.town;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import jp.yui.server.award.Awards;
import jp.yui.server.infra.ApiKeys;
import jp.yui.server.infra.ProblemException;
import jp.yui.server.recovery.Reconciler;
import jp.yui.server.wallet.Conversions;
import org.junit.jupiter.api.Test;

/** Holes found in review: each scenario once moved value it should not have, or refused what it should not have. */
class ReviewFindingsTest extends TownTest {

    @Test
    void aProgrammesIntegrationKeyCannotReportBankTransfersNorAwardWhatNeedsApproval() {
        Town town = newTown();
        UUID programme = town.healthProgramme(null, 10_000);
        Person p = town.resident("A");
        ApiKeys keys = applicationContext.getBean(ApiKeys.class);
        String stepCounter = keys.issue(town.id, "integration", programme, null, "step counter").apiKey();
        String bankFeed = keys.issue(town.id, "integration", null, null, "bank feed").apiKey();

        assertThat(refused(keyed(HttpRequest.POST(town.path("/residents/" + p.id() + "/topups"),
                Map.of("amount", 90_000, "channel", "BANK_TRANSFER")).header(ApiKeys.HEADER, stepCounter))).status()).isEqualTo(403);
        assertThat(refused(keyed(HttpRequest.POST(town.path("/programmes/" + programme + "/awards"),
                Map.of("residentId", p.id().toString(), "activityCode", "CLEANUP", "eventId", "never-happened"))
                .header(ApiKeys.HEADER, stepCounter))).status()).isEqualTo(403);
        ok(keyed(HttpRequest.POST(town.path("/residents/" + p.id() + "/topups"),
                Map.of("amount", 1_000, "channel", "BANK_TRANSFER")).header(ApiKeys.HEADER, bankFeed)));
        assertThat(town.balance(p, YEN)).isEqualTo(1_000);
        assertThat(town.balance(p, HEALTH)).isZero();
    }

    @Test
    void oneKeyOnAnotherPathOrFromAnotherCashierIsAnotherRequest() {
        Town town = newTown();
        Person a = town.resident("A");
        Person b = town.resident("B");
        Map<String, Object> body = Map.of("amount", 1_000, "channel", "COUNTER");
        ok(post(town.path("/residents/" + a.id() + "/topups"), body, town.cashier).header("Idempotency-Key", "receipt-0001"));

        assertThat(refused(post(town.path("/residents/" + b.id() + "/topups"), body, town.cashier)
                .header("Idempotency-Key", "receipt-0001")).type()).isEqualTo("https://yui.jp/problems/idempotency-key-reused");
        String otherCashier = token("cashier-2-" + town.id, List.of("cashier"), town.id, null);
        ok(post(town.path("/residents/" + a.id() + "/topups"), body, otherCashier).header("Idempotency-Key", "receipt-0001"));

        assertThat(town.balance(a, YEN)).isEqualTo(2_000);
        assertThat(town.balance(b, YEN)).isZero();
    }

    @Test
    void aConversionRetriedWithAnotherAmountUnderTheSameKeyIsRefused() {
        Town town = newTown();
        UUID programme = town.healthProgramme(null, 100_000);
        ok(keyed(post(town.path("/conversion-funding"), Map.of("yen", 100_000), town.finance)));
        Person p = town.resident("A");
        for (int i = 0; i < 4; i++) {
            town.award(programme, p.id(), "CHECKUP", "c" + i);
        }
        Conversions conversions = applicationContext.getBean(Conversions.class);
        conversions.convert(town.id, p.id(), programme, 100, "K");

        ProblemException e = org.junit.jupiter.api.Assertions.assertThrows(ProblemException.class,
                () -> conversions.convert(town.id, p.id(), programme, 1_500, "K"));

        assertThat(e.type()).isEqualTo("https://yui.jp/problems/idempotency-key-reused");
        assertThat(town.balance(p, YEN)).isEqualTo(100);
        assertThat(conversions.convert(town.id, p.id(), programme, 100, "K").yen()).isEqualTo(100);
        assertThat(town.balance(p, YEN)).isEqualTo(100);
    }

    @Test
    void theReconcilerSettlesAReservationLeftByAFailureAndReleasesOneTheLedgerRefuses() throws Exception {
        Town town = newTown();
        UUID programme = town.healthProgramme(null, 500);
        Person a = town.resident("A");
        Person b = town.resident("B");
        LocalDate today = today();
        // As if the process died after reserving and before the ledger call, five minutes ago.
        UUID fine = Awards.awardId(town.id, programme, "CHECKUP", "c", a.id());
        UUID overBudget = Awards.awardId(town.id, programme, "CHECKUP", "c2", b.id());
        try (Connection c = dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("insert into award (region_id, award_id, programme_id, activity_code, "
                     + "resident_id, event_id, points, status, business_date, created_by, created_at) "
                     + "values (?, ?, ?, 'CHECKUP', ?, ?, 500, 'PENDING', ?, 'test', now() - interval '5 minutes')")) {
            for (Object[] row : List.of(new Object[] {fine, a.id(), "c"}, new Object[] {overBudget, b.id(), "c2"})) {
                ps.setLong(1, town.id);
                ps.setObject(2, row[0]);
                ps.setObject(3, programme);
                ps.setObject(4, row[1]);
                ps.setString(5, (String) row[2]);
                ps.setObject(6, today);
                ps.executeUpdate();
            }
        }

        applicationContext.getBean(Reconciler.class).reconcile();

        assertThat(town.balance(a, HEALTH) + town.balance(b, HEALTH)).isEqualTo(500);
        Awards awards = applicationContext.getBean(Awards.class);
        long done = List.of(fine, overBudget).stream().filter(id -> awards.row(town.id, id).map(r -> r.status().equals("DONE"))
                .orElse(false)).count();
        long released = List.of(fine, overBudget).stream().filter(id -> awards.row(town.id, id).isEmpty()).count();
        assertThat(done).isEqualTo(1);
        assertThat(released).isEqualTo(1);
    }

    @Test
    void approvingAndRejectingAtOnceNeverLeavesARejectedClaimWithPoints() throws Exception {
        Town town = newTown();
        UUID programme = town.healthProgramme(null, 100_000);
        Person p = town.resident("A");
        String claims = town.path("/programmes/" + programme + "/claims");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ids.add((String) ok(post(claims, Map.of("activityCode", "CLEANUP", "eventId", "park-" + i), p.token())).get("claimId"));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> running = new ArrayList<>();
        for (String id : ids) {
            for (String decision : List.of("approve", "reject")) {
                running.add(pool.submit(() -> {
                    try {
                        ok(post(claims + "/" + id + "/" + decision, Map.of(), town.officer));
                    } catch (HttpClientResponseException e) {
                        assertThat(e.getStatus().getCode()).isEqualTo(409);
                    }
                }));
            }
        }
        for (Future<?> f : running) {
            f.get(2, TimeUnit.MINUTES);
        }
        pool.shutdown();
        Set<String> approvedIds = ConcurrentHashMap.newKeySet();
        for (Map<String, Object> c : http().retrieve(get(claims + "?status=APPROVED", town.officer),
                io.micronaut.core.type.Argument.listOf(io.micronaut.core.type.Argument.mapOf(String.class, Object.class)))) {
            approvedIds.add((String) c.get("claimId"));
        }
        // Every claim was decided exactly once, and the points match the approved ones exactly.
        Set<String> rejectedIds = ConcurrentHashMap.newKeySet();
        for (Map<String, Object> c : http().retrieve(get(claims + "?status=REJECTED", town.officer),
                io.micronaut.core.type.Argument.listOf(io.micronaut.core.type.Argument.mapOf(String.class, Object.class)))) {
            rejectedIds.add((String) c.get("claimId"));
        }
        assertThat(approvedIds.size() + rejectedIds.size()).isEqualTo(ids.size());
        assertThat(town.balance(p, HEALTH)).isEqualTo(200L * approvedIds.size());
    }

    @Test
    void residentsRegisteringThemselvesAtOnceGetOneResident() throws Exception {
        Town town = newTown();
        String newcomer = token("oidc|rush", List.of("resident"), town.id, null);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Object>> f = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            f.add(pool.submit(() -> ok(post(town.path("/residents/me"), Map.of("displayName", "急ぐ人"), newcomer)).get("residentId")));
        }
        Set<Object> ids = ConcurrentHashMap.newKeySet();
        for (Future<Object> one : f) {
            ids.add(one.get(1, TimeUnit.MINUTES));
        }
        pool.shutdown();
        assertThat(ids).hasSize(1);
    }

    @Test
    void onlyOneProgrammePerAssetConvertsAndDatesStayInRange() {
        Town town = newTown();
        town.healthProgramme(null, 0);
        assertThat(refused(post(town.path("/programmes"), Map.of("name", "second", "kind", "OTHER", "assetCode", HEALTH,
                "validFrom", today().toString(), "validTo", today().toString(),
                "conversion", Map.of("points", 1, "yen", 2, "yearlyCapYen", 10_000)), town.officer)).type())
                .isEqualTo("https://yui.jp/problems/conversion-already-offered");
        assertThat(refused(post(town.path("/programmes"), Map.of("name", "far", "kind", "OTHER", "assetCode", HEALTH,
                "validFrom", today().toString(), "validTo", "+9999999-12-31"), town.officer)).status()).isEqualTo(400);
        assertThat(refused(post(town.path("/campaigns"), Map.of("name", "far", "premiumPercent", 10,
                "validFrom", today().toString(), "validTo", "2300-01-01", "premiumValidDays", 30), town.finance)).detail())
                .isEqualTo("dates must fall in the years 2000 to 2199: 2300-01-01");
    }
}
