package jp.yui.ledger;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Decides one writer batch against an in-memory overlay of the state it reads, in submission order. Both
 * ledgers use it: {@link InMemoryLedger} hands it its maps, {@link PostgresLedger} the rows it locked for the
 * batch. It changes the state objects in place and lists what to write in {@link Changes}.
 *
 * <p>Order within a batch: holds whose timeout passed are released, expired lots of every lot-tracked account
 * the batch debits (and any named for a sweep) go to breakage, then the requests are decided. A linked group
 * that fails is undone through the undo log; so is a single request that fails, so a failure never leaves a
 * trace.
 */
final class Engine {

    /** What a batch reads. Every object returned is the batch's own, to change in place. */
    interface Source {
        /** The account, or null if unknown in the region. */
        AccountState account(UUID id);

        /** A transfer committed before this batch, or null. */
        Transfer transfer(UUID id);

        /** The hold of a pending transfer committed before this batch, or null. */
        HoldState hold(UUID pendingId);

        /** Open lots of a lot-tracked account in consumption order, or null if this batch did not load them. */
        List<LotState> lots(UUID accountId);

        /** Units of the transfer reversed before this batch. */
        long reversedAmount(UUID originalId);

        /** The transfer's lot consumptions in the order they were made. */
        List<Consumption> consumptions(UUID transferId);

        /** The asset with this code. */
        Asset asset(String code);
    }

    /** What a batch decided and must write. */
    static final class Changes {
        final List<TransferOutcome> outcomes = new ArrayList<>();
        final List<Transfer> transfers = new ArrayList<>();
        final List<EntryRow> entries = new ArrayList<>();
        final List<LotState> newLots = new ArrayList<>();
        final Set<LotState> changedLots = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        final List<Consumption> consumptions = new ArrayList<>();
        final List<HoldState> newHolds = new ArrayList<>();
        final Set<HoldState> changedHolds = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        final Set<AccountState> touchedAccounts = new LinkedHashSet<>();
        long sweptTransfers;
        long sweptAmount;
        long lastSeq;
        long lastLotSeq;
    }

    private final long regionId;
    private final long batchSeq;
    private final Instant now;
    private final Source src;
    private final Changes out = new Changes();
    private final Map<UUID, Transfer> created = new HashMap<>();
    private final Map<UUID, HoldState> createdHolds = new HashMap<>();
    private final Map<UUID, Long> reversedInBatch = new HashMap<>();
    private final Map<UUID, List<Consumption>> consumedInBatch = new HashMap<>();
    private final ArrayDeque<Runnable> undo = new ArrayDeque<>();

    Engine(long regionId, long batchSeq, long lastSeq, long lastLotSeq, Instant now, Source src) {
        this.regionId = regionId;
        this.batchSeq = batchSeq;
        this.now = now;
        this.src = src;
        out.lastSeq = lastSeq;
        out.lastLotSeq = lastLotSeq;
    }

    /**
     * Decides a batch. If anything throws, every change the batch made to the state objects is undone before the
     * exception leaves, so the store is as it was.
     *
     * @param timedOutHolds holds that may have timed out (each is checked again)
     * @param sweep         further accounts whose expired lots to sweep
     * @param submissions   the submissions of the batch, in order; a linked group never reaches past its own
     */
    Changes run(Collection<HoldState> timedOutHolds, Collection<UUID> sweep, List<List<TransferRequest>> submissions) {
        try {
            for (HoldState h : timedOutHolds) {
                if (h.timedOut(now)) {
                    release(h, HoldStatus.EXPIRED);
                }
            }
            // A hold a request names that has timed out is released for good, whatever that request's fate.
            for (List<TransferRequest> requests : submissions) {
                for (TransferRequest r : requests) {
                    HoldState h = r.pendingId() == null ? null : src.hold(r.pendingId());
                    if (h != null && h.timedOut(now)) {
                        release(h, HoldStatus.EXPIRED);
                    }
                }
            }
            for (UUID id : new TreeSet<>(sweep)) {
                AccountState a = src.account(id);
                if (a != null) {
                    touch(a);
                }
            }
            for (List<TransferRequest> requests : submissions) {
                decideAll(requests);
            }
            undo.clear();
            return out;
        } catch (RuntimeException | Error e) {
            rollback(new Mark(0));
            throw e;
        }
    }

