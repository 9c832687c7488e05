package jp.yui.server.payment;

import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import jp.yui.ledger.Ledger;
import jp.yui.ledger.Lot;
import jp.yui.ledger.TransferOutcome;
import jp.yui.ledger.TransferRequest;
import jp.yui.ledger.TransferResult;
import jp.yui.server.award.LedgerProblems;
import jp.yui.server.db.Db;
import jp.yui.server.db.Ids;
import jp.yui.server.db.Linked;
import jp.yui.server.db.Problems;
import jp.yui.server.infra.ProblemException;
import jp.yui.server.region.Regions;
import jp.yui.server.resident.Residents;

/**
 * Payments: a resident's wallets to a shop's accounts, one ledger transfer per asset the payment takes from, in
 * the region's pay order, posted as one linked group (all or nothing).
 *
 * <p>Every payment is decided in two steps, as awards are. First, in one transaction, the payment row is reserved
 * (PENDING) together with what it consumes: a dynamic intent is marked paid, a CPM token's nonce is spent (a unique
 * index), a card's daily limit is counted. Then the ledger moves the value, and a second transaction marks the row
 * DONE and writes the {@code payment.succeeded} webhook to the outbox. If the ledger refuses, the reservation is
 * undone and the intent or token can be used again. If the process dies in between, the {@code Reconciler} posts
 * the same idempotent transfers again. The payment id derives from the caller and its Idempotency-Key. Marking
 * DONE is shared by the payments settled at the same moment ({@link Completions}).
 */
@Singleton
public class Payments {

    private final Db db;
    private final Ledger ledger;
    private final Regions regions;
    private final Residents residents;
    private final PaySettings settings;
    private final Completions completions;
    private final Clock clock;

    public Payments(Db db, Ledger ledger, Regions regions, Residents residents, PaySettings settings,
            Completions completions, Clock clock) {
        this.db = db;
        this.ledger = ledger;
        this.regions = regions;
        this.residents = residents;
        this.settings = settings;
        this.completions = completions;
        this.clock = clock;
    }

    /** What a payment is about to do, before it is reserved. */
    record Draft(UUID paymentId, UUID merchantId, UUID residentId, PaymentApi.Method method, long amount, String reference,
            UUID intentId, Long tokenNonce) {
    }

    record LegRow(int position, String asset, long amount, long refunded, UUID transferId) {
    }

    record Row(UUID paymentId, UUID merchantId, UUID residentId, PaymentApi.Method method, long amount, long refunded,
            String reference, UUID intentId, Long tokenNonce, String status, Instant createdAt, List<LegRow> legs) {

        Row withStatus(String newStatus) {
            return new Row(paymentId, merchantId, residentId, method, amount, refunded, reference, intentId, tokenNonce,
                    newStatus, createdAt, legs);
        }

        PaymentApi.Status paymentStatus() {
            return refunded == 0 ? PaymentApi.Status.SUCCEEDED
                    : refunded == amount ? PaymentApi.Status.REFUNDED : PaymentApi.Status.PARTIALLY_REFUNDED;
        }
    }

    /**
     * Reserves and settles a payment.
     *
     * @throws ProblemException 409 {@code intent-not-open}, {@code customer-code-used}; 422 {@code insufficient-funds},
     *     {@code card-limit-exceeded}, {@code idempotency-key-reused}; or what the ledger refused
     */
    Row pay(long regionId, Draft d) {
        // Only an intent or a card's daily limit is decided under a lock; otherwise the reservation writes one
        // statement, which needs no transaction around it.
        boolean locks = d.intentId() != null || d.method() == PaymentApi.Method.CARD;
        Row row = locks ? db.tx(c -> reserve(c, regionId, d)) : db.autoCommit(c -> reserve(c, regionId, d));
        return row.status().equals("DONE") ? row : settle(regionId, row);
    }

