package jp.yui.server.webhook;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import jp.yui.server.db.Db;

/**
 * The webhook outbox: what feature code calls when something a shop should hear about has happened.
 *
 * <pre>{@code
 * db.tx(c -> {
 *     markPaymentDone(c, regionId, payment);
 *     webhooks.enqueue(c, regionId, payment.merchantId(), Webhooks.PAYMENT_SUCCEEDED, payment);
 *     return payment;
 * });
 * }</pre>
 *
 * The event is a row in the caller's transaction, so it exists exactly when what it reports was committed; the
 * {@link WebhookDispatcher} delivers it afterwards, at least once, with retries. Thread-safe.
 */
@Singleton
public class Webhooks {

    /** A payment was taken; {@code data} is the {@code Payment}. */
    public static final String PAYMENT_SUCCEEDED = "payment.succeeded";
    /** A payment was refunded, in full or in part; {@code data} is the {@code Refund}. */
    public static final String PAYMENT_REFUNDED = "payment.refunded";
    /** A payout reached the shop's bank; {@code data} is the {@code Payout}. */
    public static final String PAYOUT_PAID = "payout.paid";

    /** Every event type a shop may receive. */
    public static final Set<String> TYPES = Set.of(PAYMENT_SUCCEEDED, PAYMENT_REFUNDED, PAYOUT_PAID);

    private final JsonMapper json;
    private final Clock clock;

    Webhooks(JsonMapper json, Clock clock) {
        this.json = json;
        this.clock = clock;
    }

    /**
     * The body POSTed to the shop. Field order is the order on the wire.
     *
     * @param id        the event's id; receivers dedupe by it, since an event may arrive more than once
     * @param type      one of {@link #TYPES}
     * @param createdAt when the event was recorded, to the millisecond
     * @param data      the Payment, Refund or Payout, exactly as the API shows it to the shop
     */
    @Serdeable
    record Event(UUID id, String type, Instant createdAt, Object data) {
    }

    /**
     * Records an event for a shop in the caller's transaction, if the shop has a webhook endpoint.
     *
     * <p>If the merchant has no endpoint configured at this moment, nothing is recorded and null is returned:
     * webhooks are opt-in, and a shop that sets an endpoint later is not sent its history.
     *
     * @param c          the caller's connection, inside the transaction that makes the event true; not committed
     *                   or closed here
     * @param regionId   the region, > 0
     * @param merchantId the shop to tell; not null
     * @param type       one of {@link #TYPES}
     * @param data       the event's object as the shop sees it through the API: a {@code @Serdeable} type; not null
     * @return the event's id (the {@code id} the shop receives), or null if the shop has no endpoint
     * @throws IllegalArgumentException if {@code type} is not one of {@link #TYPES}, {@code regionId} is not
     *     positive, or {@code data} cannot be serialised as JSON (not {@code @Serdeable})
     * @throws NullPointerException if {@code c}, {@code merchantId}, {@code type} or {@code data} is null
     * @throws SQLException if the database refuses; the caller's transaction should roll back
     */
    public @Nullable UUID enqueue(Connection c, long regionId, UUID merchantId, String type, Object data)
            throws SQLException {
        Objects.requireNonNull(c, "c");
        Objects.requireNonNull(merchantId, "merchantId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
        if (regionId <= 0) {
            throw new IllegalArgumentException("regionId must be > 0: " + regionId);
        }
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException("type must be one of " + TYPES + ": " + type);
        }
        UUID id = UUID.randomUUID();
        // Milliseconds, so the createdAt a shop receives and the one the deliveries list shows are the same value.
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String payload = payload(id, type, now, data);
        // Whether the shop has an endpoint is asked by the insert itself: one round trip in the caller's transaction,
        // at the price of a payload made for nothing when it has none.
        int stored = Db.update(c, "insert into webhook_event (region_id, event_id, merchant_id, type, payload, created_at, "
                + "status, attempts, next_attempt_at) select ?, ?, ?, ?, ?, ?, 'PENDING', 0, ? where exists "
                + "(select 1 from webhook_endpoint where region_id = ? and merchant_id = ?)",
                regionId, id, merchantId, type, payload, now, now, regionId, merchantId);
        if (stored == 0) {
            return null;
        }
        return id;
    }

    /** One shop's event: the shop and the object to tell it about, as for {@link #enqueue}. */
    public record Notice(UUID merchantId, Object data) {
        public Notice {
            Objects.requireNonNull(merchantId, "merchantId");
            Objects.requireNonNull(data, "data");
        }
    }

    /**
     * Records one event of {@code type} for each notice whose shop has a webhook endpoint, in the caller's transaction
     * and in one statement: {@link #enqueue} for many at once.
     *
     * @return how many events were recorded
     * @throws IllegalArgumentException as {@link #enqueue}
     * @throws SQLException if the database refuses; the caller's transaction should roll back
     */
    public int enqueueAll(Connection c, long regionId, String type, List<Notice> notices) throws SQLException {
        Objects.requireNonNull(c, "c");
        Objects.requireNonNull(type, "type");
        if (regionId <= 0) {
            throw new IllegalArgumentException("regionId must be > 0: " + regionId);
        }
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException("type must be one of " + TYPES + ": " + type);
        }
        if (notices.isEmpty()) {
            return 0;
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        int n = notices.size();
        UUID[] ids = new UUID[n];
        UUID[] merchants = new UUID[n];
        String[] payloads = new String[n];
        for (int i = 0; i < n; i++) {
            ids[i] = UUID.randomUUID();
            merchants[i] = notices.get(i).merchantId();
            payloads[i] = payload(ids[i], type, now, notices.get(i).data());
        }
        return Db.update(c, "insert into webhook_event (region_id, event_id, merchant_id, type, payload, created_at, "
                + "status, attempts, next_attempt_at) select ?, n.event_id, n.merchant_id, ?, n.payload, ?, 'PENDING', 0, ? "
                + "from unnest(?::uuid[], ?::uuid[], ?::text[]) as n(event_id, merchant_id, payload) where exists "
                + "(select 1 from webhook_endpoint w where w.region_id = ? and w.merchant_id = n.merchant_id)",
                regionId, type, now, now, c.createArrayOf("uuid", ids), c.createArrayOf("uuid", merchants),
                c.createArrayOf("text", payloads), regionId);
    }

    private String payload(UUID id, String type, Instant createdAt, Object data) {
        try {
            return json.writeValueAsString(new Event(id, type, createdAt, data));
        } catch (IOException e) {
            throw new IllegalArgumentException("the data of a " + type + " event cannot be serialised as JSON (is "
                    + data.getClass().getName() + " @Serdeable?): " + e.getMessage(), e);
        }
    }
}
