package jp.yui.merchant;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jp.yui.merchant.CustomerCodeException.Reason;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * A resident's customer code for consumer-presented payments (CPM): a short-lived token the resident's app shows as a
 * QR code and the shop's till scans and charges. The server issues it ({@link #issue}); the till checks it offline
 * ({@link #parse}, then {@link #verify}) before it asks the server to charge it, so a forged, foreign or stale code
 * is refused without a round trip. Only the server's check that the token has not paid before makes it single-use.
 *
 * <p>Wire format: {@value #PREFIX} followed by base64url without padding of {@code payload || signature}. The payload
 * is {@value #PAYLOAD_BYTES} bytes, big-endian: version ({@code 1}, one byte), region id (8), signing key id (4),
 * resident id (16: the UUID's most significant half first), expiry in Unix seconds (8), nonce (8). The signature is
 * the {@value #SIGNATURE_BYTES}-byte Ed25519 signature (RFC 8032, pure) of the payload by the region's CPM key named by
 * the key id. {@value #ENCODED_LENGTH} characters in all.
 *
 * <p>Keys are raw bytes, as RFC 8032 writes them: a {@value #KEY_BYTES}-byte private seed and a
 * {@value #KEY_BYTES}-byte public key. Ed25519 comes from BouncyCastle's lightweight API, which needs no JCA provider
 * and runs on Java 11 and Android.
 *
 * <p>Value-based: equal encodings, equal tokens. Immutable and thread-safe.
 */
public final class CustomerToken {

    /** What every encoded token starts with: the scheme and its version. */
    public static final String PREFIX = "yc1.";

    /** The payload version this class reads and writes. */
    public static final int VERSION = 1;

    /** Length of the signed payload in bytes. */
    public static final int PAYLOAD_BYTES = 45;

    /** Length of an Ed25519 signature in bytes. */
    public static final int SIGNATURE_BYTES = 64;

    /** Length of an Ed25519 private seed or public key in bytes. */
    public static final int KEY_BYTES = 32;

    /** Length of an encoded token in characters: the prefix and 146 base64url characters for 109 bytes. */
    public static final int ENCODED_LENGTH = 150;

    /** Where the expiry sits in the payload: after version, region id, key id and resident id. */
    private static final int EXPIRY_OFFSET = 1 + 8 + 4 + 16;

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final long regionId;
    private final int keyId;
    private final UUID residentId;
    private final Instant expiresAt;
    private final long nonce;
    private final byte[] payload;
    private final byte[] signature;
    private final String encoded;

    private CustomerToken(byte[] payload, byte[] signature, String encoded) {
        ByteBuffer fields = ByteBuffer.wrap(payload);
        fields.get(); // the version, checked by the caller
        this.regionId = fields.getLong();
        this.keyId = fields.getInt();
        this.residentId = new UUID(fields.getLong(), fields.getLong());
        this.expiresAt = Instant.ofEpochSecond(fields.getLong());
        this.nonce = fields.getLong();
        this.payload = payload;
        this.signature = signature;
        this.encoded = encoded;
    }

    /**
     * Signs a new token. The server does this when a resident asks for a code.
     *
     * @param regionId       the region the token pays in, {@code > 0}
     * @param keyId          the id under which the region publishes the public key of {@code privateKeySeed}
     * @param residentId     the resident who pays
     * @param expiresAt      when the token stops paying; carried in whole Unix seconds, so any fraction of a second
     *                       is dropped (the token expires slightly early, never late); not before 1970
     * @param nonce          a random number that makes each token unique, e.g. from {@link SecureRandom#nextLong()}
     * @param privateKeySeed the region's {@value #KEY_BYTES}-byte Ed25519 private seed; not kept
     * @return the token
     * @throws NullPointerException     if an object argument is null
     * @throws IllegalArgumentException if {@code regionId <= 0}, {@code expiresAt} is before 1970, or the seed is not
     *                                  {@value #KEY_BYTES} bytes
     */
    public static CustomerToken issue(long regionId, int keyId, UUID residentId, Instant expiresAt, long nonce,
                                      byte[] privateKeySeed) {
        return issue(regionId, keyId, residentId, expiresAt, nonce, SigningKey.of(privateKeySeed));
    }

    /**
     * As {@link #issue(long, int, UUID, Instant, long, byte[])}, with a key prepared once for many tokens: about half
     * the work of signing with the seed, which works out the public key again for every token.
     *
     * @throws NullPointerException     if an object argument is null
     * @throws IllegalArgumentException if {@code regionId <= 0} or {@code expiresAt} is before 1970
     */
    public static CustomerToken issue(long regionId, int keyId, UUID residentId, Instant expiresAt, long nonce,
                                      SigningKey key) {
        Objects.requireNonNull(residentId, "residentId");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(key, "key");
        if (regionId <= 0) {
            throw new IllegalArgumentException("regionId must be > 0: " + regionId);
        }
        if (expiresAt.getEpochSecond() < 0) {
            throw new IllegalArgumentException("expiresAt must not be before 1970: " + expiresAt);
        }
        byte[] payload = ByteBuffer.allocate(PAYLOAD_BYTES)
                .put((byte) VERSION)
                .putLong(regionId)
                .putInt(keyId)
                .putLong(residentId.getMostSignificantBits())
                .putLong(residentId.getLeastSignificantBits())
                .putLong(expiresAt.getEpochSecond())
                .putLong(nonce)
                .array();
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, key.key);
        signer.update(payload, 0, payload.length);
        byte[] signature = signer.generateSignature();
        byte[] all = Arrays.copyOf(payload, PAYLOAD_BYTES + SIGNATURE_BYTES);
        System.arraycopy(signature, 0, all, PAYLOAD_BYTES, SIGNATURE_BYTES);
        return new CustomerToken(payload, signature, PREFIX + ENCODER.encodeToString(all));
    }

    /**
     * Reads a token's format: prefix, length, base64url alphabet, canonical encoding, version and that the expiry is a
     * representable time. Says nothing about whether it is genuine or current: call {@link #verify} before trusting
     * any field.
     *
     * @param token the scanned text
     * @return the token; {@code parse(s).encode()} equals {@code s}
     * @throws NullPointerException  if {@code token} is null
     * @throws CustomerCodeException with {@link Reason#MALFORMED} if the text is not a version-1 token; the message
     *                               says what is wrong and where, without repeating the text
     */
    public static CustomerToken parse(String token) {
        Objects.requireNonNull(token, "token");
        if (!token.startsWith(PREFIX)) {
            String start = token.substring(0, Math.min(PREFIX.length(), token.length()));
            throw malformed("customer token must start with '" + PREFIX + "', starts with " + Chars.quote(start));
        }
        if (token.length() != ENCODED_LENGTH) {
            throw malformed("customer token must have " + ENCODED_LENGTH + " characters, has " + token.length());
        }
        for (int i = PREFIX.length(); i < token.length(); i++) {
            char c = token.charAt(i);
            if (!isBase64Url(c)) {
                throw malformed("customer token has " + Chars.describe(c) + " at index " + i
                        + ", which is not base64url (A-Z a-z 0-9 - _, no padding)");
            }
        }
        String body = token.substring(PREFIX.length());
        byte[] all = Base64.getUrlDecoder().decode(body);
        // 109 bytes leave four unused bits in the last character. Java's decoder ignores them, so without this check
        // sixteen different strings would be the same token.
        if (!ENCODER.encodeToString(all).equals(body)) {
            throw malformed("customer token's last character " + Chars.quote(body.substring(body.length() - 1))
                    + " has unused bits set, so it is not canonical base64url");
        }
        int version = all[0] & 0xFF;
        if (version != VERSION) {
            throw malformed("customer token has version " + version + ", only " + VERSION + " is supported");
        }
        long expirySeconds = ByteBuffer.wrap(all, EXPIRY_OFFSET, 8).getLong();
        if (expirySeconds < 0 || expirySeconds > Instant.MAX.getEpochSecond()) {
            throw malformed("customer token's expiry " + expirySeconds + " is not a time in Unix seconds from 1970");
        }
        return new CustomerToken(Arrays.copyOf(all, PAYLOAD_BYTES),
                Arrays.copyOfRange(all, PAYLOAD_BYTES, PAYLOAD_BYTES + SIGNATURE_BYTES), token);
    }

    /**
     * Checks the signature against one public key, then the expiry.
     *
     * @param publicKey the {@value #KEY_BYTES}-byte Ed25519 public key named by {@link #keyId()} in region
     *                  {@link #regionId()}; choosing it is the caller's job (see
     *                  {@link #verify(long, Map, Clock, Duration)})
     * @param clock     now
     * @param tolerance how long after {@link #expiresAt()} the token is still accepted, for clocks that disagree;
     *                  not negative
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if {@code publicKey} is not {@value #KEY_BYTES} bytes or not an Ed25519 point,
     *                                  or {@code tolerance} is negative
     * @throws CustomerCodeException    with {@link Reason#BAD_SIGNATURE} if the signature does not verify, or
     *                                  {@link Reason#EXPIRED} if {@code clock} is after {@code expiresAt + tolerance}
     */
    public void verify(byte[] publicKey, Clock clock, Duration tolerance) {
        Objects.requireNonNull(clock, "clock");
        requireTolerance(tolerance);
        Ed25519PublicKeyParameters key = publicKeyParameters(publicKey);
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, key);
        verifier.update(payload, 0, payload.length);
        if (!verifier.verifySignature(signature)) {
            throw new CustomerCodeException(Reason.BAD_SIGNATURE, "customer token's signature does not verify with key "
                    + keyId + " of region " + regionId);
        }
        Instant now = clock.instant();
        // Compared as a duration: expiresAt.plus(tolerance) could overflow for a far-future token and a long tolerance.
        Duration late = Duration.between(expiresAt, now);
        if (late.compareTo(tolerance) > 0) {
            // Rounded up, so that a token 30.2 s late never reads as "30 s ago, beyond the 30 s tolerance".
            long ago = late.getSeconds() + (late.getNano() > 0 ? 1 : 0);
            throw new CustomerCodeException(Reason.EXPIRED, "customer token expired at " + expiresAt + ", " + ago
                    + " s ago, beyond the " + tolerance.getSeconds() + " s tolerance");
        }
    }

    /**
     * Checks everything an offline till can: the region, that the key is one of the region's, the signature and the
     * expiry, in that order.
     *
     * @param expectedRegionId the region the checker acts in
     * @param publicKeys       the region's public keys by key id ({@value #KEY_BYTES} bytes each)
     * @param clock            now
     * @param tolerance        how long after {@link #expiresAt()} the token is still accepted; not negative
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if the key named by the token is not a valid Ed25519 public key, or
     *                                  {@code tolerance} is negative
     * @throws CustomerCodeException    with {@link Reason#WRONG_REGION} if the token is for another region,
     *                                  {@link Reason#UNKNOWN_KEY} if {@code publicKeys} has no key {@link #keyId()},
     *                                  else as {@link #verify(byte[], Clock, Duration)}
     */
    public void verify(long expectedRegionId, Map<Integer, byte[]> publicKeys, Clock clock, Duration tolerance) {
        Objects.requireNonNull(publicKeys, "publicKeys");
        Objects.requireNonNull(clock, "clock");
        requireTolerance(tolerance);
        checkRegion(expectedRegionId);
        byte[] key = publicKeys.get(keyId);
        if (key == null) {
            throw new CustomerCodeException(Reason.UNKNOWN_KEY, "customer token names key " + keyId + ", which region "
                    + regionId + " does not have (it has " + new TreeSet<>(publicKeys.keySet()) + ")");
        }
        verify(key, clock, tolerance);
    }

    /**
     * The first check of {@link #verify(long, Map, Clock, Duration)}, on its own so that a till refuses a foreign token
     * before it fetches any key.
     *
     * @throws CustomerCodeException with {@link Reason#WRONG_REGION} if the token is for another region
     */
    void checkRegion(long expectedRegionId) {
        if (regionId != expectedRegionId) {
            throw new CustomerCodeException(Reason.WRONG_REGION, "customer token is for region " + regionId
                    + ", not region " + expectedRegionId);
        }
    }

    /**
     * @param privateKeySeed a {@value #KEY_BYTES}-byte Ed25519 private seed
     * @return its {@value #KEY_BYTES}-byte public key, as {@code GET /regions/{r}/cpm-keys} publishes it (base64)
     * @throws NullPointerException     if {@code privateKeySeed} is null
     * @throws IllegalArgumentException if it is not {@value #KEY_BYTES} bytes
     */
    public static byte[] publicKeyOf(byte[] privateKeySeed) {
        requireKeyLength("privateKeySeed", privateKeySeed);
        return new Ed25519PrivateKeyParameters(privateKeySeed, 0).generatePublicKey().getEncoded();
    }

    /**
     * @param random where the key's randomness comes from; a {@link SecureRandom}, so that the key cannot be guessed
     * @return a new {@value #KEY_BYTES}-byte Ed25519 private seed
     * @throws NullPointerException if {@code random} is null
     */
    public static byte[] newPrivateKeySeed(SecureRandom random) {
        Objects.requireNonNull(random, "random");
        byte[] seed = new byte[KEY_BYTES];
        random.nextBytes(seed);
        return seed;
    }

    /** @return the region the token pays in, as the token says (trust it only after {@link #verify}) */
    public long regionId() {
        return regionId;
    }

    /** @return the id of the region's key that signed the token */
    public int keyId() {
        return keyId;
    }

    /** @return the resident who pays */
    public UUID residentId() {
        return residentId;
    }

    /** @return when the token stops paying, in whole seconds */
    public Instant expiresAt() {
        return expiresAt;
    }

    /** @return the random number that makes the token unique */
    public long nonce() {
        return nonce;
    }

    /** @return the token as text, {@value #ENCODED_LENGTH} characters starting {@value #PREFIX}: what the QR holds */
    public String encode() {
        return encoded;
    }

    @Override
    public boolean equals(Object other) {
        return this == other || (other instanceof CustomerToken && encoded.equals(((CustomerToken) other).encoded));
    }

    @Override
    public int hashCode() {
        return encoded.hashCode();
    }

    /**
     * @return region, key and expiry only: the encoded token is a credential until it expires, and the resident id
     *     is personal data, so neither belongs in a till's log
     */
    @Override
    public String toString() {
        return "CustomerToken[region " + regionId + ", key " + keyId + ", expires " + expiresAt + "]";
    }

    /** @return whether {@code c} is in the base64url alphabet (RFC 4648 §5), padding excluded */
    private static boolean isBase64Url(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }

    private static CustomerCodeException malformed(String message) {
        return new CustomerCodeException(Reason.MALFORMED, message);
    }

    private static void requireKeyLength(String what, byte[] key) {
        Objects.requireNonNull(key, what);
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException(what + " must have " + KEY_BYTES + " bytes, has " + key.length);
        }
    }

    private static void requireTolerance(Duration tolerance) {
        Objects.requireNonNull(tolerance, "tolerance");
        if (tolerance.isNegative()) {
            throw new IllegalArgumentException("tolerance must not be negative: " + tolerance);
        }
    }

    /**
     * Also how the client checks the keys it fetches, so that a bad key is refused when it arrives.
     *
     * @throws IllegalArgumentException if {@code publicKey} is not {@value #KEY_BYTES} bytes or not a point on the
     *                                  curve
     */
    static Ed25519PublicKeyParameters publicKeyParameters(byte[] publicKey) {
        requireKeyLength("publicKey", publicKey);
        // A checker sees the same few keys again and again; decoding one (a square root in the field) is a good part
        // of a check. Public keys only, a handful per region: the cache starts again empty past its bound.
        String id = new String(publicKey, StandardCharsets.ISO_8859_1);
        Ed25519PublicKeyParameters known = DECODED_KEYS.get(id);
        if (known != null) {
            return known;
        }
        Ed25519PublicKeyParameters decoded;
        try {
            decoded = new Ed25519PublicKeyParameters(publicKey, 0);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("publicKey is not an Ed25519 public key: " + e.getMessage(), e);
        }
        if (DECODED_KEYS.size() >= DECODED_KEYS_MAX) {
            DECODED_KEYS.clear();
        }
        DECODED_KEYS.put(id, decoded);
        return decoded;
    }

    private static final int DECODED_KEYS_MAX = 256;
    private static final ConcurrentHashMap<String, Ed25519PublicKeyParameters> DECODED_KEYS = new ConcurrentHashMap<>();

    /**
     * A region's private key, prepared once to sign many tokens ({@link #issue(long, int, UUID, Instant, long,
     * SigningKey)}). It holds the secret: keep it as carefully as the seed it was made from. Thread-safe.
     */
    public static final class SigningKey {
        private final Ed25519PrivateKeyParameters key;

        private SigningKey(Ed25519PrivateKeyParameters key) {
            this.key = key;
        }

        /**
         * @param privateKeySeed the region's {@value CustomerToken#KEY_BYTES}-byte Ed25519 private seed (copied)
         * @throws NullPointerException     if it is null
         * @throws IllegalArgumentException if it is not {@value CustomerToken#KEY_BYTES} bytes
         */
        public static SigningKey of(byte[] privateKeySeed) {
            requireKeyLength("privateKeySeed", privateKeySeed);
            return new SigningKey(new Ed25519PrivateKeyParameters(privateKeySeed, 0));
        }

        /** @return the {@value CustomerToken#KEY_BYTES}-byte public key tokens signed with this key verify with */
        public byte[] publicKey() {
            return key.generatePublicKey().getEncoded();
        }

        /** Names the public key only. */
        @Override
        public String toString() {
            return "SigningKey[public " + Base64.getEncoder().encodeToString(publicKey()) + "]";
        }
    }
}
