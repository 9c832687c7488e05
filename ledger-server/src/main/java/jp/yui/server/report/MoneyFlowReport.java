package jp.yui.server.report;

import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import jp.yui.server.db.Db;
import jp.yui.server.region.Regions;

/**
 * The town's money flow (資金の流れ) per month and asset: charged, awarded, converted, spent at shops, expired and paid
 * out, from the journal's transfers by their reason code. The database sums the posted transfers of the period per
 * month (in the town's zone), asset and reason; {@link #REASONS}, the one table from reason codes to flows, turns
 * those sums into the columns. A new reason code is one line there. A code the table does not know is never
 * dropped: its amount goes to {@code unclassified} and the code is listed in {@code unclassifiedReasons}.
 *
 * <p>Only transfers that moved posted value count ({@code POSTED}, {@code POST_PENDING}, {@code REVERSAL},
 * {@code EXPIRY}); a hold or its void moves nothing.
 */
@Singleton
public class MoneyFlowReport {

    /** The report's columns. */
    enum Flow {
        CHARGED, AWARDED, CONVERTED, SPENT, EXPIRED, PAID_OUT
    }

    /**
     * What a reason code does to the flows.
     *
     * @param flow the column it adds to, or null for movements inside the town's own accounts (funding a budget),
     *             which are no flow to or from residents and shops
     * @param sign +1 if it adds, -1 if it takes back (a refund undoes spending)
     */
    record Effect(Flow flow, int sign) {
        static Effect adds(Flow flow) {
            return new Effect(Objects.requireNonNull(flow, "flow"), 1);
        }

        static Effect takesBack(Flow flow) {
            return new Effect(Objects.requireNonNull(flow, "flow"), -1);
        }

        static final Effect INTERNAL = new Effect(null, 0);
    }

    /** Reason codes to flows: the one place that decides which column a transfer lands in. */
    static final Map<String, Effect> REASONS = Map.ofEntries(
            Map.entry("TOP_UP", Effect.adds(Flow.CHARGED)),
            Map.entry("PREMIUM", Effect.adds(Flow.CHARGED)),
            Map.entry("AWARD", Effect.adds(Flow.AWARDED)),
            // Both legs of a conversion: in the point asset the points given up, in the currency the yen received.
            Map.entry("CONVERT", Effect.adds(Flow.CONVERTED)),
            Map.entry("PAY", Effect.adds(Flow.SPENT)),
            Map.entry("REFUND", Effect.takesBack(Flow.SPENT)),
            // The ledger's own sweeps of expired lots to breakage.
            Map.entry("EXPIRY", Effect.adds(Flow.EXPIRED)),
            // The bank paid a shop its payout (settlement payable → bank).
            Map.entry("PAYOUT", Effect.adds(Flow.PAID_OUT)),
            // Settlement moving takings to payable (and retiring points shops took, paid from conversion funding) and
            // taking the fee: inside the town's own accounts until the bank pays.
            Map.entry("SETTLE", Effect.INTERNAL),
            Map.entry("FEE", Effect.INTERNAL),
            Map.entry("APPROPRIATION", Effect.INTERNAL),
            Map.entry("CONVERSION_FUNDING", Effect.INTERNAL),
            Map.entry("CAMPAIGN_FUNDING", Effect.INTERNAL));

    private static final String SQL = """
            select to_char(t.created_at at time zone ?, 'YYYY-MM'), t.asset_code, t.reason, sum(t.amount)
            from ledger_transfer t
            where t.region_id = ? and t.seq > ? and t.seq <= ?
              and t.kind in ('POSTED', 'POST_PENDING', 'REVERSAL', 'EXPIRY')
            group by 1, 2, 3
            """;

    private final Db db;
    private final Regions regions;
    private final Clock clock;

    public MoneyFlowReport(Db db, Regions regions, Clock clock) {
        this.db = db;
        this.regions = regions;
        this.clock = clock;
    }

