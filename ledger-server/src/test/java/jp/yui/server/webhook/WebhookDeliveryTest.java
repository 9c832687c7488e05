package jp.yui.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.json.JsonMapper;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import jp.yui.merchant.WebhookSignature;
import jp.yui.merchant.WebhookSignatureException;
import jp.yui.server.db.Db;
import jp.yui.testsupport.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a shop relies on from webhooks: an event exists exactly when what it reports was committed, arrives signed
 * with the shop's secret, is retried with back-off until the shop answers 2xx (for three days), and is sent once per
 * attempt however many dispatchers run. Delivery is driven by hand, on a clock the test moves.
 */
class WebhookDeliveryTest extends WebhookServerTest {

    /** The server's clock for this class. */
    static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-11-22T01:02:03Z"));

    @Inject
    Webhooks webhooks;
    @Inject
    WebhookDispatcher dispatcher;
    @Inject
    Db db;
    @Inject
    JsonMapper json;
    @Inject
    MeterRegistry meters;

    private final List<Receiver> receivers = new ArrayList<>();

    @Override
    protected Map<String, String> properties() {
        Map<String, String> p = new HashMap<>(super.properties());
        p.put("webhook-delivery-test.clock", "movable");
        // Small batches, so that two dispatchers interleave their claims in the concurrency test.
        p.put("yui.webhooks.batch-size", "5");
        return p;
    }

    /** Only in this class's context (every test class sees every factory on the class path). */
    @Factory
    @Requires(property = "webhook-delivery-test.clock", value = "movable")
    static class Clocks {
        @Singleton
        @Replaces(Clock.class)
        Clock clock() {
            return CLOCK;
        }
    }

    /** A payment as a shop sees it, standing in for the payments work's record. */
    @Serdeable
    record Paid(UUID paymentId, long amount, String reference) {
    }

    /** An event's row, as the dispatcher left it. */
    record Row(String status, int attempts, Integer lastStatus, String lastError, Instant createdAt,
            Instant lastAttemptAt, Instant nextAttemptAt, Instant deliveredAt) {
    }

    @BeforeEach
    void nothingPendingFromOtherTests() {
        // The dispatcher serves every region; each test starts with an empty outbox so it sees only its own events.
        db.tx(c -> Db.update(c, "delete from webhook_event"));
        receivers.forEach(Receiver::close);
        receivers.clear();
    }

    private Receiver receiver(int... statuses) {
        Receiver r = Receiver.answering(statuses);
        receivers.add(r);
        return r;
    }

    private UUID paid(Shop shop, long amount) {
        return db.tx(c -> webhooks.enqueue(c, shop.regionId(), shop.merchantId(), Webhooks.PAYMENT_SUCCEEDED,
                new Paid(UUID.randomUUID(), amount, "order-" + amount)));
    }

    private Row row(Shop shop, UUID eventId) {
        return db.read(c -> Db.one(c, "select status, attempts, last_status, last_error, created_at, last_attempt_at, "
                + "next_attempt_at, delivered_at from webhook_event where region_id = ? and event_id = ?",
                rs -> new Row(rs.getString(1), rs.getInt(2), rs.getObject(3, Integer.class), rs.getString(4),
                        WebhookEndpoints.instant(rs, 5), WebhookEndpoints.instant(rs, 6), WebhookEndpoints.instant(rs, 7),
                        WebhookEndpoints.instant(rs, 8)), shop.regionId(), eventId)).orElseThrow();
    }

    private long events(Shop shop) {
        return db.read(c -> Db.sum(c, "select count(*) from webhook_event where region_id = ? and merchant_id = ?",
                shop.regionId(), shop.merchantId()));
    }

    private Map<String, Object> parse(String body) throws IOException {
        return json.readValue(body, Argument.mapOf(String.class, Object.class));
    }

    private static void verifySignature(Receiver.Request request, String secret) {
        WebhookSignature.verify(request.header(WebhookSignature.HEADER), request.body(), secret,
                WebhookSignature.DEFAULT_TOLERANCE, CLOCK);
    }

