package jp.yui.merchant;

import static jp.yui.merchant.Fixtures.INTENT_ID;
import static jp.yui.merchant.Fixtures.MERCHANT_ID;
import static jp.yui.merchant.Fixtures.NOW;
import static jp.yui.merchant.Fixtures.PAYMENT_ID;
import static jp.yui.merchant.Fixtures.PAYOUT_ID;
import static jp.yui.merchant.Fixtures.REFUND_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import jp.yui.merchant.ScriptedServer.Reply;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Dynamic payments, payments, refunds, pages, payouts and webhooks: what is sent, and how answers are read. */
class MerchantClientPaymentsTest {

    private static final String INTENTS = "/regions/7/payment-intents";
    private static final String PAYMENTS = "/regions/7/payments";

    private ScriptedServer server;
    private MerchantClient client;

    @BeforeEach
    void start() throws IOException {
        server = new ScriptedServer();
        client = Fixtures.client(server).build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void createPaymentSendsAmountReferenceAndExpiryAndReadsTheIntent() {
        server.on("POST", INTENTS, Reply.json(201, Fixtures.intent("OPEN", null)));

        DynamicPayment intent = client.createPayment(500, "order-123", Duration.ofMinutes(2));

        assertThat(server.requests("POST", INTENTS).get(0).body)
                .isEqualTo("{\"amount\":500,\"reference\":\"order-123\",\"expiresInSeconds\":120}");
        assertThat(intent.intentId()).isEqualTo(INTENT_ID);
        assertThat(intent.merchantId()).isEqualTo(MERCHANT_ID);
        assertThat(intent.amount()).isEqualTo(500);
        assertThat(intent.reference()).contains("order-123");
        assertThat(intent.status()).isEqualTo(DynamicPayment.Status.OPEN);
        assertThat(intent.payload()).isEqualTo(Fixtures.PAYLOAD);
        assertThat(intent.expiresAt()).isEqualTo(Instant.parse("2026-11-22T01:07:03Z"));
        assertThat(intent.paymentId()).isEmpty();
    }

    @Test
    void aDynamicPaymentDrawsItsPayloadAsPngAndSvg() {
        server.on("POST", INTENTS, Reply.json(201, Fixtures.intent("OPEN", null)));

        DynamicPayment intent = client.createPayment(500, "order-123");

        assertThat(MerchantClient.decodeQr(intent.png(300))).contains(Fixtures.PAYLOAD);
        assertThat(intent.svg(300)).startsWith("<?xml").contains("<svg").contains("width=\"300\"");
    }

    @Test
    void anIntentIsReadAndCancelledByItsId() {
        server.on("GET", INTENTS + "/" + INTENT_ID, Reply.json(200, Fixtures.intent("PAID", PAYMENT_ID.toString())));
        server.on("POST", INTENTS + "/" + INTENT_ID + "/cancel", Reply.json(200, Fixtures.intent("CANCELLED", null)));

        DynamicPayment paid = client.getPaymentIntent(INTENT_ID);
        DynamicPayment cancelled = client.cancelPaymentIntent(INTENT_ID);

        assertThat(paid.status()).isEqualTo(DynamicPayment.Status.PAID);
        assertThat(paid.paymentId()).contains(PAYMENT_ID);
        assertThat(cancelled.status()).isEqualTo(DynamicPayment.Status.CANCELLED);
        ScriptedServer.Recorded cancel = server.requests("POST", INTENTS + "/" + INTENT_ID + "/cancel").get(0);
        assertThat(cancel.body).isEmpty();
        assertThat(cancel.header("Idempotency-Key")).isNotBlank();
    }

    @Test
    void aPaymentIsReadWithItsLegs() {
        server.on("GET", PAYMENTS + "/" + PAYMENT_ID, Reply.json(200, Fixtures.payment()));

        Payment payment = client.getPayment(PAYMENT_ID);

        assertThat(payment.paymentId()).isEqualTo(PAYMENT_ID);
        assertThat(payment.merchantId()).isEqualTo(MERCHANT_ID);
        assertThat(payment.method()).isEqualTo(Payment.Method.CPM);
        assertThat(payment.amount()).isEqualTo(500);
        assertThat(payment.refundedAmount()).isZero();
        assertThat(payment.status()).isEqualTo(Payment.Status.SUCCEEDED);
        assertThat(payment.reference()).contains("order-123");
        assertThat(payment.intentId()).isEmpty();
        assertThat(payment.legs()).extracting(PaymentLeg::asset, PaymentLeg::amount)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("MIYAKI_PT", 200L),
                        org.assertj.core.groups.Tuple.tuple("MIYAKI", 300L));
        assertThat(payment.createdAt()).isEqualTo(NOW);
        assertThat(payment.toString()).contains(PAYMENT_ID.toString(), "CPM", "500 yen", "[200 MIYAKI_PT, 300 MIYAKI]");
    }

