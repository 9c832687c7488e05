package jp.yui.server.settlement;

import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import jp.yui.ledger.Ledger;
import jp.yui.ledger.TransferOutcome;
import jp.yui.ledger.TransferRequest;
import jp.yui.server.award.LedgerProblems;
import jp.yui.server.db.Db;
import jp.yui.server.db.Ids;
import jp.yui.server.db.Problems;
import jp.yui.server.region.Purpose;
import jp.yui.server.region.Regions;
import jp.yui.server.webhook.Webhooks;

/**
 * Payouts: what a settlement run owes each shop, SCHEDULED until the bank statement shows the transfer (or finance
 * confirms it by hand), then PAID: settlement payable → bank in the ledger and a {@code payout.paid} webhook to the
 * shop, in the same transaction as the status.
 */
@Singleton
public class Payouts {

    static final String SELECT = "select p.payout_id, p.settlement_id, p.merchant_id, m.name, r.period_from, r.period_to, "
            + "p.gross, p.fee, p.net, p.payment_count, p.refund_count, p.status, p.scheduled_for, p.paid_at, p.created_at from payout p "
            + "join settlement_run r on r.region_id = p.region_id and r.settlement_id = p.settlement_id "
            + "join merchant m on m.region_id = p.region_id and m.merchant_id = p.merchant_id ";

    private final Db db;
    private final Ledger ledger;
    private final Regions regions;
    private final Webhooks webhooks;
    private final java.time.Clock clock;

    public Payouts(Db db, Ledger ledger, Regions regions, Webhooks webhooks, java.time.Clock clock) {
        this.db = db;
        this.ledger = ledger;
        this.regions = regions;
        this.webhooks = webhooks;
        this.clock = clock;
    }

    static SettlementApi.Payout map(java.sql.ResultSet rs) throws SQLException {
        java.sql.Timestamp paid = rs.getTimestamp(14);
        return new SettlementApi.Payout(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                rs.getObject(3, UUID.class), rs.getString(4), rs.getObject(5, LocalDate.class),
                rs.getObject(6, LocalDate.class), rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getInt(10),
                rs.getInt(11), rs.getString(12), rs.getObject(13, LocalDate.class), paid == null ? null : paid.toInstant());
    }

    public Optional<SettlementApi.Payout> find(long regionId, UUID payoutId) {
        return db.read(c -> Db.one(c, SELECT + "where p.region_id = ? and p.payout_id = ?", Payouts::map, regionId, payoutId));
    }

    public SettlementApi.Payout require(long regionId, UUID payoutId) {
        return find(regionId, payoutId).orElseThrow(() -> Problems.notFound("payout", payoutId));
    }

    /** A shop's payouts, newest first; the cursor is opaque. */
    public SettlementApi.Page<SettlementApi.Payout> list(long regionId, UUID merchantId, String cursor, int limit) {
        StringBuilder sql = new StringBuilder(SELECT).append("where p.region_id = ? and p.merchant_id = ?");
        List<Object> params = new ArrayList<>(List.of(regionId, merchantId));
        if (cursor != null && !cursor.isEmpty()) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|");
                params.add(Instant.parse(parts[0]));
                params.add(UUID.fromString(parts[1]));
                sql.append(" and (p.created_at, p.payout_id) < (?, ?)");
            } catch (RuntimeException e) {
                throw Problems.badRequest("validation", "Invalid request", "cursor is not one this server gave: " + cursor);
            }
        }
        sql.append(" order by p.created_at desc, p.payout_id desc limit ?");
        params.add(limit + 1);
        List<Object[]> rows = db.read(c -> Db.list(c, sql.toString(), rs -> new Object[] {rs.getTimestamp(15).toInstant(),
                map(rs)}, params.toArray()));
        String next = null;
        if (rows.size() > limit) {
            rows = rows.subList(0, limit);
            Object[] last = rows.get(limit - 1);
            next = Base64.getUrlEncoder().withoutPadding().encodeToString((last[0] + "|"
                    + ((SettlementApi.Payout) last[1]).payoutId()).getBytes(StandardCharsets.UTF_8));
        }
        return new SettlementApi.Page<>(rows.stream().map(r -> (SettlementApi.Payout) r[1]).toList(), next);
    }

    /**
     * Marks a payout paid: the bank has moved its money. Doing it again changes nothing.
     *
     * @param bankLineId the bank statement line that shows it, or null when finance confirms by hand
     * @return the payout, PAID
     * @throws jp.yui.server.infra.ProblemException 404 for an unknown payout, 409 {@code settlement-pending} while its
     *     run is still posting
     */
    public SettlementApi.Payout markPaid(long regionId, UUID payoutId, String who, String note, UUID bankLineId) {
        SettlementApi.Payout payout = require(regionId, payoutId);
        if (payout.status().equals("PAID")) {
            return payout;
        }
        requirePosted(regionId, payout);
        String currency = regions.require(regionId).currencyCode();
        TransferOutcome out = ledger.execute(regionId, TransferRequest.posted(Ids.of(payoutId, "paid"),
                Regions.account(regionId, Purpose.SETTLEMENT_PAYABLE, currency),
                Regions.account(regionId, Purpose.BANK, currency), payout.net(), "PAYOUT")
                .withMetadata(Map.of("payout", payoutId.toString(), "merchant", payout.merchantId().toString())));
        if (!out.committed()) {
            throw LedgerProblems.of(out, "settlement-payable-short", "settlement payable");
        }
        return db.tx(c -> {
            int updated = Db.update(c, "update payout set status = 'PAID', paid_at = ?, paid_by = ?, paid_note = ?, "
                    + "bank_line_id = coalesce(?, bank_line_id) where region_id = ? and payout_id = ? "
                    + "and status = 'SCHEDULED'", clock.instant(), who, note, bankLineId, regionId, payoutId);
            SettlementApi.Payout paid = Db.one(c, SELECT + "where p.region_id = ? and p.payout_id = ?", Payouts::map,
                    regionId, payoutId).orElseThrow();
            if (updated == 1) {
                webhooks.enqueue(c, regionId, paid.merchantId(), Webhooks.PAYOUT_PAID, paid);
            }
            return paid;
        });
    }

    /**
     * Refuses a payout whose run is still posting: the ledger may yet refuse it, and then it is dropped and its takings
     * carried to the next run, so paying it now would pay the shop twice.
     *
     * @throws jp.yui.server.infra.ProblemException 409 {@code settlement-pending}
     */
    void requirePosted(long regionId, SettlementApi.Payout payout) {
        String runStatus = db.read(c -> Db.one(c, "select status from settlement_run where region_id = ? "
                + "and settlement_id = ?", rs -> rs.getString(1), regionId, payout.settlementId())).orElseThrow();
        if (!runStatus.equals("DONE")) {
            throw pending(payout.settlementId());
        }
    }

    static jp.yui.server.infra.ProblemException pending(UUID runId) {
        return Problems.conflict("settlement-pending", "Settlement still posting", "settlement " + runId
                + " is not finished yet (the ledger has not posted all its payouts); run it again, then retry");
    }

    /** Scheduled payouts of the region, oldest first: what the bank statement is expected to show. */
    public List<SettlementApi.Payout> scheduled(long regionId) {
        return db.read(c -> Db.list(c, SELECT + "where p.region_id = ? and p.status = 'SCHEDULED' "
                + "order by p.scheduled_for, p.payout_id", Payouts::map, regionId));
    }
}
