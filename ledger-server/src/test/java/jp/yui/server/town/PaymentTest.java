package jp.yui.server.town;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import jp.yui.ledger.Ledger;
import jp.yui.merchant.QrField;
import jp.yui.merchant.QrPayload;
import jp.yui.server.infra.Problem;
import org.junit.jupiter.api.Test;

/**
 * QR payments end to end over HTTP: the three ways to pay, refunds, and the attacks a payment system must refuse.
 */
class PaymentTest extends TownTest {

    static final jp.yui.testsupport.MutableClock CLOCK = TownClock.CLOCK;

    @Override
    protected Map<String, String> properties() {
        return TownClock.with(super.properties());
    }

    String cpmToken(Town town, Person p) {
        return (String) ok(post(town.path("/residents/" + p.id() + "/cpm-tokens"), Map.of(), p.token())).get("token");
    }

    Map<String, Object> intent(Town town, Shop shop, long amount) {
        return ok(shopPost(town.path("/payment-intents"), Map.of("amount", amount, "reference", "order-1"), shop.key()));
    }

    /** A payload with one top-level field replaced and a correct CRC: what a forger would print. */
    static String withField(String payload, String id, String value) {
        List<QrField> fields = QrPayload.parse(payload).fields().stream().filter(f -> !f.id().equals("63"))
                .map(f -> f.id().equals(id) ? QrField.of(id, value) : f).collect(Collectors.toList());
        return QrPayload.of(fields).encode();
    }

    // --- static MPM ---

    @Test
    void staticCodePaysTheTypedAmountAndTheShopLearnsNothingAboutThePayer() {
        Town town = newTown();
        Shop shop = shop(town, "Miyaki Fresh");
        Person hana = funded(town, "花子", 5_000);
        assertThat(shop.staticPayload()).startsWith("000201010211").contains("0006jp.yui").doesNotContain("5403");

        Map<String, Object> resolved = ok(post(town.path("/qr/resolve"), Map.of("payload", shop.staticPayload()),
                hana.token()));
        assertThat(resolved).containsEntry("kind", "STATIC").containsEntry("merchantName", "Miyaki Fresh")
                .containsEntry("merchantNameJa", "みやき商店").doesNotContainKey("amount");

        Map<String, Object> paid = pay(town, hana, shop.staticPayload(), 1_200L);
        assertThat(paid).containsEntry("method", "STATIC_MPM").containsEntry("amount", 1200)
                .containsEntry("status", "SUCCEEDED").containsEntry("residentId", hana.id().toString())
                .containsEntry("merchantName", "Miyaki Fresh");
        assertThat(paid.get("legs")).isEqualTo(List.of(Map.of("asset", YEN, "amount", 1200)));
        assertThat(town.balance(hana, YEN)).isEqualTo(3_800);
        assertThat(shopBalance(town, shop, YEN)).isEqualTo(1_200);

        Map<String, Object> seenByShop = ok(shopGet(town.path("/payments/" + paid.get("paymentId")), shop.key()));
        assertThat(seenByShop).containsEntry("amount", 1200).doesNotContainKeys("residentId", "merchantName");
    }

    @Test
    void staticCodeWithoutAnAmountIsRefusedAndChangesNothing() {
        Town town = newTown();
        Shop shop = shop(town, "Miyaki Fresh");
        Person hana = funded(town, "花子", 5_000);
        Problem p = refused(keyed(post(town.path("/residents/" + hana.id() + "/payments"),
                Map.of("payload", shop.staticPayload()), hana.token())));
        assertThat(p.type()).endsWith("/validation");
        assertThat(p.detail()).isEqualTo("amount is required to pay a shop's printed code");
        assertThat(town.balance(hana, YEN)).isEqualTo(5_000);
    }

    // --- dynamic MPM ---