    private Row reserve(Connection c, long regionId, Draft d) throws SQLException {
        Optional<Row> existing = find(c, regionId, d.paymentId());
        if (existing.isPresent()) {
            Row r = existing.get();
            // The key is the shop's (or the resident's), not one till's: another sale under the same key, even of the
            // same amount by the same customer, is not this payment.
            if (!r.merchantId().equals(d.merchantId()) || !r.residentId().equals(d.residentId()) || r.amount() != d.amount()
                    || r.method() != d.method() || !Objects.equals(r.intentId(), d.intentId())
                    || !Objects.equals(r.tokenNonce(), d.tokenNonce()) || !Objects.equals(r.reference(), d.reference())) {
                throw Problems.unprocessable("idempotency-key-reused", "Idempotency key reused",
                        "this key paid ¥" + r.amount() + " to merchant " + r.merchantId() + " before");
            }
            return r;
        }
        // Microseconds, as PostgreSQL keeps it: the row returned below is the row a later read finds.
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Regions.RegionRow region = regions.require(regionId);
        LocalDate today = LocalDate.ofInstant(now, region.zone());
        PaymentApi.Settings pay = settings.get(c, regionId);
        if (d.intentId() != null) {
            Intents.Row intent = Intents.lock(c, regionId, d.intentId()).orElseThrow();
            PaymentApi.IntentStatus status = intent.effectiveStatus(now);
            if (status != PaymentApi.IntentStatus.OPEN) {
                throw Problems.conflict("intent-not-open", "Payment request not open",
                        "this payment request is " + status.name().toLowerCase() + "; ask the shop for a new code");
            }
        }
        if (d.method() == PaymentApi.Method.CARD) {
            Db.lock(c, "card:" + regionId + ":" + d.residentId());
            long limit = pay.cardDailyLimit();
            long paidToday = Db.sum(c, "select coalesce(sum(amount - refunded_amount), 0) from payment where region_id = ? "
                    + "and resident_id = ? and method = 'CARD' and business_date = ?", regionId, d.residentId(), today);
            if (paidToday + d.amount() > limit) {
                throw Problems.unprocessable("card-limit-exceeded", "Card limit exceeded", "this card paid ¥" + paidToday
                        + " today; ¥" + d.amount() + " more would pass its daily limit of ¥" + limit);
            }
        }
        List<LegRow> legs;
        try {
            legs = plan(regionId, d, pay.payOrder(), now);
        } catch (ProblemException e) {
            // A spent token is the better answer, whatever the wallet holds now (usually what that payment took).
            if (d.tokenNonce() != null && tokenSpent(c, regionId, d)) {
                throw usedToken();
            }
            throw e;
        }
        if (!insert(c, regionId, d, legs, today, now)) {
            // A unique index refused it: the same payment at this moment, or a token spent (now or before).
            Optional<Row> twin = find(c, regionId, d.paymentId());
            if (twin.isPresent()) {
                return twin.get();
            }
            throw d.tokenNonce() != null ? usedToken() : Problems.conflict("intent-not-open", "Payment request not open",
                    "this payment request was just paid");
        }
        if (d.intentId() != null) {
            Db.update(c, "update payment_intent set status = 'PAID', payment_id = ? where region_id = ? and intent_id = ?",
                    d.paymentId(), regionId, d.intentId());
        }
        return new Row(d.paymentId(), d.merchantId(), d.residentId(), d.method(), d.amount(), 0, d.reference(),
                d.intentId(), d.tokenNonce(), "PENDING", now, legs);
    }

