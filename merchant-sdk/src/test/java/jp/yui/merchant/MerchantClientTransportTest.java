package jp.yui.merchant;

import static jp.yui.merchant.Fixtures.INTENT_ID;
import static jp.yui.merchant.Fixtures.PAYMENT_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

import jp.yui.merchant.ScriptedServer.Recorded;
import jp.yui.merchant.ScriptedServer.Reply;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How the client talks to the server: retries, idempotency keys, timeouts, headers and error answers. */
class MerchantClientTransportTest {

    private static final String INTENTS = "/regions/7/payment-intents";
    private static final String PAYMENT = "/regions/7/payments/" + PAYMENT_ID;
    private static final String CARD = "YUI-CARD:ABCD-EFGH-JKLM-NPQR";
    private static final String UUID_SHAPE = "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";

    private ScriptedServer server;
    private final RecordingDelays delays = new RecordingDelays();

    @BeforeEach
    void startServer() throws IOException {
        server = new ScriptedServer();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void a503IsRetriedWithTheSameIdempotencyKeyAndBodyAndThenSucceeds() {
        server.on("POST", INTENTS,
                Reply.problem(503, "unavailable", "Service Unavailable", "the database is restarting", null),
                Reply.json(201, Fixtures.intent("OPEN", null)));

        DynamicPayment intent;
        try (MerchantClient client = Fixtures.client(server).build()) {
            intent = client.createPayment(500, "order-123");
        }

        assertThat(intent.intentId()).isEqualTo(INTENT_ID);
        List<Recorded> posts = server.requests("POST", INTENTS);
        assertThat(posts).hasSize(2);
        assertThat(posts.get(0).header("Idempotency-Key")).matches(UUID_SHAPE);
        assertThat(posts.get(1).header("Idempotency-Key")).isEqualTo(posts.get(0).header("Idempotency-Key"));
        assertThat(posts.get(1).body).isEqualTo(posts.get(0).body)
                .isEqualTo("{\"amount\":500,\"reference\":\"order-123\"}");
    }

    @Test
    void theCallersIdempotencyKeyIsSentOnEveryAttempt() {
        server.on("POST", INTENTS, Reply.problem(500, "internal", "Internal Server Error", null, null),
                Reply.problem(502, "internal", "Bad Gateway", null, null),
                Reply.json(201, Fixtures.intent("OPEN", null)));

        try (MerchantClient client = Fixtures.client(server).build()) {
            client.createPayment(500, "order-123", Duration.ofSeconds(120),
                    RequestOptions.withIdempotencyKey("till-1/order-123"));
        }

        assertThat(server.requests("POST", INTENTS)).hasSize(3)
                .allSatisfy(post -> assertThat(post.header("Idempotency-Key")).isEqualTo("till-1/order-123"));
    }

    @Test
    void eachCallWithoutOptionsGetsAKeyOfItsOwn() {
        server.on("POST", INTENTS, Reply.json(201, Fixtures.intent("OPEN", null)));

        try (MerchantClient client = Fixtures.client(server).build()) {
            client.createPayment(500, "order-123");
            client.createPayment(500, "order-123");
        }

        List<Recorded> posts = server.requests("POST", INTENTS);
        assertThat(posts.get(0).header("Idempotency-Key")).isNotEqualTo(posts.get(1).header("Idempotency-Key"));
    }

    @Test
    void a422IsNotRetriedAndCarriesTheProblem() {
        server.on("POST", "/regions/7/payments", Reply.problem(422, "insufficient-funds", "Insufficient funds",
                "the payer's wallets hold 300 yen", "INSUFFICIENT_FUNDS"));

        try (MerchantClient client = Fixtures.client(server).build()) {
            assertThatThrownBy(() -> client.charge(ChargeRequest.of(CARD, 500).withPin("1234")))
                    .isInstanceOfSatisfying(PaymentDeclinedException.class, e -> {
                        assertThat(e.status()).isEqualTo(422);
                        assertThat(e.type()).isEqualTo("https://yui.jp/problems/insufficient-funds");
                        assertThat(e.typeName()).isEqualTo("insufficient-funds");
                        assertThat(e.title()).isEqualTo("Insufficient funds");
                        assertThat(e.detail()).contains("the payer's wallets hold 300 yen");
                        assertThat(e.code()).contains("INSUFFICIENT_FUNDS");
                        assertThat(e.retryAfter()).isEmpty();
                    })
                    .hasMessage("POST /regions/7/payments answered 422 insufficient-funds: the payer's wallets hold"
                            + " 300 yen (INSUFFICIENT_FUNDS)");
        }

        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void a400IsNotRetried() {
        server.on("GET", PAYMENT, Reply.problem(400, "validation", "Invalid request", "limit must be > 0", null));

        try (MerchantClient client = Fixtures.client(server).delays(delays).build()) {
            assertThatThrownBy(() -> client.getPayment(PAYMENT_ID))
                    .isInstanceOf(InvalidRequestException.class)
                    .hasMessage("GET " + PAYMENT + " answered 400 validation: limit must be > 0");
        }

        assertThat(server.requests()).hasSize(1);
        assertThat(delays.waits).isEmpty();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "400, invalid-customer-code, jp.yui.merchant.InvalidRequestException",
        "401, unauthorized, jp.yui.merchant.AuthenticationException",
        "403, forbidden, jp.yui.merchant.AuthenticationException",
        "404, not-found, jp.yui.merchant.NotFoundException",
        "405, method-not-allowed, jp.yui.merchant.MerchantApiException",
        "409, customer-code-used, jp.yui.merchant.ConflictException",
        "422, card-pin-wrong, jp.yui.merchant.PaymentDeclinedException",
        "500, internal, jp.yui.merchant.ServerException",
        "503, overloaded, jp.yui.merchant.ServerException",
    })
    void eachStatusMapsToItsException(int status, String typeName, String exception) throws Exception {
        server.on("GET", PAYMENT, Reply.problem(status, typeName, "Title", "detail of " + typeName, null));

        try (MerchantClient client = Fixtures.client(server).build()) {
            assertThatThrownBy(() -> client.getPayment(PAYMENT_ID))
                    .isExactlyInstanceOf(Class.forName(exception))
                    .isInstanceOfSatisfying(MerchantApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(status);
                        assertThat(e.typeName()).isEqualTo(typeName);
                        assertThat(e.detail()).contains("detail of " + typeName);
                        assertThat(e.code()).isEmpty();
                    });
        }
    }

