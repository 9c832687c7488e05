package jp.yui.server.payment;

import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import jp.yui.ledger.Ledger;
import jp.yui.ledger.TransferOutcome;
import jp.yui.ledger.TransferRequest;
import jp.yui.ledger.TransferResult;
import jp.yui.server.award.LedgerProblems;
import jp.yui.server.db.Db;
import jp.yui.server.db.Ids;
import jp.yui.server.db.Linked;
import jp.yui.server.db.Problems;
import jp.yui.server.infra.ProblemException;
import jp.yui.server.webhook.Webhooks;

/**
 * Refunds: the shop gives back part or all of a payment, as often as it likes, never more in all than was paid.
 * Each refund reverses the payment's legs, last leg first (so currency comes back before points), and the ledger's
 * reversals return the very lots the payment took, with their source and expiry.
 *
 * <p>The limit holds under concurrent requests because a refund is reserved under the payment row's lock: the
 * refunded amount is raised (and per leg) in the same transaction that checks it, before the ledger moves anything;
 * a refusal by the ledger gives the reservation back. The ledger checks again on its own (a reversal never exceeds
 * its original).
 */
@Singleton
public class Refunds {

    private final Db db;
    private final Ledger ledger;
    private final Webhooks webhooks;
    private final Clock clock;

    public Refunds(Db db, Ledger ledger, Webhooks webhooks, Clock clock) {
        this.db = db;
        this.ledger = ledger;
        this.webhooks = webhooks;
        this.clock = clock;
    }

    record LegRow(int position, String asset, long amount, UUID transferId, UUID reverses) {
    }

    record Row(UUID refundId, UUID paymentId, long amount, String reason, String status, Instant createdAt,
            List<LegRow> legs) {
    }

    /**
     * Refunds part of the shop's payment.
     *
     * @throws ProblemException 404 if the payment is not the shop's; 409 {@code payment-pending} while it is still
     *     being decided; 422 {@code refund-exceeds-payment}, {@code idempotency-key-reused},
     *     {@code merchant-balance-insufficient} (the takings were already paid out), or what the ledger refused
     */
    public PaymentApi.Refund refund(long regionId, UUID merchantId, UUID paymentId, PaymentApi.CreateRefund req,
            String caller, String key) {
        UUID refundId = Ids.of("refund", regionId, paymentId, caller, key);
        Row row = db.tx(c -> reserve(c, regionId, merchantId, paymentId, refundId, req, caller));
        if (row.status().equals("PENDING")) {
            row = settle(regionId, merchantId, row);
        }
        Row done = row;
        return db.read(c -> view(c, regionId, done));
    }

    /**
     * A done refund of one of the shop's payments.
     *
     * @throws ProblemException 404 if there is no such refund, it is still being decided, or its payment is another
     *     shop's (as if it did not exist)
     */
    public PaymentApi.Refund get(long regionId, UUID merchantId, UUID refundId) {
        return db.read(c -> {
            Row r = find(c, regionId, refundId).filter(x -> x.status().equals("DONE"))
                    .orElseThrow(() -> Problems.notFound("refund", refundId));
            Payments.find(c, regionId, r.paymentId()).filter(p -> p.merchantId().equals(merchantId))
                    .orElseThrow(() -> Problems.notFound("refund", refundId));
            return view(c, regionId, r);
        });
    }

    /**
     * The done refunds of one of the shop's payments, oldest first.
     *
     * @throws ProblemException 404 if the payment is not the shop's
     */
    public List<PaymentApi.Refund> list(long regionId, UUID merchantId, UUID paymentId) {
        return db.read(c -> {
            Payments.find(c, regionId, paymentId).filter(p -> p.merchantId().equals(merchantId))
                    .orElseThrow(() -> Problems.notFound("payment", paymentId));
            List<UUID> ids = Db.list(c, "select refund_id from refund where region_id = ? and payment_id = ? "
                    + "and status = 'DONE' order by created_at, refund_id", rs -> rs.getObject(1, UUID.class), regionId,
                    paymentId);
            List<PaymentApi.Refund> refunds = new ArrayList<>();
            for (UUID id : ids) {
                refunds.add(view(c, regionId, find(c, regionId, id).orElseThrow()));
            }
            return refunds;
        });
    }

