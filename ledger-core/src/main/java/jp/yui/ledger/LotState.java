package jp.yui.ledger;

import java.time.Instant;
import java.util.Comparator;
import java.util.UUID;

/** A lot's row while a batch decides. Not thread-safe. */
final class LotState {
    /** Consumption order: earliest expiry first, lots that never expire last, then oldest first. */
    static final Comparator<LotState> CONSUMPTION_ORDER = Comparator
            .comparing((LotState l) -> l.expiresAt, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparingLong(l -> l.lotId);

    final long regionId;
    final long lotId;
    final UUID accountId;
    final String source;
    final long amount;
    final Instant createdAt;
    final Instant expiresAt;
    final UUID transferId;
    long remaining;

    LotState(long regionId, long lotId, UUID accountId, String source, long amount, long remaining,
            Instant createdAt, Instant expiresAt, UUID transferId) {
        this.regionId = regionId;
        this.lotId = lotId;
        this.accountId = accountId;
        this.source = source;
        this.amount = amount;
        this.remaining = remaining;
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
        this.transferId = transferId;
    }

    LotState(Lot l) {
        this(l.regionId(), l.lotId(), l.accountId(), l.source(), l.amount(), l.remaining(), l.createdAt(),
                l.expiresAt(), l.transferId());
    }

    Lot toLot() {
        return new Lot(regionId, lotId, accountId, source, amount, remaining, createdAt, expiresAt, transferId);
    }

    boolean expired(Instant now) {
        return expiresAt != null && !expiresAt.isAfter(now);
    }
}
