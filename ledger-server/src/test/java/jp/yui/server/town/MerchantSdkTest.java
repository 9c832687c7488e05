package jp.yui.server.town;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.micronaut.http.HttpRequest;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import jp.yui.ledger.Ledger;
import jp.yui.merchant.ChargeRequest;
import jp.yui.merchant.ConflictException;
import jp.yui.merchant.CustomerCodeException;
import jp.yui.merchant.DynamicPayment;
import jp.yui.merchant.MerchantClient;
import jp.yui.merchant.NotFoundException;
import jp.yui.merchant.Page;
import jp.yui.merchant.Payment;
import jp.yui.merchant.PaymentDeclinedException;
import jp.yui.merchant.PaymentQuery;
import jp.yui.merchant.Payout;
import jp.yui.merchant.Refund;
import jp.yui.merchant.WebhookEvent;
import jp.yui.merchant.WebhookSignature;
import jp.yui.server.webhook.WebhookDispatcher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * merchant-sdk's {@link MerchantClient} against the real server, started in-process on real PostgreSQL: what a
 * shop's till does all day, end to end, with no mock in between.
 */
class MerchantSdkTest extends TownTest {

    private final List<MerchantClient> clients = new ArrayList<>();
    private HttpServer receiver;
    private final List<String[]> received = new CopyOnWriteArrayList<>();

    @Override
    protected Map<String, String> properties() {
        Map<String, String> p = TownClock.with(super.properties());
        p.put("yui.webhooks.dispatch", "false");
        p.put("yui.webhooks.allow-insecure-loopback", "true");
        return p;
    }

    private MerchantClient client(Shop shop, Clock clock) {
        URI base = applicationContext.getBean(EmbeddedServer.class).getURI();
        MerchantClient client = MerchantClient.builder().baseUri(base).apiKey(shop.key()).clock(clock)
                .backoff(Duration.ofMillis(10), Duration.ofMillis(50)).build();
        clients.add(client);
        return client;
    }

    private MerchantClient client(Shop shop) {
        return client(shop, TownClock.CLOCK);
    }