    @Test
    void anEventCommittedWithItsPaymentArrivesOnceSignedWithTheShopsSecret() throws IOException {
        Shop shop = newShop(newRegion());
        Receiver till = receiver(200);
        String secret = subscribe(shop, till.url("/hooks/yui"));
        Instant recorded = CLOCK.instant();

        UUID eventId = paid(shop, 500);
        assertThat(meters.get("yui.webhooks.pending").gauge().value()).isEqualTo(1.0);
        CLOCK.advance(Duration.ofMillis(1500));
        int attempted = dispatcher.deliverDue();

        assertThat(attempted).isEqualTo(1);
        assertThat(till.received()).hasSize(1);
        Receiver.Request request = till.received().get(0);
        assertThat(request.path()).isEqualTo("/hooks/yui");
        verifySignature(request, secret);
        assertThat(request.header(WebhookSignature.HEADER)).startsWith("t=" + CLOCK.instant().getEpochSecond() + ",v1=");
        assertThatThrownBy(() -> verifySignature(request, "whsec_someone-elses-secret"))
                .isInstanceOf(WebhookSignatureException.class);
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        assertThat(request.header(WebhookDispatcher.EVENT_ID_HEADER)).isEqualTo(eventId.toString());
        assertThat(request.body()).startsWith("{\"id\":\"" + eventId + "\",\"type\":\"payment.succeeded\",\"createdAt\":");
        Map<String, Object> event = parse(request.body());
        assertThat(event).containsOnlyKeys("id", "type", "createdAt", "data");
        assertThat(Instant.parse((String) event.get("createdAt"))).isEqualTo(recorded.truncatedTo(ChronoUnit.MILLIS));
        assertThat(event.get("data")).isEqualTo(Map.of("paymentId", ((Map<?, ?>) event.get("data")).get("paymentId"),
                "amount", 500, "reference", "order-500"));

        Row row = row(shop, eventId);
        assertThat(row.status()).isEqualTo("DELIVERED");
        assertThat(row.attempts()).isEqualTo(1);
        assertThat(row.lastStatus()).isEqualTo(200);
        assertThat(row.deliveredAt()).isEqualTo(CLOCK.instant());
        assertThat(meters.get("yui.webhooks.pending").gauge().value()).isZero();

        CLOCK.advance(Duration.ofHours(2));
        assertThat(dispatcher.deliverDue()).isZero();
        assertThat(till.received()).hasSize(1);
    }

    @Test
    void anEventWhosePaymentRolledBackIsNeverSent() {
        Shop shop = newShop(newRegion());
        Receiver till = receiver(200);
        subscribe(shop, till.url("/hooks"));

        assertThatThrownBy(() -> db.tx(c -> {
            webhooks.enqueue(c, shop.regionId(), shop.merchantId(), Webhooks.PAYMENT_SUCCEEDED,
                    new Paid(UUID.randomUUID(), 300, "order-1"));
            throw new IllegalStateException("the payer's wallet was short");
        })).hasMessage("the payer's wallet was short");

        assertThat(events(shop)).isZero();
        CLOCK.advance(Duration.ofDays(1));
        assertThat(dispatcher.deliverDue()).isZero();
        assertThat(till.received()).isEmpty();
    }

    @Test
    void aShopWithoutAnEndpointGetsNoEventRecorded() {
        Shop shop = newShop(newRegion());

        UUID eventId = paid(shop, 100);

        assertThat(eventId).isNull();
        assertThat(events(shop)).isZero();
    }

