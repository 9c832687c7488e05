package jp.yui.server.web;

import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import jp.yui.server.expiry.Expiry;
import jp.yui.server.expiry.ExpiryApi;
import jp.yui.server.region.Regions;

/**
 * Value in residents' wallets that will expire, added up per asset and month for the finance console's chart. Reads
 * the same expiring lots the expiry notices list ({@link Expiry#notices}), a page of 1,000 at a time.
 */
@Singleton
class ExpiringAhead {

    /** The months ahead the chart shows, this month included. */
    static final int MONTHS = 12;
    /** The most lots added up (a town of 25,000 holds far fewer open expiring lots); beyond it the chart is short. */
    static final int MAX_LOTS = 200_000;

    private final Expiry expiry;
    private final Regions regions;
    private final Clock clock;

    ExpiringAhead(Expiry expiry, Regions regions, Clock clock) {
        this.expiry = expiry;
        this.regions = regions;
        this.clock = clock;
    }

    /**
     * Per asset (in code order), per month ({@code 2027-03}) in the town's zone, what expires then; value already
     * expired and waiting for the sweep is no longer ahead and is left out.
     */
    Map<String, Map<String, Long>> byAssetAndMonth(long regionId) {
        ZoneId zone = regions.require(regionId).zone();
        Instant now = clock.instant();
        Instant until = YearMonth.from(now.atZone(zone)).plusMonths(MONTHS).atDay(1).atStartOfDay(zone).toInstant();
        int days = (int) Math.max(1, java.time.Duration.between(now, until).toDays() + 1);
        Map<String, Map<String, Long>> byAsset = new TreeMap<>();
        long cursor = 0;
        int seen = 0;
        while (seen < MAX_LOTS) {
            ExpiryApi.Notices page = expiry.notices(regionId, days, cursor, 1_000);
            for (ExpiryApi.Notice n : page.notices()) {
                if (!n.expiresAt().isAfter(now) || !n.expiresAt().isBefore(until)) {
                    continue;
                }
                String month = YearMonth.from(n.expiresAt().atZone(zone)).toString();
                byAsset.computeIfAbsent(n.assetCode(), a -> new HashMap<>()).merge(month, n.amount(), Math::addExact);
            }
            seen += page.notices().size();
            if (page.nextCursor() == null) {
                break;
            }
            cursor = page.nextCursor();
        }
        return byAsset;
    }
}
