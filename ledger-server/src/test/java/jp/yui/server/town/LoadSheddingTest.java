package jp.yui.server.town;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import jp.yui.merchant.ChargeRequest;
import jp.yui.merchant.MerchantClient;
import jp.yui.merchant.Payment;
import jp.yui.merchant.RequestOptions;
import jp.yui.merchant.ServerException;
import jp.yui.server.infra.Problem;
import jp.yui.server.infra.ProblemTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A full server sheds load: with {@code yui.server.max-in-flight} at 2, two shop charges held by a lock on the
 * region's journal (as a slow database would hold them) fill it, and the next request is answered 503
 * {@code server-busy} at once, with nothing done for it, while monitoring still answers. Once the held charges finish,
 * the refused charge goes through with its own Idempotency-Key, once. However a request ends, its place is given back.
 */
class LoadSheddingTest extends TownTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private final HttpClient jdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private MerchantClient till;

    @Override
    protected Map<String, String> properties() {
        Map<String, String> p = new HashMap<>(super.properties());
        p.put("yui.server.max-in-flight", "2");
        return p;
    }

    @AfterAll
    void closeTill() {
        if (till != null) {
            till.close();
        }
    }

    private URI base() {
        return applicationContext.getBean(EmbeddedServer.class).getURI();
    }

    private double meter(String name) {
        MeterRegistry meters = applicationContext.getBean(MeterRegistry.class);
        var gauge = meters.find(name).gauge();
        return gauge != null ? gauge.value() : meters.get(name).functionCounter().count();
    }

    private int inFlight() {
        return (int) meter("yui.server.requests.in.flight");
    }

    /** Waits (up to a generous bound, the machine is shared) until the server counts {@code expected} in flight. */
    private void awaitInFlight(int expected) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (inFlight() != expected) {
            if (System.nanoTime() > deadline) {
                fail("the server counts " + inFlight() + " requests in flight, not " + expected);
            }
            Thread.sleep(10);
        }
    }

    private String cpmToken(Town town, Person p) {
        return (String) ok(post(town.path("/residents/" + p.id() + "/cpm-tokens"), Map.of(), p.token())).get("token");
    }

    private static String chargeJson(String token, long amount) {
        return "{\"customerCode\":\"" + token + "\",\"amount\":" + amount + "}";
    }

    /** A shop's charge sent on its own connection, answered whenever the server gets to it. */
    private CompletableFuture<HttpResponse<String>> chargeAsync(Town town, Shop shop, String token, long amount) {
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(base().resolve(town.path("/payments")))
                .header("X-Api-Key", shop.key())
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(chargeJson(token, amount)))
                .build();
        return jdk.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Holds the region's journal head row, which every ledger batch of the region locks first: until the returned
     * connection rolls back, every charge of the region waits in the ledger, in flight.
     */
    private Connection holdJournal(Town town) throws SQLException {
        Connection c = dataSource().getConnection();
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement(
                "select region_id from ledger_journal_head where region_id = ? for update")) {
            ps.setLong(1, town.id);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("journal head of region %s", town.id).isTrue();
            }
        }
        return c;
    }

    private long count(String sql, Object... args) throws SQLException {
        try (Connection c = dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void aFullServerRefusesAtOnceDoesNothingAndTheSameKeyGoesThroughOnceItHasRoom() throws Exception {
        Town town = newTown();
        Shop shop = shop(town, "Miyaki Super");
        Person hana = funded(town, "花子", 5_000);
        Person taro = funded(town, "太郎", 5_000);
        Person jiro = funded(town, "次郎", 5_000);
        String officer = token("officer-shed", List.of("programme-officer"), town.id, null);
        // One attempt per call: the retry is the test's to make. A first charge fetches the region's CPM keys.
        till = MerchantClient.builder().baseUri(base()).apiKey(shop.key()).maxAttempts(1).build();
        till.charge(cpmToken(town, jiro), 100, "warm-up");
        String hanaToken = cpmToken(town, hana);
        String taroToken = cpmToken(town, taro);
        String jiroToken = cpmToken(town, jiro);
        String key = "till-1/order-" + UUID.randomUUID();
        double refusedBefore = meter("yui.server.requests.refused");
        assertThat(inFlight()).isZero();

        CompletableFuture<HttpResponse<String>> first;
        CompletableFuture<HttpResponse<String>> second;
        try (Connection journal = holdJournal(town)) {
            first = chargeAsync(town, shop, hanaToken, 700);
            second = chargeAsync(town, shop, taroToken, 800);
            awaitInFlight(2);

            // The next request: 503 server-busy at once, whoever asks and whatever for.
            HttpClientResponseException e = assertThrows(HttpClientResponseException.class,
                    () -> http().exchange(get("/infra-test/caller", officer), String.class));
            assertThat(e.getStatus().getCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE.getCode());
            assertThat(e.getResponse().getHeaders().get(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
            assertThat(e.getResponse().getContentType()).hasValue(MediaType.APPLICATION_JSON_PROBLEM_TYPE);
            Problem problem = problem(e);
            assertThat(problem.type()).isEqualTo(ProblemTypes.SERVER_BUSY).endsWith("/server-busy");
            assertThat(problem.status()).isEqualTo(503);
            assertThat(problem.title()).isEqualTo("Server busy");
            assertThat(problem.instance()).isEqualTo("/infra-test/caller");

            // A till's charge is refused the same way, and the SDK hands back what the server said.
            assertThatThrownBy(() -> till.charge(ChargeRequest.of(jiroToken, 1_200),
                    RequestOptions.withIdempotencyKey(key))).isInstanceOfSatisfying(ServerException.class, s -> {
                        assertThat(s.status()).isEqualTo(503);
                        assertThat(s.typeName()).isEqualTo("server-busy");
                        assertThat(s.retryAfter()).contains(Duration.ofSeconds(1));
                    });
            // Nothing was done for it: its key is not claimed, no payment was reserved.
            assertThat(count("select count(*) from idempotency_key where region_id = ? and key = ?", town.id, key))
                    .isZero();
            assertThat(count("select count(*) from payment where region_id = ? and resident_id = ? and amount = ?",
                    town.id, jiro.id(), 1_200)).isZero();

            // A page is refused too, as a page: busy, nothing done, try again (no session read for it).
            HttpClientResponseException page = assertThrows(HttpClientResponseException.class,
                    () -> http().exchange(HttpRequest.GET("/app/login"), String.class));
            assertThat(page.getStatus().getCode()).isEqualTo(503);
            assertThat(page.getResponse().getHeaders().get(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
            assertThat(page.getResponse().getContentType().map(MediaType::getName)).hasValue(MediaType.TEXT_HTML);
            assertThat(page.getResponse().getBody(String.class)).hasValueSatisfying(html -> assertThat(html)
                    .contains("ただいま混み合っています。この操作はまだ行われていません。"));

            assertThat(meter("yui.server.requests.refused") - refusedBefore).isEqualTo(3.0);

            // Monitoring still sees the full server.
            assertThat(http().exchange(HttpRequest.GET("/health"), String.class).code()).isEqualTo(200);
            String metrics = http().retrieve(HttpRequest.GET("/prometheus"), String.class);
            assertThat(metrics).containsPattern("(?m)^yui_server_requests_in_flight(\\{[^}]*\\})? 2\\.0$")
                    .containsPattern("(?m)^yui_server_requests_refused_total(\\{[^}]*\\})? [1-9][0-9]*\\.0$");
            assertThat(inFlight()).isEqualTo(2);

            journal.rollback();
        }
        assertThat(first.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(201);
        assertThat(second.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(201);
        assertThat(inFlight()).isZero();
        assertThat(town.balance(jiro, YEN)).isEqualTo(4_900);

        // The till tries again with the same key: it goes through, once.
        Payment paid = till.charge(ChargeRequest.of(jiroToken, 1_200), RequestOptions.withIdempotencyKey(key));
        Payment again = till.charge(ChargeRequest.of(jiroToken, 1_200),
                RequestOptions.withIdempotencyKey(key));
        assertThat(again.paymentId()).isEqualTo(paid.paymentId());
        assertThat(paid.amount()).isEqualTo(1_200);
        assertThat(town.balance(jiro, YEN)).isEqualTo(3_700);
        assertThat(town.balance(hana, YEN)).isEqualTo(4_300);
        assertThat(town.balance(taro, YEN)).isEqualTo(4_200);
        assertThat(shopBalance(town, shop, YEN)).isEqualTo(100 + 700 + 800 + 1_200);
        assertThat(inFlight()).isZero();
    }

    @Test
    void everyWayARequestEndsGivesItsPlaceBack() {
        String officer = token("officer-ends", List.of("programme-officer"), 1L, null);
        assertThat(inFlight()).isZero();

        assertThat(http().exchange(get("/infra-test/caller", officer), String.class).code()).isEqualTo(200);
        assertThat(inFlight()).isZero();
        // 4xx problems: the caller's own (409), no credentials (401), no route (404), a body that fails validation.
        assertStatus(get("/infra-test/problem", officer), 409);
        assertStatus(HttpRequest.GET("/infra-test/caller"), 401);
        assertStatus(get("/no/such/route", officer), 404);
        assertStatus(post("/infra-test/validated", Map.of("name", " ", "amount", -5), officer), 400);
        // 5xx: a bug, and the ledger's own overload.
        assertStatus(get("/infra-test/boom", officer), 500);
        assertStatus(get("/infra-test/overloaded", officer), 503);
        // Twice the limit, one after another: none is refused, since each gave its place back.
        for (int i = 0; i < 4; i++) {
            assertThat(http().exchange(get("/infra-test/caller", officer), String.class).code()).isEqualTo(200);
        }
    }

    private void assertStatus(HttpRequest<?> request, int status) {
        assertThatThrownBy(() -> http().exchange(request, String.class))
                .isInstanceOfSatisfying(HttpClientResponseException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(status));
        assertThat(inFlight()).as("in flight after a %s", status).isZero();
    }

    @Test
    void aClientThatHangsUpWhileItsChargeWaitsStillGivesItsPlaceBack() throws Exception {
        Town town = newTown();
        Shop shop = shop(town, "Miyaki Fresh");
        Person hana = funded(town, "花子", 5_000);
        String token = cpmToken(town, hana);
        byte[] body = chargeJson(token, 300).getBytes(StandardCharsets.UTF_8);
        String head = "POST " + town.path("/payments") + " HTTP/1.1\r\n"
                + "Host: " + base().getHost() + ":" + base().getPort() + "\r\n"
                + "X-Api-Key: " + shop.key() + "\r\n"
                + "Idempotency-Key: " + UUID.randomUUID() + "\r\n"
                + "Content-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n";

        try (Connection journal = holdJournal(town)) {
            try (Socket socket = new Socket(base().getHost(), base().getPort())) {
                OutputStream out = socket.getOutputStream();
                out.write(head.getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
                awaitInFlight(1);
            } // hangs up, unanswered
            journal.rollback();
        } catch (IOException e) {
            throw new AssertionError("could not send the charge", e);
        }

        // The charge finishes for nobody; its place comes back all the same.
        awaitInFlight(0);
        assertThat(http().exchange(HttpRequest.GET("/health"), String.class).code()).isEqualTo(200);
    }
}
