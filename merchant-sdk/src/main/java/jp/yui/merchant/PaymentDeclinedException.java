package jp.yui.merchant;

/**
 * 422: the server understood the request and declined it: {@code insufficient-funds},
 * {@code customer-code-expired}, {@code amount-mismatch}, the printed-card problems ({@code card-pin-required},
 * {@code card-pin-wrong}, {@code card-locked}, {@code card-limit-exceeded}), {@code refund-exceeds-payment},
 * {@code idempotency-key-reused}. Tell the person at the till; {@link #typeName()} says which.
 */
public final class PaymentDeclinedException extends MerchantApiException {

    PaymentDeclinedException(String message, ApiProblem problem) {
        super(message, problem);
    }
}