    /**
     * A line per month of the period and asset (zeros included, so the table has no holes), and a total per asset.
     * The first and last month count only the period's days.
     *
     * @throws jp.yui.server.infra.ProblemException 404 if the region is unknown
     */
    public ReportApi.MoneyFlow build(long regionId, ReportQuery.Period period) {
        Regions.RegionRow region = regions.require(regionId);
        Instant start = period.start(region.zone());
        Instant end = period.end(region.zone());
        Instant generatedAt = clock.instant();
        List<String> assets = new ArrayList<>();
        List<Object[]> sums = Journal.snapshot(db, c -> {
            assets.addAll(Db.list(c, "select asset_code from region_asset where region_id = ? order by kind, asset_code",
                    rs -> rs.getString(1), regionId));
            long after = Journal.lastSeqBefore(c, regionId, start);
            long upTo = Journal.lastSeqBefore(c, regionId, end);
            return Db.list(c, SQL, rs -> new Object[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)},
                    region.zone().getId(), regionId, after, upTo);
        });

        // Every month of the period and every asset, in order, before the sums land in them.
        Map<String, Map<String, Amounts>> cells = new LinkedHashMap<>();
        for (YearMonth m = YearMonth.from(period.from()); !m.isAfter(YearMonth.from(period.to())); m = m.plusMonths(1)) {
            Map<String, Amounts> byAsset = new LinkedHashMap<>();
            for (String asset : assets) {
                byAsset.put(asset, new Amounts());
            }
            cells.put(m.toString(), byAsset);
        }
        TreeSet<String> unclassified = new TreeSet<>();
        for (Object[] row : sums) {
            Amounts a = cells.computeIfAbsent((String) row[0], x -> new LinkedHashMap<>())
                    .computeIfAbsent((String) row[1], x -> new Amounts());
            String reason = (String) row[2];
            long amount = (Long) row[3];
            Effect effect = REASONS.get(reason);
            if (effect == null) {
                unclassified.add(reason);
                a.unclassified = Math.addExact(a.unclassified, amount);
            } else if (effect.flow() != null) {
                a.flows.merge(effect.flow(), Math.multiplyExact(effect.sign(), amount), Math::addExact);
            }
        }

        List<ReportApi.MoneyFlowLine> lines = new ArrayList<>();
        Map<String, Amounts> totals = new LinkedHashMap<>();
        cells.forEach((month, byAsset) -> byAsset.forEach((asset, a) -> {
            lines.add(a.line(month, asset));
            totals.computeIfAbsent(asset, x -> new Amounts()).add(a);
        }));
        List<ReportApi.MoneyFlowLine> totalLines = new ArrayList<>();
        totals.forEach((asset, a) -> totalLines.add(a.line(null, asset)));
        return new ReportApi.MoneyFlow(ReportQuery.region(region), new ReportApi.InPeriod(period.from(), period.to(), start,
                end), generatedAt, lines, totalLines, List.copyOf(unclassified));
    }

    /** One cell of the table while it is summed. */
    private static final class Amounts {
        final EnumMap<Flow, Long> flows = new EnumMap<>(Flow.class);
        long unclassified;

        void add(Amounts o) {
            o.flows.forEach((f, v) -> flows.merge(f, v, Math::addExact));
            unclassified = Math.addExact(unclassified, o.unclassified);
        }

        ReportApi.MoneyFlowLine line(String month, String asset) {
            return new ReportApi.MoneyFlowLine(month, asset, get(Flow.CHARGED), get(Flow.AWARDED), get(Flow.CONVERTED),
                    get(Flow.SPENT), get(Flow.EXPIRED), get(Flow.PAID_OUT), unclassified);
        }

        private long get(Flow f) {
            return flows.getOrDefault(f, 0L);
        }
    }

    private static final List<Csv.Column<ReportApi.MoneyFlowLine>> COLUMNS = List.of(
            Csv.column("月", l -> l.month() == null ? "合計" : l.month()),
            Csv.column("資産", ReportApi.MoneyFlowLine::assetCode),
            Csv.column("チャージ", ReportApi.MoneyFlowLine::charged),
            Csv.column("ポイント付与", ReportApi.MoneyFlowLine::awarded),
            Csv.column("交換", ReportApi.MoneyFlowLine::converted),
            Csv.column("加盟店での利用", ReportApi.MoneyFlowLine::spent),
            Csv.column("失効", ReportApi.MoneyFlowLine::expired),
            Csv.column("精算払出", ReportApi.MoneyFlowLine::paidOut),
            Csv.column("未分類", ReportApi.MoneyFlowLine::unclassified));

    /** The report as CSV: the months' lines, then each asset's total. */
    static byte[] csv(ReportApi.MoneyFlow report) {
        List<ReportApi.MoneyFlowLine> rows = new ArrayList<>(report.lines());
        rows.addAll(report.totals());
        return Csv.table(COLUMNS, rows);
    }
}
