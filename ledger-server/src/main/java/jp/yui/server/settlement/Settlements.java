package jp.yui.server.settlement;

import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import jp.yui.ledger.Ledger;
import jp.yui.ledger.TransferOutcome;
import jp.yui.ledger.TransferRequest;
import jp.yui.ledger.TransferResult;
import jp.yui.server.db.Db;
import jp.yui.server.db.Ids;
import jp.yui.server.db.Linked;
import jp.yui.server.db.Problems;
import jp.yui.server.payment.Merchants;
import jp.yui.server.region.Purpose;
import jp.yui.server.region.Regions;

/**
 * Settlement runs: what each shop is owed for a closed period, and the payouts that pay it.
 *
 * <p>A run takes every payment and refund of the region that is done, not yet settled, and dated up to the
 * period's last day (so takings a shop could not be paid before, below the minimum or without a bank account,
 * are carried into the next run). Per shop: gross = payments − refunds, per asset; the fee is the sum of per-payment
 * fees, each {@code amount × rate} rounded down to the yen ({@link RoundingMode#DOWN}, in the shop's favour), and a
 * refund does not give a fee back; net = gross − fee. A shop owed less than the minimum, without a bank account, or
 * whose refunds exceed its payments is held, with the reason, for a later run.
 *
 * <p>In the ledger, per payout and as one linked group: the shop's currency takings go to settlement payable; points
 * the shop took are retired to the asset's redeemed account and the town pays their yen (1 point = ¥1) from its
 * conversion funding into settlement payable; the fee goes from payable to fee revenue. When the bank confirms the
 * transfer, payable → bank ({@link #markPaid}).
 *
 * <p>A run is identified by its period: running it again answers the same run and changes nothing. Runs of a region
 * are decided one at a time (an advisory lock), and every payment and refund is stamped with the run that settled it.
 */
@Singleton
public class Settlements {

    /** The latest a pay date may be after its period: later is a typing mistake, not a plan. */
    static final int MAX_PAY_DELAY_DAYS = 62;

    private final Db db;
    private final Ledger ledger;
    private final Regions regions;
    private final Merchants merchants;
    private final SettlementSettings settings;
    private final Clock clock;

    public Settlements(Db db, Ledger ledger, Regions regions, Merchants merchants, SettlementSettings settings, Clock clock) {
        this.db = db;
        this.ledger = ledger;
        this.regions = regions;
        this.merchants = merchants;
        this.settings = settings;
        this.clock = clock;
    }

    /** One payment or refund waiting to be settled: its amount per asset (negative for a refund). */
    private record Item(String kind, UUID id, UUID merchantId, long amount, Map<String, Long> byAsset) {
    }

    /** What a shop is owed in a run. */
    private static final class Owed {
        final List<Item> items = new ArrayList<>();
        final Map<String, Long> byAsset = new TreeMap<>();
        long gross;
        long fee;
        int payments;
        int refunds;
    }

    /** The fee on one payment: {@code amount × basisPoints / 10,000}, rounded down to the yen. */
    public static long fee(long amount, int basisPoints) {
        return BigDecimal.valueOf(amount).multiply(BigDecimal.valueOf(basisPoints))
                .divide(BigDecimal.valueOf(10_000), 0, RoundingMode.DOWN).longValueExact();
    }

    /**
     * The day a period's payouts are made: HALF_MONTHLY pays the 1st–15th at the month's end and the 16th–end on the
     * 15th of the next month; MONTHLY pays on the 15th of the next month; ON_DEMAND the day after the period. A day
     * banks do not transfer (a weekend, a national holiday, 31 December–3 January: {@link BankDays}) moves to the
     * next bank day.
     */
    public static LocalDate payDate(SettlementApi.Cycle cycle, LocalDate periodTo) {
        LocalDate day;
        switch (cycle) {
            case HALF_MONTHLY:
                day = periodTo.getDayOfMonth() <= 15 ? periodTo.withDayOfMonth(periodTo.lengthOfMonth())
                        : periodTo.plusMonths(1).withDayOfMonth(15);
                break;
            case MONTHLY:
                day = periodTo.plusMonths(1).withDayOfMonth(15);
                break;
            default:
                day = periodTo.plusDays(1);
        }
        return BankDays.onOrAfter(day);
    }