    @Test
    void enqueueAll_recordsAnEventForEachShopWithAnEndpointInTheCallersTransaction() throws IOException {
        long region = newRegion();
        Shop subscribed = newShop(region);
        Shop other = newShop(region);
        Shop silent = newShop(region);
        subscribe(subscribed, receiver(200).url("/a"));
        subscribe(other, receiver(200).url("/b"));

        int recorded = db.tx(c -> webhooks.enqueueAll(c, region, Webhooks.PAYMENT_SUCCEEDED, List.of(
                new Webhooks.Notice(subscribed.merchantId(), new Paid(UUID.randomUUID(), 100, "order-100")),
                new Webhooks.Notice(silent.merchantId(), new Paid(UUID.randomUUID(), 200, "order-200")),
                new Webhooks.Notice(other.merchantId(), new Paid(UUID.randomUUID(), 300, "order-300")),
                new Webhooks.Notice(subscribed.merchantId(), new Paid(UUID.randomUUID(), 400, "order-400")))));

        assertThat(recorded).isEqualTo(3);
        assertThat(events(subscribed)).isEqualTo(2);
        assertThat(events(other)).isEqualTo(1);
        assertThat(events(silent)).isZero();
        String payload = db.read(c -> Db.one(c, "select payload from webhook_event where region_id = ? and merchant_id = ?",
                rs -> rs.getString(1), region, other.merchantId())).orElseThrow();
        Map<String, Object> event = parse(payload);
        assertThat(event).containsEntry("type", "payment.succeeded").containsKeys("id", "createdAt");
        assertThat(event.get("data")).isInstanceOf(Map.class).asString().contains("amount=300", "reference=order-300");
        assertThatThrownBy(() -> db.tx(c -> {
            webhooks.enqueueAll(c, region, Webhooks.PAYMENT_SUCCEEDED,
                    List.of(new Webhooks.Notice(other.merchantId(), new Paid(UUID.randomUUID(), 1, "r"))));
            throw new IllegalStateException("rolled back");
        })).hasMessage("rolled back");
        assertThat(events(other)).isEqualTo(1);
    }