    @Test
    void twoReadsOfTheSamePaymentAreEqualAndADifferentOneIsNot() {
        server.on("GET", PAYMENTS + "/" + PAYMENT_ID, Reply.json(200, Fixtures.payment()),
                Reply.json(200, Fixtures.payment()), Reply.json(200, Fixtures.payment(500, 200, "PARTIALLY_REFUNDED")));

        Payment first = client.getPayment(PAYMENT_ID);
        Payment second = client.getPayment(PAYMENT_ID);
        Payment refunded = client.getPayment(PAYMENT_ID);

        assertThat(first).isEqualTo(second).hasSameHashCodeAs(second).isNotEqualTo(refunded);
        assertThat(refunded.status()).isEqualTo(Payment.Status.PARTIALLY_REFUNDED);
    }

    @Test
    void aNewerServersUnknownFieldsAndEnumNamesDoNotBreakAnOlderSdk() {
        String newer = Fixtures.payment().replace("\"method\":\"CPM\"", "\"method\":\"NFC\"")
                .replace("\"status\":\"SUCCEEDED\"", "\"status\":\"DISPUTED\"")
                .replace("{\"paymentId\"", "{\"riskScore\":0.2,\"extra\":{\"a\":[1]},\"paymentId\"");
        server.on("GET", PAYMENTS + "/" + PAYMENT_ID, Reply.json(200, newer));
        server.on("GET", INTENTS + "/" + INTENT_ID, Reply.json(200, Fixtures.intent("ON_HOLD", null)));

        Payment payment = client.getPayment(PAYMENT_ID);

        assertThat(payment.method()).isEqualTo(Payment.Method.UNKNOWN);
        assertThat(payment.status()).isEqualTo(Payment.Status.UNKNOWN);
        assertThat(payment.amount()).isEqualTo(500);
        assertThat(client.getPaymentIntent(INTENT_ID).status()).isEqualTo(DynamicPayment.Status.UNKNOWN);
    }

    @Test
    void anAmountThatIsNotAWholeNumberIsRefusedNotRounded() {
        server.on("GET", PAYMENTS + "/" + PAYMENT_ID,
                Reply.json(200, Fixtures.payment().replace("\"amount\":500", "\"amount\":500.5")));

        assertThatThrownBy(() -> client.getPayment(PAYMENT_ID)).isExactlyInstanceOf(MerchantException.class)
                .hasMessage("cannot read Payment.amount: not a whole number: 500.5");
    }