    /**
     * Runs settlement for a closed period, or answers the run already made for it.
     *
     * @throws jp.yui.server.infra.ProblemException 422 {@code settlement-not-configured} before the region's settings
     *     exist, {@code period-not-closed} for a period that has not ended, 400 {@code validation} for a period that
     *     ends before it starts or a pay date before its end
     */
    public SettlementApi.Run run(long regionId, SettlementApi.CreateRun req, String who) {
        SettlementApi.Settings s = settings.require(regionId);
        Regions.RegionRow region = regions.require(regionId);
        LocalDate today = region.today(clock);
        if (req.periodFrom().isAfter(req.periodTo())) {
            throw Problems.badRequest("validation", "Invalid request", "periodFrom " + req.periodFrom()
                    + " is after periodTo " + req.periodTo());
        }
        if (!req.periodTo().isBefore(today)) {
            throw Problems.unprocessable("period-not-closed", "Period not closed", "the period ends on " + req.periodTo()
                    + "; it can be settled from " + req.periodTo().plusDays(1));
        }
        if (req.periodFrom().getYear() < BankDays.FIRST_YEAR) {
            throw Problems.badRequest("validation", "Invalid request", "periodFrom " + req.periodFrom()
                    + " is before " + BankDays.FIRST_YEAR);
        }
        LocalDate payDate = req.payDate() != null ? req.payDate() : payDate(s.cycle(), req.periodTo());
        if (!payDate.isAfter(req.periodTo()) || payDate.isAfter(req.periodTo().plusDays(MAX_PAY_DELAY_DAYS))) {
            throw Problems.badRequest("validation", "Invalid request", "payDate " + payDate
                    + " must be after the period and at most " + MAX_PAY_DELAY_DAYS + " days after it");
        }
        if (!BankDays.isBankDay(payDate)) {
            throw Problems.badRequest("validation", "Invalid request", "payDate " + payDate
                    + " is not a bank day (a weekend, a national holiday or 31 December–3 January); the next is "
                    + BankDays.onOrAfter(payDate));
        }
        UUID runId = Ids.of("settlement", regionId, req.periodFrom(), req.periodTo());
        Instant cutoff = req.periodTo().plusDays(1).atStartOfDay(region.zone()).toInstant();
        db.tx(c -> {
            Db.lock(c, "settlement:" + regionId);
            if (Db.sum(c, "select count(*) from settlement_run where region_id = ? and settlement_id = ?", regionId, runId) > 0) {
                return null;
            }
            Db.update(c, "insert into settlement_run (region_id, settlement_id, period_from, period_to, cutoff, pay_date, "
                    + "status, created_by, created_at) values (?, ?, ?, ?, ?, ?, 'PENDING', ?, ?)", regionId, runId,
                    req.periodFrom(), req.periodTo(), cutoff, payDate, who, clock.instant());
            decide(c, regionId, runId, req.periodTo(), cutoff, payDate, s);
            return null;
        });
        finish(regionId, runId);
        return view(regionId, runId);
    }

