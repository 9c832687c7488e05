package jp.yui.merchant;

/**
 * 409: the request conflicts with the resource's state: a dynamic intent that is no longer open
 * ({@code intent-not-open}), a customer token that already paid ({@code customer-code-used}), or a request with the
 * same idempotency key still running ({@code idempotency-key-in-progress}).
 */
public final class ConflictException extends MerchantApiException {

    ConflictException(String message, ApiProblem problem) {
        super(message, problem);
    }
}