    /**
     * The accounts a batch of requests will probably debit (the debit side of new transfers and posted holds,
     * the credit side of reversed transfers), for a store to load their lots in one go. A guess only: the
     * {@link Source} must still answer for any account.
     */
    static Set<UUID> likelyDebited(List<TransferRequest> requests, Source src) {
        Set<UUID> ids = new TreeSet<>();
        for (TransferRequest r : requests) {
            if (r.debitAccountId() != null) {
                ids.add(r.debitAccountId());
            } else if (r.pendingId() != null) {
                HoldState h = src.hold(r.pendingId());
                if (h != null) {
                    ids.add(h.debitAccountId);
                }
            } else if (r.reversalOf() != null) {
                Transfer t = src.transfer(r.reversalOf());
                if (t != null) {
                    ids.add(t.creditAccountId());
                }
            }
        }
        return ids;
    }

    // ----------------------------------------------------------------------------------------------- requests

    private void decideAll(List<TransferRequest> requests) {
        int n = requests.size();
        TransferOutcome[] outcomes = new TransferOutcome[n];
        int i = 0;
        while (i < n) {
            int end = i;
            while (end < n && requests.get(end).isLinked()) {
                end++;
            }
            if (end == n) {
                for (int k = i; k < n; k++) {
                    outcomes[k] = fail(requests.get(k), TransferResult.LINKED_CHAIN_OPEN);
                }
                break;
            }
            decideGroup(requests, i, end, outcomes);
            i = end + 1;
        }
        Collections.addAll(out.outcomes, outcomes);
    }

    /** Decides requests [from, to] as one group: all commit, or none. */
    private void decideGroup(List<TransferRequest> requests, int from, int to, TransferOutcome[] outcomes) {
        // Expired value goes to breakage whatever becomes of the group, so sweep before the group's undo mark.
        for (int k = from; k <= to; k++) {
            UUID debited = debitOf(requests.get(k));
            AccountState a = debited == null ? null : src.account(debited);
            if (a != null) {
                touch(a);
            }
        }
        Mark mark = mark();
        int failedAt = -1;
        boolean anyNew = false;
        int firstExisting = -1;
        for (int k = from; k <= to; k++) {
            TransferOutcome o = decide(requests.get(k));
            outcomes[k] = o;
            if (!o.committed()) {
                failedAt = k;
                break;
            }
            if (o.result() == TransferResult.OK) {
                anyNew = true;
            } else if (firstExisting < 0) {
                firstExisting = k;
            }
        }
        if (failedAt < 0 && anyNew && firstExisting >= 0) {
            // Part of the group was committed before and part is new: the group was changed, so it fails whole.
            failedAt = firstExisting;
        }
        if (failedAt >= 0) {
            rollback(mark);
            for (int k = from; k <= to; k++) {
                boolean vanished = outcomes[k] != null && outcomes[k].committed() && findTransfer(outcomes[k].id()) == null;
                if (k != failedAt || vanished) {
                    // A member answered EXISTS for a twin made earlier in this same group, now undone: nothing stands.
                    outcomes[k] = fail(requests.get(k), TransferResult.LINKED_TRANSFER_FAILED);
                }
            }
        }
    }

    private TransferOutcome decide(TransferRequest r) {
        Transfer existing = findTransfer(r.id());
        if (existing != null) {
            TransferResult result = sameFields(r, existing) ? TransferResult.EXISTS
                    : TransferResult.EXISTS_WITH_DIFFERENT_FIELDS;
            return new TransferOutcome(r.id(), result, existing);
        }
        switch (r.kind()) {
            case POSTED:
            case PENDING:
                return create(r);
            case POST_PENDING:
            case VOID_PENDING:
                return resolve(r);
            case REVERSAL:
                return reverse(r);
            default:
                throw new IllegalArgumentException("clients cannot submit " + r.kind() + " transfers: " + r.id());
        }
    }