    @Test
    void a5xxThatKeepsFailingEndsAsServerExceptionAfterMaxAttempts() {
        server.on("GET", PAYMENT, Reply.problem(503, "overloaded", "Service Unavailable", "the ledger is busy", null));

        try (MerchantClient client = Fixtures.client(server).delays(delays).build()) {
            assertThatThrownBy(() -> client.getPayment(PAYMENT_ID))
                    .isInstanceOf(ServerException.class)
                    .hasMessage("GET " + PAYMENT + " answered 503 overloaded: the ledger is busy (after 3 attempts)");
        }

        assertThat(server.requests()).hasSize(3);
        assertThat(delays.waits).hasSize(2);
    }

    @Test
    void a429IsRetriedAfterWhatRetryAfterAsksAndTheJitteredBackoff() {
        server.on("GET", PAYMENT,
                Reply.problem(429, "rate-limited", "Too Many Requests", null, null).withHeader("Retry-After", "1"),
                Reply.json(200, Fixtures.payment()));

        try (MerchantClient client = Fixtures.client(server).backoff(Duration.ofMillis(10), Duration.ofSeconds(2))
                .jitter(() -> 0.5).delays(delays).build()) {
            assertThat(client.getPayment(PAYMENT_ID).paymentId()).isEqualTo(PAYMENT_ID);
        }

        assertThat(delays.waits).containsExactly(Duration.ofMillis(1_005));
    }

