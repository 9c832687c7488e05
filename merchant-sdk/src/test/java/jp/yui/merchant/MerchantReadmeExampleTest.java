package jp.yui.merchant;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jp.yui.merchant.ScriptedServer.Reply;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * merchant-sdk/README.md's till and webhook handler, line for line but for where the server, key and clock come from
 * (the tokens here expire in 2026), run against a scripted server: so that the example keeps compiling and doing
 * what it says.
 */
class MerchantReadmeExampleTest {

    private static final String CARD = "YUI-CARD:ABCD-EFGH-JKLM-NPQR";

    private ScriptedServer server;
    private final List<String> shown = new ArrayList<>();
    private final Display display = new Display();
    private String scannedCode;
    private final Scanner scanner = () -> scannedCode;
    private final Keypad keypad = () -> "4321";

    @BeforeEach
    void start() throws IOException {
        server = new ScriptedServer();
        server.on("POST", "/regions/7/payment-intents", Reply.json(201, Fixtures.intent("OPEN", null)));
        server.on("GET", "/regions/7/cpm-keys", Reply.json(200, Fixtures.cpmKeys(Fixtures.SEED)));
        server.on("POST", "/regions/7/payments/" + Fixtures.PAYMENT_ID + "/refunds",
                Reply.json(201, Fixtures.refund()));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void theTillTakesATokenAndRefundsPartOfIt() {
        server.on("POST", "/regions/7/payments", Reply.json(201, Fixtures.payment()));
        scannedCode = Fixtures.token(Fixtures.REGION, 1, Fixtures.SEED).encode();

        till(server.uri(), Fixtures.API_KEY);

        assertThat(shown).hasSize(2);
        assertThat(shown.get(0)).startsWith("svg:<?xml");
        assertThat(shown.get(1)).isEqualTo("Paid 500, refunded 200");
        assertThat(server.requests("POST", "/regions/7/payments").get(0).body).contains("\"reference\":\"order-1043\"");
    }

    @Test
    void aCardIsChargedWithThePinFromTheKeypadAndADeclineIsShown() {
        server.on("POST", "/regions/7/payments", Reply.problem(422, "card-pin-wrong", "Wrong PIN",
                "the PIN is wrong; 4 tries left", null));
        scannedCode = CARD;

        till(server.uri(), Fixtures.API_KEY);

        assertThat(shown.get(1)).isEqualTo("the PIN is wrong; 4 tries left");
        assertThat(server.requests("POST", "/regions/7/payments").get(0).body).contains("\"pin\":\"4321\"");
    }

    @Test
    void aForgedTokenIsRefusedAtTheTill() {
        scannedCode = Fixtures.token(Fixtures.REGION, 1, Fixtures.SEED_2).encode();

        till(server.uri(), Fixtures.API_KEY);

        assertThat(shown.get(1)).isEqualTo("Please show a fresh code (BAD_SIGNATURE)");
        assertThat(server.requests("POST", "/regions/7/payments")).isEmpty();
    }

    @Test
    void theWebhookHandlerMarksTheOrderPaidOnce() {
        String body = "{\"id\":\"evt-1\",\"type\":\"payment.succeeded\",\"createdAt\":\"2026-11-22T01:02:00Z\","
                + "\"data\":" + Fixtures.payment() + "}";
        Request request = new Request(WebhookSignature.sign("whsec", Fixtures.NOW.getEpochSecond(), body), body);
        List<String> paid = new ArrayList<>();
        Set<String> seen = new HashSet<>();

        try (MerchantClient yui = Fixtures.client(server).build()) {
            for (int delivery = 0; delivery < 2; delivery++) {
                handle(yui, request, "whsec", seen, (reference, amount) -> paid.add(reference + " " + amount));
            }
        }

        assertThat(paid).containsExactly("order-123 500");
    }

    /** The README's till; the base URI and key are parameters here, and the clock is the fixtures'. */
    private void till(URI baseUri, String apiKey) {
        try (MerchantClient yui = MerchantClient.builder()
                .baseUri(baseUri)
                .apiKey(apiKey)                                              // yk7_…: the key names the region
                .clock(Fixtures.CLOCK)
                .build()) {
            DynamicPayment intent = yui.createPayment(1200, "order-1042");   // ¥1,200 as a QR code
            display.showSvg(intent.svg(320));                                // or intent.png(320)

            String scanned = scanner.read();                                 // the resident's app code or card
            ChargeRequest charge = ChargeRequest.of(scanned, 500).withReference("order-1043");
            if (ChargeRequest.isCardCode(scanned)) {                         // a card pays only with its PIN
                charge = charge.withPin(keypad.readPin());
            }
            try {
                Payment paid = yui.charge(charge);                           // checked offline first
                Refund refund = yui.refund(paid.paymentId(), 200, "returned item");
                display.show("Paid " + paid.amount() + ", refunded " + refund.amount());
            } catch (CustomerCodeException e) {                              // forged, expired, another town's
                display.show("Please show a fresh code (" + e.reason() + ")");
            } catch (PaymentDeclinedException e) {                           // insufficient-funds, card-pin-wrong, …
                display.show(e.detail().orElse(e.title()));
            }
        }
    }

    /** The README's webhook handler. */
    private static void handle(MerchantClient yui, Request request, String webhookSecret, Set<String> seen,
                               Orders orders) {
        WebhookEvent event = yui.verifyWebhook(request.header("Yui-Signature"), request.body(), webhookSecret);
        if (seen.contains(event.id())) return;                  // delivery is at least once
        event.payment().ifPresent(payment -> orders.markPaid(payment.reference().orElse(null), payment.amount()));
        seen.add(event.id());                                   // only once handled: a failure is delivered again
    }

    private final class Display {
        void showSvg(String svg) {
            shown.add("svg:" + svg);
        }

        void show(String text) {
            shown.add(text);
        }
    }

    private interface Scanner {
        String read();
    }

    private interface Keypad {
        String readPin();
    }

    private interface Orders {
        void markPaid(String reference, long amount);
    }

    private static final class Request {
        private final String signature;
        private final String body;

        Request(String signature, String body) {
            this.signature = signature;
            this.body = body;
        }

        String header(String name) {
            return name.equals(WebhookSignature.HEADER) ? signature : null;
        }

        String body() {
            return body;
        }
    }
}
