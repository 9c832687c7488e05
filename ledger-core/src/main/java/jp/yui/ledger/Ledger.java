package jp.yui.ledger;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A double-entry ledger partitioned by region. Every movement of value is a {@link TransferRequest} whose
 * outcome is a {@link TransferResult} value; exceptions are for misuse ({@link IllegalArgumentException},
 * {@link NullPointerException}) and infrastructure ({@link LedgerException}).
 *
 * <p>Two implementations keep the same contract: {@link InMemoryLedger}, the reference model, and
 * {@link PostgresLedger}, which writes each region's submissions in batches, one PostgreSQL transaction each.
 * Implementations are thread-safe.
 */
public interface Ledger extends AutoCloseable {

    /**
     * Creates a region (a town) with an empty journal. Creating it again with the same name does nothing.
     *
     * @throws IllegalArgumentException if regionId is not positive, the name is blank, or the region exists with
     *                                  another name
     */
    void createRegion(long regionId, String name);

    /**
     * Creates an asset and its breakage account in one step. Creating the same spec again returns the asset.
     *
     * @throws IllegalArgumentException if the region is unknown, the code exists with another spec, or the
     *                                  breakage account id is taken
     */
    Asset createAsset(long regionId, AssetSpec spec);

    /**
     * Creates an account with zero totals. Creating the same spec again returns the account as it is.
     *
     * @throws IllegalArgumentException if the region or asset is unknown, or the id exists with another spec
     */
    Account createAccount(long regionId, AccountSpec spec);

    /**
     * Replaces an account's flags and ceiling (freeze, unfreeze, close, change the wallet limit), in order with
     * the region's transfers. {@link AccountFlag#LOT_TRACKED} cannot be switched on or off.
     *
     * @param ceiling the new ceiling, or {@code null} for none
     * @throws IllegalArgumentException if the account is unknown or LOT_TRACKED would change
     */
    Account updateAccount(long regionId, UUID accountId, Set<AccountFlag> flags, Long ceiling);

    /**
     * Submits transfers to the region's writer. The future completes after the batch holding them is durably
     * committed, with one outcome per request in order. A request marked {@link TransferRequest#linked()} forms a
     * group with the ones after it up to the first unlinked one: all commit or none do. A submission is never
     * split across batches.
     *
     * <p>The future fails with {@link LedgerOverloadedException} if the queue is full (nothing accepted),
     * {@link LedgerUnavailableException} if the database failed (retry with the same ids), or
     * {@link IllegalArgumentException} if the region is unknown.
     */
    CompletableFuture<List<TransferOutcome>> submit(long regionId, List<TransferRequest> transfers);

    /** {@link #submit} and wait; exceptions are unwrapped. */
    default List<TransferOutcome> execute(long regionId, List<TransferRequest> transfers) {
        try {
            return submit(regionId, transfers).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException) {
                throw (RuntimeException) e.getCause();
            }
            throw e;
        }
    }

    /** One request, submitted and awaited. */
    default TransferOutcome execute(long regionId, TransferRequest transfer) {
        return execute(regionId, List.of(transfer)).get(0);
    }

    /**
     * Sweeps what is left of every lot that expired by now to its asset's breakage account, as ordinary
     * {@link TransferKind#EXPIRY} transfers, and releases pending holds whose timeout passed. Value still needed to
     * cover pending holds is swept once the hold is resolved. Running it again sweeps nothing new.
     */
    SweepResult sweepExpired(long regionId);

    /** The region's asset with this code. */
    Optional<Asset> asset(long regionId, String assetCode);

    /** The account as of the last committed batch. */
    Optional<Account> account(long regionId, UUID accountId);

    /** The committed transfer with this id. */
    Optional<Transfer> transfer(long regionId, UUID transferId);

    /** The hold of the pending transfer with this id. */
    Optional<Hold> hold(long regionId, UUID pendingId);

    /**
     * The account's posted balance on its normal side as it stood at {@code at} (after every transfer with a
     * timestamp at or before it).
     *
     * @throws IllegalArgumentException if the account is unknown
     */
    long balanceAt(long regionId, UUID accountId, Instant at);

    /**
     * A page of the account's statement: posted movements with timestamps in {@code [from, to)} in journal
     * order, each with the running balance after it.
     *
     * @param from     first instant included, or {@code null} for the beginning
     * @param to       first instant excluded, or {@code null} for now
     * @param afterSeq the previous page's {@link StatementPage#nextCursor()}, or 0 for the first page
     * @param limit    lines per page, 1 to 1,000
     * @throws IllegalArgumentException if the account is unknown or limit is out of range
     */
    StatementPage statement(long regionId, UUID accountId, Instant from, Instant to, long afterSeq, int limit);

    /** The account's open lots (remaining above zero) in the order debits consume them. */
    List<Lot> openLots(long regionId, UUID accountId);

    /** The account's posted balance split by lot source; empty for accounts that are not lot-tracked. */
    default Map<String, Long> balanceBySource(long regionId, UUID accountId) {
        Map<String, Long> bySource = new java.util.TreeMap<>();
        for (Lot lot : openLots(regionId, accountId)) {
            bySource.merge(lot.source(), lot.remaining(), Math::addExact);
        }
        return bySource;
    }

    /**
     * Open lots of the region expiring before {@code until}, for notices to residents, ordered by expiry then
     * lot id; page with {@code afterLotId} (0 for the first page).
     *
     * @param limit 1 to 10,000
     */
    List<Lot> expiringLots(long regionId, Instant until, long afterLotId, int limit);

    /**
     * Transfers of the region's journal in order, for exports and audits.
     *
     * @param afterSeq the last seq already read, or 0
     * @param limit    1 to 10,000
     */
    List<Transfer> journal(long regionId, long afterSeq, int limit);

    /**
     * Re-checks the region: the journal hash chain, per asset total debits equal total credits (posted and
     * pending), no {@link AccountFlag#NO_OVERDRAFT} account below zero, open lots sum to balances and lots to
     * their consumptions, every entry's running balance, holds against pending totals.
     */
    VerificationReport verify(long regionId);

    /** Stops the writers after the batches already queued; later submissions fail. */
    @Override
    void close();
}