    @AfterAll
    void closeClients() {
        clients.forEach(MerchantClient::close);
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    private String cpmToken(Town town, Person p) {
        return (String) ok(post(town.path("/residents/" + p.id() + "/cpm-tokens"), Map.of(), p.token())).get("token");
    }

    @Test
    void aTillSellsByDynamicCodeAndRefundsPart() {
        Town town = newTown();
        Shop shop = shop(town, "Miyaki Fresh");
        Person hana = funded(town, "花子", 5_000);
        MerchantClient till = client(shop);
        assertThat(till.regionId()).isEqualTo(town.id);

        DynamicPayment intent = till.createPayment(1_280, "order-42");
        assertThat(intent.status()).isEqualTo(DynamicPayment.Status.OPEN);
        assertThat(intent.amount()).isEqualTo(1_280);
        // The code the till shows is the one a phone reads back from the picture.
        assertThat(MerchantClient.decodeQr(intent.png(400))).contains(intent.payload());
        assertThat(intent.svg(400)).contains("<svg").contains("viewBox");

        pay(town, hana, intent.payload(), null);
        DynamicPayment paid = till.getPaymentIntent(intent.intentId());
        assertThat(paid.status()).isEqualTo(DynamicPayment.Status.PAID);
        Payment payment = till.getPayment(paid.paymentId().orElseThrow());
        assertThat(payment.amount()).isEqualTo(1_280);
        assertThat(payment.method()).isEqualTo(Payment.Method.DYNAMIC_MPM);

        Refund refund = till.refund(payment.paymentId(), 280, "one item returned");
        assertThat(refund.amount()).isEqualTo(280);
        assertThat(refund.payment().refundedAmount()).isEqualTo(280);
        assertThat(refund.payment().status()).isEqualTo(Payment.Status.PARTIALLY_REFUNDED);
        PaymentDeclinedException over = catchDeclined(() -> till.refund(payment.paymentId(), 1_001, "too much"));
        assertThat(over.status()).isEqualTo(422);
        assertThat(over.typeName()).isEqualTo("refund-exceeds-payment");
        assertThat(town.balance(hana, YEN)).isEqualTo(5_000 - 1_000);

        Page<Payment> page = till.listPayments(PaymentQuery.all());
        assertThat(page.items()).extracting(Payment::paymentId).containsExactly(payment.paymentId());
        assertThat(page.hasMore()).isFalse();
    }

    @Test
    void aTillChargesACustomerCodeOnceAndChecksItOfflineFirst() {
        Town town = newTown();
        Shop shop = shop(town, "Miyaki Fresh");
        Person hana = funded(town, "花子", 5_000);
        MerchantClient till = client(shop);

        String token = cpmToken(town, hana);
        Payment payment = till.charge(token, 500, "r-1");
        assertThat(payment.method()).isEqualTo(Payment.Method.CPM);
        assertThatThrownBy(() -> till.charge(token, 500, "r-2")).isInstanceOfSatisfying(ConflictException.class,
                e -> assertThat(e.typeName()).isEqualTo("customer-code-used"));

        // Tampered, or expired by the till's own clock: refused before anything is sent.
        String fresh = cpmToken(town, hana);
        String tampered = fresh.substring(0, 30) + (fresh.charAt(30) == 'A' ? 'B' : 'A') + fresh.substring(31);
        assertThatThrownBy(() -> till.charge(tampered, 500, null)).isInstanceOfSatisfying(CustomerCodeException.class,
                e -> assertThat(e.reason()).isIn(CustomerCodeException.Reason.BAD_SIGNATURE,
                        CustomerCodeException.Reason.MALFORMED));
        MerchantClient lateTill = client(shop, Clock.offset(TownClock.CLOCK, Duration.ofMinutes(5)));
        assertThatThrownBy(() -> lateTill.charge(fresh, 500, null)).isInstanceOfSatisfying(CustomerCodeException.class,
                e -> assertThat(e.reason()).isEqualTo(CustomerCodeException.Reason.EXPIRED));
        assertThat(town.balance(hana, YEN)).isEqualTo(4_500);

        // Another shop's till cannot read the payment.
        Shop other = shop(town, "Other");
        assertThatThrownBy(() -> client(other).getPayment(payment.paymentId())).isInstanceOf(NotFoundException.class);
    }

    @Test
    void aPrintedCardPaysWithItsPinThroughTheSdk() {
        Town town = newTown();
        Shop shop = shop(town, "Miyaki Fresh");
        Person hana = funded(town, "花子", 5_000);
        http().exchange(HttpRequest.PUT(town.path("/residents/" + hana.id() + "/card/pin"), Map.of("pin", "8642"))
                .bearerAuth(town.cashier));
        String card = "YUI-CARD:" + ok(get(town.path("/residents/" + hana.id() + "/card"), town.cashier)).get("cardCode");
        MerchantClient till = client(shop);
        assertThat(ChargeRequest.isCardCode(card)).isTrue();
        Payment paid = till.charge(ChargeRequest.of(card, 700).withPin("8642"));
        assertThat(paid.method()).isEqualTo(Payment.Method.CARD);
        PaymentDeclinedException wrong = catchDeclined(() -> till.charge(ChargeRequest.of(card, 700).withPin("0000")));
        assertThat(wrong.typeName()).isEqualTo("card-pin-wrong");
        assertThat(town.balance(hana, YEN)).isEqualTo(4_300);
    }

    @Test
    void aShopReceivesSignedWebhooksTheSdkVerifies() throws IOException {
        Town town = newTown();
        Shop shop = shop(town, "Miyaki Fresh");
        Person hana = funded(town, "花子", 5_000);
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hooks", exchange -> {
            received.add(new String[] {exchange.getRequestHeaders().getFirst(WebhookSignature.HEADER),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)});
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks";
        String secret = (String) ok(HttpRequest.PUT(town.path("/merchants/" + shop.id() + "/webhook"), Map.of("url", url))
                .header("X-Api-Key", shop.key())).get("secret");
        MerchantClient till = client(shop);

        Payment payment = till.charge(cpmToken(town, hana), 900, "r-9");
        till.refund(payment.paymentId(), 100, "bag");
        applicationContext.getBean(WebhookDispatcher.class).deliverDue();

        assertThat(received).hasSize(2);
        List<WebhookEvent> events = new ArrayList<>();
        for (String[] delivery : received) {
            events.add(till.verifyWebhook(delivery[0], delivery[1], secret));
        }
        assertThat(events).extracting(WebhookEvent::type).containsExactlyInAnyOrder("payment.succeeded", "payment.refunded");
        WebhookEvent succeeded = events.stream().filter(e -> e.type().equals("payment.succeeded")).findFirst().orElseThrow();
        assertThat(succeeded.payment().orElseThrow().amount()).isEqualTo(900);
        WebhookEvent refunded = events.stream().filter(e -> e.type().equals("payment.refunded")).findFirst().orElseThrow();
        assertThat(refunded.refund().orElseThrow().amount()).isEqualTo(100);
        // A body changed on the way is refused.
        String[] first = received.get(0);
        assertThatThrownBy(() -> till.verifyWebhook(first[0], first[1].replace("900", "9000"), secret))
                .isInstanceOf(jp.yui.merchant.WebhookSignatureException.class);
    }

