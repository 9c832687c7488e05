package jp.yui.server.payment;

import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import jp.yui.merchant.QrPayload;
import jp.yui.server.db.Db;
import jp.yui.server.db.Ids;
import jp.yui.server.db.Problems;

/**
 * Payment intents: the server-side half of a dynamic MPM code. A shop's till asks for one with an amount; the code
 * it gets carries the amount (tag 54) and a random single-use reference (tag 62/05). The code's CRC is its only
 * integrity check, so nothing in it is trusted: when a resident pays, the reference finds the intent, and the shop
 * and amount in the code must match what the intent holds.
 */
@Singleton
public class Intents {

    private static final char[] LABEL_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();
    private static final int DEFAULT_TTL_SECONDS = 300;

    private final Db db;
    private final Merchants merchants;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public Intents(Db db, Merchants merchants, Clock clock) {
        this.db = db;
        this.merchants = merchants;
        this.clock = clock;
    }

    /** An intent as stored. */
    record Row(UUID intentId, UUID merchantId, String label, long amount, String reference, String payload,
            String status, Instant expiresAt, UUID paymentId, Instant createdAt) {

        PaymentApi.IntentStatus effectiveStatus(Instant now) {
            if (status.equals("OPEN") && !now.isBefore(expiresAt)) {
                return PaymentApi.IntentStatus.EXPIRED;
            }
            return PaymentApi.IntentStatus.valueOf(status);
        }

        PaymentApi.Intent view(Instant now) {
            return new PaymentApi.Intent(intentId, merchantId, amount, reference, effectiveStatus(now), payload, expiresAt,
                    paymentId, createdAt);
        }
    }

    /**
     * Creates an intent for the shop; the same key again answers the same intent.
     *
     * @throws jp.yui.server.infra.ProblemException 422 {@code idempotency-key-reused} if the key made an intent of
     *     another amount or reference before (another till of the shop, say)
     */
    public PaymentApi.Intent create(long regionId, UUID merchantId, PaymentApi.CreateIntent req, String key) {
        Merchants.Row merchant = merchants.require(regionId, merchantId);
        UUID id = Ids.of("intent", regionId, merchantId, key);
        Instant now = clock.instant();
        int ttl = req.expiresInSeconds() == null ? DEFAULT_TTL_SECONDS : req.expiresInSeconds();
        Instant expires = now.plus(Duration.ofSeconds(ttl)).truncatedTo(ChronoUnit.SECONDS);
        String label = label();
        String payload = QrPayload.dynamicCode(merchant.qr(), req.amount(), label).encode();
        return db.tx(c -> {
            Db.update(c, "insert into payment_intent (region_id, intent_id, merchant_id, reference_label, amount, reference, "
                    + "payload, status, expires_at, created_at) values (?, ?, ?, ?, ?, ?, ?, 'OPEN', ?, ?) "
                    + "on conflict (region_id, intent_id) do nothing", regionId, id, merchantId, label, req.amount(),
                    req.reference(), payload, expires, now);
            Row row = find(c, regionId, id).orElseThrow();
            if (row.amount() != req.amount() || !Objects.equals(row.reference(), req.reference())) {
                throw Problems.unprocessable("idempotency-key-reused", "Idempotency key reused", "this key asked for ¥"
                        + row.amount() + " (reference " + row.reference() + ") before");
            }
            return row.view(now);
        });
    }

    /** The shop's intent; another shop's is 404, as if it did not exist. */
    public PaymentApi.Intent get(long regionId, UUID merchantId, UUID intentId) {
        return db.read(c -> find(c, regionId, intentId)).filter(r -> r.merchantId().equals(merchantId))
                .orElseThrow(() -> Problems.notFound("payment intent", intentId)).view(clock.instant());
    }

    /** Cancels an open intent; a paid one stays paid (the shop refunds it instead). */
    public PaymentApi.Intent cancel(long regionId, UUID merchantId, UUID intentId) {
        get(regionId, merchantId, intentId);
        return db.tx(c -> {
            Db.update(c, "update payment_intent set status = 'CANCELLED' where region_id = ? and intent_id = ? "
                    + "and status = 'OPEN'", regionId, intentId);
            return find(c, regionId, intentId).orElseThrow().view(clock.instant());
        });
    }

    /** The intent a code's reference names, if any. */
    Optional<Row> byLabel(long regionId, String label) {
        return db.read(c -> Db.one(c, SELECT + "where region_id = ? and reference_label = ?", Intents::map, regionId, label));
    }

    /** Locks the intent for a payment deciding on it. */
    static Optional<Row> lock(Connection c, long regionId, UUID intentId) throws SQLException {
        return Db.one(c, SELECT + "where region_id = ? and intent_id = ? for update", Intents::map, regionId, intentId);
    }

    private static Optional<Row> find(Connection c, long regionId, UUID intentId) throws SQLException {
        return Db.one(c, SELECT + "where region_id = ? and intent_id = ?", Intents::map, regionId, intentId);
    }

    private static final String SELECT = "select intent_id, merchant_id, reference_label, amount, reference, payload, status, "
            + "expires_at, payment_id, created_at from payment_intent ";

    private static Row map(java.sql.ResultSet rs) throws SQLException {
        return new Row(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3), rs.getLong(4),
                rs.getString(5), rs.getString(6), rs.getString(7), rs.getTimestamp(8).toInstant(),
                rs.getObject(9, UUID.class), rs.getTimestamp(10).toInstant());
    }

    /** 20 random characters (100 bits): unguessable, and short enough for tag 62/05's 25. */
    private String label() {
        char[] out = new char[20];
        for (int i = 0; i < out.length; i++) {
            out[i] = LABEL_ALPHABET[random.nextInt(LABEL_ALPHABET.length)];
        }
        return new String(out);
    }
}
