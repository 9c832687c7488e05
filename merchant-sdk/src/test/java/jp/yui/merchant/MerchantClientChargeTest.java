package jp.yui.merchant;

import static jp.yui.merchant.Fixtures.NOW;
import static jp.yui.merchant.Fixtures.PAYMENT_ID;
import static jp.yui.merchant.Fixtures.REGION;
import static jp.yui.merchant.Fixtures.SEED;
import static jp.yui.merchant.Fixtures.SEED_2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Base64;

import jp.yui.merchant.CustomerCodeException.Reason;
import jp.yui.merchant.ScriptedServer.Recorded;
import jp.yui.merchant.ScriptedServer.Reply;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Charging scanned customer codes: the offline token check, printed cards, and what reaches the server. */
class MerchantClientChargeTest {

    private static final String KEYS = "/regions/7/cpm-keys";
    private static final String PAYMENTS = "/regions/7/payments";
    private static final String CARD = "YUI-CARD:ABCD-EFGH-JKLM-NPQR";

    private ScriptedServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = new ScriptedServer();
        server.on("POST", PAYMENTS, Reply.json(201, Fixtures.payment()));
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void aGenuineTokenIsCheckedAgainstTheRegionsKeysAndCharged() {
        server.on("GET", KEYS, Reply.json(200, Fixtures.cpmKeys(SEED)));
        String token = Fixtures.token(REGION, 1, SEED).encode();

        Payment payment;
        try (MerchantClient client = Fixtures.client(server).build()) {
            payment = client.charge(token, 500, "order-123");
        }

        assertThat(payment.paymentId()).isEqualTo(PAYMENT_ID);
        Recorded post = server.requests("POST", PAYMENTS).get(0);
        assertThat(post.body)
                .isEqualTo("{\"customerCode\":\"" + token + "\",\"amount\":500,\"reference\":\"order-123\"}");
        assertThat(server.requests("GET", KEYS)).hasSize(1);
    }

    @Test
    void theKeysAreFetchedOnceAndReused() {
        server.on("GET", KEYS, Reply.json(200, Fixtures.cpmKeys(SEED)));

        try (MerchantClient client = Fixtures.client(server).build()) {
            client.charge(Fixtures.token(REGION, 1, SEED).encode(), 500, null);
            client.charge(CustomerToken.issue(REGION, 1, Fixtures.RESIDENT_ID, NOW.plusSeconds(60), 43, SEED).encode(),
                    300, null);
        }

        assertThat(server.requests("GET", KEYS)).hasSize(1);
        assertThat(server.requests("POST", PAYMENTS)).hasSize(2);
    }

    @Test
    void aTokenOfANewKeyMakesTheClientFetchTheKeysAgain() {
        server.on("GET", KEYS, Reply.json(200, Fixtures.cpmKeys(SEED)),
                Reply.json(200, Fixtures.cpmKeys(SEED, SEED_2)));

        try (MerchantClient client = Fixtures.client(server).build()) {
            client.charge(Fixtures.token(REGION, 1, SEED).encode(), 500, null);
            client.charge(Fixtures.token(REGION, 2, SEED_2).encode(), 500, null);
        }

        assertThat(server.requests("GET", KEYS)).hasSize(2);
        assertThat(server.requests("POST", PAYMENTS)).hasSize(2);
    }

    @Test
    void aTokenOfAKeyTheRegionDoesNotHaveIsRefusedAfterOneFetch() {
        server.on("GET", KEYS, Reply.json(200, Fixtures.cpmKeys(SEED)));

        try (MerchantClient client = Fixtures.client(server).build()) {
            client.charge(Fixtures.token(REGION, 1, SEED).encode(), 500, null);
            assertRefused(client, Fixtures.token(REGION, 9, SEED).encode(), Reason.UNKNOWN_KEY,
                    "customer token names key 9, which region 7 does not have (it has [1])");
        }

        assertThat(server.requests("GET", KEYS)).hasSize(2);
        assertThat(server.requests("POST", PAYMENTS)).hasSize(1);
    }

