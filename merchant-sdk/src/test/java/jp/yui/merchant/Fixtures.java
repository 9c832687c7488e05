package jp.yui.merchant;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.UUID;

/** Bodies as docs/payments-api.md shows them, and a client pointed at a {@link ScriptedServer}. */
final class Fixtures {

    static final long REGION = 7;
    static final String KEY_ID = "yk7_0123456789abcdef0123";
    static final String API_KEY = KEY_ID + ".c2VjcmV0LXNlY3JldC1zZWNyZXQ";
    static final Instant NOW = Instant.parse("2026-11-22T01:02:03Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    static final UUID MERCHANT_ID = UUID.fromString("11111111-1111-4111-8111-111111111111");
    static final UUID PAYMENT_ID = UUID.fromString("22222222-2222-4222-8222-222222222222");
    static final UUID INTENT_ID = UUID.fromString("33333333-3333-4333-8333-333333333333");
    static final UUID REFUND_ID = UUID.fromString("44444444-4444-4444-8444-444444444444");
    static final UUID PAYOUT_ID = UUID.fromString("55555555-5555-4555-8555-555555555555");
    static final UUID RESIDENT_ID = UUID.fromString("66666666-6666-4666-8666-666666666666");

    /** The region's CPM key 1 (RFC 8032 §7.1 test 1's seed). */
    static final byte[] SEED =
            CustomerTokenTest.hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
    /** The region's CPM key 2, added by a rotation (RFC 8032 §7.1 test 2's seed). */
    static final byte[] SEED_2 =
            CustomerTokenTest.hex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb");

    static final String PAYLOAD = QrPayload.dynamicCode(
            QrMerchant.of("MIYAKI-SHOP-0001", "5812", "YUI CAFE", "MIYAKI"), 500, "R7Q2M9X4K8P3B6ZD").encode();

    private Fixtures() {
    }

    /** A client whose back-offs are a few milliseconds, so retries cost nothing, and whose clock stops at NOW. */
    static MerchantClient.Builder client(ScriptedServer server) {
        return MerchantClient.builder()
                .baseUri(server.uri())
                .apiKey(API_KEY)
                .maxAttempts(3)
                .backoff(Duration.ofMillis(1), Duration.ofMillis(5))
                .requestTimeout(Duration.ofSeconds(5))
                .clock(CLOCK);
    }

    static String payment(long amount, long refunded, String status) {
        return "{\"paymentId\":\"" + PAYMENT_ID + "\",\"merchantId\":\"" + MERCHANT_ID + "\",\"method\":\"CPM\","
                + "\"amount\":" + amount + ",\"refundedAmount\":" + refunded + ",\"status\":\"" + status + "\","
                + "\"reference\":\"order-123\",\"intentId\":null,"
                + "\"legs\":[{\"asset\":\"MIYAKI_PT\",\"amount\":200},{\"asset\":\"MIYAKI\",\"amount\":"
                + (amount - 200) + "}],\"createdAt\":\"2026-11-22T01:02:03Z\"}";
    }

    static String payment() {
        return payment(500, 0, "SUCCEEDED");
    }

    static String intent(String status, String paymentId) {
        return "{\"intentId\":\"" + INTENT_ID + "\",\"merchantId\":\"" + MERCHANT_ID + "\",\"amount\":500,"
                + "\"reference\":\"order-123\",\"status\":\"" + status + "\",\"payload\":\"" + PAYLOAD + "\","
                + "\"expiresAt\":\"2026-11-22T01:07:03Z\",\"paymentId\":"
                + (paymentId == null ? "null" : "\"" + paymentId + "\"") + "}";
    }

    static String refund() {
        return "{\"refundId\":\"" + REFUND_ID + "\",\"paymentId\":\"" + PAYMENT_ID + "\",\"amount\":200,"
                + "\"reason\":\"returned\",\"legs\":[{\"asset\":\"MIYAKI\",\"amount\":200}],"
                + "\"createdAt\":\"2026-11-22T02:00:00Z\",\"payment\":" + payment(500, 200, "PARTIALLY_REFUNDED") + "}";
    }

    static String payout(String status, String paidAt) {
        return "{\"payoutId\":\"" + PAYOUT_ID + "\",\"periodFrom\":\"2026-11-01\",\"periodTo\":\"2026-11-15\","
                + "\"gross\":100000,\"fee\":1500,\"net\":98500,\"status\":\"" + status + "\","
                + "\"scheduledFor\":\"2026-11-30\",\"paidAt\":" + (paidAt == null ? "null" : "\"" + paidAt + "\"")
                + "}";
    }

    static String cpmKeys(byte[]... seeds) {
        StringBuilder body = new StringBuilder("{\"keys\":[");
        for (int i = 0; i < seeds.length; i++) {
            if (i > 0) {
                body.append(',');
            }
            body.append("{\"keyId\":").append(i + 1).append(",\"publicKey\":\"")
                    .append(Base64.getEncoder().encodeToString(CustomerToken.publicKeyOf(seeds[i])))
                    .append("\",\"notAfter\":null}");
        }
        return body.append("]}").toString();
    }

    /** A token of resident {@link #RESIDENT_ID} that expires a minute after {@link #NOW}. */
    static CustomerToken token(long region, int keyId, byte[] seed) {
        return CustomerToken.issue(region, keyId, RESIDENT_ID, NOW.plusSeconds(60), 42, seed);
    }
}