    private TransferOutcome create(TransferRequest r) {
        AccountState dr = src.account(r.debitAccountId());
        AccountState cr = src.account(r.creditAccountId());
        if (dr == null || cr == null) {
            return fail(r, TransferResult.ACCOUNT_NOT_FOUND);
        }
        if (!dr.assetCode.equals(cr.assetCode)) {
            return fail(r, TransferResult.ASSET_MISMATCH);
        }
        TransferResult gate = gate(dr, cr);
        if (gate != null) {
            return fail(r, gate);
        }
        touch(dr);
        boolean pending = r.kind() == TransferKind.PENDING;
        TransferResult moved = pending ? move(dr, cr, 0, r.amount(), 0) : move(dr, cr, r.amount(), 0, 0);
        if (moved != null) {
            return fail(r, moved);
        }
        Instant timeoutAt = pending && r.timeout() != null ? now.plus(r.timeout()) : null;
        Transfer t = record(r.id(), r.kind(), dr, cr, r.amount(), null, null, timeoutAt, r.reason(), r.metadata(),
                r.lotSource(), r.lotExpiresAt(), r.isLinked());
        if (pending) {
            HoldState h = new HoldState(regionId, t.id(), dr.id, cr.id, t.amount(), timeoutAt, HoldStatus.PENDING, 0, null);
            out.newHolds.add(h);
            createdHolds.put(h.pendingId, h);
            undo.push(() -> {
                out.newHolds.remove(h);
                createdHolds.remove(h.pendingId);
            });
        } else {
            posted(t, dr, cr, null, 0);
        }
        return new TransferOutcome(r.id(), TransferResult.OK, t);
    }

    private TransferOutcome resolve(TransferRequest r) {
        HoldState h = findHold(r.pendingId());
        if (h == null) {
            return fail(r, TransferResult.PENDING_NOT_FOUND);
        }
        if (h.timedOut(now)) {
            release(h, HoldStatus.EXPIRED);
        }
        if (h.status == HoldStatus.EXPIRED) {
            return fail(r, TransferResult.PENDING_EXPIRED);
        }
        if (h.status != HoldStatus.PENDING) {
            return fail(r, TransferResult.PENDING_ALREADY_RESOLVED);
        }
        AccountState dr = requireAccount(h.debitAccountId);
        AccountState cr = requireAccount(h.creditAccountId);
        Transfer pending = Objects.requireNonNull(findTransfer(h.pendingId), "pending transfer of hold " + h.pendingId);
        if (r.kind() == TransferKind.VOID_PENDING) {
            release(h, HoldStatus.VOIDED);
            Transfer t = record(r.id(), TransferKind.VOID_PENDING, dr, cr, h.amount, h.pendingId, null, null,
                    r.reason(), r.metadata(), null, null, r.isLinked());
            return new TransferOutcome(r.id(), TransferResult.OK, t);
        }
        long amount = r.amount() == 0 ? h.amount : r.amount();
        if (amount > h.amount) {
            return fail(r, TransferResult.PENDING_AMOUNT_EXCEEDED);
        }
        TransferResult gate = gate(dr, cr);
        if (gate != null) {
            return fail(r, gate);
        }
        touch(dr);
        TransferResult moved = move(dr, cr, amount, 0, h.amount);
        if (moved != null) {
            return fail(r, moved);
        }
        setHold(h, HoldStatus.POSTED, amount);
        Transfer t = record(r.id(), TransferKind.POST_PENDING, dr, cr, amount, h.pendingId, null, null, r.reason(),
                r.metadata(), pending.lotSource(), pending.lotExpiresAt(), r.isLinked());
        posted(t, dr, cr, null, 0);
        return new TransferOutcome(r.id(), TransferResult.OK, t);
    }

