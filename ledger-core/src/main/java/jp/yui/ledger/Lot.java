package jp.yui.ledger;

import java.time.Instant;
import java.util.UUID;

/**
 * Value credited to a lot-tracked account, with its source and expiry. Debits consume lots earliest expiry
 * first (lots that never expire last); the sum of open lots equals the account's posted balance.
 *
 * @param regionId   the region
 * @param lotId      the lot's number in the region
 * @param accountId  the account holding it
 * @param source     where the value came from ({@code PAID}, {@code PREMIUM}, {@code POINTS}, …)
 * @param amount     the amount credited
 * @param remaining  what is left
 * @param createdAt  when it was credited
 * @param expiresAt  when it expires, or {@code null}
 * @param transferId the transfer that credited it
 */
public record Lot(long regionId, long lotId, UUID accountId, String source, long amount, long remaining,
        Instant createdAt, Instant expiresAt, UUID transferId) {
}
