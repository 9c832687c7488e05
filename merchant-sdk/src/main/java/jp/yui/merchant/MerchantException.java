package jp.yui.merchant;

/**
 * The root of every exception the merchant SDK throws on purpose. Unchecked: what it reports is either misuse (a
 * malformed QR payload handed to a parser) or infrastructure, never a business outcome such as a declined payment.
 * Catch this to catch them all; catch a subclass (for example {@link QrFormatException}) to handle one kind.
 */
public class MerchantException extends RuntimeException {

    /**
     * @param message what went wrong, for a person to read; not null
     */
    public MerchantException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong, for a person to read; not null
     * @param cause   the underlying exception, or null
     */
    public MerchantException(String message, Throwable cause) {
        super(message, cause);
    }
}
