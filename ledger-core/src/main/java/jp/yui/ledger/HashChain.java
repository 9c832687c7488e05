package jp.yui.ledger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * The journal's tamper evidence: {@code hash(batch) = SHA-256(previous hash ‖ batch header ‖ canonical bytes of
 * its transfers in order)}, per region, starting from 32 zero bytes.
 */
final class HashChain {
    static final byte[] GENESIS = new byte[32];

    private HashChain() {
    }

    static byte[] next(byte[] previous, long regionId, long batchSeq, List<Transfer> transfers) {
        MessageDigest sha = sha256();
        sha.update(previous);
        sha.update(("B|" + regionId + "|" + batchSeq + "|" + transfers.size() + "\n").getBytes(StandardCharsets.UTF_8));
        for (Transfer t : transfers) {
            sha.update(canonical(t));
        }
        return sha.digest();
    }

    /** One transfer as hashed: every stored field, in a fixed order and form. */
    static byte[] canonical(Transfer t) {
        String line = "T|" + t.seq() + "|" + t.id() + "|" + t.kind() + "|" + t.debitAccountId() + "|"
                + t.creditAccountId() + "|" + t.assetCode() + "|" + t.amount() + "|" + orEmpty(t.pendingId()) + "|"
                + orEmpty(t.reversalOf()) + "|" + orEmpty(t.timeoutAt()) + "|" + t.reason() + "|"
                + Metadata.toJson(t.metadata()) + "|" + orEmpty(t.lotSource()) + "|" + orEmpty(t.lotExpiresAt()) + "|"
                + t.linked() + "|" + t.timestamp() + "\n";
        return line.getBytes(StandardCharsets.UTF_8);
    }

    private static String orEmpty(Object o) {
        return o == null ? "" : o.toString();
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return sb.toString();
    }
}