    @Test
    void dynamicCodeCarriesTheAmountAndPaysOnce() {
        Town town = newTown();
        Shop shop = shop(town, "Miyaki Fresh");
        Person hana = funded(town, "花子", 5_000);
        Person taro = funded(town, "太郎", 5_000);
        Map<String, Object> intent = intent(town, shop, 800);
        String payload = (String) intent.get("payload");
        QrPayload qr = QrPayload.parse(payload);
        assertThat(qr.isDynamic()).isTrue();
        assertThat(qr.amount()).hasValue(800);
        assertThat(qr.currencyCode()).isEqualTo("392");
        assertThat(qr.referenceLabel()).isPresent();
        assertThat(intent).containsEntry("status", "OPEN");

        Map<String, Object> resolved = ok(post(town.path("/qr/resolve"), Map.of("payload", payload), hana.token()));
        assertThat(resolved).containsEntry("kind", "DYNAMIC").containsEntry("amount", 800)
                .containsEntry("intentId", intent.get("intentId"));

        String key = UUID.randomUUID().toString();
        Map<String, Object> paid = ok(post(town.path("/residents/" + hana.id() + "/payments"), Map.of("payload", payload),
                hana.token()).header("Idempotency-Key", key));
        assertThat(paid).containsEntry("method", "DYNAMIC_MPM").containsEntry("amount", 800)
                .containsEntry("reference", "order-1").containsEntry("intentId", intent.get("intentId"));
        assertThat(ok(shopGet(town.path("/payment-intents/" + intent.get("intentId")), shop.key())))
                .containsEntry("status", "PAID").containsEntry("paymentId", paid.get("paymentId"));

        // The same request again (a lost response) answers the same payment and takes nothing more.
        HttpResponse<Map<String, Object>> again = exchange(post(town.path("/residents/" + hana.id() + "/payments"),
                Map.of("payload", payload), hana.token()).header("Idempotency-Key", key));
        assertThat(again.body()).containsEntry("paymentId", paid.get("paymentId"));
        // A replayed code is refused: another key of the same resident, or another resident.
        assertThat(refused(keyed(post(town.path("/residents/" + hana.id() + "/payments"), Map.of("payload", payload),
                hana.token()))).type()).endsWith("/intent-not-open");
        assertThat(refused(keyed(post(town.path("/residents/" + taro.id() + "/payments"), Map.of("payload", payload),
                taro.token()))).type()).endsWith("/intent-not-open");
        assertThat(town.balance(hana, YEN)).isEqualTo(4_200);
        assertThat(town.balance(taro, YEN)).isEqualTo(5_000);
        assertThat(shopBalance(town, shop, YEN)).isEqualTo(800);
    }

    @Test
    void aForgedDynamicCodeIsRefused() {
        Town town = newTown();
        Shop shop = shop(town, "Miyaki Fresh");
        Shop other = shop(town, "Other Shop");
        Person hana = funded(town, "花子", 5_000);
        String payload = (String) intent(town, shop, 800).get("payload");

        // A lower amount printed over the shop's code, with a CRC that checks.
        Problem cheaper = refused(keyed(post(town.path("/residents/" + hana.id() + "/payments"),
                Map.of("payload", withField(payload, "54", "8")), hana.token())));
        assertThat(cheaper.type()).endsWith("/amount-mismatch");
        assertThat(cheaper.detail()).isEqualTo("the amount ¥8 is not the ¥800 the shop asked for");
        // The intent's reference under another shop's account: the money would go to the forger.
        QrField otherAccount = QrPayload.parse(other.staticPayload()).field("26").orElseThrow();
        Problem payee = refused(keyed(post(town.path("/residents/" + hana.id() + "/payments"),
                Map.of("payload", withField(payload, "26", otherAccount.value())), hana.token())));
        assertThat(payee.type()).endsWith("/invalid-qr");
        assertThat(payee.detail()).isEqualTo("the code's shop is not the shop that asked for this payment");
        // The amount typed by the resident must match too.
        assertThat(refused(keyed(post(town.path("/residents/" + hana.id() + "/payments"),
                Map.of("payload", payload, "amount", 80), hana.token()))).type()).endsWith("/amount-mismatch");
        // A misread: a wrong CRC, a truncated code.
        String badCrc = payload.substring(0, payload.length() - 4) + ("0000".equals(payload.substring(payload.length() - 4))
                ? "0001" : "0000");
        Problem crc = refused(keyed(post(town.path("/residents/" + hana.id() + "/payments"), Map.of("payload", badCrc),
                hana.token())));
        assertThat(crc.type()).endsWith("/invalid-qr");
        assertThat(crc.detail()).startsWith("the code cannot be read: ").containsIgnoringCase("crc");
        assertThat(refused(keyed(post(town.path("/residents/" + hana.id() + "/payments"),
                Map.of("payload", payload.substring(0, 30)), hana.token()))).type()).endsWith("/invalid-qr");

        assertThat(town.balance(hana, YEN)).isEqualTo(5_000);
        assertThat(shopBalance(town, shop, YEN)).isZero();
        assertThat(shopBalance(town, other, YEN)).isZero();
    }

