package jp.yui.merchant;

import java.util.Objects;

/**
 * Per-call options of a POST. Today: the idempotency key. Without options the client generates a fresh random key for
 * each call, which makes its own retries safe; pass your own key (derived from the till's order number, say) to make
 * a retry of the whole call safe too, after a crash or a {@link MerchantTransportException}: the server answers the
 * original result instead of acting twice. Immutable.
 */
public final class RequestOptions {

    private final String idempotencyKey;

    private RequestOptions(String idempotencyKey) {
        this.idempotencyKey = idempotencyKey;
    }

    /**
     * @param idempotencyKey 1 to 128 visible ASCII characters ({@code !} to {@code ~}); the same key with the same
     *                       request answers the original result, with another request 422
     *                       {@code idempotency-key-reused}
     * @return options that send this key
     * @throws NullPointerException     if {@code idempotencyKey} is null
     * @throws IllegalArgumentException if it breaks the rule above
     */
    public static RequestOptions withIdempotencyKey(String idempotencyKey) {
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        if (idempotencyKey.isEmpty() || idempotencyKey.length() > 128) {
            throw new IllegalArgumentException("idempotencyKey must have 1 to 128 characters, has "
                    + idempotencyKey.length());
        }
        for (int i = 0; i < idempotencyKey.length(); i++) {
            char c = idempotencyKey.charAt(i);
            if (c < 0x21 || c > 0x7E) {
                throw new IllegalArgumentException("idempotencyKey must be visible ASCII, found " + Chars.describe(c)
                        + " at index " + i + ": " + Chars.quote(idempotencyKey));
            }
        }
        return new RequestOptions(idempotencyKey);
    }

    /** @return the idempotency key to send */
    public String idempotencyKey() {
        return idempotencyKey;
    }

    @Override
    public boolean equals(Object other) {
        return this == other || (other instanceof RequestOptions
                && idempotencyKey.equals(((RequestOptions) other).idempotencyKey));
    }

    @Override
    public int hashCode() {
        return idempotencyKey.hashCode();
    }

    @Override
    public String toString() {
        return "RequestOptions[idempotencyKey " + idempotencyKey + "]";
    }
}
