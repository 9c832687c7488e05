package jp.yui.server.region;

import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import jp.yui.ledger.AccountSpec;
import jp.yui.ledger.AssetSpec;
import jp.yui.ledger.ExpiryPolicy;
import jp.yui.ledger.Ledger;
import jp.yui.server.db.Db;
import jp.yui.server.db.Ids;
import jp.yui.server.db.Problems;

/** Towns: creating one sets up its assets and chart of accounts in the ledger in one step. */
@Singleton
public class Regions {

    /** A region as the server keeps it. */
    public record RegionRow(long regionId, String name, ZoneId zone, String currencyCode, Long walletCeiling) {
        /** Today in the town. */
        public LocalDate today(java.time.Clock clock) {
            return LocalDate.ofInstant(clock.instant(), zone);
        }
    }

    /** The Japanese fiscal year (April to March) a day belongs to, named by the year it starts in. */
    public static int fiscalYear(LocalDate day) {
        return day.getMonthValue() >= 4 ? day.getYear() : day.getYear() - 1;
    }

    private final Db db;
    private final Ledger ledger;
    private final Map<Long, RegionRow> cache = new ConcurrentHashMap<>();

    public Regions(Db db, Ledger ledger) {
        this.db = db;
        this.ledger = ledger;
    }

    /** The ledger account that plays a purpose for an asset of the region (same id every time). */
    public static UUID account(long regionId, Purpose purpose, String assetCode) {
        return Ids.of("account", regionId, purpose, assetCode);
    }

    /**
     * Creates the region, its assets and chart of accounts. Creating the same region again answers it as it is;
     * a different definition under an existing id is a conflict.
     */
    public RegionApi.Region create(RegionApi.CreateRegion req) {
        ZoneId zone;
        try {
            zone = ZoneId.of(req.zone() == null ? "Asia/Tokyo" : req.zone());
        } catch (DateTimeException e) {
            throw Problems.badRequest("validation", "Invalid request", "unknown time zone: " + req.zone());
        }
        Map<String, ExpiryPolicy> points = new LinkedHashMap<>();
        Set<String> codes = new HashSet<>(Set.of(req.currency().code()));
        for (RegionApi.PointAsset p : req.points()) {
            if (!codes.add(p.code())) {
                throw Problems.badRequest("validation", "Invalid request", "asset code used twice: " + p.code());
            }
            try {
                points.put(p.code(), ExpiryPolicy.parse(p.expiry()));
            } catch (IllegalArgumentException e) {
                throw Problems.badRequest("validation", "Invalid request", e.getMessage());
            }
        }
        long id = req.regionId();
        RegionRow wanted = new RegionRow(id, req.name(), zone, req.currency().code(), req.currency().walletCeiling());
        RegionRow existing = db.read(c -> find(c, id));
        if (existing != null && !existing.equals(wanted)) {
            throw Problems.conflict("region-exists", "Region exists", "region " + id + " exists with another definition");
        }

        ledger.createRegion(id, req.name());
        String currency = req.currency().code();
        ledger.createAsset(id, new AssetSpec(currency, ExpiryPolicy.never(), Ids.of("breakage", id, currency)));
        for (Purpose p : Purpose.values()) {
            if (p.forCurrency()) {
                ledger.createAccount(id, AccountSpec.of(account(id, p, currency), currency, p.normal(), p.flags())
                        .withLabel(p.name().toLowerCase() + " " + currency));
            }
        }
        points.forEach((code, expiry) -> {
            ledger.createAsset(id, new AssetSpec(code, expiry, Ids.of("breakage", id, code)));
            for (Purpose p : Purpose.values()) {
                if (!p.forCurrency()) {
                    ledger.createAccount(id, AccountSpec.of(account(id, p, code), code, p.normal(), p.flags())
                            .withLabel(p.name().toLowerCase() + " " + code));
                }
            }
        });

        db.tx(c -> {
            Db.update(c, "insert into region (region_id, name, zone, currency_code, wallet_ceiling) values (?, ?, ?, ?, ?) "
                    + "on conflict (region_id) do nothing", id, req.name(), zone.getId(), currency, req.currency().walletCeiling());
            Db.update(c, "insert into region_asset (region_id, asset_code, kind) values (?, ?, 'CURRENCY') "
                    + "on conflict do nothing", id, currency);
            for (String code : points.keySet()) {
                Db.update(c, "insert into region_asset (region_id, asset_code, kind) values (?, ?, 'POINTS') "
                        + "on conflict do nothing", id, code);
            }
            for (Purpose p : Purpose.values()) {
                for (String code : p.forCurrency() ? List.of(currency) : List.copyOf(points.keySet())) {
                    Db.update(c, "insert into region_account (region_id, purpose, asset_code, account_id) values (?, ?, ?, ?) "
                            + "on conflict do nothing", id, p.name(), code, account(id, p, code));
                }
            }
            return null;
        });
        return view(id);
    }