    private Row reserve(Connection c, long regionId, UUID merchantId, UUID paymentId, UUID refundId,
            PaymentApi.CreateRefund req, String caller) throws SQLException {
        Payments.Row payment = Payments.lock(c, regionId, paymentId).filter(p -> p.merchantId().equals(merchantId))
                .orElseThrow(() -> Problems.notFound("payment", paymentId));
        Optional<Row> existing = find(c, regionId, refundId);
        if (existing.isPresent()) {
            Row r = existing.get();
            if (r.amount() != req.amount() || !r.paymentId().equals(paymentId)) {
                throw Problems.unprocessable("idempotency-key-reused", "Idempotency key reused",
                        "this key refunded ¥" + r.amount() + " of payment " + r.paymentId() + " before");
            }
            return r;
        }
        if (payment.status().equals("PENDING")) {
            throw Problems.conflict("payment-pending", "Payment pending", "the payment is still being decided; retry shortly");
        }
        long left = payment.amount() - payment.refunded();
        if (req.amount() > left) {
            throw Problems.unprocessable("refund-exceeds-payment", "Refund exceeds payment", "payment " + paymentId
                    + " was ¥" + payment.amount() + " and ¥" + payment.refunded() + " of it is refunded; ¥" + req.amount()
                    + " more would exceed it (at most ¥" + left + ")");
        }
        long remaining = req.amount();
        List<LegRow> legs = new ArrayList<>();
        List<Payments.LegRow> paid = new ArrayList<>(payment.legs());
        java.util.Collections.reverse(paid);
        for (Payments.LegRow leg : paid) {
            long take = Math.min(leg.amount() - leg.refunded(), remaining);
            if (take > 0) {
                legs.add(new LegRow(legs.size(), leg.asset(), take, Ids.of(refundId, leg.asset()), leg.transferId()));
                Db.update(c, "update payment_leg set refunded = refunded + ? where region_id = ? and payment_id = ? "
                        + "and position = ?", take, regionId, paymentId, leg.position());
                remaining -= take;
            }
        }
        Db.update(c, "update payment set refunded_amount = refunded_amount + ? where region_id = ? and payment_id = ?",
                req.amount(), regionId, paymentId);
        Db.update(c, "insert into refund (region_id, refund_id, payment_id, amount, reason, status, created_by, created_at) "
                + "values (?, ?, ?, ?, ?, 'PENDING', ?, ?)", regionId, refundId, paymentId, req.amount(), req.reason(), caller,
                clock.instant());
        for (LegRow leg : legs) {
            Db.update(c, "insert into refund_leg (region_id, refund_id, position, asset_code, amount, transfer_id, reverses) "
                    + "values (?, ?, ?, ?, ?, ?, ?)", regionId, refundId, leg.position(), leg.asset(), leg.amount(),
                    leg.transferId(), leg.reverses());
        }
        return find(c, regionId, refundId).orElseThrow();
    }

    /** Posts a reserved refund's reversals as one linked group; DONE with its webhook, or the reservation undone. */
    Row settle(long regionId, UUID merchantId, Row row) {
        List<TransferRequest> transfers = new ArrayList<>();
        Map<String, String> meta = Map.of("payment", row.paymentId().toString(), "refund", row.refundId().toString());
        for (LegRow leg : row.legs()) {
            TransferRequest t = TransferRequest.reversal(leg.transferId(), leg.reverses(), leg.amount(), "REFUND")
                    .withMetadata(meta);
            transfers.add(t);
        }
        List<TransferOutcome> out = ledger.execute(regionId, Linked.group(transfers));
        TransferOutcome failed = Linked.firstFailure(out);
        if (failed != null) {
            if (failed.result() != TransferResult.EXISTS_WITH_DIFFERENT_FIELDS) {
                db.tx(c -> {
                    release(c, regionId, row);
                    return null;
                });
            }
            if (failed.result() == TransferResult.INSUFFICIENT_FUNDS) {
                throw Problems.unprocessable("merchant-balance-insufficient", "Takings already paid out",
                        "the shop's account no longer holds ¥" + row.amount() + " of this asset (it was paid out); "
                                + "the town's office can refund the resident instead");
            }
            throw LedgerProblems.of(failed, "merchant-balance-insufficient", "the shop's account");
        }
        return db.tx(c -> {
            int done = Db.update(c, "update refund set status = 'DONE' where region_id = ? and refund_id = ? "
                    + "and status = 'PENDING'", regionId, row.refundId());
            Row settled = find(c, regionId, row.refundId()).orElseThrow();
            if (done == 1) {
                webhooks.enqueue(c, regionId, merchantId, Webhooks.PAYMENT_REFUNDED, view(c, regionId, settled));
            }
            return settled;
        });
    }

