package jp.yui.server.town;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import jp.yui.ledger.Ledger;
import jp.yui.server.ServerTest;
import jp.yui.server.infra.Problem;
import jp.yui.server.payment.Merchants;
import org.junit.jupiter.api.AfterAll;

/**
 * A town built over HTTP the way its staff would: a platform admin creates the region, officers the programmes,
 * finance funds them. After each test class every region it made must still verify.
 */
public abstract class TownTest extends ServerTest {

    static final String YEN = "MIYAKI-PAY";
    static final String HEALTH = "HEALTH-PT";
    static final String VOLUNTEER = "VOLUNTEER-PT";
    private static final AtomicLong REGIONS = new AtomicLong(100);

    protected final List<Long> regions = new ArrayList<>();

    /** Demo mode for tokens, but no demo town: each test builds the town it needs. */
    @Override
    protected Map<String, String> properties() {
        return Map.of("yui.demo.seed", "false", "yui.expiry.initial-delay", "1h", "micronaut.server.port", "-1");
    }

    /** The tokens of one town's people. */
    protected final class Town {
        final long id;
        final String admin;
        final String officer;
        final String finance;
        final String cashier;
        private boolean converting;

        Town(long id) {
            this.id = id;
            this.admin = token("admin-" + id, List.of("admin"), id, null);
            this.officer = token("officer-" + id, List.of("programme-officer"), id, null);
            this.finance = token("finance-" + id, List.of("finance"), id, null);
            this.cashier = token("cashier-" + id, List.of("cashier"), id, null);
        }

        String path(String rest) {
            return "/regions/" + id + rest;
        }

        /** A resident registered by a cashier, with a resident token. */
        Person resident(String name) {
            Map<String, Object> r = ok(post(path("/residents"), Map.of("displayName", name, "subject", "sub-" + UUID.randomUUID()),
                    cashier));
            UUID residentId = UUID.fromString((String) r.get("residentId"));
            return new Person(residentId, token((String) r.get("subject"), List.of("resident"), id, residentId));
        }

        /**
         * A health programme running from yesterday for a year, with activities and a funded budget; the town's first
         * converts its points 1:1 up to ¥10,000 a year (one programme per asset may).
         */
        UUID healthProgramme(Map<String, Object> caps, long budget) {
            Map<String, Object> body = new java.util.LinkedHashMap<>(Map.of("name", "健康ポイント", "kind", "HEALTH",
                    "assetCode", HEALTH, "validFrom", today().minusDays(1).toString(), "validTo", today().plusYears(1).toString()));
            if (!converting) {
                body.put("conversion", Map.of("points", 1, "yen", 1, "yearlyCapYen", 10_000));
                converting = true;
            }
            if (caps != null) {
                body.put("caps", caps);
            }
            UUID p = UUID.fromString((String) ok(post(path("/programmes"), body, officer)).get("programmeId"));
            ok(post(path("/programmes/" + p + "/activities"), Map.of("code", "STEPS", "name", "8,000 steps", "reward", 10,
                    "oncePerEvent", false, "requiresApproval", false), officer));
            ok(post(path("/programmes/" + p + "/activities"), Map.of("code", "CHECKUP", "name", "check-up", "reward", 500,
                    "oncePerEvent", true, "requiresApproval", false), officer));
            ok(post(path("/programmes/" + p + "/activities"), Map.of("code", "CLEANUP", "name", "clean-up", "reward", 200,
                    "oncePerEvent", true, "requiresApproval", true), officer));
            if (budget > 0) {
                ok(keyed(post(path("/programmes/" + p + "/budget"), Map.of("points", budget), finance)));
            }
            return p;
        }

        Map<String, Object> award(UUID programme, UUID resident, String activity, String event) {
            return ok(keyed(post(path("/programmes/" + programme + "/awards"),
                    Map.of("residentId", resident.toString(), "activityCode", activity, "eventId", event), officer)));
        }

        Map<String, Object> wallet(Person p) {
            return ok(get(path("/residents/" + p.id + "/wallet"), p.token));
        }

        long balance(Person p, String asset) {
            return balanceOf(wallet(p), asset);
        }
    }

    /** A resident and their token. */
    protected record Person(UUID id, String token) {
    }

