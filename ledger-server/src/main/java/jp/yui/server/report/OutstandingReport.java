package jp.yui.server.report;

import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jp.yui.server.db.Db;
import jp.yui.server.region.Regions;

/**
 * Outstanding balances (未使用残高) at the end of a business day: per asset and lot source, the value residents' wallets
 * held then that could still be spent. A lot counts if it was credited before the instant and had not expired at it
 * ({@code expires_at} after the instant); it counts with what was left of it then, which is what is left of it now plus
 * what transfers stamped at or after the instant took from it (a lot only ever shrinks, and every shrink is a recorded
 * consumption). Value that had expired but was not yet swept to breakage is reported apart: it is in the wallets'
 * ledger balances but nobody can spend it.
 *
 * <h2>The Payment Services Act (資金決済法)</h2>
 *
 * The Act governs prepaid payment instruments: value issued for consideration that pays for goods. At each reference
 * date (31 March, 30 September) the issuer reports the unused balance, and if it exceeds ¥10,000,000, at least half of
 * it must be secured (deposit, guarantee or trust). Which of the town's value counts:
 *
 * <ul>
 *   <li><b>The currency's {@code PAID} lots</b> count: residents bought them with yen, at a counter or by bank
 *       transfer.</li>
 *   <li><b>The currency's {@code PREMIUM} lots</b> count too. They are the bonus a campaign adds to a paid charge:
 *       issued only with a purchase and because of it, held in the same wallet and spent exactly like the paid
 *       value. The Act measures the value the instruments still carry, not the price paid for them, so a ¥10,000
 *       charge with a 20% premium is ¥12,000 of prepaid value. It is also the cautious reading: leaving premiums out
 *       would understate what must be secured, while counting them can only secure too much.</li>
 *   <li><b>The currency's {@code POINTS} lots</b> do not: they come from converting programme points residents were
 *       given free (health, volunteering), so nothing was paid for them, and free points are outside the Act. Point
 *       assets are outside it altogether.</li>
 * </ul>
 *
 * Value a local government issues itself is exempt, value a chamber of commerce or company issues is not; the report
 * cannot tell who issues the town's currency, so it applies the test regardless and leaves that question to the
 * issuer. "Exceeds" is strict: exactly ¥10,000,000 needs no security. Half is rounded up to the yen
 * ({@link RoundingMode#CEILING}), since at least half must be secured.
 */
@Singleton
public class OutstandingReport {

    /** Above this unused balance, in yen, security is required. */
    static final long THRESHOLD = 10_000_000L;

    /** The currency's lot sources that were paid for. */
    static final List<String> PAID_FOR = List.of("PAID", "PREMIUM");

    /** Sources shown for every asset even at zero, in this order; others found follow alphabetically. */
    private static final List<String> CURRENCY_SOURCES = List.of("PAID", "PREMIUM", "POINTS");
    private static final List<String> POINT_SOURCES = List.of("POINTS");

    /*
     * later: per lot, what transfers stamped at or after the instant consumed (through the journal's seq index and the
     * consumptions' primary key, so only recent history is read). Lots of wallets only: value residents hold.
     */
    private static final String SQL = """
            with later (lot_id, amount) as (
                select c.lot_id, sum(c.amount)
                from ledger_transfer t
                join ledger_lot_consumption c on c.region_id = t.region_id and c.transfer_id = t.transfer_id
                where t.region_id = ? and t.seq > ?
                group by c.lot_id
            )
            select w.asset_code, l.source, l.expires_at is not null and l.expires_at <= ? as expired,
                   sum(l.remaining + coalesce(later.amount, 0))
            from ledger_lot l
            join wallet w on w.region_id = l.region_id and w.account_id = l.account_id
            left join later on later.lot_id = l.lot_id
            where l.region_id = ? and l.created_at < ?
            group by w.asset_code, l.source, expired
            """;

    private final Db db;
    private final Regions regions;
    private final Clock clock;

    public OutstandingReport(Db db, Regions regions, Clock clock) {
        this.db = db;
        this.regions = regions;
        this.clock = clock;
    }

