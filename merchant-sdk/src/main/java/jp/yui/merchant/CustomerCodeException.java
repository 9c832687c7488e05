package jp.yui.merchant;

import java.util.Objects;

/**
 * A customer code (a resident's {@link CustomerToken} or printed-card code) that must not be charged: it is not a
 * code at all, or its signature, region, key or expiry is wrong. {@link #reason()} is stable and meant for code; the
 * message is for the person at the till and never repeats the whole token, which is a credential until it expires.
 *
 * <p>The till should ask the resident to show a fresh code; nothing was charged.
 */
public final class CustomerCodeException extends MerchantException {

    /** Why a customer code was refused. The names are stable: code may switch on them. */
    public enum Reason {
        /** Not a customer code: wrong prefix, length, characters, encoding, version or an expiry no clock can show. */
        MALFORMED,
        /** The signature does not verify against the key the token names. */
        BAD_SIGNATURE,
        /** The token's expiry, plus the tolerance, is in the past. */
        EXPIRED,
        /** The token was issued for another region than the one checking it. */
        WRONG_REGION,
        /** The token names a signing key the region does not have. */
        UNKNOWN_KEY
    }

    private final Reason reason;

    CustomerCodeException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** @return why the code was refused; never null */
    public Reason reason() {
        return reason;
    }
}