    private TransferOutcome reverse(TransferRequest r) {
        Transfer original = findTransfer(r.reversalOf());
        if (original == null) {
            return fail(r, TransferResult.REVERSAL_TARGET_NOT_FOUND);
        }
        if (original.kind() != TransferKind.POSTED && original.kind() != TransferKind.POST_PENDING) {
            return fail(r, TransferResult.REVERSAL_NOT_ALLOWED);
        }
        long done = reversedAmount(original.id());
        long left = original.amount() - done;
        long amount = r.amount() == 0 ? left : r.amount();
        if (left == 0 || amount > left) {
            return fail(r, TransferResult.REVERSAL_EXCEEDS_ORIGINAL);
        }
        AccountState dr = requireAccount(original.creditAccountId());
        AccountState cr = requireAccount(original.debitAccountId());
        TransferResult gate = gate(dr, cr);
        if (gate != null) {
            return fail(r, gate);
        }
        touch(dr);
        TransferResult moved = move(dr, cr, amount, 0, 0);
        if (moved != null) {
            return fail(r, moved);
        }
        Transfer t = record(r.id(), TransferKind.REVERSAL, dr, cr, amount, null, original.id(), null, r.reason(),
                r.metadata(), null, null, r.isLinked());
        posted(t, dr, cr, original, done);
        UUID key = original.id();
        Long before = reversedInBatch.get(key);
        reversedInBatch.put(key, done + amount);
        undo.push(() -> {
            if (before == null) {
                reversedInBatch.remove(key);
            } else {
                reversedInBatch.put(key, before);
            }
        });
        return new TransferOutcome(r.id(), TransferResult.OK, t);
    }

    private static boolean sameFields(TransferRequest r, Transfer t) {
        if (r.kind() != t.kind() || r.isLinked() != t.linked() || !r.reason().equals(t.reason())
                || !r.metadata().equals(t.metadata())) {
            return false;
        }
        switch (r.kind()) {
            case POSTED:
            case PENDING:
                Instant expectedTimeout = r.timeout() == null ? null : t.timestamp().plus(r.timeout());
                return r.debitAccountId().equals(t.debitAccountId()) && r.creditAccountId().equals(t.creditAccountId())
                        && r.amount() == t.amount() && Objects.equals(expectedTimeout, t.timeoutAt())
                        && Objects.equals(r.lotSource(), t.lotSource())
                        && Objects.equals(r.lotExpiresAt(), t.lotExpiresAt());
            case POST_PENDING:
            case VOID_PENDING:
                return r.pendingId().equals(t.pendingId()) && (r.amount() == 0 || r.amount() == t.amount());
            case REVERSAL:
                return r.reversalOf().equals(t.reversalOf()) && (r.amount() == 0 || r.amount() == t.amount());
            default:
                return false;
        }
    }

    private TransferOutcome fail(TransferRequest r, TransferResult result) {
        return new TransferOutcome(r.id(), result, null);
    }

    // ----------------------------------------------------------------------------------------------- effects

    /** Closed and frozen accounts refuse; null if both accounts accept. */
    private static TransferResult gate(AccountState dr, AccountState cr) {
        if (dr.has(AccountFlag.CLOSED) || cr.has(AccountFlag.CLOSED)) {
            return TransferResult.ACCOUNT_CLOSED;
        }
        if (dr.has(AccountFlag.FROZEN_DEBITS) || cr.has(AccountFlag.FROZEN_CREDITS)) {
            return TransferResult.ACCOUNT_FROZEN;
        }
        return null;
    }

    /**
     * Applies a movement to both accounts if their rules allow it: {@code posted} to posted totals, {@code hold}
     * to pending totals, and releases {@code released} of pending totals. Rules are checked only where the
     * movement grows what they limit, so releasing and posting holds always fits.
     *
     * @return null if applied, else why not
     */
    private TransferResult move(AccountState dr, AccountState cr, long posted, long hold, long released) {
        return apply(dr, cr, posted, hold, released, true);
    }