    @Test
    void aTillChargeAFullServerRefusedIsRetriedWithTheSameKeyAfterRetryAfterAndGoesThrough() {
        server.on("POST", "/regions/7/payments",
                Reply.problem(503, "server-busy", "Server busy", "nothing was done for this one", null)
                        .withHeader("Retry-After", "1"),
                Reply.json(201, Fixtures.payment()));

        server.on("GET", "/regions/7/cpm-keys", Reply.json(200, Fixtures.cpmKeys(Fixtures.SEED)));
        String customerCode = Fixtures.token(Fixtures.REGION, 1, Fixtures.SEED).encode();

        Payment paid;
        try (MerchantClient client = Fixtures.client(server).backoff(Duration.ofMillis(200), Duration.ofSeconds(5))
                .jitter(() -> 0.25).delays(delays).build()) {
            paid = client.charge(ChargeRequest.of(customerCode, 500));
        }

        assertThat(paid.paymentId()).isEqualTo(PAYMENT_ID);
        // At least the second the server asked for, and a random part of the back-off on top.
        assertThat(delays.waits).containsExactly(Duration.ofMillis(1_050));
        List<Recorded> posts = server.requests("POST", "/regions/7/payments");
        assertThat(posts).hasSize(2);
        assertThat(posts.get(1).header("Idempotency-Key")).isEqualTo(posts.get(0).header("Idempotency-Key"));
        assertThat(posts.get(1).body).isEqualTo(posts.get(0).body);
    }

    @Test
    void aFullServerThatStaysFullEndsAsServerBusyAfterEveryAttempt() {
        server.on("POST", "/regions/7/payments",
                Reply.problem(503, "server-busy", "Server busy", "nothing was done for this one", null)
                        .withHeader("Retry-After", "1"));

        try (MerchantClient client = Fixtures.client(server).backoff(Duration.ofMillis(200), Duration.ofSeconds(5))
                .jitter(() -> 0.5).delays(delays).build()) {
            assertThatThrownBy(() -> client.charge(ChargeRequest.of(CARD, 500).withPin("1234")))
                    .isInstanceOfSatisfying(ServerException.class, e -> {
                        assertThat(e.status()).isEqualTo(503);
                        assertThat(e.typeName()).isEqualTo("server-busy");
                        assertThat(e.retryAfter()).contains(Duration.ofSeconds(1));
                    })
                    .hasMessage("POST /regions/7/payments answered 503 server-busy: nothing was done for this one"
                            + " (after 3 attempts)");
        }

        assertThat(delays.waits).containsExactly(Duration.ofMillis(1_100), Duration.ofMillis(1_200));
    }

    @Test
    void aRetryAfterDateIsReadAgainstTheClientsClock() {
        // Fixtures.NOW is 2026-11-22T01:02:03Z, a Sunday.
        server.on("GET", PAYMENT, Reply.problem(503, "unavailable", "Service Unavailable", null, null)
                        .withHeader("Retry-After", "Sun, 22 Nov 2026 01:02:05 GMT"),
                Reply.json(200, Fixtures.payment()));

        try (MerchantClient client = Fixtures.client(server).backoff(Duration.ofMillis(1), Duration.ofSeconds(5))
                .jitter(() -> 0).delays(delays).build()) {
            client.getPayment(PAYMENT_ID);
        }

        assertThat(delays.waits).containsExactly(Duration.ofSeconds(2));
    }