    @Test
    void aRefundSendsAmountAndReasonAndReadsThePaymentAfterIt() {
        String path = PAYMENTS + "/" + PAYMENT_ID + "/refunds";
        server.on("POST", path, Reply.json(201, Fixtures.refund()));

        Refund refund = client.refund(PAYMENT_ID, 200, "returned", RequestOptions.withIdempotencyKey("slip-77"));

        ScriptedServer.Recorded post = server.requests("POST", path).get(0);
        assertThat(post.body).isEqualTo("{\"amount\":200,\"reason\":\"returned\"}");
        assertThat(post.header("Idempotency-Key")).isEqualTo("slip-77");
        assertThat(refund.refundId()).isEqualTo(REFUND_ID);
        assertThat(refund.paymentId()).isEqualTo(PAYMENT_ID);
        assertThat(refund.amount()).isEqualTo(200);
        assertThat(refund.reason()).contains("returned");
        assertThat(refund.legs()).extracting(PaymentLeg::asset).containsExactly("MIYAKI");
        assertThat(refund.createdAt()).isEqualTo(Instant.parse("2026-11-22T02:00:00Z"));
        assertThat(refund.payment().refundedAmount()).isEqualTo(200);
        assertThat(refund.payment().status()).isEqualTo(Payment.Status.PARTIALLY_REFUNDED);
    }

    @Test
    void aRefundBeyondThePaymentIsDeclined() {
        server.on("POST", PAYMENTS + "/" + PAYMENT_ID + "/refunds", Reply.problem(422, "refund-exceeds-payment",
                "Refund exceeds payment", "refunds would total 700 yen of a 500 yen payment", null));

        assertThatThrownBy(() -> client.refund(PAYMENT_ID, 700, null))
                .isInstanceOfSatisfying(PaymentDeclinedException.class,
                        e -> assertThat(e.typeName()).isEqualTo("refund-exceeds-payment"))
                .hasMessageEndingWith("refunds would total 700 yen of a 500 yen payment");
        assertThat(server.requests().get(0).body).isEqualTo("{\"amount\":700}");
    }