    /** {@link #move}, with the overdraft and ceiling rules checked only if {@code checked}; overflow always is. */
    private TransferResult apply(AccountState dr, AccountState cr, long posted, long hold, long released,
            boolean checked) {
        long drPosted;
        long drPending;
        long crPosted;
        long crPending;
        try {
            drPosted = Math.addExact(dr.debitsPosted, posted);
            drPending = Math.subtractExact(Math.addExact(dr.debitsPending, hold), released);
            crPosted = Math.addExact(cr.creditsPosted, posted);
            crPending = Math.subtractExact(Math.addExact(cr.creditsPending, hold), released);
            Math.addExact(drPosted, drPending);
            Math.addExact(crPosted, crPending);
        } catch (ArithmeticException e) {
            return TransferResult.OVERFLOW;
        }
        boolean grows = Math.addExact(posted, hold) > released;
        if (checked && grows) {
            // The debit side: a credit-normal account shrinks (overdraft rule), a debit-normal one grows (ceiling).
            if (dr.normal == Side.CREDIT) {
                if (dr.has(AccountFlag.NO_OVERDRAFT) && drPosted + drPending > dr.creditsPosted) {
                    return TransferResult.INSUFFICIENT_FUNDS;
                }
            } else if (dr.ceiling != null && drPosted + drPending - dr.creditsPosted > dr.ceiling) {
                return TransferResult.BALANCE_CEILING_EXCEEDED;
            }
            if (cr.normal == Side.DEBIT) {
                if (cr.has(AccountFlag.NO_OVERDRAFT) && crPosted + crPending > cr.debitsPosted) {
                    return TransferResult.INSUFFICIENT_FUNDS;
                }
            } else if (cr.ceiling != null && crPosted + crPending - cr.debitsPosted > cr.ceiling) {
                return TransferResult.BALANCE_CEILING_EXCEEDED;
            }
        }
        change(dr, () -> {
            dr.debitsPosted = drPosted;
            dr.debitsPending = drPending;
        });
        change(cr, () -> {
            cr.creditsPosted = crPosted;
            cr.creditsPending = crPending;
        });
        return null;
    }

    private void change(AccountState a, Runnable mutation) {
        long[] before = a.totals();
        undo.push(() -> a.restore(before));
        mutation.run();
        a.version++;
        out.touchedAccounts.add(a);
    }

    private void release(HoldState h, HoldStatus status) {
        AccountState dr = requireAccount(h.debitAccountId);
        AccountState cr = requireAccount(h.creditAccountId);
        TransferResult moved = move(dr, cr, 0, 0, h.amount);
        if (moved != null) {
            throw new IllegalStateException("releasing hold " + h.pendingId + " failed: " + moved);
        }
        setHold(h, status, 0);
    }

    private void setHold(HoldState h, HoldStatus status, long postedAmount) {
        HoldStatus oldStatus = h.status;
        long oldPosted = h.postedAmount;
        Instant oldResolved = h.resolvedAt;
        boolean wasChanged = out.changedHolds.contains(h);
        undo.push(() -> {
            h.status = oldStatus;
            h.postedAmount = oldPosted;
            h.resolvedAt = oldResolved;
            if (!wasChanged) {
                out.changedHolds.remove(h);
            }
        });
        h.status = status;
        h.postedAmount = postedAmount;
        h.resolvedAt = now;
        out.changedHolds.add(h);
    }

    private Transfer record(UUID id, TransferKind kind, AccountState dr, AccountState cr, long amount, UUID pendingId,
            UUID reversalOf, Instant timeoutAt, String reason, Map<String, String> metadata, String lotSource,
            Instant lotExpiresAt, boolean linked) {
        long seq = out.lastSeq + 1;
        Transfer t = new Transfer(regionId, id, seq, batchSeq, kind, dr.id, cr.id, dr.assetCode, amount, pendingId,
                reversalOf, timeoutAt, reason, metadata, lotSource, lotExpiresAt, linked, now);
        out.lastSeq = seq;
        out.transfers.add(t);
        created.put(id, t);
        undo.push(() -> {
            out.lastSeq = seq - 1;
            out.transfers.remove(out.transfers.size() - 1);
            created.remove(id);
        });
        return t;
    }

    /** Entries and lot changes of a posted movement. */
    private void posted(Transfer t, AccountState dr, AccountState cr, Transfer reversed, long reversedBefore) {
        entry(t, dr, Side.DEBIT);
        entry(t, cr, Side.CREDIT);
        if (dr.has(AccountFlag.LOT_TRACKED)) {
            // A reversal takes back first what the original put in (its lots keep their source and expiry).
            consume(dr, t.amount(), t.id(), reversed == null ? null : reversed.id());
        }
        if (cr.has(AccountFlag.LOT_TRACKED)) {
            if (reversed != null) {
                restore(cr, t, reversed, reversedBefore);
            } else {
                Instant expiresAt = t.lotExpiresAt() != null ? t.lotExpiresAt()
                        : src.asset(cr.assetCode).expiry().expiresAt(now);
                createLot(cr, t.amount(), t.lotSource() == null ? "UNSPECIFIED" : t.lotSource(), expiresAt, t.id());
            }
        }
    }

