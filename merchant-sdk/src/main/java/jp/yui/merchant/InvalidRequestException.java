package jp.yui.merchant;

/**
 * 400 Bad Request: the request was malformed or broke a rule ({@code validation}, {@code invalid-qr},
 * {@code invalid-customer-code}, {@code idempotency-key-required}). Fix the request; retrying it unchanged fails
 * again.
 */
public final class InvalidRequestException extends MerchantApiException {

    InvalidRequestException(String message, ApiProblem problem) {
        super(message, problem);
    }
}
