package jp.yui.server.webhook;

import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.UUID;
import jp.yui.server.db.Db;
import jp.yui.server.infra.ProblemException;
import jp.yui.server.region.Regions;

/**
 * Shops' webhook endpoints (table {@code webhook_endpoint}) and what became of their events. Authorization is the
 * controller's; this class trusts its caller. Thread-safe.
 */
@Singleton
class WebhookEndpoints {

    static final String SECRET_PREFIX = "whsec_";
    /** The last error of events given up because their shop removed its endpoint. */
    static final String REMOVED = "the shop removed its webhook endpoint";
    private static final int SECRET_BYTES = 32;

    private final Db db;
    private final Regions regions;
    private final Clock clock;
    private final WebhookSettings settings;
    private final SecureRandom random = new SecureRandom();

    WebhookEndpoints(Db db, Regions regions, Clock clock, WebhookSettings settings) {
        this.db = db;
        this.regions = regions;
        this.clock = clock;
        this.settings = settings;
    }

    /**
     * Sets (or replaces) the shop's endpoint with a new secret. Events still pending go to the new URL, signed with
     * the new secret, from their next attempt on.
     *
     * @throws ProblemException 404 {@code not-found} if the region does not exist; 400 {@code validation} if the URL
     *     breaks {@link WebhookUrls}'s rule
     */
    WebhookApi.Endpoint set(long regionId, UUID merchantId, String url) {
        regions.require(regionId);
        String checked = WebhookUrls.check(url, settings.allowInsecureLoopback()).toString();
        byte[] bytes = new byte[SECRET_BYTES];
        random.nextBytes(bytes);
        String secret = SECRET_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        // Until the payments work's merchant table (V4) exists there is nothing to check merchantId against: an
        // admin may set an endpoint for a shop id that names no shop, and it is simply never used.
        db.tx(c -> Db.update(c, "insert into webhook_endpoint (region_id, merchant_id, url, secret, created_at) "
                + "values (?, ?, ?, ?, ?) on conflict (region_id, merchant_id) do update "
                + "set url = excluded.url, secret = excluded.secret, created_at = excluded.created_at",
                regionId, merchantId, checked, secret, clock.instant()));
        return new WebhookApi.Endpoint(checked, secret);
    }

    /**
     * Removes the shop's endpoint, if it has one. Its pending events become FAILED: nothing is sent to a shop that
     * asked for no more webhooks, and a later endpoint does not receive them.
     */
    void remove(long regionId, UUID merchantId) {
        Instant now = clock.instant();
        db.tx(c -> {
            Db.update(c, "delete from webhook_endpoint where region_id = ? and merchant_id = ?", regionId, merchantId);
            return Db.update(c, "update webhook_event set status = 'FAILED', next_attempt_at = null, last_error = ? "
                    + "where region_id = ? and merchant_id = ? and status = 'PENDING'",
                    REMOVED, regionId, merchantId);
        });
    }

    /** The shop's most recent events, newest first; at most {@code limit}. */
    WebhookApi.Deliveries deliveries(long regionId, UUID merchantId, int limit) {
        return new WebhookApi.Deliveries(db.read(c -> Db.list(c, "select event_id, type, status, attempts, last_status, "
                + "last_error, created_at, delivered_at, next_attempt_at from webhook_event "
                + "where region_id = ? and merchant_id = ? order by created_at desc, event_id desc limit ?",
                WebhookEndpoints::delivery, regionId, merchantId, limit)));
    }

    private static WebhookApi.Delivery delivery(ResultSet rs) throws SQLException {
        return new WebhookApi.Delivery(rs.getObject(1, UUID.class), rs.getString(2),
                WebhookApi.Status.valueOf(rs.getString(3)), rs.getInt(4), rs.getObject(5, Integer.class),
                rs.getString(6), instant(rs, 7), instant(rs, 8), instant(rs, 9));
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
