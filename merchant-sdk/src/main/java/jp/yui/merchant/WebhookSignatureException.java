package jp.yui.merchant;

/**
 * A webhook delivery whose {@value WebhookSignature#HEADER} header is missing, malformed, does not match the body
 * and secret, or was signed too long ago. The shop should answer such a request with 400 and not act on it.
 */
public final class WebhookSignatureException extends MerchantException {

    /**
     * @param message which check failed
     */
    public WebhookSignatureException(String message) {
        super(message);
    }
}
