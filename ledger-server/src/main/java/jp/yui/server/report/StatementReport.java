package jp.yui.server.report;

import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import jp.yui.ledger.Account;
import jp.yui.ledger.Ledger;
import jp.yui.ledger.Side;
import jp.yui.ledger.StatementEntry;
import jp.yui.ledger.StatementPage;
import jp.yui.server.db.Db;
import jp.yui.server.db.Problems;
import jp.yui.server.region.Regions;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * The statement of any account of a region over whole business days: its posted movements in journal order, each
 * with the balance after it, read a page at a time through {@link Ledger#statement} (keyset paging on the journal
 * seq). The totals cover the whole period: opening and closing balance and the debits and credits between, summed
 * in the database over the account's entries, so they do not depend on how many pages a client reads. Each page's
 * totals are as of its own read: in a period still running, a later page may count transfers committed after an
 * earlier page was read; a closed period never changes.
 */
@Singleton
public class StatementReport {

    /** Lines per page read from the ledger when the CSV streams the whole period. */
    static final int CSV_PAGE = 1_000;

    private static final DateTimeFormatter LOCAL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final Db db;
    private final Ledger ledger;
    private final Regions regions;
    private final Clock clock;

    public StatementReport(Db db, Ledger ledger, Regions regions, Clock clock) {
        this.db = db;
        this.ledger = ledger;
        this.regions = regions;
        this.clock = clock;
    }

    /**
     * One page of the statement.
     *
     * @param cursor the previous page's {@code nextCursor}, or 0 for the first page
     * @param limit  lines per page, 1 to 1,000 (checked by the caller)
     * @throws jp.yui.server.infra.ProblemException 404 if the region or the account (in this region) is unknown
     */
    public ReportApi.Statement page(long regionId, UUID accountId, ReportQuery.Period period, long cursor, int limit) {
        Regions.RegionRow region = regions.require(regionId);
        Account account = require(regionId, accountId);
        Instant start = period.start(region.zone());
        Instant end = period.end(region.zone());
        Instant generatedAt = clock.instant();
        ReportApi.StatementTotals totals = totals(regionId, accountId, account.normal(), start, end);
        StatementPage page = ledger.statement(regionId, accountId, start, end, cursor, limit);
        List<ReportApi.StatementLine> lines = page.entries().stream().map(e -> line(e, region.zone())).toList();
        return new ReportApi.Statement(ReportQuery.region(region), new ReportApi.StatementParameters(accountId,
                period.from(), period.to(), start, end, cursor, limit), generatedAt, account(account), lines,
                page.nextCursor(), totals);
    }

    /**
     * The whole period as CSV, streamed: the header first, then each page as the ledger gives it, so a long statement
     * is never held in memory. The account is checked before anything is sent, so an unknown one is still a 404.
     *
     * @throws jp.yui.server.infra.ProblemException 404 if the region or the account (in this region) is unknown
     */
    public Flux<byte[]> csv(long regionId, UUID accountId, ReportQuery.Period period) {
        Regions.RegionRow region = regions.require(regionId);
        Account account = require(regionId, accountId);
        Instant start = period.start(region.zone());
        Instant end = period.end(region.zone());
        ZoneId zone = region.zone();
        Flux<byte[]> pages = Flux.<byte[], Long>generate(() -> 0L, (cursor, sink) -> {
            if (cursor < 0) {
                sink.complete();
                return cursor;
            }
            StatementPage page = ledger.statement(regionId, accountId, start, end, cursor, CSV_PAGE);
            List<CsvRow> rows = page.entries().stream().map(e -> new CsvRow(account, line(e, zone), zone)).toList();
            sink.next(Csv.rows(COLUMNS, rows));
            return page.nextCursor() == null ? -1L : page.nextCursor();
        });
        // Pages are blocking JDBC reads: off the event loop.
        return Flux.concat(Flux.just(Csv.head(COLUMNS)), pages).subscribeOn(Schedulers.boundedElastic());
    }

    private Account require(long regionId, UUID accountId) {
        return ledger.account(regionId, accountId).orElseThrow(() -> Problems.notFound("account", accountId));
    }

    /** Opening and closing balance and the movements between, in one snapshot. */
    private ReportApi.StatementTotals totals(long regionId, UUID accountId, Side normal, Instant start, Instant end) {
        return Journal.snapshot(db, c -> {
            long before = Journal.lastSeqBefore(c, regionId, start);
            long last = Journal.lastSeqBefore(c, regionId, end);
            long[] sums = Db.one(c, "select coalesce(sum(amount) filter (where side = 'D'), 0), "
                    + "coalesce(sum(amount) filter (where side = 'C'), 0) from ledger_entry "
                    + "where region_id = ? and account_id = ? and seq > ? and seq <= ?",
                    rs -> new long[] {rs.getLong(1), rs.getLong(2)}, regionId, accountId, before, last).orElseThrow();
            long opening = balanceAfter(c, regionId, accountId, before);
            long closing = balanceAfter(c, regionId, accountId, last);
            return new ReportApi.StatementTotals(opening, sums[0], sums[1], closing);
        });
    }

    /** The account's balance after the last of its entries at or below a seq (0 before its first). */
    private static long balanceAfter(Connection c, long regionId, UUID accountId, long seq) throws SQLException {
        return Db.one(c, "select balance_after from ledger_entry where region_id = ? and account_id = ? and seq <= ? "
                + "order by seq desc limit 1", rs -> rs.getLong(1), regionId, accountId, seq).orElse(0L);
    }

    private static ReportApi.StatementAccount account(Account a) {
        return new ReportApi.StatementAccount(a.id(), a.assetCode(), a.label(), a.normal().name());
    }

    private static ReportApi.StatementLine line(StatementEntry e, ZoneId zone) {
        boolean debit = e.side() == Side.DEBIT;
        return new ReportApi.StatementLine(e.seq(), e.transferId(), e.timestamp(), LocalDate.ofInstant(e.timestamp(), zone),
                e.kind().name(), e.reason(), debit ? e.amount() : 0, debit ? 0 : e.amount(), e.balanceAfter());
    }

    /** A CSV row: the line, with the account it belongs to and the town's zone for local times. */
    private record CsvRow(Account account, ReportApi.StatementLine line, ZoneId zone) {
    }

    private static final List<Csv.Column<CsvRow>> COLUMNS = List.of(
            Csv.column("口座ID", r -> r.account().id()),
            Csv.column("資産", r -> r.account().assetCode()),
            Csv.column("営業日", r -> r.line().businessDate()),
            Csv.column("日時", r -> LOCAL_TIME.format(LocalDateTime.ofInstant(r.line().at().truncatedTo(ChronoUnit.SECONDS),
                    r.zone()))),
            Csv.column("通番", r -> r.line().seq()),
            Csv.column("取引ID", r -> r.line().transferId()),
            Csv.column("種類", r -> r.line().kind()),
            Csv.column("事由", r -> r.line().reason()),
            Csv.column("借方", r -> r.line().debit()),
            Csv.column("貸方", r -> r.line().credit()),
            Csv.column("残高", r -> r.line().balanceAfter()));
}