    @Test
    void anExpiredOrCancelledIntentCannotBePaid() {
        Town town = newTown();
        Shop shop = shop(town, "Miyaki Fresh");
        Person hana = funded(town, "花子", 5_000);
        Map<String, Object> soon = ok(shopPost(town.path("/payment-intents"), Map.of("amount", 500, "expiresInSeconds", 30),
                shop.key()));
        Map<String, Object> cancelled = intent(town, shop, 600);
        assertThat(ok(shopPost(town.path("/payment-intents/" + cancelled.get("intentId") + "/cancel"), Map.of(),
                shop.key()))).containsEntry("status", "CANCELLED");
        assertThat(refused(keyed(post(town.path("/residents/" + hana.id() + "/payments"),
                Map.of("payload", cancelled.get("payload")), hana.token()))).type()).endsWith("/intent-not-open");

        CLOCK.advance(Duration.ofSeconds(31));
        assertThat(ok(shopGet(town.path("/payment-intents/" + soon.get("intentId")), shop.key())))
                .containsEntry("status", "EXPIRED");
        Problem expired = refused(keyed(post(town.path("/residents/" + hana.id() + "/payments"),
                Map.of("payload", soon.get("payload")), hana.token())));
        assertThat(expired.type()).endsWith("/intent-not-open");
        assertThat(expired.detail()).contains("expired");
        assertThat(town.balance(hana, YEN)).isEqualTo(5_000);
    }

    @Test
    void aFailedPaymentLeavesTheIntentOpen() {
        Town town = newTown();
        Shop shop = shop(town, "Miyaki Fresh");
        Person poor = funded(town, "貧", 100);
        Person rich = funded(town, "富", 5_000);
        String payload = (String) intent(town, shop, 800).get("payload");
        Problem p = refused(keyed(post(town.path("/residents/" + poor.id() + "/payments"), Map.of("payload", payload),
                poor.token())));
        assertThat(p.type()).endsWith("/insufficient-funds");
        assertThat(p.detail()).isEqualTo("the payer's wallets hold ¥100 that can pay here; the payment is ¥800");
        assertThat(pay(town, rich, payload, null)).containsEntry("amount", 800);
        assertThat(town.balance(poor, YEN)).isEqualTo(100);
    }

    // --- CPM ---

    @Test
    void aCustomerTokenPaysOnceAndAReplayIsRefused() {
        Town town = newTown();
        Shop shop = shop(town, "Miyaki Fresh");
        Person hana = funded(town, "花子", 5_000);
        String token = cpmToken(town, hana);
        assertThat(token).startsWith("yc1.");

        Map<String, Object> paid = ok(shopPost(town.path("/payments"), Map.of("customerCode", token, "amount", 700,
                "reference", "r-1"), shop.key()));
        assertThat(paid).containsEntry("method", "CPM").containsEntry("amount", 700).doesNotContainKey("residentId");
        Problem replay = refused(shopPost(town.path("/payments"), Map.of("customerCode", token, "amount", 700), shop.key()));
        assertThat(replay.type()).endsWith("/customer-code-used");
        Shop other = shop(town, "Other Shop");
        assertThat(refused(shopPost(town.path("/payments"), Map.of("customerCode", token, "amount", 5), other.key()))
                .type()).endsWith("/customer-code-used");
        assertThat(town.balance(hana, YEN)).isEqualTo(4_300);
    }

    @Test
    void aChargeAnswersThePaymentAsStoredAndASpentTokenStaysUsedWhenTheWalletIsEmpty() {
        Town town = newTown();
        Shop shop = shop(town, "Miyaki Fresh");
        Person hana = funded(town, "花子", 5_000);
        String token = cpmToken(town, hana);

        Map<String, Object> paid = ok(shopPost(town.path("/payments"), Map.of("customerCode", token, "amount", 4_800),
                shop.key()));

        assertThat(ok(shopGet(town.path("/payments/" + paid.get("paymentId")), shop.key()))).isEqualTo(paid);
        Problem replay = refused(shopPost(town.path("/payments"), Map.of("customerCode", token, "amount", 700), shop.key()));
        assertThat(replay.type()).endsWith("/customer-code-used");
        assertThat(town.balance(hana, YEN)).isEqualTo(200);
    }

