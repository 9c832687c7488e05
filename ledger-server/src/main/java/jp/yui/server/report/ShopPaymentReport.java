package jp.yui.server.report;

import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import jp.yui.server.db.Db;
import jp.yui.server.region.Regions;

/**
 * Payments per shop (加盟店別決済実績) in a period: how many payments and what they paid, how many refunds and what they
 * gave back, and the net, per shop and in total. Only finished rows count ({@code status = 'DONE'}): a pending one has
 * not moved value yet. A payment belongs to the business day it was made on ({@code payment.business_date}); a
 * refund to the business day it was made on in the town's zone, whatever the day of its payment, so a period's net is
 * what the shop's account really gained in it. Amounts are in yen: payments may take points too, at 1 unit = ¥1.
 *
 * <p>Each measure is one sub-query per source table, grouped by shop and joined onto the shops. Fees are settlement's:
 * the per-payment fees its runs charged on the period's payments ({@code payout_item}), so a period not yet settled
 * shows no fees yet.
 */
@Singleton
public class ShopPaymentReport {

    private static final String SQL = """
            with paid (merchant_id, payments, gross) as (
                select merchant_id, count(*), sum(amount)
                from payment
                where region_id = ? and status = 'DONE' and business_date between ? and ?
                group by merchant_id
            ),
            refunded (merchant_id, refunds, amount) as (
                select p.merchant_id, count(*), sum(r.amount)
                from refund r
                join payment p on p.region_id = r.region_id and p.payment_id = r.payment_id
                where r.region_id = ? and r.status = 'DONE' and r.created_at >= ? and r.created_at < ?
                group by p.merchant_id
            ),
            fees (merchant_id, amount) as (
                select p.merchant_id, sum(i.fee)
                from payout_item i
                join payment p on p.region_id = i.region_id and p.payment_id = i.item_id
                where i.region_id = ? and i.kind = 'PAYMENT' and p.business_date between ? and ?
                group by p.merchant_id
            )
            select m.merchant_id, m.name, m.name_ja,
                   coalesce(paid.payments, 0), coalesce(paid.gross, 0),
                   coalesce(refunded.refunds, 0), coalesce(refunded.amount, 0), coalesce(fees.amount, 0)
            from merchant m
            left join paid on paid.merchant_id = m.merchant_id
            left join refunded on refunded.merchant_id = m.merchant_id
            left join fees on fees.merchant_id = m.merchant_id
            where m.region_id = ?
            order by m.name, m.merchant_id
            """;

    private final Db db;
    private final Regions regions;
    private final Clock clock;

    public ShopPaymentReport(Db db, Regions regions, Clock clock) {
        this.db = db;
        this.regions = regions;
        this.clock = clock;
    }

    /**
     * Every shop of the region, with zeros for those that took nothing in the period.
     *
     * @throws jp.yui.server.infra.ProblemException 404 if the region is unknown
     */
    public ReportApi.ShopPayments build(long regionId, ReportQuery.Period period) {
        Regions.RegionRow region = regions.require(regionId);
        Instant start = period.start(region.zone());
        Instant end = period.end(region.zone());
        Instant generatedAt = clock.instant();
        List<ReportApi.ShopLine> lines = Journal.snapshot(db, c -> Db.list(c, SQL, rs -> new ReportApi.ShopLine(
                rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                ReportApi.ShopAmounts.of(rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8))),
                regionId, period.from(), period.to(), regionId, start, end, regionId, period.from(), period.to(), regionId));
        ReportApi.ShopAmounts totals = ReportApi.ShopAmounts.ZERO;
        for (ReportApi.ShopLine l : lines) {
            totals = totals.plus(l.amounts());
        }
        return new ReportApi.ShopPayments(ReportQuery.region(region), new ReportApi.InPeriod(period.from(), period.to(),
                start, end), generatedAt, lines, totals);
    }

    private static final List<Csv.Column<ReportApi.ShopLine>> COLUMNS = List.of(
            Csv.column("加盟店ID", ReportApi.ShopLine::merchantId),
            Csv.column("加盟店名", l -> l.nameJa() != null ? l.nameJa() : l.name()),
            Csv.column("決済件数", l -> l.amounts().payments()),
            Csv.column("決済金額", l -> l.amounts().gross()),
            Csv.column("返金件数", l -> l.amounts().refunds()),
            Csv.column("返金額", l -> l.amounts().refunded()),
            Csv.column("差引金額", l -> l.amounts().net()),
            Csv.column("決済手数料(精算済)", l -> l.amounts().fees()));

    /** The report as CSV: a line per shop, then the total (no shop id, name 合計). */
    static byte[] csv(ReportApi.ShopPayments report) {
        List<ReportApi.ShopLine> rows = new ArrayList<>(report.lines());
        rows.add(new ReportApi.ShopLine(null, "合計", null, report.totals()));
        return Csv.table(COLUMNS, rows);
    }
}
