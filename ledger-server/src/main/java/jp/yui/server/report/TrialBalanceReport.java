package jp.yui.server.report;

import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import jp.yui.server.db.Db;
import jp.yui.server.payment.Merchants;
import jp.yui.server.region.Purpose;
import jp.yui.server.region.Regions;

/**
 * The trial balance (残高試算表) of a region at the end of a business day: per asset, the posted debits, credits and
 * balance of each account of the chart (one line each, breakage included) and of every resident wallet, shop account,
 * programme budget and campaign budget summed up into one line per kind with the number of accounts. Accounts the
 * report cannot place (one a later feature opens) are summed up as {@code OTHER}, so the totals still cover the whole
 * ledger. Pending holds are not in it: they have not moved value yet.
 *
 * <p>How: the ledger keeps each account's posted totals current; the report takes them and subtracts the entries of
 * transfers stamped at or after the instant, found through the journal's seq index. So a report for today reads
 * one row per account, and one for a past day also the entries since then, never the whole history. All of it in one
 * snapshot ({@link Journal#snapshot}), since the writer updates totals and entries in one transaction.
 */
@Singleton
public class TrialBalanceReport {

    /** Japanese names of the lines, for the CSV; a purpose not listed shows its code. */
    static final Map<String, String> NAMES = Map.ofEntries(
            Map.entry("BANK", "銀行預金"),
            Map.entry("CASH", "現金"),
            Map.entry("CONVERSION_FUNDING", "ポイント交換原資"),
            Map.entry("FEE_REVENUE", "手数料収入"),
            Map.entry("SETTLEMENT_PAYABLE", "精算未払金"),
            Map.entry("ISSUED", "ポイント発行"),
            Map.entry("REDEEMED", "ポイント交換済"),
            Map.entry("BREAKAGE", "失効"),
            Map.entry("WALLET", "住民ウォレット"),
            Map.entry("SHOP", "加盟店口座"),
            Map.entry("PROGRAMME_BUDGET", "事業予算"),
            Map.entry("CAMPAIGN_BUDGET", "キャンペーン予算"),
            Map.entry("OTHER", "その他"));

    /** Summed-up kinds, in the order they follow the chart accounts. */
    private static final List<String> SUMMED = List.of("WALLET", "SHOP", "PROGRAMME_BUDGET", "CAMPAIGN_BUDGET", "OTHER");

    /*
     * kinds: which part each known account plays. later: per account, what transfers stamped at or after the instant
     * moved (an entry's seq is its transfer's and its account one of the transfer's two, both probed through the
     * entries' primary key, so only recent entries are read; holds have no entries and drop out). at_date: each
     * account's posted totals as they stood then. Chart accounts stay one line each (their id in the group key); the
     * rest group by kind and normal side.
     */
    private static final String SQL = """
            with kinds (account_id, kind, chart) as (
                select account_id, purpose, true from region_account where region_id = ?
                union all
                select breakage_account_id, 'BREAKAGE', true from ledger_asset where region_id = ?
                union all
                select account_id, 'WALLET', false from wallet where region_id = ?
                union all
                select budget_account_id, 'PROGRAMME_BUDGET', false from programme where region_id = ?
                union all
                select budget_account_id, 'CAMPAIGN_BUDGET', false from campaign where region_id = ?
                union all
                select id, 'SHOP', false from unnest(?::uuid[]) as shop (id)
            ),
            later (account_id, debits, credits) as (
                select e.account_id,
                       coalesce(sum(e.amount) filter (where e.side = 'D'), 0),
                       coalesce(sum(e.amount) filter (where e.side = 'C'), 0)
                from ledger_transfer t
                cross join lateral (values (t.debit_account_id), (t.credit_account_id)) as side (account_id)
                join ledger_entry e on e.region_id = t.region_id and e.account_id = side.account_id and e.seq = t.seq
                where t.region_id = ? and t.seq > ?
                group by e.account_id
            ),
            at_date as (
                select a.asset_code, a.normal_side, a.account_id,
                       coalesce(k.kind, 'OTHER') as kind, coalesce(k.chart, false) as chart,
                       a.debits_posted - coalesce(l.debits, 0) as debits,
                       a.credits_posted - coalesce(l.credits, 0) as credits
                from ledger_account a
                left join kinds k on k.account_id = a.account_id
                left join later l on l.account_id = a.account_id
                where a.region_id = ?
            )
            select asset_code, kind, case when chart then account_id end, normal_side,
                   case when chart then 1 else count(*) filter (where debits > 0 or credits > 0) end,
                   sum(debits), sum(credits)
            from at_date
            group by asset_code, kind, chart, case when chart then account_id end, normal_side
            """;

    private final Db db;
    private final Regions regions;
    private final Clock clock;

    public TrialBalanceReport(Db db, Regions regions, Clock clock) {
        this.db = db;
        this.regions = regions;
        this.clock = clock;
    }