    /**
     * Inserts the payment, PENDING, with its legs in one statement; false if a unique index refused the payment (then
     * nothing was written): its id is taken, or its token or intent was spent.
     *
     * <p>The reservation's commit does not wait for its flush: nothing is answered before a synchronous commit that
     * comes after it (the ledger's batch moving the value, marking the payment DONE, or undoing it), so a crash either
     * loses the reservation with nothing done on it, or keeps it with the transfer that needs it to be finished.
     */
    private static boolean insert(Connection c, long regionId, Draft d, List<LegRow> legs, LocalDate today, Instant now)
            throws SQLException {
        int n = legs.size();
        Integer[] position = new Integer[n];
        String[] asset = new String[n];
        Long[] amount = new Long[n];
        UUID[] transfer = new UUID[n];
        for (int i = 0; i < n; i++) {
            LegRow leg = legs.get(i);
            position[i] = leg.position();
            asset[i] = leg.asset();
            amount[i] = leg.amount();
            transfer[i] = leg.transferId();
        }
        int inserted = Db.update(c, "with p as (insert into payment (region_id, payment_id, merchant_id, resident_id, "
                + "method, amount, reference, intent_id, token_nonce, status, business_date, created_at) "
                + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, 'PENDING', ?, ?) on conflict do nothing returning region_id, payment_id) "
                + "insert into payment_leg (region_id, payment_id, position, asset_code, amount, transfer_id) "
                + "select p.region_id, p.payment_id, l.position, l.asset_code, l.amount, l.transfer_id "
                + "from p, unnest(?::integer[], ?::text[], ?::bigint[], ?::uuid[]) "
                + "as l(position, asset_code, amount, transfer_id) where " + Db.WITHOUT_WAITING_FOR_FLUSH,
                regionId, d.paymentId(), d.merchantId(),
                d.residentId(), d.method().name(), d.amount(), d.reference(), d.intentId(), d.tokenNonce(), today, now,
                c.createArrayOf("integer", position), c.createArrayOf("text", asset), c.createArrayOf("bigint", amount),
                c.createArrayOf("uuid", transfer));
        return inserted == n;
    }

    private static boolean tokenSpent(Connection c, long regionId, Draft d) throws SQLException {
        return Db.sum(c, "select count(*) from payment where region_id = ? and resident_id = ? and token_nonce = ?",
                regionId, d.residentId(), d.tokenNonce()) > 0;
    }

    /**
     * Splits the amount over the region's pay order: from each asset what its wallet can spend now (lots not yet
     * expired), until the amount is covered.
     */
    private List<LegRow> plan(long regionId, Draft d, List<String> payOrder, Instant now) {
        long left = d.amount();
        List<LegRow> legs = new ArrayList<>();
        long held = 0;
        for (String asset : payOrder) {
            if (left == 0) {
                break;
            }
            UUID wallet = Residents.walletId(regionId, d.residentId(), asset);
            long spendable = 0;
            for (Lot lot : ledger.openLots(regionId, wallet)) {
                if (lot.expiresAt() == null || lot.expiresAt().isAfter(now)) {
                    spendable = Math.addExact(spendable, lot.remaining());
                }
            }
            held = Math.addExact(held, spendable);
            long take = Math.min(spendable, left);
            if (take > 0) {
                legs.add(new LegRow(legs.size(), asset, take, 0, Ids.of(d.paymentId(), asset)));
                left -= take;
            }
        }
        if (left > 0) {
            throw insufficient("the payer's wallets hold ¥" + held + " that can pay here; the payment is ¥" + d.amount());
        }
        return legs;
    }

    /**
     * Posts a reserved payment's legs as one linked group, and marks it DONE (with its webhook) or undoes the
     * reservation if the ledger refused. Called again for a row left PENDING by a failure.
     */
    Row settle(long regionId, Row row) {
        List<TransferRequest> transfers = new ArrayList<>();
        Map<String, String> meta = Map.of("payment", row.paymentId().toString(), "merchant", row.merchantId().toString());
        for (LegRow leg : row.legs()) {
            UUID wallet = residents.wallet(regionId, row.residentId(), leg.asset());
            TransferRequest t = TransferRequest.posted(leg.transferId(), wallet,
                    Merchants.account(regionId, row.merchantId(), leg.asset()), leg.amount(), "PAY").withMetadata(meta);
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
                throw insufficient("the payer's wallet no longer holds enough (another payment was taken at the same moment)");
            }
            throw LedgerProblems.of(failed, "insufficient-funds", "the payer's wallet");
        }
        if (completions.markDone(regionId, row)) {
            return row.withStatus("DONE");
        }
        // Another attempt settled it first, and it may have been refunded since: as it is now.
        return db.read(c -> find(c, regionId, row.paymentId())).orElseThrow();
    }

    private static void release(Connection c, long regionId, Row row) throws SQLException {
        // Only a payment still PENDING is undone; one settled meanwhile by another attempt stays.
        if (lock(c, regionId, row.paymentId()).filter(r -> r.status().equals("PENDING")).isEmpty()) {
            return;
        }
        Db.update(c, "update payment_intent set status = 'OPEN', payment_id = null where region_id = ? and payment_id = ? "
                + "and status = 'PAID'", regionId, row.paymentId());
        Db.update(c, "delete from payment_leg where region_id = ? and payment_id = ?", regionId, row.paymentId());
        Db.update(c, "delete from payment where region_id = ? and payment_id = ?", regionId, row.paymentId());
    }

    /** Payments PENDING for longer than {@code age}: region and id, for the {@code Reconciler}. */
    public List<Object[]> stalePending(java.time.Duration age, int limit) {
        return db.read(c -> Db.list(c, "select region_id, payment_id from payment where status = 'PENDING' "
                + "and created_at < ? order by created_at limit ?", rs -> new Object[] {rs.getLong(1),
                rs.getObject(2, UUID.class)}, clock.instant().minus(age), limit));
    }

    /** Settles a payment the {@code Reconciler} found PENDING. */
    public void settlePending(long regionId, UUID paymentId) {
        db.read(c -> find(c, regionId, paymentId)).filter(r -> r.status().equals("PENDING"))
                .ifPresent(r -> settle(regionId, r));
    }

    // --- reading ---

    Optional<Row> row(long regionId, UUID paymentId) {
        return db.read(c -> find(c, regionId, paymentId));
    }

    static Optional<Row> find(Connection c, long regionId, UUID paymentId) throws SQLException {
        return Db.one(c, SELECT + "where region_id = ? and payment_id = ?", Payments::map, regionId, paymentId)
                .map(r -> withLegs(c, regionId, r));
    }

    /** Locks the payment row (refunds decide under it). */
    static Optional<Row> lock(Connection c, long regionId, UUID paymentId) throws SQLException {
        return Db.one(c, SELECT + "where region_id = ? and payment_id = ? for update", Payments::map, regionId, paymentId)
                .map(r -> withLegs(c, regionId, r));
    }

    private static Row withLegs(Connection c, long regionId, Row r) {
        try {
            List<LegRow> legs = Db.list(c, "select position, asset_code, amount, refunded, transfer_id from payment_leg "
                    + "where region_id = ? and payment_id = ? order by position", rs -> new LegRow(rs.getInt(1),
                    rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getObject(5, UUID.class)), regionId, r.paymentId());
            return new Row(r.paymentId(), r.merchantId(), r.residentId(), r.method(), r.amount(), r.refunded(), r.reference(),
                    r.intentId(), r.tokenNonce(), r.status(), r.createdAt(), legs);
        } catch (SQLException e) {
            throw new Db.DbException(e);
        }
    }

    private static final String SELECT = "select payment_id, merchant_id, resident_id, method, amount, refunded_amount, "
            + "reference, intent_id, token_nonce, status, created_at from payment ";

    private static Row map(java.sql.ResultSet rs) throws SQLException {
        long nonce = rs.getLong(9);
        Long tokenNonce = rs.wasNull() ? null : nonce;
        return new Row(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class),
                PaymentApi.Method.valueOf(rs.getString(4)), rs.getLong(5), rs.getLong(6), rs.getString(7),
                rs.getObject(8, UUID.class), tokenNonce, rs.getString(10), rs.getTimestamp(11).toInstant(), List.of());
    }

    /** The shop's view: nothing about who paid. */
    static PaymentApi.Payment merchantView(Row r) {
        return view(r, null, null);
    }

    /** The payer's and the town's view: who paid and where. */
    static PaymentApi.Payment fullView(Row r, String merchantName) {
        return view(r, merchantName, r.residentId());
    }

    private static PaymentApi.Payment view(Row r, String merchantName, UUID residentId) {
        List<PaymentApi.Leg> legs = r.legs().stream().map(l -> new PaymentApi.Leg(l.asset(), l.amount())).toList();
        return new PaymentApi.Payment(r.paymentId(), r.merchantId(), merchantName, residentId, r.method(), r.amount(),
                r.refunded(), r.paymentStatus(), r.reference(), r.intentId(), legs, r.createdAt());
    }

    /**
     * A page of a shop's payments, newest first. The cursor is opaque to clients: the last row's time and id.
     */
    public PaymentApi.Page<PaymentApi.Payment> list(long regionId, UUID merchantId, Instant from, Instant to, String cursor,
            int limit, boolean full, java.util.function.Function<UUID, String> merchantName) {
        StringBuilder sql = new StringBuilder(SELECT).append("where region_id = ? and merchant_id = ? and status = 'DONE'");
        List<Object> params = new ArrayList<>(List.of(regionId, merchantId));
        if (from != null) {
            sql.append(" and created_at >= ?");
            params.add(from);
        }
        if (to != null) {
            sql.append(" and created_at < ?");
            params.add(to);
        }
        if (cursor != null && !cursor.isEmpty()) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(cursor), java.nio.charset.StandardCharsets.UTF_8)
                        .split("\\|");
                Instant afterTime = Instant.parse(parts[0]);
                UUID afterId = UUID.fromString(parts[1]);
                sql.append(" and (created_at, payment_id) < (?, ?)");
                params.add(afterTime);
                params.add(afterId);
            } catch (RuntimeException e) {
                throw Problems.badRequest("validation", "Invalid request", "cursor is not one this server gave: " + cursor);
            }
        }
        sql.append(" order by created_at desc, payment_id desc limit ?");
        params.add(limit + 1);
        List<Row> rows = db.read(c -> {
            List<Row> out = new ArrayList<>();
            for (Row r : Db.list(c, sql.toString(), Payments::map, params.toArray())) {
                out.add(withLegs(c, regionId, r));
            }
            return out;
        });
        String next = null;
        if (rows.size() > limit) {
            rows = rows.subList(0, limit);
            Row last = rows.get(limit - 1);
            next = Base64.getUrlEncoder().withoutPadding().encodeToString((last.createdAt() + "|" + last.paymentId())
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        List<PaymentApi.Payment> items = rows.stream().map(r -> full ? fullView(r, merchantName.apply(r.merchantId()))
                : merchantView(r)).toList();
        return new PaymentApi.Page<>(items, next);
    }

    private static ProblemException usedToken() {
        return Problems.conflict("customer-code-used", "Customer code used",
                "this customer code has paid once already; ask the customer to show a fresh one");
    }

    static ProblemException insufficient(String detail) {
        return new ProblemException(422, Problems.BASE + "insufficient-funds", "Insufficient funds", detail,
                TransferResult.INSUFFICIENT_FUNDS.name());
    }
}