    @Test
    void anExpiredTamperedOrForeignTokenIsRefused() {
        Town town = newTown();
        Town elsewhere = newTown();
        Shop shop = shop(town, "Miyaki Fresh");
        Person hana = funded(town, "花子", 5_000);
        Person stranger = funded(elsewhere, "他所", 5_000);

        String token = cpmToken(town, hana);
        char last = token.charAt(20);
        String tampered = token.substring(0, 20) + (last == 'A' ? 'B' : 'A') + token.substring(21);
        Problem forged = refused(shopPost(town.path("/payments"), Map.of("customerCode", tampered, "amount", 700),
                shop.key()));
        assertThat(forged.type()).endsWith("/invalid-customer-code");

        String foreign = cpmToken(elsewhere, stranger);
        Problem wrongTown = refused(shopPost(town.path("/payments"), Map.of("customerCode", foreign, "amount", 700),
                shop.key()));
        assertThat(wrongTown.type()).endsWith("/invalid-customer-code");
        assertThat(wrongTown.detail()).isEqualTo("the token is of region " + elsewhere.id + ", not " + town.id);

        CLOCK.advance(Duration.ofSeconds(70));
        Problem expired = refused(shopPost(town.path("/payments"), Map.of("customerCode", token, "amount", 700),
                shop.key()));
        assertThat(expired.type()).endsWith("/customer-code-expired");
        assertThat(refused(shopPost(town.path("/payments"), Map.of("customerCode", "hello", "amount", 700), shop.key()))
                .type()).endsWith("/invalid-customer-code");
        assertThat(town.balance(hana, YEN)).isEqualTo(5_000);
    }

    @Test
    void aResidentPaysOnlyFromTheirOwnWallet() {
        Town town = newTown();
        Shop shop = shop(town, "Miyaki Fresh");
        Person hana = funded(town, "花子", 5_000);
        Person taro = funded(town, "太郎", 5_000);
        assertThat(refused(keyed(post(town.path("/residents/" + hana.id() + "/payments"),
                Map.of("payload", shop.staticPayload(), "amount", 100), taro.token()))).status()).isEqualTo(403);
        assertThat(refused(post(town.path("/residents/" + hana.id() + "/cpm-tokens"), Map.of(), taro.token())).status())
                .isEqualTo(403);
        // Staff and shops cannot pay from a wallet either.
        assertThat(refused(keyed(post(town.path("/residents/" + hana.id() + "/payments"),
                Map.of("payload", shop.staticPayload(), "amount", 100), town.cashier))).status()).isEqualTo(403);
        assertThat(town.balance(hana, YEN)).isEqualTo(5_000);
    }

    @Test
    void aShopCannotReadOrRefundAnotherShopsPayment() {
        Town town = newTown();
        Shop shop = shop(town, "Miyaki Fresh");
        Shop other = shop(town, "Other Shop");
        Person hana = funded(town, "花子", 5_000);
        Map<String, Object> paid = pay(town, hana, shop.staticPayload(), 1_000L);
        String id = (String) paid.get("paymentId");

        assertThat(refused(shopGet(town.path("/payments/" + id), other.key())).status()).isEqualTo(404);
        assertThat(refused(shopPost(town.path("/payments/" + id + "/refunds"), Map.of("amount", 100), other.key()))
                .status()).isEqualTo(404);
        assertThat(refused(shopGet(town.path("/payments?merchantId=" + shop.id()), other.key())).status()).isEqualTo(403);
        Map<String, Object> list = ok(shopGet(town.path("/payments"), other.key()));
        assertThat((List<?>) list.get("items")).isEmpty();
        // A resident who did not pay sees nothing either.
        Person taro = funded(town, "太郎", 10);
        assertThat(refused(get(town.path("/payments/" + id), taro.token())).status()).isEqualTo(404);
        assertThat(ok(get(town.path("/payments/" + id), hana.token()))).containsEntry("paymentId", id);
        assertThat(ok(get(town.path("/payments/" + id), town.finance))).containsEntry("residentId", hana.id().toString());
        assertThat(town.balance(hana, YEN)).isEqualTo(4_000);
    }

