package jp.yui.server.seal;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;

/** Bodies of the seal API. */
public final class SealApi {
    private SealApi() {
    }

    /**
     * A seal: the region's journal head signed with its seal key (see docs/journal-export.md).
     *
     * @param sealSeq   the seal's number in the region, from 1
     * @param batchSeq  the sealed head's batch (0: the journal was empty)
     * @param lastSeq   the last transfer seq of that batch
     * @param headHash  that batch's hash, hex
     * @param sealedAt  when the seal was made (signed, with the fields above and the key id)
     * @param keyId     the signing key (the first 16 hex digits of SHA-256 over its SubjectPublicKeyInfo)
     * @param signature the Ed25519 signature of the seal statement, base64
     * @param trigger   {@code SCHEDULED} or {@code ON_DEMAND}
     * @param sealedBy  who asked for it: the caller's subject, or {@code scheduler}
     * @param timestamp the RFC 3161 time-stamp of the seal, or why there is none
     */
    @Serdeable
    public record Seal(long regionId, long sealSeq, long batchSeq, long lastSeq, String headHash, Instant sealedAt,
            String keyId, String signature, String trigger, String sealedBy, Timestamp timestamp) {
    }

    /**
     * A seal's time-stamp.
     *
     * @param status    {@code STAMPED}, or {@code NONE} when no time-stamp authority was configured
     *                  ({@code yui.seals.tsa-url}) as the seal was made
     * @param time      the authority's time, when stamped
     * @param authority the subject of the authority's signing certificate, when stamped
     * @param token     the RFC 3161 time-stamp token (DER, base64), when stamped
     */
    @Serdeable
    public record Timestamp(String status, @Nullable Instant time, @Nullable String authority, @Nullable String token) {
        static final Timestamp NONE = new Timestamp("NONE", null, null, null);
    }

    /** A page of a region's seals, oldest first; pass {@code nextCursor} as {@code afterSeq} for the next. */
    @Serdeable
    public record SealPage(List<Seal> seals, @Nullable Long nextCursor) {
    }
}
