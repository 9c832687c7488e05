package jp.yui.ledger;

import java.time.Instant;
import java.util.UUID;

/**
 * A pending transfer's hold.
 *
 * @param regionId        the region
 * @param pendingId       the pending transfer's id
 * @param debitAccountId  the account whose debits are held
 * @param creditAccountId the account whose credits are held
 * @param amount          the amount held
 * @param timeoutAt       when it lapses, or {@code null}
 * @param status          its state
 * @param postedAmount    what was posted (0 unless {@link HoldStatus#POSTED})
 * @param resolvedAt      when it left {@link HoldStatus#PENDING}, or {@code null}
 */
public record Hold(long regionId, UUID pendingId, UUID debitAccountId, UUID creditAccountId, long amount,
        Instant timeoutAt, HoldStatus status, long postedAmount, Instant resolvedAt) {
}