    // --- refunds ---

    @Test
    void refundsAreSeveralPartialNeverMoreThanPaidAndIdempotent() {
        Town town = newTown();
        Shop shop = shop(town, "Miyaki Fresh");
        Person hana = funded(town, "花子", 5_000);
        String id = (String) pay(town, hana, shop.staticPayload(), 1_000L).get("paymentId");

        String key = UUID.randomUUID().toString();
        Map<String, Object> first = ok(HttpRequest.POST(town.path("/payments/" + id + "/refunds"),
                Map.of("amount", 300, "reason", "damaged")).header("X-Api-Key", shop.key()).header("Idempotency-Key", key));
        assertThat(first).containsEntry("amount", 300).containsEntry("reason", "damaged");
        assertThat((Map<String, Object>) first.get("payment")).containsEntry("refundedAmount", 300)
                .containsEntry("status", "PARTIALLY_REFUNDED");
        Map<String, Object> replay = ok(HttpRequest.POST(town.path("/payments/" + id + "/refunds"),
                Map.of("amount", 300, "reason", "damaged")).header("X-Api-Key", shop.key()).header("Idempotency-Key", key));
        assertThat(replay.get("refundId")).isEqualTo(first.get("refundId"));
        assertThat(town.balance(hana, YEN)).isEqualTo(4_300);

        Problem over = refused(shopPost(town.path("/payments/" + id + "/refunds"), Map.of("amount", 701), shop.key()));
        assertThat(over.type()).endsWith("/refund-exceeds-payment");
        assertThat(over.detail()).isEqualTo("payment " + id + " was ¥1000 and ¥300 of it is refunded; ¥701 more would "
                + "exceed it (at most ¥700)");
        Map<String, Object> rest = ok(shopPost(town.path("/payments/" + id + "/refunds"), Map.of("amount", 700), shop.key()));
        assertThat((Map<String, Object>) rest.get("payment")).containsEntry("status", "REFUNDED");
        assertThat(refused(shopPost(town.path("/payments/" + id + "/refunds"), Map.of("amount", 1), shop.key())).type())
                .endsWith("/refund-exceeds-payment");
        assertThat(town.balance(hana, YEN)).isEqualTo(5_000);
        assertThat(shopBalance(town, shop, YEN)).isZero();
    }

