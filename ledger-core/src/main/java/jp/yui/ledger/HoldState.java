package jp.yui.ledger;

import java.time.Instant;
import java.util.UUID;

/** A hold's row while a batch decides. Not thread-safe. */
final class HoldState {
    final long regionId;
    final UUID pendingId;
    final UUID debitAccountId;
    final UUID creditAccountId;
    final long amount;
    final Instant timeoutAt;
    HoldStatus status;
    long postedAmount;
    Instant resolvedAt;

    HoldState(Hold h) {
        this(h.regionId(), h.pendingId(), h.debitAccountId(), h.creditAccountId(), h.amount(), h.timeoutAt(),
                h.status(), h.postedAmount(), h.resolvedAt());
    }

    HoldState(long regionId, UUID pendingId, UUID debitAccountId, UUID creditAccountId, long amount,
            Instant timeoutAt, HoldStatus status, long postedAmount, Instant resolvedAt) {
        this.regionId = regionId;
        this.pendingId = pendingId;
        this.debitAccountId = debitAccountId;
        this.creditAccountId = creditAccountId;
        this.amount = amount;
        this.timeoutAt = timeoutAt;
        this.status = status;
        this.postedAmount = postedAmount;
        this.resolvedAt = resolvedAt;
    }

    Hold toHold() {
        return new Hold(regionId, pendingId, debitAccountId, creditAccountId, amount, timeoutAt, status, postedAmount,
                resolvedAt);
    }

    boolean timedOut(Instant now) {
        return status == HoldStatus.PENDING && timeoutAt != null && !timeoutAt.isAfter(now);
    }
}
