package jp.yui.server.payment;

import jakarta.inject.Singleton;
import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import jp.yui.server.db.Db;
import jp.yui.server.db.Problems;
import jp.yui.server.region.Regions;

/**
 * How a region's residents pay: which assets and in which order, and the printed card's daily limit. Until the town
 * says otherwise, only its currency pays and a card pays at most {@value #DEFAULT_CARD_DAILY_LIMIT} yen a day.
 */
@Singleton
public class PaySettings {

    /** A card's default daily limit in yen: small enough that a lost card and a guessed PIN cost little. */
    public static final long DEFAULT_CARD_DAILY_LIMIT = 10_000;

    private final Db db;
    private final Regions regions;

    public PaySettings(Db db, Regions regions) {
        this.db = db;
        this.regions = regions;
    }

    public PaymentApi.Settings get(long regionId) {
        return db.read(c -> get(c, regionId));
    }

    /** The settings as {@code c} sees them: a payment reads them inside the transaction that reserves it. */
    PaymentApi.Settings get(Connection c, long regionId) throws SQLException {
        // Read every time (one primary-key row): a change made through another server process applies at once.
        Regions.RegionRow region = regions.require(regionId);
        return Db.one(c, "select pay_order, card_daily_limit from region_payment_setting where region_id = ?",
                rs -> new PaymentApi.Settings(List.of((String[]) rs.getArray(1).getArray()), rs.getLong(2)), regionId)
                .orElse(new PaymentApi.Settings(List.of(region.currencyCode()), DEFAULT_CARD_DAILY_LIMIT));
    }

    /**
     * Sets the pay order: each asset of the region at most once. Points listed here pay at 1 point = ¥1; within an
     * asset the ledger takes the lots that expire soonest first.
     */
    public PaymentApi.Settings put(long regionId, PaymentApi.Settings settings) {
        List<String> assets = regions.assets(regionId);
        List<String> order = new ArrayList<>(settings.payOrder());
        if (new HashSet<>(order).size() != order.size()) {
            throw Problems.badRequest("validation", "Invalid request", "payOrder names an asset twice: " + order);
        }
        for (String a : order) {
            if (!assets.contains(a)) {
                throw Problems.badRequest("validation", "Invalid request", "payOrder names " + a
                        + ", which is not an asset of region " + regionId + " " + assets);
            }
        }
        db.tx(c -> {
            Array array = c.createArrayOf("text", order.toArray());
            return Db.update(c, "insert into region_payment_setting (region_id, pay_order, card_daily_limit) values (?, ?, ?) "
                    + "on conflict (region_id) do update set pay_order = excluded.pay_order, "
                    + "card_daily_limit = excluded.card_daily_limit, updated_at = now()", regionId, array,
                    settings.cardDailyLimit());
        });
        return get(regionId);
    }
}
