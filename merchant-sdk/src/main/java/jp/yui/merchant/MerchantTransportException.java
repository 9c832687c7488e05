package jp.yui.merchant;

/**
 * The server could not be reached or did not answer in time, on every attempt the client made: the connection was
 * refused or reset, DNS failed, TLS failed, or a timeout ran out. The cause is the last attempt's exception. Whether a
 * POST took effect is unknown: repeat it with the same idempotency key ({@link RequestOptions}) and the server answers
 * the original result instead of acting twice.
 */
public final class MerchantTransportException extends MerchantException {

    private final int attempts;

    MerchantTransportException(String message, int attempts, Throwable cause) {
        super(message, cause);
        this.attempts = attempts;
    }

    /** @return how many attempts were made, {@code >= 1}; 0 if the wait was interrupted before any failed */
    public int attempts() {
        return attempts;
    }
}