    private void entry(Transfer t, AccountState a, Side side) {
        EntryRow e = new EntryRow(a.id, t.seq(), t.id(), side, t.amount(), a.postedBalance(), a.version, now);
        out.entries.add(e);
        undo.push(() -> out.entries.remove(out.entries.size() - 1));
    }

    /**
     * Takes {@code amount} from the account's lots, earliest expiry first; lots credited by {@code preferred} (the
     * transfer a reversal undoes), if any, before all others.
     */
    private void consume(AccountState a, long amount, UUID transferId, UUID preferred) {
        List<LotState> lots = src.lots(a.id);
        if (lots == null) {
            throw new IllegalStateException("lots of account " + a.id + " were not loaded for a debit");
        }
        List<LotState> order = lots;
        if (preferred != null) {
            order = new ArrayList<>(lots.size());
            for (LotState lot : lots) {
                if (preferred.equals(lot.transferId)) {
                    order.add(lot);
                }
            }
            for (LotState lot : lots) {
                if (!preferred.equals(lot.transferId)) {
                    order.add(lot);
                }
            }
        }
        long left = amount;
        List<Consumption> made = new ArrayList<>();
        for (LotState lot : order) {
            if (left == 0) {
                break;
            }
            if (lot.remaining == 0) {
                continue;
            }
            long take = Math.min(lot.remaining, left);
            long before = lot.remaining;
            boolean wasChanged = out.changedLots.contains(lot);
            lot.remaining -= take;
            out.changedLots.add(lot);
            undo.push(() -> {
                lot.remaining = before;
                if (!wasChanged) {
                    out.changedLots.remove(lot);
                }
            });
            made.add(new Consumption(transferId, lot.lotId, a.id, take, lot.source, lot.expiresAt));
            left -= take;
        }
        if (left != 0) {
            throw new IllegalStateException("lots of account " + a.id + " are " + left + " short of its balance");
        }
        out.consumptions.addAll(made);
        consumedInBatch.put(transferId, made);
        undo.push(() -> {
            out.consumptions.subList(out.consumptions.size() - made.size(), out.consumptions.size()).clear();
            consumedInBatch.remove(transferId);
        });
    }

    /**
     * A reversal gives back what the original debit took from lots, latest expiry first, as new lots with the
     * same sources and expiries; earlier partial reversals of the same transfer gave back the first units.
     */
    private void restore(AccountState a, Transfer reversal, Transfer original, long reversedBefore) {
        List<Consumption> used = new ArrayList<>(consumptions(original.id()));
        Collections.reverse(used);
        long skip = reversedBefore;
        long left = reversal.amount();
        for (Consumption c : used) {
            if (left == 0) {
                break;
            }
            long available = c.amount();
            long skipped = Math.min(skip, available);
            skip -= skipped;
            available -= skipped;
            if (available == 0) {
                continue;
            }
            long give = Math.min(available, left);
            createLot(a, give, c.lotSource(), c.lotExpiresAt(), reversal.id());
            left -= give;
        }
        if (left != 0) {
            throw new IllegalStateException("transfer " + original.id() + " consumed " + left + " less than reversed");
        }
    }

    private void createLot(AccountState a, long amount, String source, Instant expiresAt, UUID transferId) {
        long lotId = out.lastLotSeq + 1;
        LotState lot = new LotState(regionId, lotId, a.id, source, amount, amount, now, expiresAt, transferId);
        out.lastLotSeq = lotId;
        out.newLots.add(lot);
        List<LotState> lots = src.lots(a.id);
        int at = -1;
        if (lots != null) {
            at = Collections.binarySearch(lots, lot, LotState.CONSUMPTION_ORDER);
            at = at < 0 ? -at - 1 : at;
            lots.add(at, lot);
        }
        int index = at;
        undo.push(() -> {
            out.lastLotSeq = lotId - 1;
            out.newLots.remove(out.newLots.size() - 1);
            if (index >= 0) {
                lots.remove(index);
            }
        });
    }

