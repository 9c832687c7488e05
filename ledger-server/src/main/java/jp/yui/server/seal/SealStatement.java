package jp.yui.server.seal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a seal signs: one line of UTF-8 text naming the region's chain head at a moment, under a key.
 *
 * <pre>yui-seal/1|{region}|{seal seq}|{batch seq}|{last transfer seq}|{head hash, hex}|{sealed at, ISO-8601 UTC}|{key id}\n</pre>
 *
 * The line is rebuilt from a seal's fields wherever it is checked (the export carries the fields, not the line),
 * so a seal cannot claim one head and sign another. Anyone can check one with OpenSSL:
 * {@code printf '%s\n' "yui-seal/1|…" > statement; openssl pkeyutl -verify -pubin -inkey seal-key.pem -rawin
 * -in statement -sigfile signature.bin}. An RFC 3161 time-stamp covers {@link #digest()}, the line's SHA-256.
 *
 * @param regionId the region
 * @param sealSeq  the seal's number in the region, from 1
 * @param batchSeq the head's batch (0: the empty journal)
 * @param lastSeq  the head's last transfer seq
 * @param headHash the head batch's hash, 64 lower-case hex digits
 * @param sealedAt when the seal was made, in whole microseconds (what PostgreSQL keeps, so it reads back equal)
 * @param keyId    the signing key's id (the first 16 hex digits of SHA-256 over its SubjectPublicKeyInfo)
 */
record SealStatement(long regionId, long sealSeq, long batchSeq, long lastSeq, String headHash, Instant sealedAt,
        String keyId) {

    static final String VERSION = "yui-seal/1";
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern KEY_ID = Pattern.compile("[0-9a-f]{16}");

    /**
     * @throws IllegalArgumentException if a number is out of range, the hash or key id is not lower-case hex of its
     *                                  length, or sealedAt has digits below a microsecond
     */
    SealStatement {
        Objects.requireNonNull(headHash, "headHash");
        Objects.requireNonNull(sealedAt, "sealedAt");
        Objects.requireNonNull(keyId, "keyId");
        if (regionId <= 0 || sealSeq <= 0 || batchSeq < 0 || lastSeq < 0) {
            throw new IllegalArgumentException("region and seal must be > 0, batch and seq >= 0: " + regionId + ", "
                    + sealSeq + ", " + batchSeq + ", " + lastSeq);
        }
        if (!HASH.matcher(headHash).matches()) {
            throw new IllegalArgumentException("headHash must be 64 lower-case hex digits: " + headHash);
        }
        if (!KEY_ID.matcher(keyId).matches()) {
            throw new IllegalArgumentException("keyId must be 16 lower-case hex digits: " + keyId);
        }
        if (!sealedAt.truncatedTo(ChronoUnit.MICROS).equals(sealedAt)) {
            throw new IllegalArgumentException("sealedAt must be in whole microseconds: " + sealedAt);
        }
    }

    /** The signed bytes. */
    byte[] bytes() {
        return (VERSION + "|" + regionId + "|" + sealSeq + "|" + batchSeq + "|" + lastSeq + "|" + headHash + "|" + sealedAt
                + "|" + keyId + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** SHA-256 of {@link #bytes()}: what an RFC 3161 time-stamp of the seal covers. */
    byte[] digest() {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