    /**
     * The trial balance at the end of {@code date}.
     *
     * @throws jp.yui.server.infra.ProblemException 404 if the region is unknown
     * @throws IllegalStateException if an asset's debits and credits differ (the ledger's double entry is broken:
     *                               run its verify; answered 500)
     */
    public ReportApi.TrialBalance build(long regionId, LocalDate date) {
        Regions.RegionRow region = regions.require(regionId);
        Instant at = ReportQuery.endOf(date, region.zone());
        Instant generatedAt = clock.instant();
        List<ReportApi.TrialBalanceLine> lines = Journal.snapshot(db, c -> lines(c, regionId, at));

        Map<String, long[]> sums = new LinkedHashMap<>();
        for (ReportApi.TrialBalanceLine l : lines) {
            long[] s = sums.computeIfAbsent(l.assetCode(), a -> new long[2]);
            s[0] = Math.addExact(s[0], l.debits());
            s[1] = Math.addExact(s[1], l.credits());
        }
        List<ReportApi.DebitsCredits> totals = new ArrayList<>();
        sums.forEach((asset, s) -> {
            if (s[0] != s[1]) {
                throw new IllegalStateException("the trial balance of " + asset + " in region " + regionId + " at " + at
                        + " does not balance: debits " + s[0] + ", credits " + s[1] + "; run the ledger's verify");
            }
            totals.add(new ReportApi.DebitsCredits(asset, s[0], s[1]));
        });
        return new ReportApi.TrialBalance(ReportQuery.region(region), new ReportApi.AtDate(date, at), generatedAt, lines,
                totals);
    }

    private static List<ReportApi.TrialBalanceLine> lines(Connection c, long regionId, Instant at) throws SQLException {
        long seq = Journal.lastSeqBefore(c, regionId, at);
        List<String> assets = Db.list(c, "select asset_code from region_asset where region_id = ? order by kind, asset_code",
                rs -> rs.getString(1), regionId);
        // Shop accounts are named by id, not listed in a table: derive them for every shop and asset.
        List<UUID> shops = new ArrayList<>();
        for (UUID merchant : Db.list(c, "select merchant_id from merchant where region_id = ?",
                rs -> rs.getObject(1, UUID.class), regionId)) {
            for (String asset : assets) {
                shops.add(Merchants.account(regionId, merchant, asset));
            }
        }
        List<ReportApi.TrialBalanceLine> lines = Db.list(c, SQL, rs -> {
            String normal = rs.getString(4).equals("D") ? "DEBIT" : "CREDIT";
            long debits = rs.getLong(6);
            long credits = rs.getLong(7);
            long balance = normal.equals("DEBIT") ? Math.subtractExact(debits, credits) : Math.subtractExact(credits, debits);
            return new ReportApi.TrialBalanceLine(rs.getString(1), rs.getString(2), rs.getObject(3, UUID.class), normal,
                    rs.getLong(5), debits, credits, balance);
        }, regionId, regionId, regionId, regionId, regionId, c.createArrayOf("uuid", shops.toArray(UUID[]::new)), regionId, seq,
                regionId);
        Comparator<ReportApi.TrialBalanceLine> order = Comparator
                .comparingInt((ReportApi.TrialBalanceLine l) -> assets.indexOf(l.assetCode()))
                .thenComparingInt(l -> rank(l.account()))
                .thenComparing(ReportApi.TrialBalanceLine::account)
                .thenComparing(ReportApi.TrialBalanceLine::normalSide);
        return lines.stream().sorted(order).toList();
    }

    /** Chart accounts in the chart's order, breakage after them, then the summed-up kinds. */
    private static int rank(String account) {
        for (Purpose p : Purpose.values()) {
            if (p.name().equals(account)) {
                return p.ordinal();
            }
        }
        int summed = SUMMED.indexOf(account);
        if (summed >= 0) {
            return 1_000 + summed;
        }
        // BREAKAGE, and purposes added to the chart after this report was written.
        return account.equals("BREAKAGE") ? 500 : 400;
    }

    /** One CSV row: a line, or an asset's total. */
    private record CsvRow(LocalDate date, String assetCode, String code, UUID accountId, Long accounts, String side,
            long debits, long credits, Long balance) {
    }

    private static final List<Csv.Column<CsvRow>> COLUMNS = List.of(
            Csv.column("基準日", CsvRow::date),
            Csv.column("資産", CsvRow::assetCode),
            Csv.column("勘定コード", CsvRow::code),
            Csv.column("勘定科目", r -> r.code().equals("TOTAL") ? "合計" : NAMES.getOrDefault(r.code(), r.code())),
            Csv.column("口座ID", CsvRow::accountId),
            Csv.column("口座数", CsvRow::accounts),
            Csv.column("残高区分", r -> r.side() == null ? null : r.side().equals("DEBIT") ? "借方" : "貸方"),
            Csv.column("借方合計", CsvRow::debits),
            Csv.column("貸方合計", CsvRow::credits),
            Csv.column("残高", CsvRow::balance));

    /** The report as CSV: its lines, each asset followed by its total. */
    static byte[] csv(ReportApi.TrialBalance report) {
        LocalDate date = report.parameters().date();
        List<CsvRow> rows = new ArrayList<>();
        for (ReportApi.DebitsCredits total : report.totals()) {
            for (ReportApi.TrialBalanceLine l : report.lines()) {
                if (l.assetCode().equals(total.assetCode())) {
                    rows.add(new CsvRow(date, l.assetCode(), l.account(), l.accountId(), l.accounts(), l.normalSide(),
                            l.debits(), l.credits(), l.balance()));
                }
            }
            rows.add(new CsvRow(date, total.assetCode(), "TOTAL", null, null, null, total.debits(), total.credits(), null));
        }
        return Csv.table(COLUMNS, rows);
    }
}