    /** Decides the run's payouts and held shops, and stamps what they settle. */
    private void decide(Connection c, long regionId, UUID runId, LocalDate periodTo, Instant cutoff, LocalDate payDate,
            SettlementApi.Settings s) throws SQLException {
        Map<UUID, Owed> owed = new LinkedHashMap<>();
        for (Item item : items(c, regionId, periodTo, cutoff)) {
            Owed o = owed.computeIfAbsent(item.merchantId(), m -> new Owed());
            o.items.add(item);
            item.byAsset().forEach((asset, amount) -> o.byAsset.merge(asset, amount, Math::addExact));
            o.gross = Math.addExact(o.gross, item.amount());
            if (item.kind().equals("PAYMENT")) {
                o.payments++;
            } else {
                o.refunds++;
            }
        }
        Map<UUID, SettlementApi.BankAccount> accounts = new HashMap<>();
        for (Object[] r : Db.list(c, "select merchant_id, bank_code, bank_name, branch_code, branch_name, account_type, "
                + "account_number, holder_name from merchant_bank_account where region_id = ?", rs -> new Object[] {
                rs.getObject(1, UUID.class), new SettlementApi.BankAccount(rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getString(5), SettlementApi.AccountType.valueOf(rs.getString(6)), rs.getString(7), rs.getString(8))},
                regionId)) {
            accounts.put((UUID) r[0], (SettlementApi.BankAccount) r[1]);
        }
        Instant now = clock.instant();
        for (Map.Entry<UUID, Owed> e : owed.entrySet()) {
            UUID merchantId = e.getKey();
            Owed o = e.getValue();
            Merchants.Row shop = merchants.require(regionId, merchantId);
            int bp = (int) Db.sum(c, "select coalesce(fee_bp, ?) from merchant where region_id = ? and merchant_id = ?",
                    s.feeRateBasisPoints(), regionId, merchantId);
            for (Item item : o.items) {
                if (item.kind().equals("PAYMENT")) {
                    o.fee = Math.addExact(o.fee, fee(item.amount(), bp));
                }
            }
            long net = o.gross - o.fee;
            String reason = null;
            if (o.byAsset.values().stream().anyMatch(v -> v < 0)) {
                reason = "refunds exceed payments";
            } else if (net < s.minimumPayout()) {
                reason = "below the minimum payout of ¥" + s.minimumPayout();
            } else if (!accounts.containsKey(merchantId)) {
                reason = "no bank account on file";
            }
            if (reason != null) {
                Db.update(c, "insert into settlement_held (region_id, settlement_id, merchant_id, owed, reason) "
                        + "values (?, ?, ?, ?, ?)", regionId, runId, merchantId, net, reason);
                continue;
            }
            SettlementApi.BankAccount a = accounts.get(merchantId);
            UUID payoutId = Ids.of("payout", regionId, runId, merchantId);
            Db.update(c, "insert into payout (region_id, payout_id, settlement_id, merchant_id, gross, fee, net, payment_count, "
                    + "refund_count, status, scheduled_for, bank_code, bank_name, branch_code, branch_name, account_type, "
                    + "account_number, holder_name, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, 'SCHEDULED', ?, ?, ?, ?, "
                    + "?, ?, ?, ?, ?)", regionId, payoutId, runId, merchantId, o.gross, o.fee, net, o.payments, o.refunds,
                    payDate, a.bankCode(), nullToEmpty(a.bankName()), a.branchCode(), nullToEmpty(a.branchName()),
                    a.accountType().name(), a.accountNumber(), holder(a, shop), now);
            for (Item item : o.items) {
                long itemFee = item.kind().equals("PAYMENT") ? fee(item.amount(), bp) : 0;
                Db.update(c, "insert into payout_item (region_id, payout_id, kind, item_id, amount, fee) values (?, ?, ?, ?, ?, ?)",
                        regionId, payoutId, item.kind(), item.id(), item.amount(), itemFee);
                Db.update(c, "update " + (item.kind().equals("PAYMENT") ? "payment" : "refund") + " set settlement_id = ? "
                        + "where region_id = ? and " + (item.kind().equals("PAYMENT") ? "payment_id" : "refund_id") + " = ?",
                        runId, regionId, item.id());
            }
        }
    }

    private static List<Item> items(Connection c, long regionId, LocalDate periodTo, Instant cutoff) throws SQLException {
        Map<UUID, Map<String, Long>> paymentLegs = new HashMap<>();
        for (Object[] r : Db.list(c, "select l.payment_id, l.asset_code, l.amount from payment_leg l join payment p "
                + "on p.region_id = l.region_id and p.payment_id = l.payment_id where p.region_id = ? and p.status = 'DONE' "
                + "and p.settlement_id is null and p.business_date <= ?", rs -> new Object[] {rs.getObject(1, UUID.class),
                rs.getString(2), rs.getLong(3)}, regionId, periodTo)) {
            paymentLegs.computeIfAbsent((UUID) r[0], k -> new TreeMap<>()).put((String) r[1], (Long) r[2]);
        }
        List<Item> items = new ArrayList<>();
        for (Object[] r : Db.list(c, "select payment_id, merchant_id, amount from payment where region_id = ? and status = 'DONE' "
                + "and settlement_id is null and business_date <= ? order by created_at, payment_id", rs -> new Object[] {
                rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getLong(3)}, regionId, periodTo)) {
            items.add(new Item("PAYMENT", (UUID) r[0], (UUID) r[1], (Long) r[2], paymentLegs.get((UUID) r[0])));
        }
        Map<UUID, Map<String, Long>> refundLegs = new HashMap<>();
        for (Object[] r : Db.list(c, "select l.refund_id, l.asset_code, l.amount from refund_leg l join refund f "
                + "on f.region_id = l.region_id and f.refund_id = l.refund_id where f.region_id = ? and f.status = 'DONE' "
                + "and f.settlement_id is null and f.created_at < ?", rs -> new Object[] {rs.getObject(1, UUID.class),
                rs.getString(2), rs.getLong(3)}, regionId, cutoff)) {
            refundLegs.computeIfAbsent((UUID) r[0], k -> new TreeMap<>()).put((String) r[1], -(Long) r[2]);
        }
        for (Object[] r : Db.list(c, "select f.refund_id, p.merchant_id, f.amount from refund f join payment p "
                + "on p.region_id = f.region_id and p.payment_id = f.payment_id where f.region_id = ? and f.status = 'DONE' "
                + "and f.settlement_id is null and f.created_at < ? order by f.created_at, f.refund_id", rs -> new Object[] {
                rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getLong(3)}, regionId, cutoff)) {
            items.add(new Item("REFUND", (UUID) r[0], (UUID) r[1], -(Long) r[2], refundLegs.get((UUID) r[0])));
        }
        return items;
    }

