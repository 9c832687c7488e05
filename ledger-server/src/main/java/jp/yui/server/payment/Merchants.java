package jp.yui.server.payment;

import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import jp.yui.ledger.AccountFlag;
import jp.yui.ledger.AccountSpec;
import jp.yui.ledger.Ledger;
import jp.yui.ledger.Side;
import jp.yui.merchant.QrMerchant;
import jp.yui.merchant.QrPayload;
import jp.yui.server.db.Db;
import jp.yui.server.db.Ids;
import jp.yui.server.db.Problems;
import jp.yui.server.region.Regions;

/**
 * The town's shops. A shop has a ledger account per asset of the region (credit normal, {@code NO_OVERDRAFT}: its
 * takings not yet paid out, so a refund can never take more than the shop holds), and a static EMVCo code that
 * names it by its merchant id inside Yui's merchant account template.
 */
@Singleton
public class Merchants {

    private final Db db;
    private final Ledger ledger;
    private final Regions regions;
    private final ConcurrentMap<String, Row> cache = new ConcurrentHashMap<>();

    public Merchants(Db db, Ledger ledger, Regions regions) {
        this.db = db;
        this.ledger = ledger;
        this.regions = regions;
    }

    /** A shop as stored; immutable once created, so it is cached. */
    public record Row(long regionId, UUID merchantId, String name, String nameKana, String nameJa, String category,
            String city) {

        /** What the shop's codes say about it. */
        public QrMerchant qr() {
            QrMerchant m = QrMerchant.of(merchantId.toString(), category, name, city);
            return nameJa == null ? m : m.withJapaneseName(nameJa);
        }

        public PaymentApi.Merchant view() {
            return new PaymentApi.Merchant(merchantId, name, nameKana, nameJa, category, city,
                    QrPayload.staticCode(qr()).encode());
        }
    }

    /** The shop's ledger account for an asset, whether or not it exists yet. */
    public static UUID account(long regionId, UUID merchantId, String assetCode) {
        return Ids.of("merchant", regionId, merchantId, assetCode);
    }

    /**
     * Registers a shop and opens its accounts. The name must fit a QR code: the codec's own checks (ASCII, lengths)
     * answer 400 with its message.
     */
    public PaymentApi.Merchant create(long regionId, PaymentApi.CreateMerchant req) {
        regions.require(regionId);
        UUID id = UUID.randomUUID();
        Row row = new Row(regionId, id, req.name(), blankToNull(req.nameKana()), blankToNull(req.nameJa()), req.category(),
                req.city());
        try {
            QrPayload.staticCode(row.qr()); // refuses what EMVCo cannot carry, before anything is stored
        } catch (IllegalArgumentException e) {
            throw Problems.badRequest("validation", "Invalid request", e.getMessage());
        }
        for (String asset : regions.assets(regionId)) {
            ledger.createAccount(regionId, AccountSpec.of(account(regionId, id, asset), asset, Side.CREDIT,
                    AccountFlag.NO_OVERDRAFT).withLabel("merchant " + req.name()));
        }
        db.tx(c -> Db.update(c, "insert into merchant (region_id, merchant_id, name, name_kana, name_ja, category, city) "
                + "values (?, ?, ?, ?, ?, ?, ?)", regionId, id, row.name(), row.nameKana(), row.nameJa(), row.category(),
                row.city()));
        return row.view();
    }

    /** The shop, or 404. */
    public Row require(long regionId, UUID merchantId) {
        return find(regionId, merchantId).orElseThrow(() -> Problems.notFound("merchant", merchantId));
    }

    public Optional<Row> find(long regionId, UUID merchantId) {
        String key = regionId + ":" + merchantId;
        Row cached = cache.get(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<Row> row = db.read(c -> find(c, regionId, merchantId));
        row.ifPresent(r -> cache.put(key, r));
        return row;
    }

    public List<Row> list(long regionId) {
        return db.read(c -> Db.list(c, "select region_id, merchant_id, name, name_kana, name_ja, category, city from merchant "
                + "where region_id = ? order by name, merchant_id", Merchants::map, regionId));
    }

    private static Optional<Row> find(Connection c, long regionId, UUID merchantId) throws SQLException {
        return Db.one(c, "select region_id, merchant_id, name, name_kana, name_ja, category, city from merchant "
                + "where region_id = ? and merchant_id = ?", Merchants::map, regionId, merchantId);
    }

    private static Row map(java.sql.ResultSet rs) throws SQLException {
        return new Row(rs.getLong(1), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