    @Test
    void concurrentRefundsNeverExceedThePayment() throws Exception {
        Town town = newTown();
        Shop shop = shop(town, "Miyaki Fresh");
        Person hana = funded(town, "花子", 5_000);
        String id = (String) pay(town, hana, shop.staticPayload(), 1_000L).get("paymentId");
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            keys.add(tillKey(town, shop));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                String key = keys.get(i % keys.size());
                answers.add(pool.submit(() -> {
                    try {
                        return exchange(shopPost(town.path("/payments/" + id + "/refunds"), Map.of("amount", 300), key))
                                .status().getCode();
                    } catch (io.micronaut.http.client.exceptions.HttpClientResponseException e) {
                        return e.getStatus().getCode();
                    }
                }));
            }
            int created = 0;
            for (Future<Integer> f : answers) {
                int status = f.get();
                assertThat(status).isIn(201, 422);
                created += status == 201 ? 1 : 0;
            }
            assertThat(created).isEqualTo(3);
        } finally {
            pool.shutdownNow();
        }
        assertThat(ok(get(town.path("/payments/" + id), town.finance))).containsEntry("refundedAmount", 900);
        assertThat(town.balance(hana, YEN)).isEqualTo(4_900);
        assertThat(shopBalance(town, shop, YEN)).isEqualTo(100);
    }

    // --- pay order ---

    @Test
    void thePayOrderTakesPointsFirstAndARefundGivesCurrencyBackFirst() {
        Town town = newTown();
        Shop shop = shop(town, "Miyaki Fresh");
        Person hana = funded(town, "花子", 1_000);
        UUID programme = town.healthProgramme(null, 10_000);
        town.award(programme, hana.id(), "CHECKUP", "ev-1"); // 500 points
        ok(HttpRequest.PUT(town.path("/payment-settings"), Map.of("payOrder", List.of(HEALTH, YEN), "cardDailyLimit", 5_000))
                .bearerAuth(town.admin));

        Map<String, Object> paid = pay(town, hana, shop.staticPayload(), 800L);
        assertThat(paid.get("legs")).isEqualTo(List.of(Map.of("asset", HEALTH, "amount", 500),
                Map.of("asset", YEN, "amount", 300)));
        assertThat(town.balance(hana, HEALTH)).isZero();
        assertThat(town.balance(hana, YEN)).isEqualTo(700);

        Map<String, Object> refund = ok(shopPost(town.path("/payments/" + paid.get("paymentId") + "/refunds"),
                Map.of("amount", 400), shop.key()));
        assertThat(refund.get("legs")).isEqualTo(List.of(Map.of("asset", YEN, "amount", 300),
                Map.of("asset", HEALTH, "amount", 100)));
        assertThat(town.balance(hana, YEN)).isEqualTo(1_000);
        assertThat(town.balance(hana, HEALTH)).isEqualTo(100);

        Problem unknown = refused(HttpRequest.PUT(town.path("/payment-settings"), Map.of("payOrder", List.of("NOPE"),
                "cardDailyLimit", 5_000)).bearerAuth(town.admin));
        assertThat(unknown.type()).endsWith("/validation");
        assertThat(refused(HttpRequest.PUT(town.path("/payment-settings"), Map.of("payOrder", List.of(YEN),
                "cardDailyLimit", 5_000)).bearerAuth(town.finance)).status()).isEqualTo(403);
    }

    // --- printed cards ---

    @Test
    void aPrintedCardPaysWithItsPinWithinTheDailyLimitAndLocksAfterFiveWrongPins() {
        Town town = newTown();
        Shop shop = shop(town, "Miyaki Fresh");
        Person hana = funded(town, "花子", 50_000);
        String card = "YUI-CARD:" + ok(get(town.path("/residents/" + hana.id() + "/card"), town.cashier)).get("cardCode");

        assertThat(refused(shopPost(town.path("/payments"), Map.of("customerCode", card, "amount", 500), shop.key())).type())
                .endsWith("/card-pin-required");
        assertThat(http().exchange(HttpRequest.PUT(town.path("/residents/" + hana.id() + "/card/pin"), Map.of("pin", "4321"))
                .bearerAuth(town.cashier)).status().getCode()).isEqualTo(204);
        assertThat(refused(shopPost(town.path("/payments"), Map.of("customerCode", card, "amount", 500), shop.key())).type())
                .endsWith("/card-pin-required");
        Map<String, Object> paid = ok(shopPost(town.path("/payments"), Map.of("customerCode", card, "amount", 6_000,
                "pin", "4321"), shop.key()));
        assertThat(paid).containsEntry("method", "CARD");
        Problem limit = refused(shopPost(town.path("/payments"), Map.of("customerCode", card, "amount", 4_001,
                "pin", "4321"), shop.key()));
        assertThat(limit.type()).endsWith("/card-limit-exceeded");
        assertThat(limit.detail()).isEqualTo("this card paid ¥6000 today; ¥4001 more would pass its daily limit of ¥10000");

        for (int i = 4; i >= 1; i--) {
            Problem wrong = refused(shopPost(town.path("/payments"), Map.of("customerCode", card, "amount", 100,
                    "pin", "0000"), shop.key()));
            assertThat(wrong.type()).endsWith("/card-pin-wrong");
            assertThat(wrong.detail()).isEqualTo("the PIN is wrong; " + i + " attempts left before the card locks");
        }
        assertThat(refused(shopPost(town.path("/payments"), Map.of("customerCode", card, "amount", 100, "pin", "0000"),
                shop.key())).type()).endsWith("/card-locked");
        // Locked: even the right PIN no longer pays, until a cashier sets a new one.
        assertThat(refused(shopPost(town.path("/payments"), Map.of("customerCode", card, "amount", 100, "pin", "4321"),
                shop.key())).type()).endsWith("/card-locked");
        // The resident can change a PIN but not unlock a locked card: whoever locked it may hold their phone too.
        assertThat(refused(HttpRequest.PUT(town.path("/residents/" + hana.id() + "/card/pin"), Map.of("pin", "1357"))
                .bearerAuth(hana.token())).type()).endsWith("/card-locked");
        http().exchange(HttpRequest.PUT(town.path("/residents/" + hana.id() + "/card/pin"), Map.of("pin", "2468"))
                .bearerAuth(town.cashier));
        assertThat(ok(shopPost(town.path("/payments"), Map.of("customerCode", card, "amount", 100, "pin", "2468"),
                shop.key()))).containsEntry("amount", 100);
        assertThat(town.balance(hana, YEN)).isEqualTo(43_900);
    }

    // --- many tills ---

    @Test
    void manyTillsChargingOneShopAtOnceLoseNothing() throws Exception {
        Town town = newTown();
        Shop shop = shop(town, "Miyaki Super");
        List<String> tills = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            tills.add(tillKey(town, shop));
        }
        List<Person> people = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            people.add(funded(town, "住民" + i, 2_000));
        }
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            List<Callable<String>> work = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < people.size(); i++) {
                    Person p = people.get(i);
                    String till = tills.get((i + round) % tills.size());
                    work.add(() -> {
                        String token = cpmToken(town, p);
                        Map<String, Object> paid = ok(shopPost(town.path("/payments"), Map.of("customerCode", token,
                                "amount", 300), till));
                        // Every third payment is partly refunded by another till at once.
                        if (((String) paid.get("paymentId")).hashCode() % 3 == 0) {
                            ok(shopPost(town.path("/payments/" + paid.get("paymentId") + "/refunds"), Map.of("amount", 100),
                                    tills.get(0)));
                            return "refunded";
                        }
                        return "paid";
                    });
                }
            }
            long refunded = 0;
            for (Future<String> f : pool.invokeAll(work)) {
                refunded += f.get().equals("refunded") ? 1 : 0;
            }
            long expected = 36 * 300 - refunded * 100;
            assertThat(shopBalance(town, shop, YEN)).isEqualTo(expected);
            long held = people.stream().mapToLong(p -> town.balance(p, YEN)).sum();
            assertThat(held).isEqualTo(12 * 2_000 - expected);
        } finally {
            pool.shutdownNow();
        }
        assertThat(applicationContext.getBean(Ledger.class).verify(town.id).problems()).isEmpty();
    }

    // --- bad input ---

    @Test
    void badInputIsAClearProblemAndChangesNothing() {
        Town town = newTown();
        Shop shop = shop(town, "Miyaki Fresh");
        Person hana = funded(town, "花子", 5_000);
        assertThat(refused(shopPost(town.path("/payment-intents"), Map.of("amount", 0), shop.key())).type())
                .endsWith("/validation");
        assertThat(refused(shopPost(town.path("/payment-intents"), Map.of("amount", 100, "expiresInSeconds", 5), shop.key()))
                .type()).endsWith("/validation");
        assertThat(refused(HttpRequest.POST(town.path("/payments"), Map.of("customerCode", cpmToken(town, hana),
                "amount", 100)).header("X-Api-Key", shop.key())).type()).endsWith("/idempotency-key-required");
        assertThat(refused(post(town.path("/merchants"), Map.of("name", "みやき", "category", "5411", "city", "Miyaki"),
                town.admin)).type()).endsWith("/validation");
        assertThat(refused(post(town.path("/merchants"), Map.of("name", "Shop", "category", "5411", "city", "Miyaki"),
                hana.token())).status()).isEqualTo(403);
        assertThat(refused(shopGet(town.path("/payments?cursor=garbage"), shop.key())).type()).endsWith("/validation");
        assertThat(town.balance(hana, YEN)).isEqualTo(5_000);
    }

    @Test
    void aShopPagesThroughItsPaymentsNewestFirst() {
        Town town = newTown();
        Shop shop = shop(town, "Miyaki Fresh");
        Person hana = funded(town, "花子", 5_000);
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            ids.add(0, (String) pay(town, hana, shop.staticPayload(), (long) i * 10).get("paymentId"));
            CLOCK.advance(Duration.ofMillis(5));
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            Map<String, Object> page = ok(shopGet(town.path("/payments?limit=2" + (cursor == null ? "" : "&cursor=" + cursor)),
                    shop.key()));
            for (Object item : (List<?>) page.get("items")) {
                seen.add((String) ((Map<?, ?>) item).get("paymentId"));
            }
            cursor = (String) page.get("nextCursor");
        } while (cursor != null);
        assertThat(seen).isEqualTo(ids);
    }
}