    /**
     * Posts the run's payouts to the ledger (again, for a run a crash left PENDING: the transfers are idempotent).
     * A payout the ledger refuses is undone and its shop held, so the run never claims money it did not move.
     */
    private void finish(long regionId, UUID runId) {
        // One finisher per run at a time (the scheduler and a repeated request may both try): held for the whole
        // finish on a connection of its own, so one cannot drop a payout the other is posting.
        db.tx(lock -> {
            Db.lock(lock, "settlement-finish:" + regionId + ":" + runId);
            finishLocked(regionId, runId);
            return null;
        });
    }

    private void finishLocked(long regionId, UUID runId) {
        String status = db.read(c -> Db.one(c, "select status from settlement_run where region_id = ? and settlement_id = ?",
                rs -> rs.getString(1), regionId, runId)).orElseThrow();
        if (status.equals("DONE")) {
            return;
        }
        String currency = regions.require(regionId).currencyCode();
        UUID payable = Regions.account(regionId, Purpose.SETTLEMENT_PAYABLE, currency);
        for (Object[] p : db.read(c -> Db.list(c, "select payout_id, merchant_id, fee from payout where region_id = ? "
                + "and settlement_id = ?", rs -> new Object[] {rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                rs.getLong(3)}, regionId, runId))) {
            UUID payoutId = (UUID) p[0];
            UUID merchantId = (UUID) p[1];
            long fee = (Long) p[2];
            Map<String, Long> byAsset = new TreeMap<>();
            for (Object[] l : db.read(c -> Db.list(c, "select l.asset_code, sum(case when i.kind = 'PAYMENT' then l.amount "
                    + "else -l.amount end) from payout_item i join (select region_id, payment_id as id, asset_code, amount "
                    + "from payment_leg union all select region_id, refund_id, asset_code, amount from refund_leg) l "
                    + "on l.region_id = i.region_id and l.id = i.item_id where i.region_id = ? and i.payout_id = ? "
                    + "group by l.asset_code", rs -> new Object[] {rs.getString(1), rs.getLong(2)}, regionId, payoutId))) {
                byAsset.put((String) l[0], (Long) l[1]);
            }
            Map<String, String> meta = Map.of("payout", payoutId.toString(), "merchant", merchantId.toString(),
                    "settlement", runId.toString());
            List<TransferRequest> transfers = new ArrayList<>();
            byAsset.forEach((asset, amount) -> {
                if (amount == 0) {
                    return;
                }
                UUID shopAccount = Merchants.account(regionId, merchantId, asset);
                if (asset.equals(currency)) {
                    transfers.add(TransferRequest.posted(Ids.of(payoutId, asset), shopAccount, payable, amount, "SETTLE")
                            .withMetadata(meta));
                } else {
                    transfers.add(TransferRequest.posted(Ids.of(payoutId, asset, "redeem"), shopAccount,
                            Regions.account(regionId, Purpose.REDEEMED, asset), amount, "SETTLE").withMetadata(meta));
                    transfers.add(TransferRequest.posted(Ids.of(payoutId, asset, "fund"), Regions.account(regionId,
                            Purpose.CONVERSION_FUNDING, currency), payable, amount, "SETTLE").withMetadata(meta));
                }
            });
            if (fee > 0) {
                transfers.add(TransferRequest.posted(Ids.of(payoutId, "fee"), payable,
                        Regions.account(regionId, Purpose.FEE_REVENUE, currency), fee, "FEE").withMetadata(meta));
            }
            TransferOutcome failed = Linked.firstFailure(ledger.execute(regionId, Linked.group(transfers)));
            if (failed != null) {
                String reason = failed.result() == TransferResult.INSUFFICIENT_FUNDS
                        ? "the ledger refused the payout: an account lacks funds (the shop refunded after the cut-off, "
                                + "or the conversion funding behind points is short)"
                        : "the ledger refused the payout: " + failed.result();
                db.tx(c -> {
                    release(c, regionId, runId, payoutId, merchantId, reason);
                    return null;
                });
            }
        }
        db.tx(c -> Db.update(c, "update settlement_run set status = 'DONE' where region_id = ? and settlement_id = ?",
                regionId, runId));
    }

