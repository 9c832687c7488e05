package jp.yui.server.expiry;

import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jp.yui.ledger.Ledger;
import jp.yui.ledger.Lot;
import jp.yui.ledger.SweepResult;
import jp.yui.server.db.Db;
import jp.yui.server.region.Regions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Expired value goes to breakage on a schedule (the ledger also sweeps an account the moment it is about to be
 * debited, so expired value is never spent even between sweeps), and residents whose value expires soon are listed
 * for notices.
 */
@Singleton
public class Expiry {

    private static final Logger LOG = LoggerFactory.getLogger(Expiry.class);

    private final Db db;
    private final Ledger ledger;
    private final Regions regions;
    private final Clock clock;

    public Expiry(Db db, Ledger ledger, Regions regions, Clock clock) {
        this.db = db;
        this.ledger = ledger;
        this.regions = regions;
        this.clock = clock;
    }

    @Scheduled(fixedDelay = "${yui.expiry.sweep-interval:15m}", initialDelay = "${yui.expiry.initial-delay:1m}")
    void sweepAll() {
        for (long regionId : regions.ids()) {
            try {
                SweepResult r = ledger.sweepExpired(regionId);
                if (r.transfers() > 0) {
                    LOG.info("region {}: swept {} units of expired value in {} transfers", regionId, r.amount(), r.transfers());
                }
            } catch (RuntimeException e) {
                LOG.error("expiry sweep of region {} failed; the next run tries again", regionId, e);
            }
        }
    }

    public ExpiryApi.Sweep sweep(long regionId) {
        regions.require(regionId);
        SweepResult r = ledger.sweepExpired(regionId);
        return new ExpiryApi.Sweep(regionId, r.transfers(), r.amount());
    }

    public ExpiryApi.Notices notices(long regionId, int withinDays, long cursor, int limit) {
        regions.require(regionId);
        Instant until = clock.instant().plus(Duration.ofDays(withinDays));
        List<Lot> lots = ledger.expiringLots(regionId, until, cursor, limit + 1);
        boolean more = lots.size() > limit;
        if (more) {
            lots = lots.subList(0, limit);
        }
        Map<UUID, Object[]> owners = new HashMap<>();
        if (!lots.isEmpty()) {
            UUID[] accounts = lots.stream().map(Lot::accountId).distinct().toArray(UUID[]::new);
            db.read(c -> {
                for (Object[] row : Db.list(c, "select w.account_id, w.resident_id, r.display_name, w.asset_code from wallet w "
                        + "join resident r on r.region_id = w.region_id and r.resident_id = w.resident_id "
                        + "where w.region_id = ? and w.account_id = any(?)", rs -> new Object[] {rs.getObject(1, UUID.class),
                        rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4)}, regionId,
                        c.createArrayOf("uuid", accounts))) {
                    owners.put((UUID) row[0], row);
                }
                return null;
            });
        }
        List<ExpiryApi.Notice> notices = new ArrayList<>();
        for (Lot lot : lots) {
            Object[] o = owners.get(lot.accountId());
            if (o != null) {
                notices.add(new ExpiryApi.Notice((UUID) o[1], (String) o[2], (String) o[3], lot.source(), lot.remaining(),
                        lot.expiresAt()));
            }
        }
        return new ExpiryApi.Notices(until, notices, more ? lots.get(lots.size() - 1).lotId() : null);
    }
}