    @Test
    void aRetryAfterLongerThanTheMaximumBackoffEndsTheRetries() {
        server.on("GET", PAYMENT, Reply.problem(503, "overloaded", "Service Unavailable", "the ledger is busy", null)
                .withHeader("Retry-After", "30"));

        try (MerchantClient client = Fixtures.client(server).backoff(Duration.ofMillis(1), Duration.ofSeconds(5))
                .delays(delays).build()) {
            assertThatThrownBy(() -> client.getPayment(PAYMENT_ID))
                    .isInstanceOfSatisfying(ServerException.class,
                            e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(30)))
                    .hasMessage("GET " + PAYMENT + " answered 503 overloaded: the ledger is busy (not retried:"
                            + " Retry-After 30 s is longer than the 5000 ms maximum back-off)");
        }

        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void backoffDoublesUpToItsMaximumAndIsJittered() {
        server.on("GET", PAYMENT, Reply.problem(500, "internal", "Internal Server Error", null, null));

        try (MerchantClient client = Fixtures.client(server).maxAttempts(5)
                .backoff(Duration.ofMillis(10), Duration.ofMillis(35)).jitter(() -> 0.5).delays(delays).build()) {
            assertThatThrownBy(() -> client.getPayment(PAYMENT_ID)).isInstanceOf(ServerException.class);
        }

        // Caps 10, 20, 35 (not 40), 35 ms; the jitter waits half of each.
        assertThat(delays.waits).containsExactly(Duration.ofMillis(5), Duration.ofMillis(10),
                Duration.ofMillis(17).plusNanos(500_000), Duration.ofMillis(17).plusNanos(500_000));
        assertThat(server.requests()).hasSize(5);
    }