    /**
     * Expired value is never spent: whenever a batch is about to debit a lot-tracked account (or sweeps it), what
     * expired goes to breakage first.
     */
    private void touch(AccountState a) {
        // Every time, not once per batch: a post, void or refund earlier in the batch may have made more of the
        // expired value available, and that must go to breakage too. Sweeping what is already swept does nothing.
        if (a.has(AccountFlag.LOT_TRACKED)) {
            sweep(a);
        }
    }

    /** Moves the expired remainder of the account's lots to breakage, leaving what pending holds need. */
    private void sweep(AccountState a) {
        List<LotState> lots = src.lots(a.id);
        if (lots == null) {
            throw new IllegalStateException("lots of account " + a.id + " were not loaded for a sweep");
        }
        long expired = 0;
        for (LotState lot : lots) {
            if (lot.expired(now)) {
                expired = Math.addExact(expired, lot.remaining);
            }
        }
        long amount = Math.min(expired, Math.max(0, a.available()));
        if (amount == 0) {
            return;
        }
        Asset asset = src.asset(a.assetCode);
        AccountState breakage = requireAccount(asset.breakageAccountId());
        // Expiry is not a choice: a ceiling or freeze someone put on the breakage account does not stop it.
        if (apply(a, breakage, amount, 0, 0, false) != null) {
            return;
        }
        UUID id = expiryId(out.lastSeq + 1);
        Transfer t = record(id, TransferKind.EXPIRY, a, breakage, amount, null, null, null, "EXPIRY", Map.of(), null,
                null, false);
        posted(t, a, breakage, null, 0);
        long transfersBefore = out.sweptTransfers;
        long amountBefore = out.sweptAmount;
        out.sweptTransfers++;
        out.sweptAmount += amount;
        undo.push(() -> {
            out.sweptTransfers = transfersBefore;
            out.sweptAmount = amountBefore;
        });
    }

    /** The account a request would debit, if it can be told now. */
    private UUID debitOf(TransferRequest r) {
        switch (r.kind()) {
            case POSTED:
            case PENDING:
                return r.debitAccountId();
            case POST_PENDING: {
                HoldState h = findHold(r.pendingId());
                return h == null ? null : h.debitAccountId;
            }
            case REVERSAL: {
                Transfer t = findTransfer(r.reversalOf());
                return t == null ? null : t.creditAccountId();
            }
            default:
                return null;
        }
    }

    /** The expiry transfer's id, derived from its seq; should a client have taken that id, the next derivation. */
    private UUID expiryId(long seq) {
        for (int k = 0; ; k++) {
            UUID id = UUID.nameUUIDFromBytes(("yui:expiry:" + regionId + ":" + seq + (k == 0 ? "" : ":" + k))
                    .getBytes(StandardCharsets.UTF_8));
            if (findTransfer(id) == null) {
                return id;
            }
        }
    }

    // ----------------------------------------------------------------------------------------------- lookups

    private Transfer findTransfer(UUID id) {
        Transfer t = created.get(id);
        return t != null ? t : src.transfer(id);
    }

    private HoldState findHold(UUID pendingId) {
        HoldState h = createdHolds.get(pendingId);
        return h != null ? h : src.hold(pendingId);
    }

    private long reversedAmount(UUID originalId) {
        Long inBatch = reversedInBatch.get(originalId);
        return inBatch != null ? inBatch : src.reversedAmount(originalId);
    }

    private List<Consumption> consumptions(UUID transferId) {
        List<Consumption> inBatch = consumedInBatch.get(transferId);
        return inBatch != null ? inBatch : src.consumptions(transferId);
    }

    private AccountState requireAccount(UUID id) {
        AccountState a = src.account(id);
        if (a == null) {
            throw new IllegalStateException("account " + id + " was not loaded for the batch");
        }
        return a;
    }

    // ----------------------------------------------------------------------------------------------- undo

    private record Mark(int undoDepth) {
    }

    private Mark mark() {
        return new Mark(undo.size());
    }

    private void rollback(Mark mark) {
        while (undo.size() > mark.undoDepth()) {
            undo.pop().run();
        }
    }
}