    @Test
    void listPaymentsFollowsTheCursorFromPageToPage() {
        String first = PAYMENTS + "?from=2026-11-01T00%3A00%3A00Z&to=2026-11-23T00%3A00%3A00Z&limit=2";
        String second = PAYMENTS + "?from=2026-11-01T00%3A00%3A00Z&to=2026-11-23T00%3A00%3A00Z&cursor=c%2F2%3D&limit=2";
        server.on("GET", first, Reply.json(200,
                "{\"items\":[" + Fixtures.payment() + "," + Fixtures.payment(300, 0, "SUCCEEDED") + "],"
                        + "\"nextCursor\":\"c/2=\"}"));
        server.on("GET", second, Reply.json(200, "{\"items\":[" + Fixtures.payment(800, 800, "REFUNDED") + "],"
                + "\"nextCursor\":null}"));
        PaymentQuery query = PaymentQuery.all().withFrom(Instant.parse("2026-11-01T00:00:00Z"))
                .withTo(Instant.parse("2026-11-23T00:00:00Z")).withLimit(2);

        Page<Payment> page1 = client.listPayments(query);
        Page<Payment> page2 = client.listPayments(query.withCursor(page1.nextCursor().orElseThrow()));

        assertThat(page1.items()).extracting(Payment::amount).containsExactly(500L, 300L);
        assertThat(page1.hasMore()).isTrue();
        assertThat(page1.nextCursor()).contains("c/2=");
        assertThat(page2.items()).extracting(Payment::amount).containsExactly(800L);
        assertThat(page2.hasMore()).isFalse();
        assertThat(page2.nextCursor()).isEmpty();
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void listPaymentsWithoutBoundsAsksForTheDefaultPage() {
        server.on("GET", PAYMENTS + "?limit=50", Reply.json(200, "{\"items\":[]}"));

        Page<Payment> page = client.listPayments(null, null, null, 50);

        assertThat(page.items()).isEmpty();
        assertThat(page.hasMore()).isFalse();
    }

    @Test
    void listPayoutsReadsTheShopsPayouts() {
        String path = "/regions/7/payouts?cursor=p2&limit=10";
        server.on("GET", path, Reply.json(200, "{\"items\":[" + Fixtures.payout("PAID", "2026-11-30T03:00:00Z") + ","
                + Fixtures.payout("REVERSED", null) + "],\"nextCursor\":null}"));

        Page<Payout> page = client.listPayouts("p2", 10);

        Payout paid = page.items().get(0);
        assertThat(paid.payoutId()).isEqualTo(PAYOUT_ID);
        assertThat(paid.periodFrom()).isEqualTo(LocalDate.of(2026, 11, 1));
        assertThat(paid.periodTo()).isEqualTo(LocalDate.of(2026, 11, 15));
        assertThat(List.of(paid.gross(), paid.fee(), paid.net())).containsExactly(100_000L, 1_500L, 98_500L);
        assertThat(paid.status()).isEqualTo(Payout.Status.PAID);
        assertThat(paid.scheduledFor()).isEqualTo(LocalDate.of(2026, 11, 30));
        assertThat(paid.paidAt()).contains(Instant.parse("2026-11-30T03:00:00Z"));
        assertThat(page.items().get(1).status()).isEqualTo(Payout.Status.UNKNOWN);
        assertThat(page.items().get(1).paidAt()).isEmpty();
    }

    @Test
    void argumentsAreCheckedBeforeAnythingIsSent() {
        assertThatThrownBy(() -> client.createPayment(0, "order-1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("amount must be > 0: 0");
        assertThatThrownBy(() -> client.createPayment(-5, null)).hasMessage("amount must be > 0: -5");
        assertThatThrownBy(() -> client.createPayment(500, "order-123-which-is-far-too-long"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("reference must be 1 to 25 characters of A-Z a-z 0-9 . _ -:"
                        + " 'order-123-which-is-far-too-long'");
        assertThatThrownBy(() -> client.createPayment(500, null, Duration.ofSeconds(29)))
                .hasMessage("expiresIn must be 30 to 900 whole seconds: PT29S");
        assertThatThrownBy(() -> client.createPayment(500, null, Duration.ofMillis(60_500)))
                .hasMessage("expiresIn must be 30 to 900 whole seconds: PT1M0.5S");
        assertThatThrownBy(() -> client.refund(PAYMENT_ID, 0, "x")).hasMessage("amount must be > 0: 0");
        assertThatThrownBy(() -> client.refund(PAYMENT_ID, 100, " "))
                .hasMessage("reason must not be blank: pass null for none");
        assertThatThrownBy(() -> client.getPayment(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("paymentId");
        assertThatThrownBy(() -> client.listPayments(null, null, null, 0)).hasMessage("limit must be > 0: 0");
        assertThatThrownBy(() -> client.listPayments(NOW, NOW, null, 10))
                .hasMessage("from must be before to: from 2026-11-22T01:02:03Z, to 2026-11-22T01:02:03Z");
        assertThatThrownBy(() -> client.listPayouts("", 10))
                .hasMessage("cursor must not be empty: pass null for the first page");
        assertThatThrownBy(() -> RequestOptions.withIdempotencyKey("two words"))
                .hasMessage("idempotencyKey must be visible ASCII, found U+0020 at index 3: 'two words'");
        assertThatThrownBy(() -> RequestOptions.withIdempotencyKey("k".repeat(129)))
                .hasMessage("idempotencyKey must have 1 to 128 characters, has 129");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void aVerifiedWebhookIsReadIntoItsEvent() {
        String body = "{\"id\":\"evt-1\",\"type\":\"payment.succeeded\",\"createdAt\":\"2026-11-22T01:02:00Z\","
                + "\"data\":" + Fixtures.payment() + "}";
        String header = WebhookSignature.sign("whsec", NOW.getEpochSecond() - 3, body);

        WebhookEvent event = client.verifyWebhook(header, body, "whsec");

        assertThat(event.id()).isEqualTo("evt-1");
        assertThat(event.type()).isEqualTo(WebhookEvent.PAYMENT_SUCCEEDED);
        assertThat(event.createdAt()).isEqualTo(Instant.parse("2026-11-22T01:02:00Z"));
        assertThat(event.payment().map(Payment::paymentId)).contains(PAYMENT_ID);
        assertThat(event.refund()).isEmpty();
        assertThat(event.payout()).isEmpty();
        assertThat(event.data()).isEqualTo(Fixtures.payment());
    }

    @Test
    void aRefundAndAPayoutEventCarryTheirObjects() {
        String refunded = "{\"id\":\"evt-2\",\"type\":\"payment.refunded\",\"createdAt\":\"2026-11-22T01:02:00Z\","
                + "\"data\":" + Fixtures.refund() + "}";
        String paid = "{\"id\":\"evt-3\",\"type\":\"payout.paid\",\"createdAt\":\"2026-11-22T01:02:00Z\","
                + "\"data\":" + Fixtures.payout("PAID", "2026-11-30T03:00:00Z") + "}";

        WebhookEvent refund = client.verifyWebhook(sign(refunded), refunded, "whsec");
        WebhookEvent payout = client.verifyWebhook(sign(paid), paid, "whsec");

        assertThat(refund.refund().map(Refund::refundId)).contains(REFUND_ID);
        assertThat(refund.payment().map(Payment::refundedAmount)).contains(200L);
        assertThat(payout.payout().map(Payout::payoutId)).contains(PAYOUT_ID);
        assertThat(payout.payment()).isEmpty();
    }

    @Test
    void anEventOfATypeNewerThanTheSdkKeepsItsDataAsJson() {
        String body = "{\"id\":\"evt-4\",\"type\":\"merchant.updated\",\"createdAt\":\"2026-11-22T01:02:00Z\","
                + "\"data\": {\"name\" : \"Miyaki Fresh\"}}";

        WebhookEvent event = client.verifyWebhook(sign(body), body, "whsec");

        assertThat(event.type()).isEqualTo("merchant.updated");
        assertThat(event.data()).isEqualTo("{\"name\":\"Miyaki Fresh\"}");
        assertThat(event.payment()).isEmpty();
        assertThat(event.refund()).isEmpty();
        assertThat(event.payout()).isEmpty();
    }

    @Test
    void aWebhookIsCheckedAgainstTheClientsClockAndItsSecret() {
        String body = "{\"id\":\"evt-1\",\"type\":\"payment.succeeded\",\"createdAt\":\"2026-11-22T01:02:00Z\","
                + "\"data\":" + Fixtures.payment() + "}";
        String stale = WebhookSignature.sign("whsec", NOW.getEpochSecond() - 301, body);

        assertThatThrownBy(() -> client.verifyWebhook(stale, body, "whsec"))
                .isInstanceOf(WebhookSignatureException.class)
                .hasMessage("the webhook was signed 301 s away from this clock, more than the 300 s tolerance");
        assertThatThrownBy(() -> client.verifyWebhook(sign(body), body, "another-secret"))
                .isInstanceOf(WebhookSignatureException.class)
                .hasMessage("no Yui-Signature signature matches the body and secret");
        assertThatThrownBy(() -> client.verifyWebhook(null, body, "whsec"))
                .hasMessage("the Yui-Signature header is missing");
    }

    @Test
    void aSignedBodyThatIsNotAnEventIsAMerchantException() {
        String body = "{\"id\":\"evt-1\",\"type\":\"payment.succeeded\",\"createdAt\":\"2026-11-22T01:02:00Z\"}";

        assertThatThrownBy(() -> client.verifyWebhook(sign(body), body, "whsec"))
                .isExactlyInstanceOf(MerchantException.class)
                .hasMessage("cannot read WebhookEvent.data: missing");
    }

    @Test
    void theClientNamesItsServerRegionAndKeyButNotTheSecret() {
        assertThat(client.regionId()).isEqualTo(7);
        assertThat(client.toString())
                .isEqualTo("MerchantClient[" + server.uri() + ", region 7, key yk7_0123456789abcdef0123]")
                .doesNotContain(Fixtures.API_KEY.substring(Fixtures.API_KEY.indexOf('.')));
    }

    private static String sign(String body) {
        return WebhookSignature.sign("whsec", NOW.getEpochSecond(), body);
    }
}