    @Test
    void enqueue_refusesUnknownTypesAndDataThatIsNotJson() {
        Shop shop = newShop(newRegion());
        subscribe(shop, receiver(200).url("/h"));

        assertThatThrownBy(() -> db.tx(c -> webhooks.enqueue(c, shop.regionId(), shop.merchantId(), "payment.failed",
                new Paid(UUID.randomUUID(), 1, "r")))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("type must be one of ").hasMessageEndingWith(": payment.failed");
        assertThatThrownBy(() -> db.tx(c -> webhooks.enqueue(c, shop.regionId(), shop.merchantId(),
                Webhooks.PAYOUT_PAID, new Object()))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the data of a payout.paid event cannot be serialised as JSON (is java.lang.Object @Serdeable?)");
        assertThat(events(shop)).isZero();
    }

    @Test
    void aFailingShopIsRetriedWithBackOffUntilItAnswers2xx() {
        Shop shop = newShop(newRegion());
        Receiver till = receiver(500, 500, 200);
        String secret = subscribe(shop, till.url("/hooks"));
        UUID eventId = paid(shop, 700);

        assertThat(dispatcher.deliverDue()).isEqualTo(1);
        Row first = row(shop, eventId);
        assertThat(first.status()).isEqualTo("PENDING");
        assertThat(first.attempts()).isEqualTo(1);
        assertThat(first.lastStatus()).isEqualTo(500);
        assertThat(first.lastError()).isEqualTo("the endpoint answered 500: boom at the till");
        assertThat(first.nextAttemptAt()).isBetween(CLOCK.instant().plusSeconds(10), CLOCK.instant().plusSeconds(11));

        CLOCK.set(first.nextAttemptAt().minusMillis(1));
        assertThat(dispatcher.deliverDue()).isZero();
        CLOCK.set(first.nextAttemptAt());
        assertThat(dispatcher.deliverDue()).isEqualTo(1);
        Row second = row(shop, eventId);
        assertThat(second.attempts()).isEqualTo(2);
        assertThat(second.nextAttemptAt()).isBetween(CLOCK.instant().plusSeconds(20), CLOCK.instant().plusSeconds(22));

        CLOCK.set(second.nextAttemptAt().minusMillis(1));
        assertThat(dispatcher.deliverDue()).isZero();
        CLOCK.set(second.nextAttemptAt());
        assertThat(dispatcher.deliverDue()).isEqualTo(1);

        Row done = row(shop, eventId);
        assertThat(done.status()).isEqualTo("DELIVERED");
        assertThat(done.attempts()).isEqualTo(3);
        assertThat(done.lastStatus()).isEqualTo(200);
        assertThat(done.lastError()).isNull();
        assertThat(done.nextAttemptAt()).isNull();
        assertThat(done.deliveredAt()).isEqualTo(CLOCK.instant());
        List<Receiver.Request> received = till.received();
        assertThat(received).hasSize(3);
        // The same event every time, so the shop can dedupe by id; each attempt signed at its own time.
        assertThat(received).extracting(Receiver.Request::body).containsOnly(received.get(0).body());
        assertThat(received).extracting(r -> r.header(WebhookDispatcher.EVENT_ID_HEADER)).containsOnly(eventId.toString());
        verifySignature(received.get(2), secret);
    }

    @Test
    void aShopThatNeverAnswers2xxIsGivenUpAfterThreeDays() {
        Shop shop = newShop(newRegion());
        Receiver till = receiver(503);
        subscribe(shop, till.url("/hooks"));
        UUID eventId = paid(shop, 900);
        Instant recorded = CLOCK.instant();
        Instant giveUp = recorded.plus(Duration.ofDays(3));

        Row row = null;
        for (int attempt = 1; attempt <= 200; attempt++) {
            assertThat(dispatcher.deliverDue()).isEqualTo(1);
            row = row(shop, eventId);
            assertThat(row.attempts()).isEqualTo(attempt);
            if (!row.status().equals("PENDING")) {
                break;
            }
            assertThat(CLOCK.instant()).isBefore(giveUp);
            // 10 s doubling, capped at an hour, with at most 10% jitter on top.
            Duration base = Duration.ofSeconds(Math.min(10L << Math.min(attempt - 1, 20), 3600));
            assertThat(Duration.between(CLOCK.instant(), row.nextAttemptAt()))
                    .isBetween(base, base.plus(base.dividedBy(10)));
            CLOCK.set(row.nextAttemptAt());
        }

        assertThat(row.status()).isEqualTo("FAILED");
        assertThat(row.lastAttemptAt()).isAfterOrEqualTo(giveUp).isBefore(giveUp.plus(Duration.ofMinutes(67)));
        assertThat(row.lastStatus()).isEqualTo(503);
        assertThat(row.nextAttemptAt()).isNull();
        assertThat(till.received()).hasSize(row.attempts());
        CLOCK.advance(Duration.ofDays(1));
        assertThat(dispatcher.deliverDue()).isZero();
        assertThat(till.received()).hasSize(row.attempts());
    }

    @Test
    void twoDispatchersSendEachEventOncePerAttempt() throws Exception {
        Shop shop = newShop(newRegion());
        Receiver till = receiver(200);
        subscribe(shop, till.url("/hooks"));
        List<UUID> ids = db.tx(c -> {
            List<UUID> out = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                out.add(webhooks.enqueue(c, shop.regionId(), shop.merchantId(), Webhooks.PAYMENT_SUCCEEDED,
                        new Paid(UUID.randomUUID(), i + 1, "order-" + i)));
            }
            return out;
        });

        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> runs = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                runs.add(pool.submit(() -> {
                    start.await();
                    int sent = 0;
                    for (int n = dispatcher.deliverDue(); n > 0; n = dispatcher.deliverDue()) {
                        sent += n;
                    }
                    return sent;
                }));
            }
            start.countDown();
            int attempted = 0;
            for (Future<Integer> run : runs) {
                attempted += run.get(60, TimeUnit.SECONDS);
            }
            assertThat(attempted).isEqualTo(40);
        } finally {
            pool.shutdownNow();
        }