    private static void release(Connection c, long regionId, Row row) throws SQLException {
        // Under the payment's lock, as the reservation was made; only a refund still PENDING is given back (one
        // settled meanwhile by another attempt stays).
        Payments.lock(c, regionId, row.paymentId());
        if (Db.sum(c, "select count(*) from refund where region_id = ? and refund_id = ? and status = 'PENDING'",
                regionId, row.refundId()) == 0) {
            return;
        }
        for (LegRow leg : row.legs()) {
            Db.update(c, "update payment_leg set refunded = refunded - ? where region_id = ? and payment_id = ? "
                    + "and transfer_id = ?", leg.amount(), regionId, row.paymentId(), leg.reverses());
        }
        Db.update(c, "update payment set refunded_amount = refunded_amount - ? where region_id = ? and payment_id = ?",
                row.amount(), regionId, row.paymentId());
        Db.update(c, "delete from refund_leg where region_id = ? and refund_id = ?", regionId, row.refundId());
        Db.update(c, "delete from refund where region_id = ? and refund_id = ?", regionId, row.refundId());
    }

    /** Refunds PENDING for longer than {@code age}: region, merchant and id, for the {@code Reconciler}. */
    public List<Object[]> stalePending(java.time.Duration age, int limit) {
        return db.read(c -> Db.list(c, "select r.region_id, p.merchant_id, r.refund_id from refund r join payment p "
                + "on p.region_id = r.region_id and p.payment_id = r.payment_id where r.status = 'PENDING' "
                + "and r.created_at < ? order by r.created_at limit ?", rs -> new Object[] {rs.getLong(1),
                rs.getObject(2, UUID.class), rs.getObject(3, UUID.class)}, clock.instant().minus(age), limit));
    }

    public void settlePending(long regionId, UUID merchantId, UUID refundId) {
        db.read(c -> find(c, regionId, refundId)).filter(r -> r.status().equals("PENDING"))
                .ifPresent(r -> settle(regionId, merchantId, r));
    }

    private static Optional<Row> find(Connection c, long regionId, UUID refundId) throws SQLException {
        Optional<Row> row = Db.one(c, "select refund_id, payment_id, amount, reason, status, created_at from refund "
                + "where region_id = ? and refund_id = ?", rs -> new Row(rs.getObject(1, UUID.class),
                rs.getObject(2, UUID.class), rs.getLong(3), rs.getString(4), rs.getString(5),
                rs.getTimestamp(6).toInstant(), List.of()), regionId, refundId);
        if (row.isEmpty()) {
            return row;
        }
        List<LegRow> legs = Db.list(c, "select position, asset_code, amount, transfer_id, reverses from refund_leg "
                + "where region_id = ? and refund_id = ? order by position", rs -> new LegRow(rs.getInt(1), rs.getString(2),
                rs.getLong(3), rs.getObject(4, UUID.class), rs.getObject(5, UUID.class)), regionId, refundId);
        Row r = row.get();
        return Optional.of(new Row(r.refundId(), r.paymentId(), r.amount(), r.reason(), r.status(), r.createdAt(), legs));
    }

    private static PaymentApi.Refund view(Connection c, long regionId, Row r) throws SQLException {
        Payments.Row payment = Payments.find(c, regionId, r.paymentId()).orElseThrow();
        return new PaymentApi.Refund(r.refundId(), r.paymentId(), r.amount(), r.reason(),
                r.legs().stream().map(l -> new PaymentApi.Leg(l.asset(), l.amount())).toList(), r.createdAt(),
                Payments.merchantView(payment));
    }
}