    protected Town newTown() {
        long id = REGIONS.incrementAndGet();
        String platform = token("platform-admin", List.of("admin"), null, null);
        ok(post("/regions", Map.of("regionId", id, "name", "みやき町", "zone", "Asia/Tokyo",
                "currency", Map.of("code", YEN, "walletCeiling", 100_000),
                "points", List.of(Map.of("code", HEALTH, "expiry", "after-days:365:Asia/Tokyo"),
                        Map.of("code", VOLUNTEER, "expiry", "yearly-on:--03-31:Asia/Tokyo"))), platform));
        regions.add(id);
        return new Town(id);
    }

    /** Today in the town by the server's clock (which a test may move). */
    protected LocalDate today() {
        return LocalDate.ofInstant(applicationContext.getBean(java.time.Clock.class).instant(), ZoneId.of("Asia/Tokyo"));
    }

    protected Map<String, Object> ok(MutableHttpRequest<?> request) {
        return http().retrieve(request, Argument.mapOf(String.class, Object.class));
    }

    protected HttpResponse<Map<String, Object>> exchange(MutableHttpRequest<?> request) {
        return http().exchange(request, Argument.mapOf(String.class, Object.class));
    }

    protected static <T> MutableHttpRequest<T> keyed(MutableHttpRequest<T> request) {
        return request.header("Idempotency-Key", UUID.randomUUID().toString());
    }

    /** The problem a request answers; fails if it succeeds. */
    protected Problem refused(MutableHttpRequest<?> request) {
        HttpClientResponseException[] caught = new HttpClientResponseException[1];
        assertThatThrownBy(() -> http().exchange(request, String.class))
                .isInstanceOfSatisfying(HttpClientResponseException.class, e -> caught[0] = e);
        return problem(caught[0]);
    }

    @SuppressWarnings("unchecked")
    protected static long balanceOf(Map<String, Object> wallet, String asset) {
        for (Map<String, Object> b : (List<Map<String, Object>>) wallet.get("balances")) {
            if (asset.equals(b.get("assetCode"))) {
                return ((Number) b.get("posted")).longValue();
            }
        }
        throw new AssertionError("no " + asset + " in " + wallet);
    }

    // --- shops and payments ---

    /** A shop and one of its tills' keys. */
    protected record Shop(UUID id, String key, String staticPayload) {
    }

    protected Shop shop(Town town, String name) {
        Map<String, Object> m = ok(post(town.path("/merchants"), Map.of("name", name, "category", "5411", "city", "Miyaki",
                "nameJa", "みやき商店", "nameKana", "ﾐﾔｷｼｮｳﾃﾝ"), town.admin));
        UUID id = UUID.fromString((String) m.get("merchantId"));
        Map<String, Object> k = ok(post(town.path("/merchants/" + id + "/api-keys"), Map.of("name", "till"), town.admin));
        return new Shop(id, (String) k.get("apiKey"), (String) m.get("staticPayload"));
    }

    protected String tillKey(Town town, Shop shop) {
        return (String) ok(post(town.path("/merchants/" + shop.id() + "/api-keys"), Map.of("name", "till"), town.admin))
                .get("apiKey");
    }

    protected static <T> MutableHttpRequest<T> shopPost(String uri, T body, String apiKey) {
        return HttpRequest.POST(uri, body).header("X-Api-Key", apiKey).header("Idempotency-Key", UUID.randomUUID().toString());
    }

    protected static MutableHttpRequest<?> shopGet(String uri, String apiKey) {
        return HttpRequest.GET(uri).header("X-Api-Key", apiKey);
    }

    protected Person funded(Town town, String name, long yen) {
        Person p = town.resident(name);
        ok(keyed(post(town.path("/residents/" + p.id() + "/topups"), Map.of("amount", yen, "channel", "COUNTER"),
                town.cashier)));
        return p;
    }

    protected Map<String, Object> pay(Town town, Person p, String payload, Long amount) {
        Map<String, Object> body = new HashMap<>(Map.of("payload", payload));
        if (amount != null) {
            body.put("amount", amount);
        }
        return ok(keyed(post(town.path("/residents/" + p.id() + "/payments"), body, p.token())));
    }

    protected long shopBalance(Town town, Shop shop, String asset) {
        return applicationContext.getBean(Ledger.class).account(town.id, Merchants.account(town.id, shop.id(), asset))
                .orElseThrow().postedBalance();
    }

    @AfterAll
    void everyRegionVerifies() {
        Ledger ledger = applicationContext.getBean(Ledger.class);
        for (long id : regions) {
            assertThat(ledger.verify(id).problems()).as("verify region %s", id).isEmpty();
        }
    }
}
