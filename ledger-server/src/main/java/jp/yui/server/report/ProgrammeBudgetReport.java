package jp.yui.server.report;

import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jp.yui.server.db.Db;
import jp.yui.server.region.Regions;

/**
 * Programme budget use (事業予算の執行状況): per programme, the points appropriated to its budget account and awarded
 * from it, in the period and from the start to the period's end, and what remained at the end.
 *
 * <p>A budget account is credited only by appropriations (the town's {@code ISSUED} account to the budget) and
 * debited only by awards (the budget to a wallet), and it may not be overdrawn. So the report reads the sides of its
 * entries: credits are appropriated, debits awarded (one debit per award), and remaining is credits less debits,
 * which is the account's balance then. The entries are read by the account's primary key up to the period's last
 * journal seq.
 */
@Singleton
public class ProgrammeBudgetReport {

    private static final String SQL = """
            select p.programme_id, p.name, p.asset_code,
                   coalesce(sum(e.amount) filter (where e.side = 'C' and e.seq > ?), 0),
                   coalesce(sum(e.amount) filter (where e.side = 'D' and e.seq > ?), 0),
                   count(e.seq) filter (where e.side = 'D' and e.seq > ?),
                   coalesce(sum(e.amount) filter (where e.side = 'C'), 0),
                   coalesce(sum(e.amount) filter (where e.side = 'D'), 0)
            from programme p
            left join ledger_entry e on e.region_id = p.region_id and e.account_id = p.budget_account_id and e.seq <= ?
            where p.region_id = ?
            group by p.programme_id, p.name, p.asset_code, p.created_at
            order by p.asset_code, p.created_at, p.programme_id
            """;

    private final Db db;
    private final Regions regions;
    private final Clock clock;

    public ProgrammeBudgetReport(Db db, Regions regions, Clock clock) {
        this.db = db;
        this.regions = regions;
        this.clock = clock;
    }

    /**
     * Every programme's budget use in the period.
     *
     * @throws jp.yui.server.infra.ProblemException 404 if the region is unknown
     */
    public ReportApi.ProgrammeBudgets build(long regionId, ReportQuery.Period period) {
        Regions.RegionRow region = regions.require(regionId);
        Instant start = period.start(region.zone());
        Instant end = period.end(region.zone());
        Instant generatedAt = clock.instant();
        List<ReportApi.ProgrammeBudgetLine> lines = Journal.snapshot(db, c -> {
            long after = Journal.lastSeqBefore(c, regionId, start);
            long upTo = Journal.lastSeqBefore(c, regionId, end);
            return Db.list(c, SQL, rs -> {
                long appropriated = rs.getLong(7);
                long awarded = rs.getLong(8);
                return new ReportApi.ProgrammeBudgetLine(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                        rs.getLong(4), rs.getLong(5), rs.getLong(6), appropriated, awarded,
                        Math.subtractExact(appropriated, awarded));
            }, after, after, after, upTo, regionId);
        });
        Map<String, ReportApi.ProgrammeBudgetTotal> totals = new LinkedHashMap<>();
        for (ReportApi.ProgrammeBudgetLine l : lines) {
            totals.merge(l.assetCode(), new ReportApi.ProgrammeBudgetTotal(l.assetCode(), l.appropriatedInPeriod(),
                    l.awardedInPeriod(), l.awardsInPeriod(), l.appropriatedToDate(), l.awardedToDate(), l.remaining()),
                    (a, b) -> new ReportApi.ProgrammeBudgetTotal(a.assetCode(),
                            Math.addExact(a.appropriatedInPeriod(), b.appropriatedInPeriod()),
                            Math.addExact(a.awardedInPeriod(), b.awardedInPeriod()),
                            Math.addExact(a.awardsInPeriod(), b.awardsInPeriod()),
                            Math.addExact(a.appropriatedToDate(), b.appropriatedToDate()),
                            Math.addExact(a.awardedToDate(), b.awardedToDate()),
                            Math.addExact(a.remaining(), b.remaining())));
        }
        return new ReportApi.ProgrammeBudgets(ReportQuery.region(region), new ReportApi.InPeriod(period.from(), period.to(),
                start, end), generatedAt, lines, new ArrayList<>(totals.values()));
    }

    /** One CSV row: a programme, or an asset's total (no programme id, name 合計). */
    private record CsvRow(ReportApi.InPeriod period, UUID programmeId, String name, String assetCode,
            long appropriatedInPeriod, long awardedInPeriod, long awardsInPeriod, long appropriatedToDate,
            long awardedToDate, long remaining) {
    }

    private static final List<Csv.Column<CsvRow>> COLUMNS = List.of(
            Csv.column("期間開始", r -> r.period().from()),
            Csv.column("期間終了", r -> r.period().to()),
            Csv.column("事業ID", CsvRow::programmeId),
            Csv.column("事業名", CsvRow::name),
            Csv.column("資産", CsvRow::assetCode),
            Csv.column("期間中の予算計上", CsvRow::appropriatedInPeriod),
            Csv.column("期間中の付与", CsvRow::awardedInPeriod),
            Csv.column("期間中の付与件数", CsvRow::awardsInPeriod),
            Csv.column("累計予算計上", CsvRow::appropriatedToDate),
            Csv.column("累計付与", CsvRow::awardedToDate),
            Csv.column("予算残高", CsvRow::remaining));

    /** The report as CSV: the programmes of each asset, then its total. */
    static byte[] csv(ReportApi.ProgrammeBudgets report) {
        ReportApi.InPeriod p = report.parameters();
        List<CsvRow> rows = new ArrayList<>();
        for (ReportApi.ProgrammeBudgetTotal t : report.totals()) {
            for (ReportApi.ProgrammeBudgetLine l : report.lines()) {
                if (l.assetCode().equals(t.assetCode())) {
                    rows.add(new CsvRow(p, l.programmeId(), l.name(), l.assetCode(), l.appropriatedInPeriod(),
                            l.awardedInPeriod(), l.awardsInPeriod(), l.appropriatedToDate(), l.awardedToDate(),
                            l.remaining()));
                }
            }
            rows.add(new CsvRow(p, null, "合計", t.assetCode(), t.appropriatedInPeriod(), t.awardedInPeriod(),
                    t.awardsInPeriod(), t.appropriatedToDate(), t.awardedToDate(), t.remaining()));
        }
        return Csv.table(COLUMNS, rows);
    }
}