    /** The region with its assets and accounts. */
    public RegionApi.Region view(long regionId) {
        RegionRow r = require(regionId);
        return db.read(c -> {
            List<RegionApi.Asset> assets = new ArrayList<>();
            for (String[] a : Db.list(c, "select asset_code, kind from region_asset where region_id = ? order by kind, asset_code",
                    rs -> new String[] {rs.getString(1), rs.getString(2)}, regionId)) {
                Map<String, UUID> accounts = new LinkedHashMap<>();
                for (Object[] row : Db.list(c, "select purpose, account_id from region_account where region_id = ? "
                        + "and asset_code = ? order by purpose", rs -> new Object[] {rs.getString(1), rs.getObject(2, UUID.class)},
                        regionId, a[0])) {
                    accounts.put((String) row[0], (UUID) row[1]);
                }
                String expiry = ledger.asset(regionId, a[0]).map(x -> x.expiry().toString()).orElse("never");
                accounts.put("BREAKAGE", ledger.asset(regionId, a[0]).orElseThrow().breakageAccountId());
                assets.add(new RegionApi.Asset(a[0], a[1], expiry, accounts));
            }
            return new RegionApi.Region(r.regionId(), r.name(), r.zone().getId(), r.currencyCode(), r.walletCeiling(), assets);
        });
    }

    /** The region, or 404. */
    public RegionRow require(long regionId) {
        RegionRow r = cache.get(regionId);
        if (r == null) {
            r = db.read(c -> find(c, regionId));
            if (r == null) {
                throw Problems.notFound("region", regionId);
            }
            cache.put(regionId, r);
        }
        return r;
    }

    /** Every region's id, for jobs that visit them all. */
    public List<Long> ids() {
        return db.read(c -> Db.list(c, "select region_id from region order by region_id", rs -> rs.getLong(1)));
    }

    /** The kind (CURRENCY or POINTS) of an asset of the region, or 404. */
    public String assetKind(long regionId, String assetCode) {
        return db.read(c -> Db.one(c, "select kind from region_asset where region_id = ? and asset_code = ?",
                rs -> rs.getString(1), regionId, assetCode))
                .orElseThrow(() -> Problems.notFound("asset", assetCode));
    }

    /** The region's assets in code order. */
    public List<String> assets(long regionId) {
        return db.read(c -> Db.list(c, "select asset_code from region_asset where region_id = ? order by asset_code",
                rs -> rs.getString(1), regionId));
    }

    private static RegionRow find(Connection c, long regionId) throws SQLException {
        return Db.one(c, "select region_id, name, zone, currency_code, wallet_ceiling from region where region_id = ?",
                rs -> new RegionRow(rs.getLong(1), rs.getString(2), ZoneId.of(rs.getString(3)), rs.getString(4),
                        (Long) rs.getObject(5)), regionId).orElse(null);
    }
}
