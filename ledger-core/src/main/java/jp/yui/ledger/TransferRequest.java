package jp.yui.ledger;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A request to move value. Its id is chosen by the client and is the idempotency key: submitting the same
 * request again answers {@link TransferResult#EXISTS} with the original. Requests are immutable; build them
 * with the static factories and refine them with the {@code with…} methods.
 *
 * <p>Malformed requests (amount not above zero, the same account on both sides, a bad reason or lot source,
 * metadata over its bounds) are refused here with an {@link IllegalArgumentException}, before anything
 * reaches the ledger.
 */
public final class TransferRequest {

    static final Pattern CODE = Pattern.compile("[A-Z][A-Z0-9_]{0,31}");
    /** Lot expiries must fall in [2000-01-01, 10000-01-01) UTC. */
    static final Instant EARLIEST_EXPIRY = Instant.parse("2000-01-01T00:00:00Z");
    static final Instant LATEST_EXPIRY = Instant.parse("9999-12-31T23:59:59Z");
    /** The longest pending timeout. */
    public static final Duration MAX_TIMEOUT = Duration.ofDays(366);

    private final UUID id;
    private final TransferKind kind;
    private final UUID debitAccountId;
    private final UUID creditAccountId;
    private final long amount;
    private final UUID pendingId;
    private final UUID reversalOf;
    private final Duration timeout;
    private final String reason;
    private final Map<String, String> metadata;
    private final String lotSource;
    private final Instant lotExpiresAt;
    private final boolean linked;

    private TransferRequest(UUID id, TransferKind kind, UUID debitAccountId, UUID creditAccountId, long amount,
            UUID pendingId, UUID reversalOf, Duration timeout, String reason, Map<String, String> metadata,
            String lotSource, Instant lotExpiresAt, boolean linked) {
        this.id = Objects.requireNonNull(id, "id");
        this.kind = kind;
        this.debitAccountId = debitAccountId;
        this.creditAccountId = creditAccountId;
        this.amount = amount;
        this.pendingId = pendingId;
        this.reversalOf = reversalOf;
        this.timeout = timeout;
        this.reason = requireCode(reason, "reason");
        this.metadata = Metadata.copyOf(metadata);
        this.lotSource = lotSource == null ? null : requireCode(lotSource, "lotSource");
        this.lotExpiresAt = lotExpiresAt == null ? null : Times.micros(lotExpiresAt);
        this.linked = linked;
    }

    /**
     * Moves {@code amount} from the debit account to the credit account now.
     *
     * @throws IllegalArgumentException if amount is not above zero, the accounts are the same, or the reason is
     *                                  not an upper-case code of at most 32 characters
     */
    public static TransferRequest posted(UUID id, UUID debitAccountId, UUID creditAccountId, long amount,
            String reason) {
        requireAccounts(debitAccountId, creditAccountId);
        return new TransferRequest(id, TransferKind.POSTED, debitAccountId, creditAccountId, requireAmount(amount),
                null, null, null, reason, Map.of(), null, null, false);
    }

    /**
     * Holds {@code amount} until posted or voided, or until {@code timeout} passes, when the hold is released.
     *
     * @param timeout how long the hold lasts, above zero and at most {@link #MAX_TIMEOUT}; {@code null} for no
     *                timeout
     */
    public static TransferRequest pending(UUID id, UUID debitAccountId, UUID creditAccountId, long amount,
            String reason, Duration timeout) {
        requireAccounts(debitAccountId, creditAccountId);
        if (timeout != null && (timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_TIMEOUT) > 0)) {
            throw new IllegalArgumentException("timeout must be above zero and at most " + MAX_TIMEOUT + ": " + timeout);
        }
        Duration micros = timeout == null ? null : Duration.ofNanos(timeout.toNanos() / 1000 * 1000);
        if (micros != null && micros.isZero()) {
            throw new IllegalArgumentException("timeout must be at least 1 microsecond: " + timeout);
        }
        return new TransferRequest(id, TransferKind.PENDING, debitAccountId, creditAccountId, requireAmount(amount),
                null, null, micros, reason, Map.of(), null, null, false);
    }

    /** Posts the whole of a pending transfer. */
    public static TransferRequest postPending(UUID id, UUID pendingId) {
        return new TransferRequest(id, TransferKind.POST_PENDING, null, null, 0,
                Objects.requireNonNull(pendingId, "pendingId"), null, null, "POST_PENDING", Map.of(), null, null,
                false);
    }

    /**
     * Posts {@code amount} of a pending transfer and releases the rest of its hold.
     *
     * @throws IllegalArgumentException if amount is not above zero
     */
    public static TransferRequest postPending(UUID id, UUID pendingId, long amount) {
        return new TransferRequest(id, TransferKind.POST_PENDING, null, null, requireAmount(amount),
                Objects.requireNonNull(pendingId, "pendingId"), null, null, "POST_PENDING", Map.of(), null, null,
                false);
    }

    /** Releases a pending transfer's hold. */
    public static TransferRequest voidPending(UUID id, UUID pendingId) {
        return new TransferRequest(id, TransferKind.VOID_PENDING, null, null, 0,
                Objects.requireNonNull(pendingId, "pendingId"), null, null, "VOID_PENDING", Map.of(), null, null,
                false);
    }

    /** Reverses what is left of a posted transfer (its amount less earlier reversals). */
    public static TransferRequest reversal(UUID id, UUID originalId, String reason) {
        return new TransferRequest(id, TransferKind.REVERSAL, null, null, 0,
                null, Objects.requireNonNull(originalId, "originalId"), null, reason, Map.of(), null, null, false);
    }

    /**
     * Reverses {@code amount} of a posted transfer; several partial reversals may not exceed its amount.
     *
     * @throws IllegalArgumentException if amount is not above zero
     */
    public static TransferRequest reversal(UUID id, UUID originalId, long amount, String reason) {
        return new TransferRequest(id, TransferKind.REVERSAL, null, null, requireAmount(amount),
                null, Objects.requireNonNull(originalId, "originalId"), null, reason, Map.of(), null, null, false);
    }

    /**
     * This request with metadata: at most {@value Metadata#MAX_ENTRIES} entries, keys of lower-case letters,
     * digits, {@code _ . -} up to 64 characters, values without control characters, at most
     * {@value Metadata#MAX_BYTES} bytes as JSON.
     */
    public TransferRequest withMetadata(Map<String, String> metadata) {
        return new TransferRequest(id, kind, debitAccountId, creditAccountId, amount, pendingId, reversalOf,
                timeout, reason, metadata, lotSource, lotExpiresAt, linked);
    }

    /** This request with another reason code (upper-case, digits and {@code _}, at most 32 characters). */
    public TransferRequest withReason(String reason) {
        return new TransferRequest(id, kind, debitAccountId, creditAccountId, amount, pendingId, reversalOf,
                timeout, reason, metadata, lotSource, lotExpiresAt, linked);
    }

    /**
     * The source (e.g. {@code PAID}, {@code PREMIUM}, {@code POINTS}) of the lot this request creates when it
     * credits a lot-tracked account; the lot expires by the asset's policy.
     */
    public TransferRequest withLot(String source) {
        requireCreating("withLot");
        return new TransferRequest(id, kind, debitAccountId, creditAccountId, amount, pendingId, reversalOf,
                timeout, reason, metadata, Objects.requireNonNull(source, "lotSource"), null, linked);
    }

    /**
     * Like {@link #withLot(String)}, with an expiry that overrides the asset's policy (a premium that expires sooner).
     *
     * @throws IllegalArgumentException if the expiry is before 2000 or after 9999
     */
    public TransferRequest withLot(String source, Instant expiresAt) {
        requireCreating("withLot");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (expiresAt.isBefore(EARLIEST_EXPIRY) || expiresAt.isAfter(LATEST_EXPIRY)) {
            throw new IllegalArgumentException("lot expiry must be between " + EARLIEST_EXPIRY + " and " + LATEST_EXPIRY
                    + ": " + expiresAt);
        }
        return new TransferRequest(id, kind, debitAccountId, creditAccountId, amount, pendingId, reversalOf,
                timeout, reason, metadata, Objects.requireNonNull(source, "lotSource"),
                Objects.requireNonNull(expiresAt, "expiresAt"), linked);
    }

    /** This request linked to the next one submitted with it: the group stands or falls together. */
    public TransferRequest linked() {
        return new TransferRequest(id, kind, debitAccountId, creditAccountId, amount, pendingId, reversalOf,
                timeout, reason, metadata, lotSource, lotExpiresAt, true);
    }

    private void requireCreating(String what) {
        if (kind != TransferKind.POSTED && kind != TransferKind.PENDING) {
            throw new IllegalArgumentException(what + " applies to POSTED and PENDING transfers, not " + kind);
        }
    }

    private static long requireAmount(long amount) {
        if (amount <= 0) {
            throw new IllegalArgumentException("amount must be > 0: " + amount);
        }
        return amount;
    }

    private static void requireAccounts(UUID debit, UUID credit) {
        Objects.requireNonNull(debit, "debitAccountId");
        Objects.requireNonNull(credit, "creditAccountId");
        if (debit.equals(credit)) {
            throw new IllegalArgumentException("debit and credit accounts must differ: " + debit);
        }
    }

    static String requireCode(String code, String name) {
        Objects.requireNonNull(code, name);
        if (!CODE.matcher(code).matches()) {
            throw new IllegalArgumentException(name + " must match " + CODE + ": " + code);
        }
        return code;
    }

    /** The client's id, which is also the idempotency key. */
    public UUID id() {
        return id;
    }

    /** What the request does. */
    public TransferKind kind() {
        return kind;
    }

    /** The debit account, or {@code null} for posts, voids and reversals (taken from their target). */
    public UUID debitAccountId() {
        return debitAccountId;
    }

    /** The credit account, or {@code null} for posts, voids and reversals (taken from their target). */
    public UUID creditAccountId() {
        return creditAccountId;
    }

    /** The amount, or 0 for "all of it" on posts and reversals, and for voids. */
    public long amount() {
        return amount;
    }

    /** The pending transfer a post or void resolves, else {@code null}. */
    public UUID pendingId() {
        return pendingId;
    }

    /** The transfer a reversal reverses, else {@code null}. */
    public UUID reversalOf() {
        return reversalOf;
    }

    /** A pending transfer's timeout (whole microseconds), or {@code null}. */
    public Duration timeout() {
        return timeout;
    }

    /** The reason code. */
    public String reason() {
        return reason;
    }

    /** Metadata, sorted by key, possibly empty. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** The lot source for credits into lot-tracked accounts, or {@code null} (recorded as {@code UNSPECIFIED}). */
    public String lotSource() {
        return lotSource;
    }

    /** An expiry overriding the asset's policy, or {@code null}. */
    public Instant lotExpiresAt() {
        return lotExpiresAt;
    }

    /** Whether this request is linked to the next one in its submission. */
    public boolean isLinked() {
        return linked;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof TransferRequest)) {
            return false;
        }
        TransferRequest r = (TransferRequest) o;
        return amount == r.amount && linked == r.linked && id.equals(r.id) && kind == r.kind
                && Objects.equals(debitAccountId, r.debitAccountId) && Objects.equals(creditAccountId, r.creditAccountId)
                && Objects.equals(pendingId, r.pendingId) && Objects.equals(reversalOf, r.reversalOf)
                && Objects.equals(timeout, r.timeout) && reason.equals(r.reason) && metadata.equals(r.metadata)
                && Objects.equals(lotSource, r.lotSource) && Objects.equals(lotExpiresAt, r.lotExpiresAt);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return "TransferRequest{" + kind + " " + id + " " + debitAccountId + "->" + creditAccountId + " amount="
                + amount + (pendingId == null ? "" : " pending=" + pendingId)
                + (reversalOf == null ? "" : " reversalOf=" + reversalOf) + " reason=" + reason
                + (linked ? " linked" : "") + "}";
    }
}
