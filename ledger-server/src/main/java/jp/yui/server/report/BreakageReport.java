package jp.yui.server.report;

import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jp.yui.server.db.Db;
import jp.yui.server.region.Regions;

/**
 * Breakage (失効): value that expired and was swept into the asset's breakage account in a period, per asset and the
 * source of the lots it came from ({@code PAID}, {@code PREMIUM}, {@code POINTS}), from the ledger's {@code EXPIRY}
 * transfers stamped in the period and the lot consumptions each of them recorded. Expired value is counted when the
 * sweep moved it, which may be after the day it expired (the sweep runs on a schedule and whenever an account is
 * about to be debited).
 */
@Singleton
public class BreakageReport {

    /*
     * The sweeps in the period (seq range through the journal's index), what each took from which lot, and the lot's
     * source. The grouping sets give the per-source lines and the per-asset totals in one pass; grouping(...) = 1
     * marks a total.
     */
    private static final String SQL = """
            select t.asset_code, l.source, grouping(l.source), sum(c.amount), count(distinct t.transfer_id)
            from ledger_transfer t
            join ledger_lot_consumption c on c.region_id = t.region_id and c.transfer_id = t.transfer_id
            join ledger_lot l on l.region_id = c.region_id and l.lot_id = c.lot_id
            where t.region_id = ? and t.seq > ? and t.seq <= ? and t.kind = 'EXPIRY'
            group by grouping sets ((t.asset_code, l.source), (t.asset_code))
            order by t.asset_code, l.source
            """;

    private final Db db;
    private final Regions regions;
    private final Clock clock;

    public BreakageReport(Db db, Regions regions, Clock clock) {
        this.db = db;
        this.regions = regions;
        this.clock = clock;
    }

    /**
     * Breakage in the period.
     *
     * @throws jp.yui.server.infra.ProblemException 404 if the region is unknown
     */
    public ReportApi.Breakage build(long regionId, ReportQuery.Period period) {
        Regions.RegionRow region = regions.require(regionId);
        Instant start = period.start(region.zone());
        Instant end = period.end(region.zone());
        Instant generatedAt = clock.instant();
        List<ReportApi.BreakageLine> lines = new ArrayList<>();
        List<ReportApi.BreakageTotal> totals = new ArrayList<>();
        Journal.snapshot(db, c -> {
            long after = Journal.lastSeqBefore(c, regionId, start);
            long upTo = Journal.lastSeqBefore(c, regionId, end);
            List<String> assets = Db.list(c, "select asset_code from region_asset where region_id = ? order by kind, asset_code",
                    rs -> rs.getString(1), regionId);
            Map<String, ReportApi.BreakageTotal> byAsset = new HashMap<>();
            for (Object[] row : Db.list(c, SQL, rs -> new Object[] {rs.getString(1), rs.getString(2), rs.getInt(3),
                    rs.getLong(4), rs.getLong(5)}, regionId, after, upTo)) {
                String asset = (String) row[0];
                if ((Integer) row[2] == 1) {
                    byAsset.put(asset, new ReportApi.BreakageTotal(asset, (Long) row[3], (Long) row[4]));
                } else {
                    lines.add(new ReportApi.BreakageLine(asset, (String) row[1], (Long) row[3]));
                }
            }
            // Every asset gets a total, zero if nothing of it expired, so a missing line never hides an asset.
            for (String asset : assets) {
                totals.add(byAsset.getOrDefault(asset, new ReportApi.BreakageTotal(asset, 0, 0)));
            }
            return null;
        });
        lines.sort(Comparator.comparingInt((ReportApi.BreakageLine l) -> indexOf(totals, l.assetCode()))
                .thenComparing(ReportApi.BreakageLine::source));
        return new ReportApi.Breakage(ReportQuery.region(region), new ReportApi.InPeriod(period.from(), period.to(), start,
                end), generatedAt, lines, totals);
    }

    private static int indexOf(List<ReportApi.BreakageTotal> totals, String asset) {
        for (int i = 0; i < totals.size(); i++) {
            if (totals.get(i).assetCode().equals(asset)) {
                return i;
            }
        }
        return totals.size();
    }

    /** One CSV row: a source's line or an asset's total. */
    private record CsvRow(ReportApi.InPeriod period, String assetCode, String source, long amount, Long transfers) {
    }

    private static final List<Csv.Column<CsvRow>> COLUMNS = List.of(
            Csv.column("期間開始", r -> r.period().from()),
            Csv.column("期間終了", r -> r.period().to()),
            Csv.column("資産", CsvRow::assetCode),
            Csv.column("区分", CsvRow::source),
            Csv.column("失効額", CsvRow::amount),
            Csv.column("失効処理件数", CsvRow::transfers));

    /** The report as CSV: per asset its sources, then its total. */
    static byte[] csv(ReportApi.Breakage report) {
        List<CsvRow> rows = new ArrayList<>();
        for (ReportApi.BreakageTotal t : report.totals()) {
            for (ReportApi.BreakageLine l : report.lines()) {
                if (l.assetCode().equals(t.assetCode())) {
                    rows.add(new CsvRow(report.parameters(), l.assetCode(), l.source(), l.amount(), null));
                }
            }
            rows.add(new CsvRow(report.parameters(), t.assetCode(), "合計", t.amount(), t.transfers()));
        }
        return Csv.table(COLUMNS, rows);
    }
}