    @Test
    void aTamperedTokenIsRefusedWithoutAskingTheServerToCharge() {
        server.on("GET", KEYS, Reply.json(200, Fixtures.cpmKeys(SEED)));
        byte[] bytes = Base64.getUrlDecoder().decode(Fixtures.token(REGION, 1, SEED).encode().substring(4));
        bytes[40] ^= 1; // the nonce
        String tampered = "yc1." + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);

        try (MerchantClient client = Fixtures.client(server).build()) {
            assertRefused(client, tampered, Reason.BAD_SIGNATURE,
                    "customer token's signature does not verify with key 1 of region 7");
        }

        assertThat(server.requests("POST", PAYMENTS)).isEmpty();
    }

    @Test
    void aTokenSignedByAnotherKeyIsRefused() {
        server.on("GET", KEYS, Reply.json(200, Fixtures.cpmKeys(SEED)));

        try (MerchantClient client = Fixtures.client(server).build()) {
            assertRefused(client, Fixtures.token(REGION, 1, SEED_2).encode(), Reason.BAD_SIGNATURE,
                    "customer token's signature does not verify with key 1 of region 7");
        }

        assertThat(server.requests("POST", PAYMENTS)).isEmpty();
    }

    @Test
    void anExpiredTokenIsRefusedPastTheThirtySecondTolerance() {
        server.on("GET", KEYS, Reply.json(200, Fixtures.cpmKeys(SEED)));
        String token = Fixtures.token(REGION, 1, SEED).encode(); // expires at NOW + 60 s

        try (MerchantClient late = Fixtures.client(server).clock(at(90)).build();
             MerchantClient tooLate = Fixtures.client(server).clock(at(91)).build()) {
            late.charge(token, 500, null);
            assertRefused(tooLate, token, Reason.EXPIRED,
                    "customer token expired at 2026-11-22T01:03:03Z, 31 s ago, beyond the 30 s tolerance");
        }

        assertThat(server.requests("POST", PAYMENTS)).hasSize(1);
    }

    @Test
    void aTokenOfAnotherRegionIsRefusedBeforeAnyKeyIsFetched() {
        try (MerchantClient client = Fixtures.client(server).build()) {
            assertRefused(client, Fixtures.token(8, 1, SEED).encode(), Reason.WRONG_REGION,
                    "customer token is for region 8, not region 7");
        }

        assertThat(server.requests()).isEmpty();
    }

    @Test
    void aMalformedTokenIsRefusedWithoutAnyRequest() {
        try (MerchantClient client = Fixtures.client(server).build()) {
            assertRefused(client, "yc1.abc", Reason.MALFORMED, "customer token must have 150 characters, has 7");
        }

        assertThat(server.requests()).isEmpty();
    }

    @Test
    void aCodeOfNeitherKindIsRefusedWithoutAnyRequest() {
        try (MerchantClient client = Fixtures.client(server).build()) {
            assertRefused(client, "https://example.com/pay", Reason.MALFORMED,
                    "customer code must start with 'yc1.' (an app's token) or 'YUI-CARD:' (a printed card), starts"
                            + " with 'https://e'");
        }

        assertThat(server.requests()).isEmpty();
    }

    @Test
    void whenTheKeysCannotBeFetchedTheChargeFailsWithTheFetchsError() {
        server.on("GET", KEYS, Reply.problem(401, "unauthorized", "Unauthorized", "unknown API key", null));

        try (MerchantClient client = Fixtures.client(server).build()) {
            assertThatThrownBy(() -> client.charge(Fixtures.token(REGION, 1, SEED).encode(), 500, null))
                    .isInstanceOf(AuthenticationException.class)
                    .hasMessage("GET /regions/7/cpm-keys answered 401 unauthorized: unknown API key");
        }

        assertThat(server.requests("POST", PAYMENTS)).isEmpty();
    }

    @Test
    void aKeyThatIsNotAnEd25519PublicKeyIsReported() {
        server.on("GET", KEYS, Reply.json(200, "{\"keys\":[{\"keyId\":1,\"publicKey\":\"AAAA\"}]}"));

        try (MerchantClient client = Fixtures.client(server).build()) {
            assertThatThrownBy(() -> client.charge(Fixtures.token(REGION, 1, SEED).encode(), 500, null))
                    .isExactlyInstanceOf(MerchantException.class)
                    .hasMessage("cannot read CpmKeys.keys[0].publicKey: publicKey must have 32 bytes, has 3");
        }
    }

    @Test
    void aPrintedCardIsChargedWithItsPinAndNoKeyCheck() {
        try (MerchantClient client = Fixtures.client(server).build()) {
            client.charge(ChargeRequest.of(CARD, 800).withPin("0123").withReference("order-9"));
        }

        assertThat(server.requests()).hasSize(1);
        assertThat(server.requests("POST", PAYMENTS).get(0).body)
                .isEqualTo("{\"customerCode\":\"" + CARD + "\",\"amount\":800,\"pin\":\"0123\","
                        + "\"reference\":\"order-9\"}");
    }

    @Test
    void aCardWithoutItsPinOrATokenWithOneIsMisuse() {
        String token = Fixtures.token(REGION, 1, SEED).encode();

        try (MerchantClient client = Fixtures.client(server).build()) {
            assertThatThrownBy(() -> client.charge(CARD, 500, null)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("a printed card (YUI-CARD: code) pays only with the resident's PIN:"
                            + " ChargeRequest.of(code, amount).withPin(pin)");
            assertThatThrownBy(() -> client.charge(ChargeRequest.of(token, 500).withPin("1234")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("a PIN is only for printed cards (YUI-CARD: codes), not for an app's token");
        }

        assertThat(server.requests()).isEmpty();
    }

    @Test
    void chargeArgumentsAreCheckedBeforeAnythingIsSent() {
        try (MerchantClient client = Fixtures.client(server).build()) {
            assertThatThrownBy(() -> client.charge(CARD, 0, null)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("amount must be > 0: 0");
            assertThatThrownBy(() -> client.charge("", 500, null)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("customerCode must not be empty");
            assertThatThrownBy(() -> client.charge(CARD, 500, "order 123"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("reference must be 1 to 25 characters of A-Z a-z 0-9 . _ -: 'order 123'");
            assertThatThrownBy(() -> ChargeRequest.of(CARD, 500).withPin("12a4"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("pin must be 4 to 6 digits, has 4 characters");
            assertThatThrownBy(() -> client.charge(null)).isInstanceOf(NullPointerException.class)
                    .hasMessage("request");
        }

        assertThat(server.requests()).isEmpty();
    }

    @Test
    void aChargeRequestNeverShowsTheCodeOrPin() {
        ChargeRequest request = ChargeRequest.of(CARD, 800).withPin("0123").withReference("order-9");

        assertThat(request.toString()).isEqualTo("ChargeRequest[card, 800 yen, reference order-9, PIN given]");
        assertThat(request).isEqualTo(ChargeRequest.of(CARD, 800).withReference("order-9").withPin("0123"))
                .hasSameHashCodeAs(ChargeRequest.of(CARD, 800).withReference("order-9").withPin("0123"))
                .isNotEqualTo(ChargeRequest.of(CARD, 800).withPin("0124").withReference("order-9"));
        assertThat(ChargeRequest.isCardCode(CARD)).isTrue();
        assertThat(ChargeRequest.isCardCode("yc1.x")).isFalse();
    }

    private static void assertRefused(MerchantClient client, String code, Reason reason, String message) {
        assertThatThrownBy(() -> client.charge(code, 500, null))
                .isInstanceOfSatisfying(CustomerCodeException.class, e -> assertThat(e.reason()).isEqualTo(reason))
                .hasMessage(message);
    }

    private static Clock at(long secondsAfterNow) {
        return Clock.fixed(NOW.plusSeconds(secondsAfterNow), ZoneOffset.UTC);
    }
}