    @Test
    void aRefusedConnectionEndsAsTransportExceptionAfterEveryAttempt() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }

        try (MerchantClient client = Fixtures.client(server).baseUri(URI.create("http://127.0.0.1:" + port))
                .delays(delays).build()) {
            assertThatThrownBy(() -> client.getPayment(PAYMENT_ID))
                    .isInstanceOfSatisfying(MerchantTransportException.class,
                            e -> assertThat(e.attempts()).isEqualTo(3))
                    .hasMessageStartingWith("GET " + PAYMENT + " failed after 3 attempts: java.net.ConnectException")
                    .hasCauseInstanceOf(ConnectException.class);
        }

        assertThat(delays.waits).hasSize(2);
    }

    @Test
    void anAnswerSlowerThanTheRequestTimeoutIsRetriedAndThenATransportException() {
        server.on("GET", PAYMENT, Reply.hang());

        try (MerchantClient client = Fixtures.client(server).maxAttempts(2).requestTimeout(Duration.ofMillis(200))
                .build()) {
            assertThatThrownBy(() -> client.getPayment(PAYMENT_ID))
                    .isInstanceOfSatisfying(MerchantTransportException.class,
                            e -> assertThat(e.attempts()).isEqualTo(2))
                    .hasMessageStartingWith("GET " + PAYMENT + " failed after 2 attempts: "
                            + "java.net.http.HttpTimeoutException")
                    .hasCauseInstanceOf(HttpTimeoutException.class);
        }

        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void everyRequestCarriesTheApiKeyAndOnlyPostsAnIdempotencyKey() {
        server.on("POST", INTENTS, Reply.json(201, Fixtures.intent("OPEN", null)));
        server.on("GET", PAYMENT, Reply.json(200, Fixtures.payment()));

        try (MerchantClient client = Fixtures.client(server).build()) {
            client.createPayment(500, null);
            client.getPayment(PAYMENT_ID);
        }

        Recorded post = server.requests("POST", INTENTS).get(0);
        Recorded get = server.requests("GET", PAYMENT).get(0);
        assertThat(post.header("X-Api-Key")).isEqualTo(Fixtures.API_KEY);
        assertThat(post.header("Content-Type")).isEqualTo("application/json");
        assertThat(post.header("Accept")).isEqualTo("application/json, application/problem+json");
        assertThat(post.header("User-Agent")).isEqualTo("yui-merchant-sdk-java");
        assertThat(post.body).isEqualTo("{\"amount\":500}");
        assertThat(get.header("X-Api-Key")).isEqualTo(Fixtures.API_KEY);
        assertThat(get.header("Idempotency-Key")).isNull();
        assertThat(get.header("Content-Type")).isNull();
    }

    @Test
    void anErrorPageThatIsNotAProblemDocumentIsStillReported() {
        server.on("GET", PAYMENT, Reply.text(502, "text/html", "<html>\n  <h1>Bad   gateway</h1>\n</html>"));

        try (MerchantClient client = Fixtures.client(server).maxAttempts(1).build()) {
            assertThatThrownBy(() -> client.getPayment(PAYMENT_ID))
                    .isInstanceOfSatisfying(ServerException.class, e -> {
                        assertThat(e.type()).isEqualTo("about:blank");
                        assertThat(e.typeName()).isEqualTo("about:blank");
                        assertThat(e.title()).isEqualTo("HTTP 502");
                        assertThat(e.detail()).contains("<html> <h1>Bad gateway</h1> </html>");
                    })
                    .hasMessage("GET " + PAYMENT + " answered 502 about:blank: <html> <h1>Bad gateway</h1> </html>");
        }
    }

    @Test
    void aSuccessBodyTheSdkCannotReadIsAMerchantExceptionNamingTheField() {
        server.on("GET", PAYMENT, Reply.json(200, Fixtures.payment().replace("\"amount\":500,", "")));
        server.on("GET", "/regions/7/payments/" + INTENT_ID, Reply.text(200, "application/json", "<html/>"));

        try (MerchantClient client = Fixtures.client(server).build()) {
            assertThatThrownBy(() -> client.getPayment(PAYMENT_ID))
                    .isExactlyInstanceOf(MerchantException.class)
                    .hasMessage("cannot read Payment.amount: missing");
            assertThatThrownBy(() -> client.getPayment(INTENT_ID))
                    .isExactlyInstanceOf(MerchantException.class)
                    .hasMessageStartingWith("cannot read Payment: not JSON");
        }
    }

    @Test
    void anAsyncTwinCompletesExceptionallyWithTheExceptionTheSyncMethodThrows() {
        server.on("GET", PAYMENT, Reply.problem(404, "not-found", "Not Found", "no such payment", null));

        try (MerchantClient client = Fixtures.client(server).build()) {
            CompletableFuture<Payment> future = client.getPaymentAsync(PAYMENT_ID);

            assertThatThrownBy(future::join).isInstanceOf(CompletionException.class)
                    .hasCauseInstanceOf(NotFoundException.class);
        }
    }

    @Test
    void aClosedClientRefusesCalls() {
        MerchantClient client = Fixtures.client(server).build();
        client.close();
        client.close();

        assertThatThrownBy(() -> client.getPayment(PAYMENT_ID)).isInstanceOf(IllegalStateException.class)
                .hasMessage("MerchantClient is closed");
        assertThatThrownBy(() -> client.createPaymentAsync(500, null)).isInstanceOf(IllegalStateException.class)
                .hasMessage("MerchantClient is closed");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void closingEndsARetryThatIsWaiting() {
        server.on("GET", PAYMENT, Reply.problem(503, "unavailable", "Service Unavailable", null, null));
        HeldDelays held = new HeldDelays();
        MerchantClient client = Fixtures.client(server).delays(held).build();

        CompletableFuture<Payment> future = client.getPaymentAsync(PAYMENT_ID);
        Runnable retry = held.next();
        client.close();
        retry.run();

        assertThatThrownBy(future::join).hasCauseInstanceOf(IllegalStateException.class)
                .cause().hasMessage("MerchantClient was closed before attempt 2 of GET " + PAYMENT);
        assertThat(server.requests()).hasSize(1);
    }

    /** Records each wait and does not wait. */
    static final class RecordingDelays implements Delays {
        final List<Duration> waits = Collections.synchronizedList(new ArrayList<>());

        @Override
        public Executor after(Duration delay) {
            waits.add(delay);
            return Runnable::run;
        }
    }

    /** Holds each retry until the test runs it. */
    static final class HeldDelays implements Delays {
        private final java.util.concurrent.BlockingQueue<Runnable> tasks =
                new java.util.concurrent.LinkedBlockingQueue<>();

        @Override
        public Executor after(Duration delay) {
            return tasks::add;
        }

        Runnable next() {
            try {
                Runnable task = tasks.poll(5, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(task).as("a retry was scheduled").isNotNull();
                return task;
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