        List<String> sentIds = till.received().stream().map(r -> r.header(WebhookDispatcher.EVENT_ID_HEADER)).toList();
        assertThat(sentIds).hasSize(40).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(ids.stream().map(UUID::toString).toList());
        Set<String> statuses = ids.stream().map(id -> row(shop, id)).map(r -> r.status() + "/" + r.attempts())
                .collect(Collectors.toSet());
        assertThat(statuses).containsExactly("DELIVERED/1");
    }

    @Test
    void aDispatcherSkipsEventsAnotherIsClaimingInsteadOfWaitingOrSendingThemTwice() throws Exception {
        Shop shop = newShop(newRegion());
        Receiver till = receiver(200);
        subscribe(shop, till.url("/hooks"));
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ids.add(paid(shop, i + 1));
        }

        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Connection other = dataSource().getConnection()) {
            // Another dispatcher in the middle of its claim: four events locked by its open transaction.
            other.setAutoCommit(false);
            List<UUID> held = Db.list(other, "select event_id from webhook_event where region_id = ? "
                    + "order by event_id limit 4 for update", rs -> rs.getObject(1, UUID.class), shop.regionId());
            try {
                Future<Integer> run = pool.submit(() -> {
                    int sent = 0;
                    for (int n = dispatcher.deliverDue(); n > 0; n = dispatcher.deliverDue()) {
                        sent += n;
                    }
                    return sent;
                });
                // Waiting on the held rows would time out here; sending them would show in the receiver.
                assertThat(run.get(20, TimeUnit.SECONDS)).isEqualTo(6);
                assertThat(till.received()).extracting(r -> UUID.fromString(r.header(WebhookDispatcher.EVENT_ID_HEADER)))
                        .hasSize(6).doesNotContainAnyElementsOf(held);
            } finally {
                other.rollback();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(dispatcher.deliverDue()).isEqualTo(4);
        assertThat(till.received()).extracting(r -> UUID.fromString(r.header(WebhookDispatcher.EVENT_ID_HEADER)))
                .containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void anEventWhoseDispatcherDiedIsSentAgainWhenItsLeaseRunsOut() {
        Shop shop = newShop(newRegion());
        Receiver till = receiver(200);
        subscribe(shop, till.url("/hooks"));
        UUID eventId = paid(shop, 100);
        // What a claim leaves behind when its process dies before sending: one attempt counted, hidden for the lease.
        db.tx(c -> Db.update(c, "update webhook_event set attempts = 1, last_attempt_at = ?, next_attempt_at = ? "
                + "where region_id = ? and event_id = ?", CLOCK.instant(), CLOCK.instant().plusSeconds(60),
                shop.regionId(), eventId));

        CLOCK.advance(Duration.ofSeconds(59));
        assertThat(dispatcher.deliverDue()).isZero();
        CLOCK.advance(Duration.ofSeconds(1));
        assertThat(dispatcher.deliverDue()).isEqualTo(1);

        assertThat(till.received()).hasSize(1);
        assertThat(row(shop, eventId).status()).isEqualTo("DELIVERED");
        assertThat(row(shop, eventId).attempts()).isEqualTo(2);
    }

    @Test
    void redirectsAreNotFollowed() {
        Shop shop = newShop(newRegion());
        Receiver till = receiver(302);
        subscribe(shop, till.url("/hooks"));
        UUID eventId = paid(shop, 100);

        assertThat(dispatcher.deliverDue()).isEqualTo(1);

        assertThat(till.received()).extracting(Receiver.Request::path).containsExactly("/hooks");
        Row row = row(shop, eventId);
        assertThat(row.status()).isEqualTo("PENDING");
        assertThat(row.lastStatus()).isEqualTo(302);
        assertThat(row.lastError()).isEqualTo("redirects are not followed; the endpoint answered 302 to "
                + till.url("/elsewhere"));
    }

    @Test
    void anUnreachableShopIsRetriedWithTheReasonRecorded() {
        Shop shop = newShop(newRegion());
        Receiver gone = receiver(200);
        subscribe(shop, gone.url("/hooks"));
        gone.close();
        UUID eventId = paid(shop, 100);

        assertThat(dispatcher.deliverDue()).isEqualTo(1);

        Row row = row(shop, eventId);
        assertThat(row.status()).isEqualTo("PENDING");
        assertThat(row.lastStatus()).isNull();
        assertThat(row.lastError()).startsWith("could not connect to 127.0.0.1");
    }

    @Test
    void pendingEventsFollowANewEndpointAndItsNewSecret() {
        Shop shop = newShop(newRegion());
        Receiver old = receiver(500);
        subscribe(shop, old.url("/old"));
        UUID eventId = paid(shop, 100);
        assertThat(dispatcher.deliverDue()).isEqualTo(1);

        Receiver moved = receiver(204);
        String secret = subscribe(shop, moved.url("/new"));
        CLOCK.set(row(shop, eventId).nextAttemptAt());
        assertThat(dispatcher.deliverDue()).isEqualTo(1);

        assertThat(old.received()).hasSize(1);
        assertThat(moved.received()).hasSize(1);
        verifySignature(moved.received().get(0), secret);
        assertThat(row(shop, eventId).status()).isEqualTo("DELIVERED");
    }

    @Test
    void removingTheEndpointGivesUpPendingEventsAndRecordsNoMore() {
        Shop shop = newShop(newRegion());
        Receiver till = receiver(500);
        subscribe(shop, till.url("/hooks"));
        UUID eventId = paid(shop, 100);

        assertThat(http().exchange(withKey(HttpRequest.DELETE(shop.path("")), shop)).code()).isEqualTo(204);

        Row row = row(shop, eventId);
        assertThat(row.status()).isEqualTo("FAILED");
        assertThat(row.lastError()).isEqualTo("the shop removed its webhook endpoint");
        CLOCK.advance(Duration.ofMinutes(5));
        assertThat(dispatcher.deliverDue()).isZero();
        assertThat(till.received()).isEmpty();
        assertThat(paid(shop, 200)).isNull();
    }

    @Test
    @SuppressWarnings("unchecked")
    void theShopSeesItsRecentDeliveriesNewestFirst() {
        long region = newRegion();
        Shop shop = newShop(region);
        Shop neighbour = newShop(region);
        Receiver till = receiver(200, 500);
        subscribe(shop, till.url("/hooks"));
        subscribe(neighbour, receiver(200).url("/hooks"));
        UUID delivered = paid(shop, 100);
        assertThat(dispatcher.deliverDue()).isEqualTo(1);
        CLOCK.advance(Duration.ofSeconds(1));
        UUID failing = paid(shop, 200);
        assertThat(dispatcher.deliverDue()).isEqualTo(1);
        CLOCK.advance(Duration.ofSeconds(1));
        UUID refunded = db.tx(c -> webhooks.enqueue(c, region, shop.merchantId(), Webhooks.PAYMENT_REFUNDED,
                new Paid(UUID.randomUUID(), 50, "refund")));
        paid(neighbour, 300);

        Map<String, Object> page = http().retrieve(withKey(HttpRequest.GET(shop.path("/deliveries")), shop),
                Argument.mapOf(String.class, Object.class));

        List<Map<String, Object>> items = (List<Map<String, Object>>) page.get("items");
        assertThat(items).extracting(i -> i.get("id")).containsExactly(refunded.toString(), failing.toString(),
                delivered.toString());
        assertThat(items.get(0)).containsEntry("type", "payment.refunded").containsEntry("status", "PENDING")
                .containsEntry("attempts", 0).containsEntry("nextAttemptAt", CLOCK.instant().toString())
                .doesNotContainKeys("lastStatus", "lastError", "deliveredAt");
        assertThat(items.get(1)).containsEntry("status", "PENDING").containsEntry("attempts", 1)
                .containsEntry("lastStatus", 500).containsEntry("lastError", "the endpoint answered 500: boom at the till");
        assertThat(items.get(2)).containsEntry("type", "payment.succeeded").containsEntry("status", "DELIVERED")
                .containsEntry("lastStatus", 200).containsEntry("createdAt", row(shop, delivered).createdAt().toString())
                .containsEntry("deliveredAt", row(shop, delivered).deliveredAt().toString())
                .doesNotContainKey("nextAttemptAt");
        Map<String, Object> two = http().retrieve(HttpRequest.GET(shop.path("/deliveries?limit=2")).bearerAuth(shop.admin()),
                Argument.mapOf(String.class, Object.class));
        assertThat((List<Map<String, Object>>) two.get("items")).extracting(i -> i.get("id"))
                .containsExactly(refunded.toString(), failing.toString());
    }
}