    @Test
    void manyTillsChargeAtOnceThroughAsyncCallsAndTheLedgerStillVerifies() {
        Town town = newTown();
        Shop shop = shop(town, "Miyaki Super");
        List<MerchantClient> tills = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            tills.add(client(new Shop(shop.id(), tillKey(town, shop), shop.staticPayload())));
        }
        List<Person> people = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            people.add(funded(town, "住民" + i, 1_000));
        }
        List<CompletableFuture<Payment>> charges = new ArrayList<>();
        for (int i = 0; i < people.size(); i++) {
            charges.add(tills.get(i % tills.size()).chargeAsync(cpmToken(town, people.get(i)), 250, "r-" + i));
        }
        List<CompletableFuture<Refund>> refunds = new ArrayList<>();
        for (int i = 0; i < charges.size(); i += 2) {
            Payment p = charges.get(i).join();
            refunds.add(tills.get((i + 1) % tills.size()).refundAsync(p.paymentId(), 50, "change"));
        }
        refunds.forEach(CompletableFuture::join);
        assertThat(shopBalance(town, shop, YEN)).isEqualTo(16 * 250 - 8 * 50);
        assertThat(applicationContext.getBean(Ledger.class).verify(town.id).problems()).isEmpty();
    }

    @Test
    void aShopListsItsPayoutsAfterSettlement() {
        Town town = newTown();
        Shop shop = shop(town, "Miyaki Fresh");
        ok(HttpRequest.PUT(town.path("/settlement-settings"), Map.of("cycle", "ON_DEMAND", "feeRateBasisPoints", 100,
                "minimumPayout", 1, "requesterCode", "0000012345", "requesterName", "ミヤキチョウ",
                "account", Map.of("bankCode", "0182", "branchCode", "123", "accountType", "ORDINARY",
                        "accountNumber", "1234567"))).bearerAuth(town.finance));
        ok(HttpRequest.PUT(town.path("/merchants/" + shop.id() + "/bank-account"), Map.of("bankCode", "0182",
                "branchCode", "456", "accountType", "ORDINARY", "accountNumber", "7654321")).bearerAuth(town.finance));
        Person hana = funded(town, "花子", 5_000);
        MerchantClient till = client(shop);
        till.charge(cpmToken(town, hana), 2_000, null);
        LocalDate day = today();
        TownClock.CLOCK.advance(Duration.ofDays(1));
        ok(post(town.path("/settlements"), Map.of("periodFrom", day.toString(), "periodTo", day.toString()), town.finance));

        Page<Payout> payouts = till.listPayouts(null, 10);
        assertThat(payouts.items()).singleElement().satisfies(p -> {
            assertThat(p.gross()).isEqualTo(2_000);
            assertThat(p.fee()).isEqualTo(20);
            assertThat(p.net()).isEqualTo(1_980);
            assertThat(p.status()).isEqualTo(Payout.Status.SCHEDULED);
        });
    }

    private static PaymentDeclinedException catchDeclined(Runnable call) {
        try {
            call.run();
        } catch (PaymentDeclinedException e) {
            return e;
        }
        throw new AssertionError("expected a PaymentDeclinedException");
    }
}