    private static void release(Connection c, long regionId, UUID runId, UUID payoutId, UUID merchantId, String reason)
            throws SQLException {
        long net = Db.sum(c, "select net from payout where region_id = ? and payout_id = ?", regionId, payoutId);
        Db.update(c, "update payment set settlement_id = null where region_id = ? and payment_id in (select item_id from "
                + "payout_item where region_id = ? and payout_id = ? and kind = 'PAYMENT')", regionId, regionId, payoutId);
        Db.update(c, "update refund set settlement_id = null where region_id = ? and refund_id in (select item_id from "
                + "payout_item where region_id = ? and payout_id = ? and kind = 'REFUND')", regionId, regionId, payoutId);
        Db.update(c, "delete from payout_item where region_id = ? and payout_id = ?", regionId, payoutId);
        Db.update(c, "delete from payout where region_id = ? and payout_id = ?", regionId, payoutId);
        Db.update(c, "insert into settlement_held (region_id, settlement_id, merchant_id, owed, reason) values (?, ?, ?, ?, ?) "
                + "on conflict do nothing", regionId, runId, merchantId, net, reason);
    }

    /** The run with its payouts and held shops. */
    public SettlementApi.Run view(long regionId, UUID runId) {
        return db.read(c -> {
            Object[] run = Db.one(c, "select period_from, period_to, cutoff, pay_date, status, created_at, created_by "
                    + "from settlement_run where region_id = ? and settlement_id = ?", rs -> new Object[] {
                    rs.getObject(1, LocalDate.class), rs.getObject(2, LocalDate.class), rs.getTimestamp(3).toInstant(),
                    rs.getObject(4, LocalDate.class), rs.getString(5), rs.getTimestamp(6).toInstant(), rs.getString(7)},
                    regionId, runId).orElseThrow(() -> Problems.notFound("settlement", runId));
            List<SettlementApi.Payout> payouts = Db.list(c, Payouts.SELECT + "where p.region_id = ? and p.settlement_id = ? "
                    + "order by m.name, p.merchant_id", Payouts::map, regionId, runId);
            List<SettlementApi.Held> held = Db.list(c, "select h.merchant_id, m.name, h.owed, h.reason from settlement_held h "
                    + "join merchant m on m.region_id = h.region_id and m.merchant_id = h.merchant_id where h.region_id = ? "
                    + "and h.settlement_id = ? order by m.name", rs -> new SettlementApi.Held(rs.getObject(1, UUID.class),
                    rs.getString(2), rs.getLong(3), rs.getString(4)), regionId, runId);
            long gross = payouts.stream().mapToLong(SettlementApi.Payout::gross).sum();
            long fee = payouts.stream().mapToLong(SettlementApi.Payout::fee).sum();
            long net = payouts.stream().mapToLong(SettlementApi.Payout::net).sum();
            return new SettlementApi.Run(runId, (LocalDate) run[0], (LocalDate) run[1], (Instant) run[2],
                    (LocalDate) run[3], (String) run[4], payouts.size(), gross, fee, net, payouts, held, (Instant) run[5],
                    (String) run[6]);
        });
    }

    public List<SettlementApi.RunSummary> list(long regionId) {
        return db.read(c -> Db.list(c, "select r.settlement_id, r.period_from, r.period_to, r.pay_date, r.status, "
                + "count(p.payout_id), coalesce(sum(p.net), 0), coalesce(sum(p.net) filter (where p.status = 'PAID'), 0) "
                + "from settlement_run r left join payout p on p.region_id = r.region_id and p.settlement_id = r.settlement_id "
                + "where r.region_id = ? group by r.settlement_id, r.period_from, r.period_to, r.pay_date, r.status "
                + "order by r.period_to desc, r.period_from desc", rs -> new SettlementApi.RunSummary(rs.getObject(1, UUID.class),
                rs.getObject(2, LocalDate.class), rs.getObject(3, LocalDate.class), rs.getObject(4, LocalDate.class),
                rs.getString(5), rs.getInt(6), rs.getLong(7), rs.getLong(8)), regionId));
    }

    /** Runs left PENDING by a crash between deciding and posting: region and id. */
    public List<Object[]> stalePending(java.time.Duration age) {
        return db.read(c -> Db.list(c, "select region_id, settlement_id from settlement_run where status = 'PENDING' "
                + "and created_at < ?", rs -> new Object[] {rs.getLong(1), rs.getObject(2, UUID.class)},
                clock.instant().minus(age)));
    }

    public void finishPending(long regionId, UUID runId) {
        finish(regionId, runId);
    }

    private static String holder(SettlementApi.BankAccount a, Merchants.Row shop) {
        if (a.holderName() != null && !a.holderName().isBlank()) {
            return a.holderName();
        }
        return shop.nameKana() != null ? shop.nameKana() : shop.name();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
