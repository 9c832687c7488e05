package jp.yui.merchant;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature Yui puts on every webhook it sends, in the header {@value #HEADER}:
 * {@code t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>}. While a shop rotates its secret the
 * header may carry several {@code v1} values; one matching is enough.
 *
 * <p>The server signs with {@link #sign}; a shop checks with {@link #verify}, which compares in constant time and
 * refuses a timestamp further than the tolerance from its clock, so a captured delivery cannot be replayed later.
 * Stateless and thread-safe.
 */
public final class WebhookSignature {

    /** The HTTP header that carries the signature. */
    public static final String HEADER = "Yui-Signature";

    /** How far the signing time may be from the receiver's clock unless told otherwise. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private WebhookSignature() {
    }

    /**
     * The header value for a body signed now.
     *
     * @param secret        the shop's webhook secret, not empty
     * @param epochSeconds  the signing time in Unix seconds, ≥ 0
     * @param body          the exact bytes sent as the request body (UTF-8 JSON)
     * @return {@code t=<epochSeconds>,v1=<64 lower-case hex digits>}
     * @throws IllegalArgumentException if the secret is empty or the time negative
     */
    public static String sign(String secret, long epochSeconds, String body) {
        requireSecret(secret);
        Objects.requireNonNull(body, "body");
        if (epochSeconds < 0) {
            throw new IllegalArgumentException("epochSeconds must be >= 0: " + epochSeconds);
        }
        return "t=" + epochSeconds + ",v1=" + hex(hmac(secret, epochSeconds + "." + body));
    }

    /**
     * Checks a delivery with {@link #DEFAULT_TOLERANCE} against the system clock.
     *
     * @see #verify(String, String, String, Duration, Clock)
     */
    public static void verify(String header, String body, String secret) {
        verify(header, body, secret, DEFAULT_TOLERANCE, Clock.systemUTC());
    }

    /**
     * Checks that a delivery was signed with the secret and recently.
     *
     * @param header    the {@value #HEADER} header as received; null counts as missing
     * @param body      the request body exactly as received, before any JSON parsing
     * @param secret    the shop's webhook secret
     * @param tolerance how far the signing time may be from {@code clock}, either way; not negative
     * @param clock     the receiver's clock
     * @throws WebhookSignatureException if the header is missing or malformed, no signature matches, or the time is
     *     outside the tolerance; the message says which
     * @throws IllegalArgumentException if the secret is empty or the tolerance negative
     */
    public static void verify(String header, String body, String secret, Duration tolerance, Clock clock) {
        requireSecret(secret);
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(tolerance, "tolerance");
        Objects.requireNonNull(clock, "clock");
        if (tolerance.isNegative()) {
            throw new IllegalArgumentException("tolerance must not be negative: " + tolerance);
        }
        if (header == null || header.isBlank()) {
            throw new WebhookSignatureException("the " + HEADER + " header is missing");
        }
        Long timestamp = null;
        List<String> signatures = new ArrayList<>();
        for (String part : header.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new WebhookSignatureException("the " + HEADER + " header is malformed: " + header);
            }
            String name = part.substring(0, eq).trim();
            String value = part.substring(eq + 1).trim();
            if (name.equals("t")) {
                if (timestamp != null || !value.matches("[0-9]{1,12}")) {
                    throw new WebhookSignatureException("the " + HEADER + " header has a bad timestamp: " + header);
                }
                timestamp = Long.parseLong(value);
            } else if (name.equals("v1")) {
                signatures.add(value);
            }
            // Other schemes (v0, future ones) are ignored, as their receivers would.
        }
        if (timestamp == null) {
            throw new WebhookSignatureException("the " + HEADER + " header has no timestamp: " + header);
        }
        if (signatures.isEmpty()) {
            throw new WebhookSignatureException("the " + HEADER + " header has no v1 signature: " + header);
        }
        byte[] expected = hex(hmac(secret, timestamp + "." + body)).getBytes(StandardCharsets.US_ASCII);
        boolean matched = false;
        for (String candidate : signatures) {
            // Every candidate is compared, in constant time, so timing says nothing about which one was close.
            matched |= MessageDigest.isEqual(expected, candidate.getBytes(StandardCharsets.US_ASCII));
        }
        if (!matched) {
            throw new WebhookSignatureException("no " + HEADER + " signature matches the body and secret");
        }
        long skew = Math.abs(clock.instant().getEpochSecond() - timestamp);
        if (skew > tolerance.getSeconds()) {
            throw new WebhookSignatureException("the webhook was signed " + skew + " s away from this clock, more than the "
                    + tolerance.getSeconds() + " s tolerance");
        }
    }

    private static void requireSecret(String secret) {
        Objects.requireNonNull(secret, "secret");
        if (secret.isEmpty()) {
            throw new IllegalArgumentException("secret must not be empty");
        }
    }

    private static byte[] hmac(String secret, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

    private static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return sb.toString();
    }
}