    /**
     * The outstanding balances at the end of {@code date}.
     *
     * @throws jp.yui.server.infra.ProblemException 404 if the region is unknown
     */
    public ReportApi.Outstanding build(long regionId, LocalDate date) {
        Regions.RegionRow region = regions.require(regionId);
        Instant at = ReportQuery.endOf(date, region.zone());
        Instant generatedAt = clock.instant();
        return Journal.snapshot(db, c -> {
            Map<String, String> assets = new LinkedHashMap<>();
            for (String[] a : Db.list(c, "select asset_code, kind from region_asset where region_id = ? "
                    + "order by kind, asset_code", rs -> new String[] {rs.getString(1), rs.getString(2)}, regionId)) {
                assets.put(a[0], a[1]);
            }
            Map<String, Map<String, Long>> spendable = new LinkedHashMap<>();
            Map<String, Long> expired = new LinkedHashMap<>();
            for (Object[] row : held(c, regionId, at)) {
                String asset = (String) row[0];
                long amount = (Long) row[3];
                if ((Boolean) row[2]) {
                    expired.merge(asset, amount, Math::addExact);
                } else {
                    spendable.computeIfAbsent(asset, x -> new TreeMap<>()).merge((String) row[1], amount, Math::addExact);
                }
            }

            List<ReportApi.OutstandingLine> lines = new ArrayList<>();
            List<ReportApi.OutstandingTotal> totals = new ArrayList<>();
            long paidFor = 0;
            for (Map.Entry<String, String> a : assets.entrySet()) {
                String asset = a.getKey();
                boolean currency = asset.equals(region.currencyCode());
                Map<String, Long> bySource = new LinkedHashMap<>();
                for (String s : currency ? CURRENCY_SOURCES : POINT_SOURCES) {
                    bySource.put(s, 0L);
                }
                bySource.putAll(spendable.getOrDefault(asset, Map.of()));
                long outstanding = 0;
                for (Map.Entry<String, Long> s : bySource.entrySet()) {
                    boolean counts = currency && PAID_FOR.contains(s.getKey());
                    lines.add(new ReportApi.OutstandingLine(asset, a.getValue(), s.getKey(), s.getValue(), counts));
                    outstanding = Math.addExact(outstanding, s.getValue());
                    if (counts) {
                        paidFor = Math.addExact(paidFor, s.getValue());
                    }
                }
                long gone = expired.getOrDefault(asset, 0L);
                totals.add(new ReportApi.OutstandingTotal(asset, outstanding, gone, Math.addExact(outstanding, gone)));
            }
            return new ReportApi.Outstanding(ReportQuery.region(region), new ReportApi.AtDate(date, at), generatedAt,
                    lines, totals, paymentServicesAct(region.currencyCode(), paidFor));
        });
    }

    /** Rows of asset, source, expired at the instant, amount held then. */
    private static List<Object[]> held(Connection c, long regionId, Instant at) throws SQLException {
        long seq = Journal.lastSeqBefore(c, regionId, at);
        return Db.list(c, SQL, rs -> new Object[] {rs.getString(1), rs.getString(2), rs.getBoolean(3), rs.getLong(4)},
                regionId, seq, at, regionId, at);
    }

    /** The Act's test on the currency's paid-for value (see the class's Javadoc). */
    static ReportApi.PaymentServicesAct paymentServicesAct(String currency, long paidFor) {
        boolean exceeds = paidFor > THRESHOLD;
        long mustSecure = exceeds ? BigDecimal.valueOf(paidFor).divide(BigDecimal.valueOf(2), 0, RoundingMode.CEILING)
                .longValueExact() : 0;
        return new ReportApi.PaymentServicesAct(currency, PAID_FOR, paidFor, THRESHOLD, exceeds, mustSecure,
                RoundingMode.CEILING.name());
    }

    /** One CSV row: a source's line, an asset's total, or the Act's test. */
    private record CsvRow(LocalDate date, String assetCode, String what, Long amount, String counts, Long threshold,
            String exceeds, Long mustSecure) {
    }

    private static final List<Csv.Column<CsvRow>> COLUMNS = List.of(
            Csv.column("基準日", CsvRow::date),
            Csv.column("資産", CsvRow::assetCode),
            Csv.column("区分", CsvRow::what),
            Csv.column("未使用残高", CsvRow::amount),
            Csv.column("資金決済法の対象", CsvRow::counts),
            Csv.column("基準額", CsvRow::threshold),
            Csv.column("基準額超過", CsvRow::exceeds),
            Csv.column("要保全額", CsvRow::mustSecure));

    private static final Map<String, String> SOURCE_NAMES = Map.of("PAID", "有償チャージ", "PREMIUM", "プレミアム",
            "POINTS", "ポイント由来");

    /** The report as CSV: per asset its sources, the total and what expired awaiting sweep; then the Act's test. */
    static byte[] csv(ReportApi.Outstanding report) {
        LocalDate date = report.parameters().date();
        List<CsvRow> rows = new ArrayList<>();
        for (ReportApi.OutstandingTotal t : report.totals()) {
            for (ReportApi.OutstandingLine l : report.lines()) {
                if (l.assetCode().equals(t.assetCode())) {
                    rows.add(new CsvRow(date, l.assetCode(), SOURCE_NAMES.getOrDefault(l.source(), l.source()),
                            l.outstanding(), l.paymentServicesAct() ? "対象" : "対象外", null, null, null));
                }
            }
            rows.add(new CsvRow(date, t.assetCode(), "合計", t.outstanding(), null, null, null, null));
            rows.add(new CsvRow(date, t.assetCode(), "失効済・未処理", t.expiredAwaitingSweep(), null, null, null, null));
        }
        ReportApi.PaymentServicesAct psa = report.paymentServicesAct();
        rows.add(new CsvRow(date, psa.assetCode(), "資金決済法 対象残高", psa.outstanding(), "対象", psa.threshold(),
                psa.exceedsThreshold() ? "超過" : "以下", psa.mustSecure()));
        return Csv.table(COLUMNS, rows);
    }
}
