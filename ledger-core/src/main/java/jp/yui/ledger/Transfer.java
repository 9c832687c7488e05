package jp.yui.ledger;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A transfer in the journal. Never edited or deleted; corrections are new transfers.
 *
 * @param regionId        the region
 * @param id              the client's id
 * @param seq             position in the region's journal, from 1 without gaps
 * @param batchSeq        the writer batch that committed it (the unit of the hash chain)
 * @param kind            what it did
 * @param debitAccountId  the account debited
 * @param creditAccountId the account credited
 * @param assetCode       the asset of both accounts
 * @param amount          units moved, held, posted or released
 * @param pendingId       for posts and voids, the pending transfer; else {@code null}
 * @param reversalOf      for reversals, the reversed transfer; else {@code null}
 * @param timeoutAt       for pending transfers with a timeout, when the hold lapses; else {@code null}
 * @param reason          the reason code
 * @param metadata        client metadata, sorted by key
 * @param lotSource       the lot source asked for by the request, or {@code null}
 * @param lotExpiresAt    the lot expiry asked for by the request, or {@code null}
 * @param linked          whether it was linked to the next transfer of its submission
 * @param timestamp       when its batch was committed (microsecond precision, never decreasing in a region)
 */
public record Transfer(
        long regionId,
        UUID id,
        long seq,
        long batchSeq,
        TransferKind kind,
        UUID debitAccountId,
        UUID creditAccountId,
        String assetCode,
        long amount,
        UUID pendingId,
        UUID reversalOf,
        Instant timeoutAt,
        String reason,
        Map<String, String> metadata,
        String lotSource,
        Instant lotExpiresAt,
        boolean linked,
        Instant timestamp) {

    public Transfer {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(debitAccountId, "debitAccountId");
        Objects.requireNonNull(creditAccountId, "creditAccountId");
        Objects.requireNonNull(assetCode, "assetCode");
        Objects.requireNonNull(reason, "reason");
        metadata = Metadata.copyOf(metadata);
        Objects.requireNonNull(timestamp, "timestamp");
    }
}
